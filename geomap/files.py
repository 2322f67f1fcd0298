"""Writing files that people keep (the gazetteer, the geocoder cache) without ever leaving half of one."""

from __future__ import annotations

import os
import tempfile
from glob import escape as glob_escape
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then swap it in: readers see the old file or
    the new one, never a mix, and a failure leaves the old one untouched."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temporary_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes it 0600; keep the file as readable as it was
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}-"


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files that writers of ``path`` killed mid-write left beside it. Call it
    only while holding the file's lock: then no live writer has a temporary file there."""
    prefix = _temporary_prefix(path)
    for leftover in path.parent.glob(f"{glob_escape(prefix)}*.tmp"):
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)
