"""Atomic file and directory writes: readers see the old version or the new one, never half of one."""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _backup_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # kernel or filesystem without exchange: fall back to two renames
    raise OSError(error, os.strerror(error), str(second))


def recover_dir(target: Path) -> None:
    """Finish or undo a directory swap that a crash interrupted (see replace_dir_atomic).

    Only the two-rename fallback can be interrupted with `target` missing; then the backup is
    the previous complete directory and is put back. A backup next to a present target is a
    leftover of a finished swap and is removed.
    """
    backup = _backup_path(target)
    if not backup.exists():
        return
    if target.exists():
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.replace(backup, target)


def replace_dir_atomic(staging: Path, target: Path) -> None:
    """Swap a fully written staging directory into place.

    Where the kernel can exchange two directories in one step (renameat2 RENAME_EXCHANGE) it
    does, so `target` always names a complete directory, old or new. Elsewhere the old one is
    renamed aside first and removed only after the new one is in place; a crash between the
    two renames leaves the old one at the backup path, which recover_dir() puts back (it is
    called here and by readers before they look at `target`).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(target)
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # holds the old directory now
        return
    backup = _backup_path(target)
    if target.exists():
        os.replace(target, backup)
    os.replace(staging, target)
    if backup.exists():
        shutil.rmtree(backup, ignore_errors=True)
