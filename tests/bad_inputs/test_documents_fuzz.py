"""Fuzzing the readers of untrusted documents: whatever the bytes, names or text, reading gives a
document or an issue, and the dates found are plausible and cite their own words. Never a crash."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.dates import find_dates, one_year_after, period_start
from geomap.documents import parse_front_matter, scan_documents

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- documents ---------------------------------------------------------------------------------

_LINES = st.sampled_from([
    "---", "--- ", "title: Raid in Poipet", "published: 2024-03-02", "published: 0024-03-02",
    "published: 2024-02-30", "published: 9999-01-01", "published: yesterday", "url: https://example.org/a",
    "Police sources", ": no key", "Reported by: police", "# a comment", "", "key:" + "x" * 1200,
    "Police raided a casino in Poipet on Feb. 24, 2022.", "POIPET, March 2 -- Officers detained 40 workers.",
    "February 22, 2022", "Last year the compound was raided again.", "\ufeff", "\x00", "\x07",
])
_TEXTS = st.one_of(
    st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=25).map("\n".join),
    st.text(max_size=400),
)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252", "shift_jis",
                              "cp1251", "big5"])


@st.composite
def _encoded_texts(draw) -> bytes:
    text = draw(_TEXTS)
    return text.encode(draw(_ENCODINGS), errors="replace").replace(b"\r\n", draw(st.sampled_from([b"\r\n", b"\n"])))


_DOCUMENT_BYTES = st.one_of(st.binary(max_size=1500), _encoded_texts())


@FUZZ
@given(text=_TEXTS)
def test_the_front_matter_reader_never_raises_and_keeps_the_body_a_suffix(text):
    front = parse_front_matter(text)
    assert text.endswith(front.body)
    line_count = text.count("\n") + 1
    assert all(1 <= line <= line_count and message for line, message in front.problems)
    assert set(front.lines) == set(front.fields)
    if front.body == text:
        assert front.fields == {}


@FUZZ
@given(raw=_DOCUMENT_BYTES)
def test_any_bytes_give_a_document_or_a_skipped_issue(raw):
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "a.txt").write_bytes(raw)
        scan = scan_documents(Path(folder))
    skipped = [i for i in scan.skipped]
    assert len(scan.documents) + len(skipped) == 1, [str(i) for i in scan.issues]
    for issue in scan.issues:
        assert issue.path == os.path.join(folder, "a.txt") and "\n" not in str(issue)
    for document in scan.documents:
        document.text.encode("utf-8")  # valid text: no lone surrogates
        document.title.encode("utf-8")
        assert document.text.strip() and "\x00" not in document.text and "\r" not in document.text
        for sentence in document.sentences:
            assert document.text[sentence.start:sentence.end] == sentence.text
        if document.published:
            assert "1900" <= document.published <= one_year_after(dt.date.today()).isoformat()


_NAME_BYTES = st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))


@FUZZ
@given(names=st.lists(_NAME_BYTES, min_size=1, max_size=4, unique=True))
def test_any_file_names_give_distinct_valid_document_names(names):
    with tempfile.TemporaryDirectory() as folder:
        written = set()
        for name in names:
            if name.startswith(b"."):
                continue
            try:
                with open(os.path.join(os.fsencode(folder), name + b".txt"), "wb") as handle:
                    handle.write(b"Police raided a casino in Poipet.\n")
            except OSError:  # a file system that takes only some names
                continue
            written.add(name)
        scan = scan_documents(Path(folder))
    docs = [d.name for d in scan.documents]
    assert len(docs) == len(set(docs)) == len(written)
    for doc in docs:
        doc.encode("utf-8")
        assert doc.endswith(".txt") and not any(ord(c) < 32 for c in doc)
    for issue in scan.issues:
        assert not issue.skipped and "\n" not in str(issue)
        issue.path.encode("utf-8")


# --- dates -------------------------------------------------------------------------------------

_DATE_WORDS = st.sampled_from([
    "on", "in", "since", "by", "until", "early", "late", "mid-", "last", "this", "previous", "past", "earlier",
    "later", "the end of", "the start of", "year", "month", "week", "yesterday", "today", "Today", "Monday",
    "Friday", "Feb.", "February", "March", "Sept.", "Dec", "May", "June", "1", "24th", "29", "30", "31",
    "1899", "1950", "1999", "2019", "2022", "2024", "2049", "2099", "0024", "9999", "2024-02-30", "2022-02-22",
    ",", ".", "(", ")", "$2015", "2,982", "\n", "—",
])
_DATE_TEXTS = st.one_of(
    st.lists(st.one_of(_DATE_WORDS, st.text(max_size=6)), max_size=30).map(" ".join),
    st.text(max_size=200),
)


@st.composite
def _publications(draw) -> tuple[str, str]:
    """A publication date and precision as documents carry them, or something odd."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.text(max_size=12)), draw(st.sampled_from(["", "day", "month", "year", "week"]))
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(st.sampled_from(["day", "month", "year", ""]))
    iso = {"day": f"{day.year:04d}-{day.month:02d}-{day.day:02d}", "month": f"{day.year:04d}-{day.month:02d}",
           "year": f"{day.year:04d}", "": ""}[precision]
    return iso, precision


def _latest_allowed(published: str, precision: str) -> dt.date:
    """A year after the last day of the publication's period; a year from today when the publication
    date is unknown, malformed or implausible."""
    fallback = one_year_after(dt.date.today())
    start = period_start(published)
    if start is None or not (dt.date(1900, 1, 1) <= start <= fallback) or published.count("-") != \
            {"year": 0, "month": 1, "day": 2}.get(precision, -1):
        return fallback
    if precision == "year":
        end = dt.date(start.year, 12, 31)
    elif precision == "month":
        end = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    else:
        end = start
    return one_year_after(end)


@FUZZ
@given(text=_DATE_TEXTS, publication=_publications())
def test_found_dates_are_plausible_and_cite_their_own_words(text, publication):
    published, precision = publication
    found = find_dates(text, published, precision)
    latest = _latest_allowed(published, precision)
    for mention in found:
        assert text[mention.start:mention.end] == mention.text
        start = period_start(mention.date.iso)
        assert start is not None and dt.date(1900, 1, 1) <= start <= latest, (mention, latest)
        assert mention.date.precision in ("day", "month", "year")
    assert [m.start for m in found] == sorted(m.start for m in found)
