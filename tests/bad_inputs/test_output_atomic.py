"""The output folder under crashes, concurrent builds, left-overs, symlinks and unwritable places:
a reader always finds the complete old build or the complete new one, never a mix or nothing."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import subprocess
from pathlib import Path

import pytest

from geomap import output as output_module
from geomap.output import OutputFolder

from conftest import map_text

from builds import build_command, cli_build, siblings, tree_digest, write_corpus


@pytest.fixture(scope="module")
def small_seeds(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("small") / "seeds", 2, "s")


# --- a second build at once ----------------------------------------------------------------------

def test_a_second_build_waits_for_the_first(tmp_path, small_seeds):
    out = tmp_path / "maps"
    out.parent.mkdir(exist_ok=True)
    with open(tmp_path / ".maps.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # stands for a build in progress
        process = subprocess.Popen(build_command(small_seeds, out), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        line = process.stderr.readline()
        assert "another build is writing" in line and "waiting" in line
        assert process.poll() is None and not out.exists()
    stdout, _ = process.communicate(timeout=300)
    assert process.returncode == 0 and "2 documents" in stdout
    assert (out / "index.html").is_file()


# --- left-overs of interrupted builds ------------------------------------------------------------

def _fake_build(folder: Path, marker: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(marker)
    return folder


def test_recovery_completes_a_swap_cut_between_its_renames(tmp_path):
    out = tmp_path / "maps"
    _fake_build(tmp_path / ".maps.old-1", "old")
    _fake_build(tmp_path / ".maps.ready-x1", "new")
    with OutputFolder(out, ()):
        pass
    assert (out / "index.html").read_text() == "new" and siblings(out) == []


def test_recovery_rolls_back_when_only_the_old_build_is_left(tmp_path):
    out = tmp_path / "maps"
    _fake_build(tmp_path / ".maps-old-77", "old")  # an older geomap's name for it
    _fake_build(tmp_path / ".maps.build-x2", "half-written")  # never renamed ready: incomplete
    with OutputFolder(out, ()):
        pass
    assert (out / "index.html").read_text() == "old" and siblings(out) == []


def test_left_overs_of_any_pid_and_older_versions_are_removed(tmp_path, small_seeds):
    out = tmp_path / "maps"
    _fake_build(out, "current")
    for name in (".maps-old-1", f".maps-old-{os.getpid()}", ".maps-ab12cd_9", ".maps.build-zz", ".maps.ready-q",
                 ".maps.old-x"):
        _fake_build(tmp_path / name, "left over")
    # the user's own: not geomap's names, or an older geomap's names holding no build
    (tmp_path / ".maps-notes").mkdir()
    (tmp_path / ".maps-20240101").mkdir()
    (tmp_path / ".maps-20240101" / "notes.txt").write_text("mine")
    (tmp_path / ".maps-settings").write_text("mine")
    (tmp_path / ".maps-old-backup").mkdir()
    (tmp_path / ".maps-old-backup" / "x.txt").write_text("mine")
    (tmp_path / ".maps-old.build-abc").mkdir()  # another output's (--out maps-old) staging folder
    result = cli_build(small_seeds, out)
    assert result.exit_code == 0, result.output
    assert siblings(out) == [".maps-20240101", ".maps-notes", ".maps-old-backup", ".maps-old.build-abc",
                             ".maps-settings"]
    assert "Raid s0" in map_text(out)


def test_the_two_rename_fallback_is_completed_after_a_crash(tmp_path, monkeypatch):
    """Where the file system cannot exchange two names, a crash between the two renames leaves no
    folder under the name for an instant; the next build puts the new one there."""
    out = tmp_path / "maps"
    _fake_build(out, "old")
    monkeypatch.setattr(output_module, "exchange", lambda a, b: False)
    real_rename, calls = os.rename, []

    def crash_on_third_rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 3:  # staging -> ready, maps -> old, then the crash
            raise KeyboardInterrupt("power cut")
        real_rename(src, dst)

    folder = OutputFolder(out, ())
    with folder:
        staging = folder.staging()
        (staging / "index.html").write_text("new")
        monkeypatch.setattr(output_module.os, "rename", crash_on_third_rename)
        with pytest.raises(KeyboardInterrupt):
            folder.publish(staging)
    monkeypatch.setattr(output_module.os, "rename", real_rename)
    assert not out.exists()
    with OutputFolder(out, ()):
        pass
    assert (out / "index.html").read_text() == "new" and siblings(out) == []


def test_the_fallback_swap_works_end_to_end(tmp_path, small_seeds, monkeypatch):
    monkeypatch.setattr(output_module, "exchange", lambda a, b: False)
    out = tmp_path / "maps"
    assert cli_build(small_seeds, out).exit_code == 0
    first = tree_digest(out)
    assert cli_build(small_seeds, out).exit_code == 0
    assert tree_digest(out) == first and siblings(out) == []


# --- symlinks and unwritable places --------------------------------------------------------------

def test_symlinks_in_the_output_folder_are_kept_as_links_never_followed(tmp_path, small_seeds):
    out = tmp_path / "maps"
    assert cli_build(small_seeds, out).exit_code == 0
    secret = tmp_path / "private"
    (secret / "keys").mkdir(parents=True)
    (secret / "keys" / "id_rsa").write_text("SECRET")
    os.symlink(secret, out / "link")
    os.symlink(".", out / "self")
    (out / "README.txt").write_text("the editor's own notes")
    result = cli_build(small_seeds, out)
    assert result.exit_code == 0, result.output
    assert (out / "link").is_symlink() and os.readlink(out / "link") == str(secret)
    assert (out / "self").is_symlink() and os.readlink(out / "self") == "."
    assert (out / "README.txt").read_text() == "the editor's own notes"
    assert not [p for p in out.rglob("id_rsa") if not any(q.is_symlink() for q in p.parents)]


def test_an_out_that_is_a_symlink_updates_the_folder_it_points_to(tmp_path, small_seeds):
    real = tmp_path / "real-maps"
    assert cli_build(small_seeds, real).exit_code == 0
    (real / "index.html").write_text("stale")
    link = tmp_path / "maps"
    os.symlink(real, link)
    result = cli_build(small_seeds, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "Raid s0" in map_text(real)


def test_an_out_under_a_regular_file_fails_before_any_work(tmp_path, small_seeds):
    blocker = tmp_path / "report.txt"
    blocker.write_text("a file, not a folder")
    result = cli_build(small_seeds, blocker / "maps")
    assert result.exit_code == 3
    assert "cannot create the folder" in result.output and "documents" not in result.output
    assert f"{blocker} is a file, not a folder" in result.output  # not "File exists"
    assert "Traceback" not in result.output
    result = cli_build(small_seeds, blocker)  # click's own check of --out, a usage error
    assert result.exit_code == 2 and "is a file" in result.output and blocker.read_text() == "a file, not a folder"


def test_an_unwritable_parent_fails_before_any_work(tmp_path, small_seeds, monkeypatch):
    """Root ignores permission bits, so the refusal is the file system's: a read-only one is stood
    in for by the error every write would get from it."""
    real_mkdtemp = output_module.tempfile.mkdtemp

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(output_module.tempfile, "mkdtemp", read_only)
    result = cli_build(small_seeds, tmp_path / "maps")
    monkeypatch.setattr(output_module.tempfile, "mkdtemp", real_mkdtemp)
    assert result.exit_code == 3 and "Read-only file system" in result.output
    assert "documents" not in result.output and "Traceback" not in result.output


def test_a_full_disk_while_writing_keeps_the_old_build(tmp_path, small_seeds, monkeypatch):
    from geomap import exports

    out = tmp_path / "maps"
    assert cli_build(small_seeds, out).exit_code == 0
    before = tree_digest(out)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exports, "write_geojson", disk_full)
    result = cli_build(small_seeds, out)
    assert result.exit_code == 3 and "No space left on device" in result.output and "unchanged" in result.output
    assert "Traceback" not in result.output
    assert tree_digest(out) == before and siblings(out) == []


def test_a_folder_of_another_user_is_not_taken_over(tmp_path, small_seeds):
    """Replacing it would hand another user's folder and files to the one who builds (as root: a
    setuid file of theirs would become setuid-root)."""
    out = tmp_path / "shared"
    out.mkdir()
    os.chown(out, 65534, 65534)  # nobody
    result = cli_build(small_seeds, out)
    assert result.exit_code == 3 and "belongs to another user" in result.output
    assert out.stat().st_uid == 65534 and not (out / "index.html").exists()


def test_carried_over_files_lose_setuid_and_setgid_bits(tmp_path, small_seeds):
    out = tmp_path / "maps"
    assert cli_build(small_seeds, out).exit_code == 0
    tool = out / "tool"
    tool.write_text("#!/bin/sh\n")
    os.chmod(tool, 0o6755)
    (out / "bin").mkdir()
    (out / "bin" / "inner").write_text("#!/bin/sh\n")
    os.chmod(out / "bin" / "inner", 0o4755)
    assert cli_build(small_seeds, out).exit_code == 0
    assert stat.S_IMODE(tool.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "bin" / "inner").stat().st_mode) == 0o755


def test_folders_that_cannot_be_used_give_clear_errors_not_tracebacks(tmp_path, small_seeds):
    os.symlink(tmp_path / "loop-b", tmp_path / "loop-a")
    os.symlink(tmp_path / "loop-a", tmp_path / "loop-b")
    loop = cli_build(small_seeds, tmp_path / "loop-a")
    assert loop.exit_code == 2 and "cannot be used as a folder" in loop.output
    too_long = cli_build(small_seeds, tmp_path / ("x" * 300))
    assert too_long.exit_code == 3 and "File name too long" in too_long.output
    cache = cli_build(small_seeds, tmp_path / "maps", "--cache", str(tmp_path / "loop-a"))
    assert cache.exit_code == 2 and "cannot be used as the cache folder" in cache.output
    for result in (loop, too_long, cache):
        assert "Traceback" not in result.output and not isinstance(result.exception, (OSError, RuntimeError))
