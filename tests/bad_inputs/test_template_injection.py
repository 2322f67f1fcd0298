"""Text is data, never template source: the hostile corpus (tests/hostile_corpus.py) through a whole
build. Payloads in titles, publishers, urls, sentences, file names, the gazetteer's notes and
sources, actors.csv and geocoder answers must come out as typed, escaped, and inert."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote

import pytest

import hostile_corpus
from conftest import map_text, read_map_data
from geomap.exports import FORMULA_STARTS
from geomap.render.popups import esc, is_web_address
from geomap.render.templating import text_is_never_compiled

OUTPUT_TEXT = ("index.html", "events.html", "events.csv", "mentions.csv", "review.csv", "review-names.csv",
               "events.geojson", "places.geojson")


@pytest.fixture(scope="module")
def out(hostile_build):
    result = hostile_build["result"]
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return hostile_build["out"]


def test_the_build_of_the_hostile_corpus_succeeds_and_keeps_every_document(out, hostile_build):
    events = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    assert {e["doc"] for e in events} == {name for name, _ in hostile_corpus.FILES} | {hostile_corpus.MANIFEST_FILE}
    assert hostile_build["result"].output.startswith(f"{len(hostile_corpus.FILES) + 1} documents")


def test_no_payload_ran_a_command_on_the_build_machine(out, hostile_build, repo):
    assert not list(hostile_build["root"].rglob(hostile_corpus.MARKER))
    assert not (repo / hostile_corpus.MARKER).exists()


def test_template_syntax_comes_out_as_typed(out):
    html = map_text(out)
    assert "Raid 49" not in html and "Raid {{ 7*7 }}" in html
    for payload in ("{% if true %}yes{% endif %}", "{# hidden #}", "{{ unbalanced", "{% broken", "#{ tag {#",
                    "Payload {{ 7*7 }} Holdings"):
        assert payload in html, payload
    table = (out / "events.html").read_text(encoding="utf-8")
    assert "Raid {{ 7*7 }}" in table
    # an event popup's pieces are text (the browser sets them with textContent): the title as typed
    titles = [row[1] for row in read_map_data(out)["documents"]]
    assert hostile_corpus.MANIFEST_TITLE in titles and "Manifest 49" not in html


def test_a_geocoder_answer_is_data_too(out):
    html = map_text(out)
    assert "Prek {{ 7*7 }} Checkpoint &lt;img src=x onerror=" in html and "resolved by geocoder" in html
    assert "Prek 49" not in html


def test_markup_never_reaches_a_page_unescaped(out):
    for name in ("index.html", "events.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert "window.pwned" in html  # the payloads are there, as text
        for tag in ("<script>window.pwned", "<img src=x onerror", "<svg onload", "<iframe srcdoc", "<b>bold</b>"):
            assert tag not in html, (name, tag)
        # every <script> in the page is one the renderer wrote: none holds a payload's code outside a string
        for body in re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S):
            assert "window.pwned='" not in body.replace("\\u0027", "'").replace("&#39;", "'") or _only_in_strings(body)
    # the map's data file: the tooltips of movement lines and the review queue's tooltips and popups
    # are HTML the browser parses, all escaped; events and places are records the browser sets as
    # text, ids (from file names) are only ever options' values, and the search index is set as text
    html_fields = {"review": (2, 3), "movements": (7,)}
    shown = "\n".join(row[i] for key, rows in read_map_data(out).items() for prefix, fields in html_fields.items()
                       if key.startswith(prefix) for row in rows for i in fields)
    assert "window.pwned" in shown
    for tag in ("<script", "<img src=x onerror", "<svg onload", "<iframe srcdoc", "<b>bold</b>"):
        assert tag not in shown, tag


def _only_in_strings(script: str) -> bool:
    """In the map's scripts payloads may sit only inside escaped popup HTML or JSON strings."""
    return "</script>" not in script and "&lt;script&gt;" in script or "\\u003cscript\\u003e" in script


def test_source_links_are_made_only_for_web_addresses(out):
    for name in ("index.html", "events.html"):
        html = (out / name).read_text(encoding="utf-8").lower()
        for scheme in ("javascript:", "data:"):
            assert not re.search(rf'href\s*=\s*["\']?\s*{scheme}', html), (name, scheme)
    html = map_text(out)
    assert not re.search(r'href\s*=\s*["\']?\s*(?:javascript|data):', html.lower())
    # an event's sources link to their document's address only when it is a web address: the map
    # data keeps it (as text, set as the link's href by the browser) or keeps ""
    addresses = {row[0]: row[2] for row in read_map_data(out)["documents"]}
    assert addresses["plain.txt"] == "https://example.org/news?a=1&b=<2>"
    assert all(address == "" or is_web_address(address) for address in addresses.values())
    assert any(address == "" for address in addresses.values())


@pytest.mark.parametrize("url,expected", [
    ("https://example.org/a", True), ("http://example.org", True), ("javascript:alert(1)", False),
    (" javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("https:///nohost", False), ("http://exa mple.org", False), ("http://[::1", False),
    ("//example.org", False), ("", False)])
def test_web_address_check(url, expected):
    assert is_web_address(url) is expected


def test_escaping_covers_html_and_the_javascript_template_literal_folium_uses():
    text = esc("<a href='x'>\"&\"</a> ${x} `y` \\u{41}")
    assert not set(text) & set("<>'\"`$\\")
    assert esc("{{ 7*7 }}") == "{{ 7*7 }}"  # braces stay: nothing compiles the output


def test_rendered_output_is_never_compiled_even_if_a_caller_forgets_to_escape():
    """The class of bug, not the reproducer: a raw string handed to folium is finished text."""
    import folium

    fmap = folium.Map()
    folium.Marker([0, 0], tooltip="{{ 7*7 }} {% if 1 %}x{% endif %} {#", popup="{{ 7*7 }}").add_to(fmap)
    with text_is_never_compiled():
        html = fmap.get_root().render()
    assert "{{ 7*7 }} {% if 1 %}x{% endif %} {#" in html and "49 x" not in html


def test_spreadsheet_formulas_are_neutralised_in_every_csv(out):
    checked = 0
    for name in ("events.csv", "mentions.csv", "review.csv", "review-names.csv"):
        rows = list(csv.reader(io.StringIO((out / name).read_text(encoding="utf-8"))))
        for row in rows[1:]:
            for cell in row:
                if cell.startswith(FORMULA_STARTS):
                    float(cell)  # only numbers (a negative longitude) may start so
                checked += 1
    assert checked
    quotes = [row["quote"] for row in csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8")))]
    for formula in hostile_corpus.FORMULAS:
        assert any(q.startswith("'" + formula) for q in quotes), formula
    titles = [row["title"] for row in csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8")))]
    assert any(t.startswith("'=Raid") for t in titles)


def test_event_links_survive_any_file_name(out):
    html = (out / "events.html").read_text(encoding="utf-8")
    events = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    odd = [e["event_id"] for e in events if e["doc"] == "R&D #1 100%.txt"]
    assert odd
    # the table's rows are JSON data in the page; the link of each row is its id percent-encoded
    data = json.loads(re.search(r'<script type="application/json" id="events-data">(.*?)</script>', html,
                                flags=re.S).group(1))
    links = {row[data["fields"].index("id")]: row[data["fields"].index("link")] for row in data["rows"]}
    assert all(links[event_id] == quote(event_id, safe="") for event_id in odd if links[event_id])
    assert any(links[event_id].startswith("R%26D%20%231%20100%25.txt") for event_id in odd)
    assert "#event=R&amp;D #1" not in html


def test_json_exports_hold_the_payloads_as_typed(out):
    features = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    titles = {f["properties"]["title"] for f in features}
    assert any("{{ 7*7 }}" in t and "<" in t for t in titles)


def test_text_cells_are_quoted_so_a_semicolon_never_starts_a_cell(out):
    """A spreadsheet that splits on ";" (many European locales) keeps a quoted cell whole."""
    for name in ("events.csv", "mentions.csv", "review.csv", "review-names.csv"):
        text = (out / name).read_text(encoding="utf-8")
        cells = [cell for row in list(csv.reader(io.StringIO(text)))[1:] for cell in row if ";" in cell]
        for cell in cells:
            assert '"' + cell.replace('"', '""') + '"' in text, (name, cell[:80])
    assert any(";" in row for row in (out / "events.csv").read_text(encoding="utf-8").splitlines()[1:])


def test_a_long_first_line_is_cut_when_it_stands_for_the_title(tmp_path, repo):
    from geomap.documents import MAX_TITLE_CHARS, scan_documents

    (tmp_path / "a.txt").write_text("Police raided a compound in Poipet. " * 300 + "\n", encoding="utf-8")
    document, = scan_documents(tmp_path).documents
    assert len(document.title) == MAX_TITLE_CHARS and document.title.endswith("…")


def test_boundary_names_reach_the_map_escaped(tmp_path, repo):
    import json as json_module
    import shutil

    from geomap.build import build
    from geomap.settings import Settings

    gazetteer = tmp_path / "gazetteer"
    shutil.copytree(repo / "gazetteer", gazetteer)
    provinces = gazetteer / "boundaries" / "admin1_sea.geojson"
    data = json_module.loads(provinces.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["properties"].get("iso_3166_2") == "KH-1")
    feature["properties"]["name_en"] = "<img src=x onerror=window.pwned=1>Banteay"
    provinces.write_text(json_module.dumps(data), encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Police raided a compound in Poipet on May 1, 2024.\n", encoding="utf-8")
    build(Settings(seeds_dir=seeds, gazetteer_dir=gazetteer, out_dir=tmp_path / "maps"))
    html_text = (tmp_path / "maps" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x onerror" not in html_text and "\\u003cimg src=x onerror" not in html_text
    assert "&lt;img src=x onerror" in html_text or "\\u0026lt;img src=x onerror" in html_text
