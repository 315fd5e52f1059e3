"""Safe on-disk state: atomic file writes and directory swaps, inter-process locks, checksummed manifests.

Every writer of the corpus, the ingest cache, the indexes and the converted model uses these, so a
crash at any point leaves the previous version readable and a damaged directory is detected.
"""
from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

__all__ = [
    "MANIFEST_NAME", "ManifestError", "file_sha256", "lock", "recover_dir", "replace_dir_atomic", "staged_dir",
    "verify_manifest", "write_bytes_atomic", "write_json_atomic", "write_manifest", "write_text_atomic",
]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
MANIFEST_NAME = "manifest.json"
_HASH_CHUNK = 1 << 20


# --------------------------------------------------------------------------- files
def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it and rename it over `path`."""
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


def write_json_atomic(path: Path, data: object, *, indent: int | None = 1) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=indent))


# --------------------------------------------------------------------------- locks
def lock(path: Path, timeout: float = -1) -> FileLock:
    """An inter-process lock on `path`, held through the file `.<name>.lock` beside it.

    Use as a context manager. The kernel drops the lock when its holder dies, so a killed
    writer never blocks the next one; the lock file itself stays (removing it would race).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(path.parent / f".{path.name}.lock", timeout=timeout)


# --------------------------------------------------------------------------- directories
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


@contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """A fresh directory beside `target` to build in; swapped into place when the block succeeds.

    Hold lock(target) around it: leftovers of killed builders (`.<name>.staging-*`) are removed
    first, which is safe only while no other builder can be at work. On an error the staging
    directory is removed and `target` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(target)
    for stale in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent))
    try:
        yield staging
        # mkdtemp makes a private 0700 directory; the result is as readable as the rest of the tree.
        for path in [staging, *staging.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        replace_dir_atomic(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- manifests
class ManifestError(RuntimeError):
    """A directory does not match its manifest: a file is missing, truncated or altered."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(directory: Path, meta: Mapping[str, object] | None = None, name: str = MANIFEST_NAME) -> dict[str, object]:
    """List every file under `directory` with its size and sha256, plus `meta`; written last and atomically.

    A directory without a valid manifest is never trusted, so the manifest is what makes it complete.
    """
    files = {
        path.relative_to(directory).as_posix(): {"size": path.stat().st_size, "sha256": file_sha256(path)}
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != name
    }
    manifest = {**(meta or {}), "files": files}
    write_json_atomic(directory / name, manifest)
    return manifest


def verify_manifest(directory: Path, required: Iterable[str] = (), name: str = MANIFEST_NAME) -> dict[str, object]:
    """The manifest of `directory` once every file it lists is present with its size and checksum.

    `required` names files the manifest must list; an entry ending in "/" requires some file under
    that folder. Sizes are compared first, so a truncated file is caught without hashing.
    Raises ManifestError with the reason otherwise.
    """
    try:
        manifest = json.loads((directory / name).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ManifestError(f"{directory}: no {name}") from error
    except (OSError, ValueError) as error:
        raise ManifestError(f"{directory}: {name} unreadable ({error})") from error
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict) or not all(isinstance(entry, dict) and {"size", "sha256"} <= entry.keys() for entry in files.values()):
        raise ManifestError(f"{directory}: {name} has no valid file list")
    for needed in required:
        listed = any(rel.startswith(needed) for rel in files) if needed.endswith("/") else needed in files
        if not listed:
            raise ManifestError(f"{directory}: {name} does not list {needed}")
    for rel, entry in files.items():
        path = directory / rel
        try:
            size = path.stat().st_size
        except FileNotFoundError as error:
            raise ManifestError(f"{directory}: {rel} is missing") from error
        if size != entry["size"]:
            raise ManifestError(f"{directory}: {rel} has {size} bytes, not {entry['size']}")
    for rel, entry in files.items():
        if file_sha256(directory / rel) != entry["sha256"]:
            raise ManifestError(f"{directory}: {rel} does not match its checksum")
    return manifest
