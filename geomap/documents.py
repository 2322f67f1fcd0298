"""Reading documents: encodings, front matter, the manifest, and sentences with offsets.

Offsets everywhere in geomap count characters of ``Document.text``: the file decoded (UTF-8, or
the encoding detected), line ends normalised to ``\\n``, with any front-matter block removed.

Documents are untrusted web content (scraped articles, files from strangers), so one bad file must
not stop a build. ``scan_documents`` reads every document it can and reports every other one as a
``DocumentIssue``, never raising for a document's content:

* skipped (the file is left out): binary (NUL bytes, or mostly control characters), empty or
  whitespace only (also when nothing follows the front matter), over ``MAX_DOCUMENT_BYTES``, not
  decodable in any text encoding, unreadable, not a regular file (a fifo, a device, a folder), a
  symlink leading out of the seeds folder or nowhere, or a second name for a file already read
  (a symlink inside the folder to a document read under its own name; a hard link);
* warnings (the file is used): not UTF-8 (read as UTF-8 with U+FFFD for the bad bytes when it is
  UTF-8 but for a few stray bytes, else in the encoding charset-normalizer detects), a file
  name that is not valid UTF-8 (shown with replacement characters), front matter that is broken
  (a bad line is ignored; a block with no closing ``---`` gives the ``title:``, ``published:``...
  lines that follow its ``---`` as fields and the rest as body text, or is all body text when no
  such line follows; a block with no ``key: value`` line is read as body text), a ``published`` value that is not a date or not plausible (ignored: the manifest's
  date, else the date found in the text, is used), and a manifest row naming no file (ignored).

The seeds folder itself and ``manifest.csv`` are the user's own files, not scraped content: a
missing folder and a broken manifest stay hard ``InputError``s. ``read_documents`` is the strict
form: the documents, or an ``InputError`` naming the first issue.

File names become ``Document.name``, which must be valid text: a name's bytes are decoded as UTF-8
with replacement characters (control characters are replaced too). If two such names collide, or
one collides with a real name, the replaced one gets ``~`` and the first 8 hex digits of the SHA-256
of its raw bytes before its suffix (``caf�~1a2b3c4d.txt``): stable, whatever else is in the folder.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

import charset_normalizer

from .dates import EARLIEST_PLAUSIBLE_DATE, is_plausible_publication, latest_plausible_publication
from .errors import InputError, ManifestProblems
from .records import Document, Sentence
from .settings import MANIFEST_FILE
from .tables import Problem, read_table

MANIFEST_COLUMNS = ("file", "title", "publisher", "url", "published", "precision", "date_basis")
FRONT_MATTER_KEYS = ("title", "publisher", "url", "published")
DOCUMENT_SUFFIXES = (".txt", ".md")

#: A news article is 5-100 kB of text. A file over 5 MB is a dump, a mis-saved binary or an attack:
#: its sentences would take minutes to scan and could fill the map with noise, so it is skipped.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
#: Text has practically no control characters; binary data read as text has many. Above this share
#: of characters the file is taken for binary.
BINARY_CONTROL_SHARE = 0.1
#: A front-matter block is a handful of lines. A '---' with no closing line this close is a
#: horizontal rule, and the text after it is the article.
MAX_FRONT_MATTER_LINES = 100
#: A document with no stated date is dated from the full dates in its first this many characters
#: (a long article's first pages): parsing every date of a 5 MB file would take minutes.
INFERRED_DATE_SCAN_CHARS = 50_000
#: Titles and URLs are well under this; a longer value is scraped body text or junk.
MAX_FRONT_MATTER_VALUE_CHARS = 1000

_PUBLISHED_FORMATS = (
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "month"),
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"), "day"),
)
_FRONT_MATTER_KEY = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# C0 and C1 control characters other than tab, line ends, vertical tab and form feed.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# In a name, where a line end or a tab would break a one-line message or a CSV row, all of them.
_CONTROL_CHARACTERS_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Wide encodings announce themselves; UTF-32's marks come first, as UTF-16 LE's is a prefix of one.
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
              (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


# --- issues ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentIssue:
    """Something wrong with one file of the seeds folder (or a row of its manifest)."""

    path: str  # the file as the user would name it (seeds/a.txt), always valid text
    message: str  # what is wrong and what was done about it
    skipped: bool  # True: the file was left out; False: a warning, the file was used
    line: int | None = None  # the line of the file the issue is about, when there is one

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {'skipped' if self.skipped else 'warning'}: {self.message}"


@dataclass
class DocumentScan:
    """What ``scan_documents`` found: the documents it read and the issues, in file-name order."""

    documents: list[Document] = field(default_factory=list)
    issues: list[DocumentIssue] = field(default_factory=list)

    @property
    def skipped(self) -> list[DocumentIssue]:
        return [i for i in self.issues if i.skipped]

    @property
    def warnings(self) -> list[DocumentIssue]:
        return [i for i in self.issues if not i.skipped]

    def raise_for_issues(self) -> None:
        """Raise an ``InputError`` naming the first issue, if there is any (a strict build)."""
        if not self.issues:
            return
        first = self.issues[0]
        more = f"; {len(self.issues) - 1} more issue(s) in the documents" if len(self.issues) > 1 else ""
        # what a plain build would do ("...; ignored") is not what happens here: the build stops
        message = first.message.removesuffix("; ignored").removesuffix("; the row is ignored")
        raise InputError(f"{message} (a strict build stops at a document's warning{more})", path=first.path,
                         line=first.line)


class _Skip(Exception):
    """Leave the file being read out, for this reason."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class _Warnings(list):
    """The (line, message) warnings about the file being read."""

    def add(self, message: str, line: int | None = None) -> None:
        self.append((line, message))


# --- the folder --------------------------------------------------------------------------------

def scan_documents(seeds_dir: Path, split: bool = True) -> DocumentScan:
    """Every document of a folder that can be read, in file-name order, and an issue for each file
    that could not be, or only with a fallback (then for manifest rows naming no file). Raises
    ``InputError`` only for the folder itself and for ``manifest.csv``. ``split=False`` leaves the
    sentences to be split where the document is read for places (``with_sentences``): a build
    splits in its worker processes, and not at all a document whose stored result it uses."""
    if not seeds_dir.is_dir():
        raise InputError("is not a folder of documents", path=str(seeds_dir))
    manifest = _read_manifest_rows(seeds_dir)
    rows = {name: row for name, (_, row) in manifest.items()}
    entries = _list_entries(seeds_dir)
    scan = DocumentScan()
    for entry, located in _locate_all(entries, os.path.realpath(seeds_dir)):
        warnings = _Warnings()
        if entry.name_warning:
            warnings.add(entry.name_warning)
        try:
            document = _read_entry(entry, located, rows.get(entry.doc), warnings, split)
        except _Skip as skip:
            scan.issues.extend(_issues(entry, warnings))
            scan.issues.append(DocumentIssue(entry.shown, skip.message, True, skip.line))
        else:
            scan.issues.extend(_issues(entry, warnings))
            scan.documents.append(document)
    scan.issues.extend(_unknown_manifest_rows(seeds_dir, manifest, {e.doc for e in entries}))
    scan.issues.extend(_subfolders_with_documents(seeds_dir, {os.path.realpath(e.path) for e in entries}))
    return scan


def _subfolders_with_documents(seeds_dir: Path, read: set[str]) -> list[DocumentIssue]:
    """A warning for each folder inside the seeds folder that holds documents: only the seeds
    folder's own files are read, and documents left in a folder would be missing without a word
    (those the folder's symlinks lead to, ``read``, are read)."""
    issues = []
    try:
        folders = sorted(e.name for e in os.scandir(seeds_dir) if not e.name.startswith(".")
                         and e.is_dir(follow_symlinks=False))
    except OSError:
        return []
    for name in folders:
        try:
            count = sum(1 for n in os.listdir(seeds_dir / name)
                        if not n.startswith(".") and os.path.splitext(n)[1].lower() in DOCUMENT_SUFFIXES
                        and os.path.realpath(seeds_dir / name / n) not in read)
        except OSError:
            continue
        if count:
            issues.append(DocumentIssue(_readable(str(seeds_dir / name)), f"a folder holding {count} document(s); "
                                        "documents in folders inside the seeds folder are not read", False))
    return issues


def read_documents(seeds_dir: Path) -> list[Document]:
    """Every document in a folder, in file-name order; strict: any issue ``scan_documents`` reports
    (a file skipped, or used with a fallback) is an ``InputError`` naming the first."""
    scan = scan_documents(seeds_dir)
    scan.raise_for_issues()
    return scan.documents


@dataclass(frozen=True)
class _Entry:
    path: Path  # in the seeds folder (a symlink stays one)
    doc: str  # the name documents go by: valid text, unique in the folder
    shown: str  # the path issues name
    name_warning: str = ""  # why the name shown is not the file's own


def _list_entries(seeds_dir: Path) -> list[_Entry]:
    """The folder's document files (by suffix; hidden files left out), in file-name order."""
    try:
        names = sorted(n for n in os.listdir(seeds_dir)
                       if not n.startswith(".") and os.path.splitext(n)[1].lower() in DOCUMENT_SUFFIXES)
    except OSError as error:
        raise InputError(f"cannot be listed ({error.strerror})", path=_readable(str(seeds_dir))) from None
    shown_dir = _readable(str(seeds_dir))
    entries = []
    for name, (doc, warning) in _unique_readable_names(names).items():
        entries.append(_Entry(seeds_dir / name, doc, os.path.join(shown_dir, doc), warning))
    return entries


def _readable(name: str) -> str:
    """A name as valid text: bytes that are not UTF-8, and control characters, become U+FFFD."""
    text = os.fsencode(name).decode("utf-8", errors="replace")
    return _CONTROL_CHARACTERS_IN_NAMES.sub("\ufffd", text)


def _unique_readable_names(names: list[str]) -> dict[str, tuple[str, str]]:
    """Each name's readable form and, when it had to change, the warning saying so. Names that are
    valid text keep them; a changed one that collides gets a suffix from a hash of its bytes."""
    readable = {name: _readable(name) for name in names}
    taken = set(name for name in names if readable[name] == name)
    counts: dict[str, int] = {}
    for shown in readable.values():
        counts[shown] = counts.get(shown, 0) + 1
    result = {}
    for name in names:
        shown = readable[name]
        if shown == name:
            result[name] = (name, "")
            continue
        warning = f"file name {os.fsencode(name)!r} {_name_problem(name)}; shown as {shown}"
        if counts[shown] > 1 or shown in taken:
            shown = _disambiguated(shown, name, taken)
            warning += f", then as {shown} to tell it from another file of that name"
        taken.add(shown)
        result[name] = (shown, warning)
    return result


def _name_problem(name: str) -> str:
    try:
        os.fsencode(name).decode("utf-8")
    except UnicodeDecodeError:
        return "is not valid UTF-8 text"
    return "holds control characters"


def _disambiguated(shown: str, name: str, taken: set[str]) -> str:
    stem, suffix = os.path.splitext(shown)
    tag = hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    candidate, number = f"{stem}~{tag}{suffix}", 1
    while candidate in taken:  # only if names were made to collide on purpose
        number += 1
        candidate = f"{stem}~{tag}-{number}{suffix}"
    return candidate


def _issues(entry: _Entry, warnings: _Warnings) -> list[DocumentIssue]:
    return [DocumentIssue(entry.shown, message, False, line) for line, message in warnings]


# --- finding the file behind a name ------------------------------------------------------------

def _locate_all(entries: list[_Entry], root: str) -> list[tuple[_Entry, str | _Skip]]:
    """Each entry with the path of the regular file it stands for, or why it is left out: it stands
    for nothing readable, or for a file another entry stands for (one file is read once: under its
    own name rather than a symlink's, else under the first name)."""
    found: list[tuple[_Entry, str | _Skip, object, bool]] = []
    for entry in entries:
        try:
            target, status, is_link = _locate(entry, root)
        except _Skip as skip:
            found.append((entry, skip, None, False))
            continue
        found.append((entry, target, _identity(entry, status), is_link))
    keepers: dict[object, _Entry] = {}
    for entry, _, identity, is_link in sorted(found, key=lambda f: (f[3], f[0].path.name)):
        if identity is not None:
            keepers.setdefault(identity, entry)
    located = []
    for entry, target, identity, is_link in found:
        keeper = keepers.get(identity, entry)
        if keeper is not entry:
            how = "a symlink to" if is_link else "a hard link to"
            target = _Skip(f"{how} {keeper.doc}, which is read under that name; left out as a duplicate")
        located.append((entry, target))
    return located


def _identity(entry: _Entry, status: os.stat_result) -> object:
    """What tells one file from another: its device and inode (shared by a symlink and its target,
    and by hard links), unless the file system gives no inodes."""
    return (status.st_dev, status.st_ino) if status.st_ino else entry.path


def _locate(entry: _Entry, root: str) -> tuple[str, os.stat_result, bool]:
    """The regular file an entry stands for, its status, and whether the entry is a symlink."""
    try:
        status = os.lstat(entry.path)
    except OSError as error:
        raise _Skip(f"cannot be read ({error.strerror})") from None
    if not stat.S_ISLNK(status.st_mode):
        _require_regular(status)
        return str(entry.path), status, False
    target = os.path.realpath(entry.path)
    if not _is_inside(target, root):
        raise _Skip(f"a symlink to {_readable(target)}, outside the seeds folder; not followed")
    try:
        status = os.stat(target)
    except OSError:
        raise _Skip(f"a broken symlink (to {_readable(target)})") from None
    _require_regular(status)
    return target, status, True


def _is_inside(target: str, root: str) -> bool:
    try:
        return os.path.commonpath([root, target]) == root
    except ValueError:  # on another drive
        return False


def _require_regular(status: os.stat_result) -> None:
    """Only regular files are read: opening a fifo would wait for a writer, a device forever."""
    if not stat.S_ISREG(status.st_mode):
        raise _Skip(f"not a regular file ({_file_kind(status.st_mode)})")


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a fifo"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symlink"))
    return next((name for test, name in kinds if test(mode)), "not a file")


def _read_bytes(target: str) -> bytes:
    """The file's bytes, at most ``MAX_DOCUMENT_BYTES``. Opened without blocking and without following
    a symlink, then checked again: the file may have been swapped since it was looked at."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(target, flags)
    except OSError as error:
        raise _Skip(f"cannot be read ({error.strerror})") from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        _require_regular(status)
        _require_size(status.st_size)
        try:
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as error:
            raise _Skip(f"cannot be read ({error.strerror})") from None
    _require_size(len(raw))
    return raw


def _require_size(size: int) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise _Skip(f"too large ({size / 1024 / 1024:.1f} MB; the limit for one article is "
                    f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB)")


# --- one document ------------------------------------------------------------------------------

def _read_entry(entry: _Entry, located: str | _Skip, manifest_row: dict[str, str] | None,
                warnings: _Warnings, split: bool = True) -> Document:
    if isinstance(located, _Skip):
        raise located
    text = _decode_document(_read_bytes(located), warnings)
    return _document(entry.doc, text, manifest_row, warnings, split)


def _decode_document(raw: bytes, warnings: _Warnings) -> str:
    """A document's bytes as text with ``\\n`` line ends. Raises ``_Skip`` for bytes that are not
    text (empty, binary, undecodable); adds a warning when they are not UTF-8."""
    if not raw.strip():
        raise _Skip("empty file")
    text = _decode_bytes(raw, warnings)
    _require_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _Skip("empty file (whitespace only)")
    return text


def _decode_bytes(raw: bytes, warnings: _Warnings) -> str:
    for bom, codec in _WIDE_BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                raise _Skip(f"starts with a {codec.upper()} byte-order mark but is not {codec.upper()}") from None
            warnings.add(f"encoded as {codec.upper()} (it starts with that byte-order mark), not UTF-8; "
                         f"read as {codec.upper()}")
            return text
    if b"\x00" in raw:
        raise _Skip("binary file (NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        where = f"byte 0x{raw[error.start]:02x} at offset {error.start}"
        line = raw[: error.start].count(b"\n") + 1
    damaged = _damaged_utf8(raw)
    if damaged is not None:
        text, bad = damaged
        warnings.add(f"not valid UTF-8 ({where}); read as UTF-8, which the rest of it is, with {bad} bad byte "
                     "sequence(s) shown as \ufffd", line)
        return text
    detected = _detect_encoding(raw)
    if detected is None:
        raise _Skip(f"not valid UTF-8 ({where}), and no text encoding fits", line)
    encoding, text = detected
    warnings.add(f"not valid UTF-8 ({where}); read as {encoding}, the encoding detected; "
                 "save the file as UTF-8 to be sure", line)
    return text


def _damaged_utf8(raw: bytes) -> tuple[str, int] | None:
    """The text, and how many bad sequences were replaced, if the bytes are UTF-8 with a few stray
    bytes (scraped pages often mix in a quote from another encoding); None if they look like a
    legacy encoding. Valid multi-byte characters must be at least as many as the bad sequences: a
    legacy text spells one only by chance, and a detector reading the whole file in a legacy code
    page would garble every one of them ("café" would become "cafÃ©")."""
    text = raw.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for character in text if character > "\x7f") - bad
    return (text, bad) if multibyte >= bad else None


def _detect_encoding(raw: bytes) -> tuple[str, str] | None:
    """The encoding charset-normalizer finds most likely, and the text in it; None if none fits.
    Where windows-1252 reads the bytes as cleanly as its pick, windows-1252 is taken: it is what
    the web means by Latin-1, the usual encoding of a page that is not UTF-8, and short Latin texts
    fit many code pages equally well (the detector read "bad \\xe9 byte" as Urdu)."""
    try:
        matches = charset_normalizer.from_bytes(raw)
        best = matches.best()
        if best is None:
            return None
        if any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos for m in matches):
            return "cp1252", raw.decode("cp1252")
        return best.encoding, str(best)
    except (LookupError, ValueError, UnicodeError):  # a codec the detector named but cannot run
        return None


def _require_text(text: str) -> None:
    if "\x00" in text:
        raise _Skip("binary file (NUL characters)")
    controls = _CONTROL_CHARACTERS.subn("", text)[1]
    if controls > BINARY_CONTROL_SHARE * len(text):
        raise _Skip(f"binary file ({controls / len(text):.0%} control characters)")


def _document(doc: str, text: str, manifest_row: dict[str, str] | None, warnings: _Warnings,
              split: bool = True) -> Document:
    front = parse_front_matter(text)
    for line, message in front.problems:
        warnings.add(message, line)
    body = front.body
    if not body.strip():
        raise _Skip("no text after the front matter")
    fields = dict(front.fields)
    if not _front_matter_published_ok(front, warnings):
        del fields["published"]
    meta = {k: v for k, v in (manifest_row or {}).items() if v}
    meta.update({k: v for k, v in fields.items() if v})
    published = meta.get("published", "")
    precision = published_precision(published) if published else ""
    if fields.get("published"):
        basis = "front matter"
    elif published:
        basis = "inferred" if (manifest_row or {}).get("date_basis", "").startswith("inferred") else "manifest"
    else:
        published, precision, basis = _date_from_text(body)
    title = meta.get("title") or _first_line(body)
    extra = tuple(sorted((k, v) for k, v in fields.items() if k not in FRONT_MATTER_KEYS))
    return Document(
        name=doc, text=body, title=title, publisher=meta.get("publisher", ""),
        url=meta.get("url", ""), published=published, published_precision=precision or "",
        published_basis=basis, sentences=split_sentences(body) if split else (), extra=extra,
    )


def with_sentences(document: Document) -> Document:
    """The document with its sentences: split now if it was read without them."""
    if document.sentences or not document.text:
        return document
    return replace(document, sentences=split_sentences(document.text))


def _front_matter_published_ok(front: FrontMatter, warnings: _Warnings) -> bool:
    """Whether the front matter's ``published`` can be used (True when there is none)."""
    value = front.fields.get("published", "")
    if not value:
        return True
    line = front.lines.get("published")
    if published_precision(value) is None:
        warnings.add(f"published {_quoted(value)} in front matter is not a date "
                     "(expected YYYY, YYYY-MM or YYYY-MM-DD); ignored", line)
        return False
    if not is_plausible_publication(value):
        warnings.add(f"published {_quoted(value)} in front matter is not a plausible publication date "
                     f"({_plausible_range()}); ignored", line)
        return False
    return True


def _plausible_range() -> str:
    return f"expected {EARLIEST_PLAUSIBLE_DATE.year} to {latest_plausible_publication().isoformat()}"


def _quoted(value: str, limit: int = 60) -> str:
    """A value from a file, for a one-line message: quoted, escaped, and cut short."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


# --- front matter ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FrontMatter:
    """A leading ``---`` / ``key: value`` / ``---`` block, read leniently."""

    fields: dict[str, str]  # keys lower-cased; a later line wins over an earlier one
    body: str  # the text after the block (the whole text if there is no block)
    lines: dict[str, int]  # the line each field was read from
    #: (line, message) for each line ignored, or for the block when it was read as body text
    problems: tuple[tuple[int, str], ...] = ()


def parse_front_matter(text: str) -> FrontMatter:
    """Split a leading front-matter block off the text. Never raises: a line that is not
    ``key: value`` (or has an odd key, or a very long value) is ignored with a problem noted; a
    block with no closing ``---`` (within ``MAX_FRONT_MATTER_LINES``) or with no ``key: value``
    line at all is not front matter, and the whole text is the body."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return FrontMatter({}, text, {})
    closing = next((i for i in range(1, min(len(lines), MAX_FRONT_MATTER_LINES + 2)) if lines[i].strip() == "---"),
                   None)
    if closing is None:
        # "---", "title: ...", "published: ...", then the story: the lines that name a document's
        # fields are its fields all the same (not a headline and a sentence of the story)
        fields, field_lines, known = {}, {}, 0  # known: how many lines after the '---' are fields
        for line_number, line in enumerate(lines[1:MAX_FRONT_MATTER_LINES + 1], start=2):
            key, value, problem = _front_matter_line(line)
            if problem or key not in FRONT_MATTER_KEYS:
                break
            fields[key], field_lines[key], known = value, line_number, line_number - 1
        if not known:
            return FrontMatter({}, text, {}, ((1, "front matter starts with '---' but has no closing '---' line "
                                                   f"within {MAX_FRONT_MATTER_LINES} lines; read as body text"),))
        return FrontMatter(fields, "\n".join(lines[known + 1:]), field_lines, (
            (1, "front matter starts with '---' but has no closing '---' line; "
                + ("line 2" if known == 1 else f"lines 2-{known + 1}")
                + f" ({', '.join(fields)}) were read as its fields, the rest as body text"),))
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    problems = []
    for line_number, line in enumerate(lines[1:closing], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, value, problem = _front_matter_line(line)
        if problem:
            problems.append((line_number, problem))
        else:
            fields[key] = value
            field_lines[key] = line_number
    if problems and not fields:
        return FrontMatter({}, text, {}, ((1, f"the '---' block of lines 1-{closing + 1} has no 'key: value' "
                                               "line, so it is not front matter; read as body text"),))
    return FrontMatter(fields, "\n".join(lines[closing + 1:]), field_lines, tuple(problems))


def _front_matter_line(line: str) -> tuple[str, str, str]:
    """(key, value, "") for a good ``key: value`` line, else ("", "", what is wrong with it)."""
    key, sep, value = line.partition(":")
    key = key.strip().lower()
    if not sep or not key:
        return "", "", "front matter line is not 'key: value'; ignored"
    if not _FRONT_MATTER_KEY.fullmatch(key):
        return "", "", f"front matter key {_quoted(key, 40)} is not a plain word (letters, digits, _ or -); ignored"
    if len(value) > MAX_FRONT_MATTER_VALUE_CHARS:
        return "", "", (f"front matter value of {key} is {len(value):,} characters long (the limit is "
                        f"{MAX_FRONT_MATTER_VALUE_CHARS:,}); ignored")
    return key, value.strip().strip('"').strip("'"), ""


# --- the manifest ------------------------------------------------------------------------------

def published_precision(value: str) -> str | None:
    """The precision a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` string carries, or None if it is not
    one (or names a day that does not exist, such as 2024-02-30)."""
    for pattern, precision in _PUBLISHED_FORMATS:
        if pattern.match(value):
            if precision == "day":
                try:
                    datetime.date.fromisoformat(value)
                except ValueError:
                    return None
            return precision
    return None


def read_manifest(seeds_dir: Path) -> dict[str, dict[str, str]]:
    """Rows of ``manifest.csv`` keyed by file name; an absent manifest is an empty one."""
    return {name: row for name, (_, row) in _read_manifest_rows(seeds_dir).items()}


def _read_manifest_rows(seeds_dir: Path) -> dict[str, tuple[int, dict[str, str]]]:
    """(line, row) of each row of ``manifest.csv``, keyed by file name. The manifest is the user's
    own file, so anything wrong in it stops the build, with every problem listed."""
    path = seeds_dir / MANIFEST_FILE
    if not os.path.lexists(path):
        return {}
    if not path.is_file():  # a fifo would hang the build
        raise InputError("is not a regular file", path=str(path))
    required = ("file", "published")
    # columns of the user's own (notes, tags...) are kept and ignored
    table = read_table(path, required, tuple(c for c in MANIFEST_COLUMNS if c not in required), other_columns=True)
    problems = [p for p in table.problems if p.is_error]
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for row in table.rows:
        name = row.values["file"]
        if not name:
            problems.append(Problem(str(path), row.line, "file", "empty file name", "the document's file name"))
        elif name in rows:
            problems.append(Problem(str(path), row.line, "file", f"{name} is listed twice",
                                    f"one row per file; first on line {rows[name][0]}"))
        else:
            problems.extend(_manifest_date_problems(row.values, str(path), row.line))
            rows[name] = (row.line, row.values)
    if problems:
        raise ManifestProblems(problems)
    return rows


def _manifest_date_problems(row: dict[str, str], path: str, line: int) -> list[Problem]:
    published = row.get("published", "")
    if not published:
        return []
    precision = published_precision(published)
    if precision is None:
        return [Problem(path, line, "published", f"'{published}' is not a date", "YYYY, YYYY-MM or YYYY-MM-DD")]
    if not is_plausible_publication(published):
        return [Problem(path, line, "published", f"'{published}' is not a plausible publication date",
                        _plausible_range())]
    stated = row.get("precision", "")
    if stated and stated != precision:
        return [Problem(path, line, "precision", f"precision '{stated}' does not match '{published}'",
                        precision)]
    return []


def _unknown_manifest_rows(seeds_dir: Path, manifest: dict[str, tuple[int, dict[str, str]]],
                           names: set[str]) -> list[DocumentIssue]:
    """A warning for each manifest row naming no document file: the row is ignored (a missing file
    is nothing to map, and the rest of the folder is still worth building)."""
    shown = _readable(str(seeds_dir / MANIFEST_FILE))
    return [DocumentIssue(shown, f"lists {_readable(name)}, which is not in {_readable(str(seeds_dir))}; "
                                 "the row is ignored", False, line)
            for name, (line, _) in manifest.items() if name not in names]


# --- dates from the text -----------------------------------------------------------------------

def _date_from_text(body: str) -> tuple[str, str, str]:
    """A publication date when no manifest or front matter gives one: a full date on a line of its
    own near the top (a dateline, "February 22, 2022" or "PHNOM PENH, Feb. 24, 2022"), else the
    latest full date the text mentions, marked as inferred. Only plausible dates (see dates.py)."""
    from .dates import find_dates

    head = body[:600]
    for line in head.split("\n"):
        stripped = line.strip()
        if not stripped or len(stripped) > 60:
            continue
        dates = [d for d in find_dates(stripped) if d.date.precision == "day"]
        rest = stripped.replace(dates[0].text, " ") if dates else ""
        if dates and not re.search(r"\b[a-z]{3,}\b", rest) and len(rest.strip(" ,.-—–|:")) <= 25:
            return dates[0].date.iso, "day", "dateline"
    years = [int(y) for y in re.findall(r"\b(?:19[5-9]\d|20[0-4]\d)\b", body) if is_plausible_publication(y)]
    city_dateline = re.search(r"^[A-Z][A-Z .'-]{2,40}(?:,|--|—|–)\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2})\b", head, re.M)
    if city_dateline and years:
        # "PHNOM PENH, Feb. 24" carries no year: take the latest year the text names, and say so
        dates = find_dates(city_dateline.group("date"), str(max(years)), "year")
        if dates:
            return dates[0].date.iso, "day", "inferred"
    # an article's own dates come early; parsing every date of a huge file would cost seconds each
    dated = [d.date for d in find_dates(body[:INFERRED_DATE_SCAN_CHARS])
             if re.search(r"\d{4}", d.text) and d.date.precision == "day"]
    if dated:
        latest = max(dated, key=lambda d: d.iso)
        return latest.iso, latest.precision, "inferred"
    return "", "", ""


#: A title taken from the text is its first line, cut to this many characters: the title is
#: repeated in every event row and popup, so a whole first paragraph would multiply the outputs.
MAX_TITLE_CHARS = 200


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            line = line.strip()
            return line if len(line) <= MAX_TITLE_CHARS else line[:MAX_TITLE_CHARS - 1].rstrip() + "…"
    return ""


# --- sentences ---------------------------------------------------------------------------------

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sgt", "rep", "sen", "gov", "st",
    "pol", "maj", "brig", "adm", "insp", "supt", "cpl", "pvt", "cmdr", "cdr", "hon", "lt.col", "lt.gen",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "approx", "est", "u.s", "u.k", "u.n",
    "e.g", "i.e", "a.m", "p.m",
}
# Starts only at the first of a run of stops, and never gives back what it took: linear on any line.
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences with character offsets. Paragraph breaks (blank lines) and single line breaks
    always end a sentence: news text puts headlines, bylines and datelines on lines of their own."""
    sentences: list[Sentence] = []
    for line_match in re.finditer(r"[^\n]+", text):
        line_start = line_match.start()
        line = line_match.group()
        cursor = 0
        for end_match in _SENTENCE_END.finditer(line):
            # the word before the stop: a short window is enough, and keeps long lines linear
            window = line[max(cursor, end_match.start() - 40):end_match.end()]
            word = re.search(r"([\w.]+)[.!?]*[\"'”’)\]]*$", window)
            if word and word.group(1).rstrip(".").lower() in _ABBREVIATIONS and end_match.group().startswith("."):
                continue
            if word and re.fullmatch(r"[A-Z]", word.group(1).rstrip(".")):  # an initial: "Gregory B. Poling"
                continue
            _append(sentences, text, line_start + cursor, line_start + end_match.end())
            cursor = end_match.end()
        _append(sentences, text, line_start + cursor, line_start + len(line))
    return tuple(sentences)


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))
