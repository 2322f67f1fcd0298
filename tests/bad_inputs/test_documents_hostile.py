"""Hostile documents: scraped or strangers' files that once stopped a build. Each must now be read
(with a warning when a fallback was needed) or left out with an issue naming it and why."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import threading
from pathlib import Path

import pytest

from geomap import documents as documents_module
from geomap.dates import find_dates
from geomap.documents import (DocumentIssue, DocumentScan, parse_front_matter, read_documents,
                              scan_documents)
from geomap.errors import InputError

RAID = "Police raided a casino in Poipet on Tuesday and detained 40 foreign workers.\n"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file system features")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def only_issue(scan: DocumentScan) -> DocumentIssue:
    assert len(scan.issues) == 1, [str(i) for i in scan.issues]
    return scan.issues[0]


def skipped(scan: DocumentScan, name: str) -> DocumentIssue:
    """The one issue of a scan, which must leave out ``name`` and nothing else be read."""
    issue = only_issue(scan)
    assert issue.skipped and issue.path.endswith(name)
    assert scan.documents == []
    return issue


def in_years(years: int) -> str:
    today = dt.date.today()
    return today.replace(year=today.year + years, day=min(today.day, 28)).isoformat()


# --- 1. the API --------------------------------------------------------------------------------

def test_scan_returns_documents_and_issues_and_an_issue_reads_as_one_line(tmp_path):
    write(tmp_path, "a.txt", b"\x00\x01binary")
    write(tmp_path, "b.txt", RAID)
    scan = scan_documents(tmp_path)
    assert [d.name for d in scan.documents] == ["b.txt"]
    assert scan.issues == [DocumentIssue(str(tmp_path / "a.txt"), "binary file (NUL bytes)", True)]
    assert str(scan.issues[0]) == f"{tmp_path / 'a.txt'}: skipped: binary file (NUL bytes)"
    assert scan.skipped == scan.issues and scan.warnings == []


def test_a_warning_with_a_line_reads_path_line_warning():
    issue = DocumentIssue("seeds/a.txt", "front matter line is not 'key: value'; ignored", False, 3)
    assert str(issue) == "seeds/a.txt:3: warning: front matter line is not 'key: value'; ignored"


def test_read_documents_is_strict_and_names_the_first_issue(tmp_path):
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "b.txt", b"\x00")
    with pytest.raises(InputError) as error:
        read_documents(tmp_path)
    assert str(error.value) == (f"{tmp_path / 'a.txt'}: empty file (a strict build stops at a document's warning; "
                                "1 more issue(s) in the documents)")


def test_read_documents_returns_the_documents_when_all_is_well(tmp_path):
    write(tmp_path, "a.txt", RAID)
    assert [d.name for d in read_documents(tmp_path)] == ["a.txt"]


def test_a_missing_seeds_folder_is_still_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is not a folder of documents"):
        scan_documents(tmp_path / "nowhere")
    write(tmp_path, "file.txt", RAID)
    with pytest.raises(InputError, match="is not a folder of documents"):
        scan_documents(tmp_path / "file.txt")


def test_a_broken_manifest_is_still_an_input_error(tmp_path):
    write(tmp_path, "a.txt", RAID)
    write(tmp_path, "manifest.csv", "name,date\na.txt,2024\n")
    with pytest.raises(InputError, match="manifest.csv:1: column file: missing column"):
        scan_documents(tmp_path)
    write(tmp_path, "manifest.csv", "file,published\na.txt,yesterday\n")
    with pytest.raises(InputError, match="manifest.csv:2: column published: 'yesterday' is not a date"):
        scan_documents(tmp_path)


def test_a_manifest_row_naming_a_missing_file_is_a_warning_and_ignored(tmp_path):
    write(tmp_path, "a.txt", RAID)
    write(tmp_path, "manifest.csv", "file,published\na.txt,2024-03-02\ngone.txt,2024\n")
    scan = scan_documents(tmp_path)
    assert [(d.name, d.published) for d in scan.documents] == [("a.txt", "2024-03-02")]
    assert only_issue(scan) == DocumentIssue(
        str(tmp_path / "manifest.csv"), f"lists gone.txt, which is not in {tmp_path}; the row is ignored", False, 3)


def test_a_manifest_row_for_a_skipped_file_is_not_reported_twice(tmp_path):
    write(tmp_path, "a.txt", b"\x00")
    write(tmp_path, "manifest.csv", "file,published\na.txt,2024\n")
    assert skipped(scan_documents(tmp_path), "a.txt").message == "binary file (NUL bytes)"


def test_a_fifo_as_manifest_is_an_input_error_not_a_hang(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no fifos here")
    os.mkfifo(tmp_path / "manifest.csv")
    with pytest.raises(InputError, match="manifest.csv: is not a regular file"):
        run_with_timeout(lambda: scan_documents(tmp_path))


# --- 2. encodings, binary, empty and oversized files -------------------------------------------

def test_utf8_with_and_without_bom_gives_no_issue(tmp_path):
    write(tmp_path, "a.txt", "Café owner arrested in Poipet.\r\n")
    write(tmp_path, "b.txt", "\ufeffCafé owner arrested in Poipet.\n")
    scan = scan_documents(tmp_path)
    assert scan.issues == []
    assert [d.text for d in scan.documents] == ["Café owner arrested in Poipet.\n"] * 2


@pytest.mark.parametrize("text,encoding,detected", [
    ("Police in Poipet raided a casino on Tuesday. The café owner, José Núñez, said officers detained "
     "40 workers near the frontière.\n", "latin-1", "cp1252"),
    ("“We found 40 workers,” the police chief said — the raid in Poipet cost €2,000 in damage.\n"
     "Officers said the café owner was not detained.\n", "cp1252", "cp1252"),
    ("ポイペトの警察は火曜日、カジノを捜索し、外国人労働者四十人を保護した。\n"
     "当局によると、詐欺拠点はタイとの国境近くにあった。\n", "shift_jis", "cp932"),
])
def test_a_file_in_another_encoding_is_detected_decoded_and_warned_about(tmp_path, text, encoding, detected):
    raw = text.encode(encoding)
    write(tmp_path, "a.txt", raw)
    scan = scan_documents(tmp_path)
    doc, = scan.documents
    assert doc.text == text
    first_bad = next(i for i, b in enumerate(raw) if b >= 0x80)
    assert only_issue(scan) == DocumentIssue(
        str(tmp_path / "a.txt"), f"not valid UTF-8 (byte 0x{raw[first_bad]:02x} at offset {first_bad}); read as "
        f"{detected}, the encoding detected; save the file as UTF-8 to be sure", False,
        raw[:first_bad].count(b"\n") + 1)


def test_a_short_latin1_text_is_read_as_windows_1252_not_some_other_code_page(tmp_path):
    write(tmp_path, "a.txt", b"Raid in Poipet\nThe caf\xe9 was closed.\n")
    scan = scan_documents(tmp_path)
    assert scan.documents[0].text == "Raid in Poipet\nThe café was closed.\n"
    assert str(only_issue(scan)) == (f"{tmp_path / 'a.txt'}:2: warning: not valid UTF-8 (byte 0xe9 at offset 22); "
                                     "read as cp1252, the encoding detected; save the file as UTF-8 to be sure")


def test_utf8_with_a_few_stray_bytes_stays_utf8_with_replacement_characters(tmp_path):
    raw = "José Núñez ran the café in Poipet. ".encode("utf-8") + b"Police called it a \x93scam hub\x94.\n"
    write(tmp_path, "a.txt", raw)
    scan = scan_documents(tmp_path)
    assert scan.documents[0].text == "José Núñez ran the café in Poipet. Police called it a \ufffdscam hub\ufffd.\n"
    assert only_issue(scan).message == (f"not valid UTF-8 (byte 0x93 at offset {raw.index(0x93)}); read as UTF-8, "
                                        "which the rest of it is, with 2 bad byte sequence(s) shown as \ufffd")


def test_utf16_with_a_byte_order_mark_is_read_with_a_warning(tmp_path):
    write(tmp_path, "a.txt", RAID.encode("utf-16"))
    scan = scan_documents(tmp_path)
    assert scan.documents[0].text == RAID
    assert only_issue(scan).message == "encoded as UTF-16 (it starts with that byte-order mark), not UTF-8; read as UTF-16"


def test_an_undecodable_file_is_skipped(tmp_path):
    write(tmp_path, "a.txt", b"Police raided a casino.\n" + bytes(range(0x80, 0x100)) * 3)
    issue = skipped(scan_documents(tmp_path), "a.txt")
    assert issue.message == "not valid UTF-8 (byte 0x80 at offset 24), and no text encoding fits"
    assert issue.line == 2


def test_a_binary_file_with_nul_bytes_is_skipped(tmp_path):
    write(tmp_path, "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + RAID.encode())
    assert skipped(scan_documents(tmp_path), "a.txt").message == "binary file (NUL bytes)"


def test_a_file_of_mostly_control_characters_is_skipped(tmp_path):
    # 26 of the 31 bytes are control characters (not tab, line ends, vertical tab, form feed): 520 of 643
    write(tmp_path, "a.txt", bytes(range(1, 32)) * 20 + b"Police raided a casino.")
    assert skipped(scan_documents(tmp_path), "a.txt").message == "binary file (81% control characters)"


def test_a_few_control_characters_in_a_text_are_kept(tmp_path):
    write(tmp_path, "a.txt", "Police raided\x07 a casino in Poipet.\n")
    scan = scan_documents(tmp_path)
    assert scan.issues == [] and scan.documents[0].text == "Police raided\x07 a casino in Poipet.\n"


@pytest.mark.parametrize("content,message", [
    (b"", "empty file"),
    (b" \r\n\t\n", "empty file"),
    ("\ufeff\u3000\u00a0\n".encode("utf-8"), "empty file (whitespace only)"),
    (b"---\ntitle: Raid in Poipet\n---\n\n", "no text after the front matter"),
])
def test_empty_and_whitespace_only_files_are_skipped(tmp_path, content, message):
    write(tmp_path, "a.txt", content)
    assert skipped(scan_documents(tmp_path), "a.txt").message == message


def test_an_oversized_file_is_skipped_without_being_read(tmp_path):
    write(tmp_path, "big.txt", RAID.encode() * (documents_module.MAX_DOCUMENT_BYTES // len(RAID) + 1))
    write(tmp_path, "a.txt", RAID)
    scan = scan_documents(tmp_path)
    assert [d.name for d in scan.documents] == ["a.txt"]
    issue = only_issue(scan)
    assert issue.skipped and issue.path == str(tmp_path / "big.txt")
    assert issue.message == "too large (5.0 MB; the limit for one article is 5 MB)"


def test_a_file_just_at_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(documents_module, "MAX_DOCUMENT_BYTES", len(RAID))
    write(tmp_path, "a.txt", RAID)
    write(tmp_path, "b.txt", RAID + "x")
    scan = scan_documents(tmp_path)
    assert [d.name for d in scan.documents] == ["a.txt"]
    assert only_issue(scan).path == str(tmp_path / "b.txt")


# --- 3. symlinks and files that are not regular ------------------------------------------------

@POSIX_ONLY
def test_a_symlink_out_of_the_seeds_folder_is_not_followed(tmp_path):
    seeds, secret = tmp_path / "seeds", tmp_path / "secret.txt"
    seeds.mkdir()
    write(tmp_path, "secret.txt", "api key: hunter2\n")
    (seeds / "a.txt").symlink_to(secret)
    issue = skipped(scan_documents(seeds), "a.txt")
    assert str(issue) == f"{seeds / 'a.txt'}: skipped: a symlink to {secret}, outside the seeds folder; not followed"


@POSIX_ONLY
def test_a_symlink_through_dot_dot_is_judged_by_where_it_lands(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").symlink_to("../../../../../../../etc/hostname")
    assert "outside the seeds folder; not followed" in skipped(scan_documents(seeds), "a.txt").message


@POSIX_ONLY
def test_a_symlink_to_a_document_of_the_folder_is_left_out_as_a_duplicate(tmp_path):
    write(tmp_path, "b.txt", RAID)
    (tmp_path / "a.txt").symlink_to("b.txt")
    scan = scan_documents(tmp_path)
    assert [d.name for d in scan.documents] == ["b.txt"]
    assert only_issue(scan) == DocumentIssue(
        str(tmp_path / "a.txt"), "a symlink to b.txt, which is read under that name; left out as a duplicate", True)


@POSIX_ONLY
def test_a_symlink_to_a_file_inside_the_folder_that_is_no_document_is_read_under_its_name(tmp_path):
    (tmp_path / "raw").mkdir()
    write(tmp_path / "raw", "article.html.txt", RAID)
    (tmp_path / "a.txt").symlink_to(tmp_path / "raw" / "article.html.txt")
    scan = scan_documents(tmp_path)
    assert scan.issues == []
    assert [(d.name, d.text) for d in scan.documents] == [("a.txt", RAID)]


@POSIX_ONLY
def test_a_hard_link_is_read_once(tmp_path):
    write(tmp_path, "a.txt", RAID)
    os.link(tmp_path / "a.txt", tmp_path / "b.txt")
    scan = scan_documents(tmp_path)
    assert [d.name for d in scan.documents] == ["a.txt"]
    assert only_issue(scan).message == "a hard link to a.txt, which is read under that name; left out as a duplicate"


@POSIX_ONLY
def test_a_broken_symlink_is_skipped(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "gone.txt")
    assert skipped(scan_documents(tmp_path), "a.txt").message == f"a broken symlink (to {tmp_path / 'gone.txt'})"


def run_with_timeout(function, seconds: float = 20):
    """Run ``function`` in a thread: a test of something that once hung fails instead of hanging."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "hung"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_a_fifo_is_skipped_without_hanging(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no fifos here")
    os.mkfifo(tmp_path / "a.txt")
    scan = run_with_timeout(lambda: scan_documents(tmp_path))
    assert skipped(scan, "a.txt").message == "not a regular file (a fifo)"


def test_a_folder_named_like_a_document_is_skipped(tmp_path):
    (tmp_path / "a.txt").mkdir()
    assert skipped(scan_documents(tmp_path), "a.txt").message == "not a regular file (a folder)"


def test_an_unreadable_file_is_skipped(tmp_path, monkeypatch):
    """Root reads files whatever their mode, so the refusal is stood in for by the error a
    non-root user gets from open(2)."""
    import errno

    from geomap import documents

    write(tmp_path, "a.txt", RAID)
    real_open = documents.os.open

    def refuse_a(path, *args, **kwargs):
        if os.fsdecode(path).endswith("a.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(documents.os, "open", refuse_a)
    assert skipped(scan_documents(tmp_path), "a.txt").message == "cannot be read (Permission denied)"


# --- 4. file names that are not valid UTF-8 ----------------------------------------------------

def write_raw_name(folder: Path, name: bytes, content: str) -> None:
    try:
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(content.encode("utf-8"))
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")


def test_a_name_that_is_not_utf8_is_shown_with_replacement_characters(tmp_path):
    write_raw_name(tmp_path, b"caf\xe9.txt", RAID)
    scan = scan_documents(tmp_path)
    doc, = scan.documents
    assert doc.name == "caf\ufffd.txt" and doc.text == RAID
    doc.name.encode("utf-8")  # the CSVs write it
    assert only_issue(scan) == DocumentIssue(
        str(tmp_path / "caf\ufffd.txt"), "file name b'caf\\xe9.txt' is not valid UTF-8 text; shown as caf\ufffd.txt",
        False)


def test_names_that_collide_once_replaced_stay_apart(tmp_path):
    write_raw_name(tmp_path, b"caf\xe9.txt", "Police raided a casino in Poipet.\n")
    write_raw_name(tmp_path, b"caf\xe8.txt", "Police raided a hotel in Bavet.\n")
    write(tmp_path, "caf\ufffd.txt", "Police raided a port in Sihanoukville.\n")  # a real name, kept as it is
    scan = scan_documents(tmp_path)
    e_grave, e_acute = b"caf\xe8.txt", b"caf\xe9.txt"
    tags = {raw: hashlib.sha256(raw).hexdigest()[:8] for raw in (e_grave, e_acute)}
    assert {d.name: d.text.split()[-1] for d in scan.documents} == {
        "caf\ufffd.txt": "Sihanoukville.",
        f"caf\ufffd~{tags[e_acute]}.txt": "Poipet.",
        f"caf\ufffd~{tags[e_grave]}.txt": "Bavet.",
    }
    assert [i.message for i in scan.issues] == [
        f"file name {raw!r} is not valid UTF-8 text; shown as caf\ufffd.txt, then as caf\ufffd~{tags[raw]}.txt "
        "to tell it from another file of that name" for raw in (e_grave, e_acute)]


def test_control_characters_in_a_name_are_replaced_too(tmp_path):
    write_raw_name(tmp_path, b"raid\nreport.txt", RAID)
    scan = scan_documents(tmp_path)
    assert scan.documents[0].name == "raid\ufffdreport.txt"
    assert str(only_issue(scan)) == (f"{tmp_path / 'raid�report.txt'}: warning: file name b'raid\\nreport.txt' holds "
                                     "control characters; shown as raid\ufffdreport.txt")


# --- 5. front matter and the publication date --------------------------------------------------

def test_front_matter_with_no_closing_line_gives_its_field_lines_and_the_rest_is_body_text(tmp_path):
    write(tmp_path, "a.txt", "---\ntitle: Raid in Poipet\n" + RAID)
    scan = scan_documents(tmp_path)
    assert (scan.documents[0].title, scan.documents[0].text) == ("Raid in Poipet", RAID)
    assert only_issue(scan) == DocumentIssue(
        str(tmp_path / "a.txt"), "front matter starts with '---' but has no closing '---' line; line 2 (title) "
        "were read as its fields, the rest as body text", False, 1)
    # a rule with no field after it is the text's own
    write(tmp_path, "a.txt", "---\n" + RAID)
    scan = scan_documents(tmp_path)
    assert scan.documents[0].text == "---\n" + RAID
    assert only_issue(scan) == DocumentIssue(
        str(tmp_path / "a.txt"), "front matter starts with '---' but has no closing '---' line within 100 lines; "
        "read as body text", False, 1)


def test_a_front_matter_line_that_is_not_key_value_is_ignored_with_its_line(tmp_path):
    write(tmp_path, "a.txt", "---\ntitle: Raid in Poipet\nPolice sources\npublished: 2024-03-02\n---\n" + RAID)
    scan = scan_documents(tmp_path)
    doc, = scan.documents
    assert (doc.title, doc.published, doc.published_basis, doc.text) == (
        "Raid in Poipet", "2024-03-02", "front matter", RAID)
    assert str(only_issue(scan)) == f"{tmp_path / 'a.txt'}:3: warning: front matter line is not 'key: value'; ignored"


@pytest.mark.parametrize("line,message", [
    ("Reported by: the police", "front matter key 'reported by' is not a plain word (letters, digits, _ or -); ignored"),
    ("<script>x: 1", "front matter key '<script>x' is not a plain word (letters, digits, _ or -); ignored"),
    ("title: " + "Raid " * 300, "front matter value of title is 1,501 characters long (the limit is 1,000); ignored"),
    (": no key", "front matter line is not 'key: value'; ignored"),
])
def test_odd_keys_and_very_long_values_are_ignored(tmp_path, line, message):
    write(tmp_path, "a.txt", f"---\nsection: crime\n{line}\n---\n" + RAID)
    scan = scan_documents(tmp_path)
    doc, = scan.documents
    assert doc.title == RAID.strip() and dict(doc.extra) == {"section": "crime"}
    assert only_issue(scan) == DocumentIssue(str(tmp_path / "a.txt"), message, False, 3)


def test_a_dashed_block_with_no_key_value_line_is_body_text():
    text = "---\nPolice raided a casino.\n---\nThey detained 40 workers.\n"
    front = parse_front_matter(text)
    assert (front.fields, front.body) == ({}, text)
    assert front.problems == ((1, "the '---' block of lines 1-3 has no 'key: value' line, so it is not front "
                                  "matter; read as body text"),)


def test_a_published_that_is_not_a_date_falls_back_to_the_date_in_the_text(tmp_path):
    write(tmp_path, "a.txt", "---\npublished: last Tuesday\n---\nRaid in Poipet\nMarch 2, 2024\n" + RAID)
    scan = scan_documents(tmp_path)
    doc, = scan.documents
    assert (doc.published, doc.published_basis) == ("2024-03-02", "dateline")
    assert str(only_issue(scan)) == (f"{tmp_path / 'a.txt'}:2: warning: published 'last Tuesday' in front matter is "
                                     "not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); ignored")


def test_an_impossible_published_day_falls_back_to_the_manifest(tmp_path):
    write(tmp_path, "a.txt", "---\npublished: 2024-02-30\n---\n" + RAID)
    write(tmp_path, "manifest.csv", "file,published\na.txt,2024-02\n")
    scan = scan_documents(tmp_path)
    doc, = scan.documents
    assert (doc.published, doc.published_precision, doc.published_basis) == ("2024-02", "month", "manifest")
    assert only_issue(scan).message.startswith("published '2024-02-30' in front matter is not a date")


@pytest.mark.parametrize("published", ["0024-03-02", "1899-12-31", "9999-01-01", in_years(2)])
def test_a_published_outside_the_plausible_range_is_ignored(tmp_path, published):
    write(tmp_path, "a.txt", f"---\npublished: {published}\n---\n" + RAID)
    scan = scan_documents(tmp_path)
    doc, = scan.documents
    assert doc.published == ""
    latest = dt.date.today().replace(year=dt.date.today().year + 1, day=min(dt.date.today().day, 28))
    issue = only_issue(scan)
    assert issue.message.startswith(f"published '{published}' in front matter is not a plausible publication date "
                                    "(expected 1900 to ")
    assert issue.message.endswith("); ignored") and issue.line == 2 and not issue.skipped
    assert latest.isoformat()[:7] in issue.message


def test_a_published_date_a_few_months_ahead_is_kept(tmp_path):
    ahead = (dt.date.today() + dt.timedelta(days=100)).isoformat()
    write(tmp_path, "a.txt", f"---\npublished: {ahead}\n---\n" + RAID)
    scan = scan_documents(tmp_path)
    assert scan.issues == [] and scan.documents[0].published == ahead


def test_an_implausible_manifest_date_is_an_input_error(tmp_path):
    write(tmp_path, "a.txt", RAID)
    write(tmp_path, "manifest.csv", "file,published\na.txt,0024-03-02\n")
    with pytest.raises(InputError, match="manifest.csv:2: column published: '0024-03-02' is not a plausible "
                                         "publication date"):
        scan_documents(tmp_path)


# --- 6. dates in the text ----------------------------------------------------------------------

def dates(text, published="", precision=""):
    return [(d.text, d.date.iso) for d in find_dates(text, published, precision)]


def test_a_date_more_than_a_year_after_publication_is_dropped():
    assert dates("The casino will reopen in 2023, and the zone in 2049.", "2022-02-22", "day") == [("2023", "2023")]


def test_a_year_ahead_of_a_year_precision_publication_counts_from_its_last_day():
    assert dates("a plan for December 2023 and for January 2024", "2022", "year") == [("December 2023", "2023-12")]


def test_an_implausible_date_keeps_its_words_from_shorter_patterns():
    assert dates("talks since June 2049 stalled", "2022-02-22", "day") == []


def test_an_undated_text_keeps_dates_up_to_a_year_from_today():
    assert dates("in 2049") == []
    assert dates("in 2020") == [("2020", "2020")]


@pytest.mark.parametrize("published,precision", [
    ("1900-01-01", "day"), ("0024", "year"), ("9999-12-31", "day"), ("2022", "day"), ("2022-13", "month"),
    ("not a date", "day"), ("2022-02-30", "day"),
])
def test_an_odd_publication_date_never_crashes_and_never_yields_an_implausible_date(published, precision):
    found = find_dates("Last year, yesterday, on Monday, last October, in June and on Feb. 24 police raided it.",
                       published, precision)
    assert all("1900" <= d.date.iso <= in_years(1) for d in found)


def test_a_typo_year_in_front_matter_no_longer_reaches_the_events(tmp_path):
    write(tmp_path, "a.txt", "---\npublished: 0024-03-02\n---\nPolice raided a casino in Poipet last year.\n")
    doc, = scan_documents(tmp_path).documents
    assert doc.published == ""
    assert find_dates(doc.text, doc.published, doc.published_precision) == []
