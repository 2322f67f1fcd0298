"""The output folder's life: found writable before the work, locked, built aside, swapped in whole.

A reader of ``maps/`` sees the complete old build or the complete new one at every instant, and a
build killed at any point (SIGKILL, OOM, power loss) leaves one of the two, never a mix and never
nothing. How:

1. **Before the work**, the folder's parent is created and a lock file ``.maps.lock`` beside the
   folder is opened and locked (``flock``): an unwritable place fails here, with a clear message,
   not after every document was read; a second build into the same folder waits for the first.
2. **Recovery** (under the lock): what an interrupted build left beside the folder is put right.
   Every build works in ``.maps.build-RANDOM``; only a complete one is renamed ``.maps.ready-RANDOM``
   (one ``rename``, so "ready" always means complete). If ``maps`` itself is missing after a crash in
   the fallback swap below, a ready build or the retired old one becomes ``maps`` again; then every
   left-over (``.build-``, ``.ready-``, ``.old-``, and the ``.maps-XXXXXXXX`` / ``.maps-old-PID``
   folders of older versions) is removed, whatever process made it.
3. **The swap** is one ``renameat2(RENAME_EXCHANGE)`` of the ready build with ``maps``: the two
   names trade places atomically, then the old build (now under the ready name) is removed. Where
   the kernel or file system cannot exchange, two renames are used (``maps`` to ``.maps.old-...``,
   the ready build to ``maps``) and step 2 closes the gap after a crash between them.

``--out`` given as a symlink is followed: the build replaces the folder it points to and the link
keeps pointing there. Files in the old folder that the build does not write (a README, a screenshot)
are carried over; a symlink among them is carried over as a symlink, never followed, so the output
never copies what it did not write.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Callable, Iterable

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: builds are not serialised
    fcntl = None  # type: ignore[assignment]

from .errors import OutputError


class OutputFolder:
    """``with OutputFolder(path, owned) as output:`` locks and recovers; ``output.staging()`` gives a
    fresh folder to write into; ``output.publish(staging)`` swaps it in."""

    def __init__(self, path: Path, owned: Iterable[str], on_wait: Callable[[str], None] = lambda message: None):
        self.requested = Path(path)
        self.path = Path(os.path.realpath(path))  # a symlinked --out: replace what it points to
        self.owned = frozenset(owned)
        self.on_wait = on_wait
        self._lock_handle = None

    @property
    def parent(self) -> Path:
        return self.path.parent

    def _sibling(self, kind: str) -> str:
        # ".maps.build-": a dot, not a dash, after the name, so that no user's ".maps-backup" and no
        # other output's folders (".maps-old.build-" of --out maps-old) look like this output's
        return f".{self.path.name}.{kind}-"

    # --- before the work ---------------------------------------------------------------------

    def __enter__(self) -> "OutputFolder":
        try:
            return self._enter()
        except OutputError:
            raise
        except OSError as error:  # a name too long for the system, a folder that cannot be looked at
            raise OutputError(f"{self.requested} cannot be used as the output folder: {_reason(error)}") from None

    def _enter(self) -> "OutputFolder":
        if self.path.exists() and not self.path.is_dir():
            raise OutputError(f"{self.requested} is a file, not a folder; give --out a folder")
        if self.path.is_dir() and self.path.stat().st_uid != os.geteuid():
            # replacing it would hand another user's folder, and the files in it, to this user
            raise OutputError(f"{self.requested} belongs to another user; build as that user, or give --out "
                              "a folder of your own")
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            # "--out notes.txt/maps": a file where a folder of the path should be
            blocking = next((p for p in (self.parent, *self.parent.parents) if p.exists() and not p.is_dir()), None)
            why = f"{blocking} is a file, not a folder" if blocking is not None else _reason(error)
            raise OutputError(f"cannot create the folder {self.parent} for {self.requested}: {why}") from None
        self._lock()
        try:
            self.recover()
            self._probe()
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self._unlock()

    def _lock(self) -> None:
        lock_path = self.parent / f".{self.path.name}.lock"
        try:
            self._lock_handle = open(lock_path, "a+")
        except OSError as error:
            raise OutputError(f"cannot write in {self.parent} (for {self.requested}): {_reason(error)}") from None
        if fcntl is None:
            return
        try:
            fcntl.flock(self._lock_handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.on_wait(f"another build is writing {self.requested}; waiting for it to finish")
            fcntl.flock(self._lock_handle, fcntl.LOCK_EX)

    def _unlock(self) -> None:
        if self._lock_handle is not None:
            self._lock_handle.close()  # closing releases the flock
            self._lock_handle = None

    def _probe(self) -> None:
        """Make and remove a staging folder: a read-only or full file system shows up now."""
        try:
            shutil.rmtree(self.staging())
        except OSError as error:
            raise OutputError(f"cannot write in {self.parent} (for {self.requested}): {_reason(error)}") from None

    # --- recovery ----------------------------------------------------------------------------

    def leftovers(self) -> list[Path]:
        """This output's folders left by interrupted builds: ``.maps.build-*``, ``.maps.ready-*``,
        ``.maps.old-*``, and those of older versions of geomap (``.maps-old-PID``, ``.maps-XXXXXXXX``)
        only when they hold a build's index.html: a user's own ``.maps-...`` folder is never touched."""
        name = re.escape(self.path.name)
        ours = re.compile(rf"^\.{name}\.(?:build|ready|old)-.+$")
        older = re.compile(rf"^\.{name}-(?:old-\d+|[a-z0-9_]{{8}})$")
        return sorted(p for p in self.parent.iterdir() if not p.is_symlink() and (
            ours.match(p.name) or (older.match(p.name) and (p / "index.html").is_file())))

    def recover(self) -> None:
        """Complete or roll back an interrupted swap, then remove what interrupted builds left."""
        if not self.path.exists() and not self.path.is_symlink():
            legacy_old = f".{self.path.name}-old-"
            for prefixes in ((self._sibling("ready"),), (self._sibling("old"), legacy_old)):
                # a complete new build first, else the old one back
                found = sorted(p for p in self.leftovers() if p.name.startswith(prefixes) and p.is_dir())
                if found:
                    os.rename(found[-1], self.path)
                    break
        for leftover in self.leftovers():
            _remove(leftover)

    # --- the build's own folder, and the swap -----------------------------------------------

    def staging(self) -> Path:
        return Path(tempfile.mkdtemp(prefix=self._sibling("build"), dir=self.parent))

    def publish(self, staging: Path) -> None:
        """Carry over the files the build does not own, then swap ``staging`` in as the folder."""
        try:
            if self.path.is_dir():
                self._carry_over(staging)
            os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a served map must be readable
            ready = staging.with_name(staging.name.replace(self._sibling("build"), self._sibling("ready"), 1))
            os.rename(staging, ready)
        except OSError as error:
            _remove(staging)
            raise OutputError(f"could not finish the new build in {self.parent}: {_reason(error)}; "
                              f"{self.requested} is unchanged") from None
        try:
            self._swap(ready)
        except OSError as error:
            raise OutputError(f"could not swap the new build into {self.requested}: {_reason(error)}; "
                              "the next build puts it right") from None

    def _swap(self, ready: Path) -> None:
        if not self.path.exists():
            os.rename(ready, self.path)
            return
        if not exchange(ready, self.path):
            retired = ready.with_name(ready.name.replace(self._sibling("ready"), self._sibling("old"), 1))
            os.rename(self.path, retired)
            os.rename(ready, self.path)  # a crash before this line is completed by recover()
            ready = retired
        _remove(ready)  # the old build, under a left-over's name: removed next time if this is cut short

    def _carry_over(self, staging: Path) -> None:
        for entry in sorted(self.path.iterdir()):
            if entry.name in self.owned or os.path.lexists(staging / entry.name):
                continue
            target = staging / entry.name
            if entry.is_symlink():
                os.symlink(os.readlink(entry), target)
            elif entry.is_dir():
                shutil.copytree(entry, target, symlinks=True, copy_function=_copy_without_privileges)
            elif entry.is_file():
                _copy_without_privileges(entry, target)
            # fifos, sockets, devices: not something a map folder carries; left behind


def _copy_without_privileges(source, target) -> None:
    """A copy of a file with its mode but never its setuid or setgid bit: the copy belongs to the
    user who builds, and a setuid file of someone else's must not become one of theirs."""
    shutil.copy2(source, target, follow_symlinks=False)
    mode = os.lstat(target).st_mode
    if not stat.S_ISLNK(mode) and mode & (stat.S_ISUID | stat.S_ISGID):
        os.chmod(target, stat.S_IMODE(mode) & ~(stat.S_ISUID | stat.S_ISGID))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    try:
        function = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2_function = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``). False where the
    system cannot; any other failure is raised."""
    if _renameat2_function is None:
        return False
    if _renameat2_function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
