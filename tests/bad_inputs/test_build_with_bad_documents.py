"""A folder of scraped articles always holds some bad files: the build goes on without them, says
which and why, counts them in its summary, and stops on them only when asked (--strict)."""

from __future__ import annotations

import csv
import os
import io
import json
import re

from click.testing import CliRunner

from geomap.cli import main

from conftest import REPO, write_doc

GOOD = "---\ntitle: Raid in Poipet\npublished: 2024-03-02\n---\nPolice raided a compound in Poipet on March 1, 2024.\n"


def cli_build(seeds, out, *extra):
    return CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--gazetteer", str(REPO / "gazetteer"),
                                     "--out", str(out), "-q", *extra])


def test_bad_files_are_skipped_or_read_with_a_warning_and_counted(tmp_path):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "good.txt", GOOD)
    (seeds / "latin1.txt").write_bytes("Police raided a café in Bavet on March 3, 2024.\n".encode("latin-1"))
    (seeds / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (seeds / "empty.md").write_bytes(b"")
    result = cli_build(seeds, tmp_path / "maps")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert re.search(r"binary\.txt: skipped: .*binary", result.output)
    assert re.search(r"empty\.md: skipped: .*empty", result.output)
    assert re.search(r"latin1\.txt.*warning: .*(latin|1252|8859)", result.output, flags=re.I)
    assert "2 documents (2 skipped)" in result.output
    events = list(csv.DictReader(io.StringIO((tmp_path / "maps" / "events.csv").read_text(encoding="utf-8"))))
    assert {e["doc"] for e in events} == {"good.txt", "latin1.txt"}
    assert any("café" in e["quote"] for e in events)


def test_strict_stops_on_the_first_bad_file_and_keeps_the_old_output(tmp_path):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "good.txt", GOOD)
    out = tmp_path / "maps"
    assert cli_build(seeds, out).exit_code == 0
    before = (out / "events.csv").read_bytes()
    (seeds / "binary.txt").write_bytes(b"\x00\x01\x02")
    result = cli_build(seeds, out, "--strict")
    assert result.exit_code == 2 and "binary.txt" in result.output and "Traceback" not in result.output
    assert (out / "events.csv").read_bytes() == before


def test_a_folder_of_only_bad_files_is_a_clear_error(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "binary.txt").write_bytes(b"\x00\x01\x02")
    result = cli_build(seeds, tmp_path / "maps")
    assert result.exit_code == 2 and "has no usable documents" in result.output and "1 file(s) skipped" in result.output


def test_a_typoed_year_is_ignored_not_drawn_as_twenty_four_thousand_months(tmp_path):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "good.txt", GOOD)
    write_doc(seeds, "typo.txt", "---\ntitle: Typo\npublished: 0024-03-02\n---\n"
                                 "Police arrested ten people in Bavet in 0024 and on 3 March 9999.\n")
    result = cli_build(seeds, tmp_path / "maps")
    assert result.exit_code == 0, result.output
    assert "typo.txt:3: warning: published '0024-03-02' in front matter is not a plausible" in result.output
    html = (tmp_path / "maps" / "index.html").read_text(encoding="utf-8")
    config = json.loads(re.search(r"geomapInit\([^,]+, (\{.*\})(?:, \w+)?\);", html).group(1))
    assert 1 <= len(config["histogram"]) <= 12
    events = list(csv.DictReader(io.StringIO((tmp_path / "maps" / "events.csv").read_text(encoding="utf-8"))))
    assert all(not e["date"] or "1900" <= e["date"][:4] <= "2030" for e in events)


def test_a_file_name_that_is_not_utf8_is_shown_replaced_and_every_export_is_written(tmp_path):
    seeds = tmp_path / "seeds"
    write_doc(seeds, "good.txt", GOOD)
    raw_name = os.path.join(os.fsencode(seeds), b"caf\xe9 raid.txt")  # Latin-1, as Windows zip tools write
    with open(raw_name, "wb") as handle:
        handle.write(GOOD.replace("Poipet", "Bavet").encode("utf-8"))
    result = cli_build(seeds, tmp_path / "maps")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "caf\ufffd raid.txt" in result.output
    mentions = (tmp_path / "maps" / "mentions.csv").read_text(encoding="utf-8")
    assert "caf\ufffd raid.txt" in mentions
    events = (tmp_path / "maps" / "events.html").read_text(encoding="utf-8")
    assert "caf%EF%BF%BD%20raid.txt" in events


def test_a_document_that_trips_a_stage_is_skipped_with_a_warning_not_the_build(tmp_path, monkeypatch):
    # no rule is known to fail on any text (the fuzz tests look for one); if one does, the document
    # that made it fail is named and left out, and the others are built
    from geomap.events import EventExtractor

    real = EventExtractor.extract

    def trips_on_bad(self, document, *args, **kwargs):
        if document.name == "bad.txt":
            raise ValueError("a rule tripped")
        return real(self, document, *args, **kwargs)

    monkeypatch.setattr(EventExtractor, "extract", trips_on_bad)
    seeds = tmp_path / "seeds"
    write_doc(seeds, "good.txt", "---\npublished: 2024-03-05\n---\nPolice raided a casino in Poipet on March 4.\n")
    write_doc(seeds, "bad.txt", "---\npublished: 2024-03-05\n---\nPolice raided a casino in Bavet on March 4.\n")
    result = cli_build(seeds, tmp_path / "maps", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "warning: bad.txt: skipped, its text could not be read through (ValueError: a rule tripped)" \
        in result.output
    assert "1 documents (1 skipped)" in result.output
    events = list(csv.DictReader(io.StringIO((tmp_path / "maps" / "events.csv").read_text(encoding="utf-8"))))
    assert [e["place_id"] for e in events] == ["kh-poipet"]
