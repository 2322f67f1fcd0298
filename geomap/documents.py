"""Reading documents: encodings, front matter, the manifest, and sentences with offsets.

Offsets everywhere in geomap count characters of ``Document.text``: the file decoded as UTF-8,
line ends normalised to ``\\n``, with any front-matter block removed.
"""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

from .errors import InputError
from .records import Document, Sentence

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "title", "publisher", "url", "published", "precision", "date_basis")
FRONT_MATTER_KEYS = ("title", "publisher", "url", "published")
DOCUMENT_SUFFIXES = (".txt", ".md")

_PUBLISHED_FORMATS = (
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "month"),
    (re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"), "day"),
)


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


def read_text(path: Path) -> str:
    """Decode a text file as UTF-8 (with or without BOM), with ``\\n`` line ends."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8", path=str(path), line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, path: str) -> tuple[dict[str, str], str]:
    """Split a leading ``---`` / ``key: value`` / ``---`` block off the text."""
    if not text.startswith("---\n"):
        return {}, text
    if not any(line.strip() == "---" for line in text[4:].split("\n")):
        raise InputError("front matter starts with '---' but has no closing '---' line", path=path, line=1)
    fields: dict[str, str] = {}
    offset = 4
    line_number = 1
    for line in text[4:].split("\n"):
        line_number += 1
        if line.strip() == "---":
            return fields, text[offset + len(line) + 1:]
        offset += len(line) + 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise InputError("front matter line is not 'key: value'", path=path, line=line_number)
        fields[key.strip().lower()] = value.strip().strip('"').strip("'")
    raise InputError("front matter starts with '---' but has no closing '---' line", path=path, line=1)


def read_manifest(seeds_dir: Path) -> dict[str, dict[str, str]]:
    """Rows of ``manifest.csv`` keyed by file name; an absent manifest is an empty one."""
    path = seeds_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    rows: dict[str, dict[str, str]] = {}
    reader = csv.DictReader(read_text(path).splitlines())
    missing = [c for c in ("file", "published") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)} (expected {', '.join(MANIFEST_COLUMNS)})",
                         path=str(path), line=1)
    for line_number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        name = row.get("file", "")
        if not name:
            raise InputError("empty file name", path=str(path), line=line_number, column="file")
        if name in rows:
            raise InputError(f"{name} is listed twice", path=str(path), line=line_number, column="file")
        published = row.get("published", "")
        if published:
            precision = published_precision(published)
            if precision is None:
                raise InputError(f"'{published}' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
                                 path=str(path), line=line_number, column="published")
            stated = row.get("precision", "")
            if stated and stated != precision:
                raise InputError(f"precision '{stated}' does not match '{published}' (expected {precision})",
                                 path=str(path), line=line_number, column="precision")
        rows[name] = row
    return rows


def read_document(path: Path, manifest_row: dict[str, str] | None = None) -> Document:
    text = read_text(path)
    front, body = split_front_matter(text, str(path))
    meta = {k: v for k, v in (manifest_row or {}).items() if v}
    meta.update({k: v for k, v in front.items() if v})
    published = meta.get("published", "")
    precision = published_precision(published) if published else ""
    if precision is None:
        where = "front matter" if "published" in front else MANIFEST_NAME
        raise InputError(f"published '{published}' in {where} is not a date "
                         "(expected YYYY, YYYY-MM or YYYY-MM-DD)", path=str(path), column="published")
    if front.get("published"):
        basis = "front matter"
    elif published:
        basis = "inferred" if (manifest_row or {}).get("date_basis", "").startswith("inferred") else "manifest"
    else:
        published, precision, basis = _date_from_text(body)
    title = meta.get("title") or _first_line(body)
    extra = tuple(sorted((k, v) for k, v in front.items() if k not in FRONT_MATTER_KEYS))
    return Document(
        doc=path.name, text=body, title=title, publisher=meta.get("publisher", ""),
        url=meta.get("url", ""), published=published, published_precision=precision or "",
        published_basis=basis, sentences=split_sentences(body), extra=extra,
    )


def read_documents(seeds_dir: Path) -> list[Document]:
    """Every document in a folder, in file-name order."""
    if not seeds_dir.is_dir():
        raise InputError("is not a folder of documents", path=str(seeds_dir))
    manifest = read_manifest(seeds_dir)
    paths = sorted(p for p in seeds_dir.iterdir()
                   if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and not p.name.startswith("."))
    unknown = sorted(set(manifest) - {p.name for p in paths})
    if unknown:
        raise InputError(f"lists {', '.join(unknown)}, which is not in {seeds_dir}",
                         path=str(seeds_dir / MANIFEST_NAME))
    return [read_document(p, manifest.get(p.name)) for p in paths]


def _date_from_text(body: str) -> tuple[str, str, str]:
    """A publication date when no manifest or front matter gives one: a full date on a line of its
    own near the top (a dateline, "February 22, 2022" or "PHNOM PENH, Feb. 24, 2022"), else the
    latest full date the text mentions, marked as inferred."""
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
    years = [int(y) for y in re.findall(r"\b(?:19[5-9]\d|20[0-4]\d)\b", body)]
    city_dateline = re.search(r"^[A-Z][A-Z .'-]{2,40}(?:,|--|—|–)\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2})\b", head, re.M)
    if city_dateline and years:
        # "PHNOM PENH, Feb. 24" carries no year: take the latest year the text names, and say so
        dates = find_dates(city_dateline.group("date"), str(max(years)), "year")
        if dates:
            return dates[0].date.iso, "day", "inferred"
    dated = [d.date for d in find_dates(body) if re.search(r"\d{4}", d.text) and d.date.precision == "day"]
    if dated:
        latest = max(dated, key=lambda d: d.iso)
        return latest.iso, latest.precision, "inferred"
    return "", "", ""


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()
    return ""


# --- sentences ---------------------------------------------------------------------------------

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "sgt", "rep", "sen", "gov", "st",
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
