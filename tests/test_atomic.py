"""The on-disk helpers every writer shares: locks between processes, staged directory swaps, manifests."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ingest.atomic import ManifestError, lock, staged_dir, verify_manifest, write_json_atomic, write_manifest

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ingest.atomic import lock
    with lock(Path(sys.argv[1])):
        print("LOCKED", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_a_lock_is_held_across_processes_and_dropped_when_its_holder_dies(tmp_path: Path) -> None:
    target = tmp_path / "catalog.json"
    child = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(target), "600"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "LOCKED"
        with pytest.raises(TimeoutError), lock(target, timeout=0.2):
            pass  # filelock.Timeout is a TimeoutError
        child.kill()  # the kernel releases the lock of a killed holder
        child.wait(30)
        started = time.monotonic()
        with lock(target, timeout=10):
            assert time.monotonic() - started < 5
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(30)
        if child.stdout is not None:
            child.stdout.close()
    assert (tmp_path / ".catalog.json.lock").exists() and not target.exists()  # the lock file sits beside, the target is untouched


def _build(directory: Path, text: str) -> None:
    (directory / "sub").mkdir()
    (directory / "a.txt").write_text(text, encoding="utf-8")
    (directory / "sub" / "b.bin").write_bytes(b"\x00" * 100)
    write_manifest(directory, {"built_from": text})


def test_staged_dir_swaps_in_a_complete_directory(tmp_path: Path) -> None:
    target = tmp_path / "index" / "key"
    with staged_dir(target) as staging:
        _build(staging, "first")
    assert (target / "a.txt").read_text(encoding="utf-8") == "first"
    assert verify_manifest(target, required=["a.txt", "sub/"])["built_from"] == "first"
    with staged_dir(target) as staging:
        _build(staging, "second")
    assert (target / "a.txt").read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["key"]  # no staging or backup left


def test_a_failed_build_leaves_the_previous_directory(tmp_path: Path) -> None:
    target = tmp_path / "key"
    with staged_dir(target) as staging:
        _build(staging, "good")
    with pytest.raises(RuntimeError, match="embedding failed"), staged_dir(target) as staging:
        (staging / "a.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("embedding failed")
    assert (target / "a.txt").read_text(encoding="utf-8") == "good"
    verify_manifest(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key"]


def test_leftovers_of_a_killed_builder_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "key"
    leftover = tmp_path / ".key.staging-99999-abc"
    leftover.mkdir()
    (leftover / "half.bin").write_bytes(b"x")
    with staged_dir(target) as staging:
        _build(staging, "new")
    assert not leftover.exists()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("truncate", "has 50 bytes, not 100"),
        ("flip", "does not match its checksum"),
        ("delete", "sub/b.bin is missing"),
        ("no manifest", "no manifest.json"),
        ("empty manifest", "does not list a.txt"),
        ("not json", "unreadable"),
        ("old format", "no valid file list"),
    ],
)
def test_every_kind_of_damage_is_named(tmp_path: Path, damage: str, reason: str) -> None:
    directory = tmp_path / "d"
    directory.mkdir()
    _build(directory, "x")
    data = directory / "sub" / "b.bin"
    manifest = directory / "manifest.json"
    if damage == "truncate":
        data.write_bytes(b"\x00" * 50)
    elif damage == "flip":
        data.write_bytes(b"\x00" * 99 + b"\x01")
    elif damage == "delete":
        data.unlink()
    elif damage == "no manifest":
        manifest.unlink()
    elif damage == "empty manifest":
        write_json_atomic(manifest, {"files": {}})
    elif damage == "not json":
        manifest.write_text("{", encoding="utf-8")
    elif damage == "old format":
        write_json_atomic(manifest, {"files": {"a.txt": "sha256-only"}})
    with pytest.raises(ManifestError, match=reason):
        verify_manifest(directory, required=["a.txt", "sub/"])
