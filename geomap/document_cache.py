"""Per-document results kept between builds, so a rebuild re-reads only what changed.

What is stored of a result is what the build keeps of it (``pipeline.KeptResult``: the mentions as
the ledger files them, the events, the facts of its places). A result is stored under the hash of
the document (its text and what the manifest says of it),
of geomap's own code, and of everything besides the place rows that the per-document stage reads
(actors, the stop list, the geocoder's answers, the country rows, the GeoNames index). It is used
again only while

- every gazetteer row it read (each candidate considered, each place an event holds) is unchanged,
  compared row by row, so correcting one place re-extracts only the documents that name it; and
- no name or alias added to or removed from the gazetteer since occurs in the document's text, so
  a new alias re-reads only the documents that contain it.

The store is one SQLite file (by default ``documents-v1.sqlite`` in the cache folder): each write is a
transaction, so a build killed half-way leaves whole entries or none. The results are pickled; the
file is geomap's own, in the user's cache folder, and is read by nothing else. A store that cannot be
opened or written is not a reason to fail a build: it runs without one and says so.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .records import Document, Place, field_names
from .pipeline import KeptResult, packed, unpacked

@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of geomap's own source: any change to the code makes every entry stale."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def files_digest(paths: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """A digest of some files (a missing file counts as empty) and strings."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
        digest.update(b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:16]


def row_digest(place: Place) -> str:
    return hashlib.sha1(repr(place).encode()).hexdigest()[:12]


def names_digest(names: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:16]


class DocumentCache:
    def __init__(self, path: Path, context: str, places: Mapping[str, Place], names: Iterable[str]):
        """``context`` is the digest of what besides the place rows the results depend on;
        ``places`` and ``names`` are the gazetteer this build reads."""
        self.path = path
        self.context = context
        self.places = places
        self.names = frozenset(names)
        self.names_digest = names_digest(self.names)
        self._row_digests: dict[str, str] = {}
        self._changed_names: dict[str, frozenset[str] | None] = {}
        self.hits = self.misses = 0
        self.problem = ""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30)
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, names TEXT, rows TEXT, payload BLOB);"
            "CREATE TABLE IF NOT EXISTS name_sets (digest TEXT PRIMARY KEY, names BLOB);")
        self._pending: list[tuple] = []

    @classmethod
    def open(cls, path: Path, context: str, places: Mapping[str, Place],
             names: Iterable[str]) -> "tuple[DocumentCache | None, str]":
        """The store, or None and why it cannot be used."""
        try:
            return cls(path, context, places, names), ""
        except (OSError, sqlite3.Error) as error:
            return None, f"the document cache {path} cannot be used ({error}); every document is read"

    def key(self, document: Document) -> str:
        # the sentences are left out: they are made from the text, by the code the key holds
        digest = hashlib.sha256(f"{code_version()}|{self.context}|".encode())
        for name in field_names(Document):
            if name != "sentences":
                value = getattr(document, name)
                # a text as its bytes (its repr took longer than the rest), its length first
                written = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else repr(value).encode()
                digest.update(f"{name}:{len(written)}:".encode() + written)
        return digest.hexdigest()

    def get(self, document: Document) -> KeptResult | None:
        try:
            row = self._db.execute("SELECT names, rows, payload FROM results WHERE key = ?",
                                   (self.key(document),)).fetchone()
            result = None
            if row is not None and self._still_valid(document, row[0], json.loads(row[1])):
                result = unpacked(row[2])
        except (sqlite3.Error, zlib.error, pickle.UnpicklingError, ValueError, EOFError) as error:
            # a damaged entry or file is a document to read again, not a failed build
            self.problem = f"the document cache {self.path} is damaged ({error}); documents are read again"
            result = None
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, document: Document, result: KeptResult, payload: bytes | None = None) -> None:
        """Store a result; ``payload`` is the result already packed (``pipeline.packed``), if it is."""
        rows = {place_id: self._row(place_id) for place_id in sorted(result.places_read)}
        payload = payload if payload is not None else packed(result)
        self._pending.append((self.key(document), self.names_digest, json.dumps(rows), payload))
        if len(self._pending) >= 200:
            self.flush()

    def flush(self) -> None:
        """Write what ``put`` collected, in one transaction; on a failure, go on without a cache."""
        if not self._pending:
            return
        try:
            with self._db:
                self._db.execute("INSERT OR IGNORE INTO name_sets VALUES (?, ?)",
                                 (self.names_digest, zlib.compress("\n".join(sorted(self.names)).encode())))
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", self._pending)
        except sqlite3.Error as error:
            self.problem = f"the document cache {self.path} could not be written ({error}); " \
                           "the next build will read those documents again"
        self._pending = []

    def close(self) -> None:
        self.flush()
        self._db.close()

    def _row(self, place_id: str) -> str:
        if place_id not in self._row_digests:
            place = self.places.get(place_id)
            self._row_digests[place_id] = row_digest(place) if place is not None else ""
        return self._row_digests[place_id]

    def _still_valid(self, document: Document, stored_names: str, rows: dict[str, str]) -> bool:
        if any(self._row(place_id) != digest or not digest for place_id, digest in rows.items()):
            return False
        if stored_names == self.names_digest:
            return True
        changed = self._names_changed_since(stored_names)
        if changed is None:
            return False
        text = document.text.casefold()
        return not any(name.casefold() in text for name in changed)

    def _names_changed_since(self, stored: str) -> frozenset[str] | None:
        if stored not in self._changed_names:
            row = self._db.execute("SELECT names FROM name_sets WHERE digest = ?", (stored,)).fetchone()
            if row is None:
                self._changed_names[stored] = None
            else:
                before = frozenset(zlib.decompress(row[0]).decode().split("\n"))
                self._changed_names[stored] = before ^ self.names
        return self._changed_names[stored]
