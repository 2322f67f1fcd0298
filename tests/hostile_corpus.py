"""A corpus of hostile inputs: documents, file names, gazetteer, actors and geocoder-cache rows that
carry template, HTML, JavaScript, URL and unicode payloads. Built once per test session (see
``conftest.hostile_build``) and read by the static and the browser tests of ``tests/bad_inputs``.

Every payload that could run sets ``window.pwned`` (in a browser) or creates the file named by
``MARKER`` (on the build machine): a test that finds either has found code that ran."""

from __future__ import annotations

import csv
import io
from pathlib import Path

MARKER = "pwned-by-template"

JINJA = [
    "{{ 7*7 }}",
    "{% if true %}yes{% endif %}",
    "{# hidden #}",
    "{{ unbalanced",
    "{% broken",
    "#{ tag {#",
    "{{ cycler.__init__.__globals__.os.popen('touch " + MARKER + "').read() }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch " + MARKER + "') }}",
]
HTML = [
    "<script>window.pwned='script'</script>",
    '<img src=x onerror="window.pwned=\'img\'">',
    '"><svg onload="window.pwned=\'svg\'">',
    "'><b>bold</b>",
    "</textarea><script>window.pwned='textarea'</script>",
    "</script><script>window.pwned='close-script'</script>",
    "<iframe srcdoc=\"<script>parent.pwned='iframe'</script>\"></iframe>",
]
JAVASCRIPT = [
    "${window.pwned='template-literal'}",
    "`+(window.pwned='backtick')+`",
    "\\u{41} \\x41 back\\slash \\u00zz \\",
    "\u2028line\u2029separators",
]
UNICODE = [
    "\u202eevil\u202c override",  # right-to-left override
    "zero\u200bwidth\u200djoin",
    "\u0405ihanoukville",  # Cyrillic DZE, a homoglyph of S
]
URLS = ["javascript:window.pwned='javascript-url'", "data:text/html,<script>window.pwned='data-url'</script>",
        " javascript:window.pwned='spaced'", "JaVaScRiPt:window.pwned='case'"]

ALL = JINJA + HTML + JAVASCRIPT + UNICODE
# Payloads a reader must see exactly as typed somewhere on the page (whitespace aside).
VISIBLE = ["{{ 7*7 }}", "{% if true %}yes{% endif %}", "{# hidden #}", "<script>window.pwned='script'</script>",
           '<img src=x onerror="window.pwned=\'img\'">', "${window.pwned='template-literal'}",
           "\\u{41} \\x41 back\\slash \\u00zz \\", "Payload {{ 7*7 }} Holdings"]

ACTOR = "Payload {{ 7*7 }} Holdings"
# A name only the (cached) geocoder knows, and the answer a hostile or intercepted geocoder gave for it
GEOCODED = "Prek Chak"
GEOCODER_ANSWER = "Prek {{ 7*7 }} Checkpoint <img src=x onerror=\"window.pwned='geocoder'\">, Kampot, Cambodia"
VISIBLE_GEOCODED = GEOCODER_ANSWER.split(",")[0]  # the place's name: the answer's first part
# Cells a spreadsheet would run (CWE-1236)
FORMULAS = ["=SUM(1+1)", "@cmd|calc", "+HYPERLINK(\"http://x\")", "-2+3", "=1+1"]

# (file name, url): file names are payloads too
FILES = [
    ("{{ 7*7 }} raid.txt", URLS[0]),
    ("<img src=x onerror=alert(1)>.md", URLS[1]),
    ("R&D #1 100%.txt", URLS[2]),
    ("'quote\" `tick` $dollar.txt", URLS[3]),
    ("plain.txt", "https://example.org/news?a=1&b=<2>"),
]
PLACES = ["Poipet", "Sihanoukville", "Bavet", "Phnom Penh", "Myawaddy"]


def document(index: int, url: str) -> str:
    """A short news-like article whose every field and sentence carries payloads."""
    payloads = ALL[index::len(FILES)] or ALL[:1]
    place = PLACES[index % len(PLACES)]
    title = f"{'=' if index == 4 else ''}Raid {JINJA[0]} {HTML[index % len(HTML)]}"
    lines = [
        "---",
        f"title: {title}",
        f"publisher: {HTML[(index + 1) % len(HTML)]} {JINJA[index % len(JINJA)]}",
        f"url: {url}",
        f"published: 2024-0{index + 1}-15",
        "---",
        f"Police raided a scam compound in {place} on March {index + 3}, 2024 and arrested "
        f"{20 + index} workers {' '.join(payloads)}.",
        f"Soldiers detained {index + 4} men at the {GEOCODED} border crossing on March 5, 2024.",
        f"Officials from {ACTOR} said {JINJA[(index + 3) % len(JINJA)]} victims were rescued in {place}.",
        f"{FORMULAS[index % len(FORMULAS)]} police arrested five more people in {place} on March 9, 2024.",
        "",
    ]
    return "\n".join(lines)


# A document with no front matter, described by a manifest row whose every field is a payload
MANIFEST_FILE = "from the manifest.txt"
MANIFEST_TITLE = "Manifest {{ 7*7 }} <script>window.pwned='manifest'</script>"


def write_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for index, (name, url) in enumerate(FILES):
        (folder / name).write_text(document(index, url), encoding="utf-8")
    (folder / MANIFEST_FILE).write_text(
        f"Police raided a compound in Bavet on April 2, 2024 {JINJA[1]} {HTML[1]}.\n", encoding="utf-8")
    _write_csv(folder / "manifest.csv", [{
        "file": MANIFEST_FILE, "title": MANIFEST_TITLE, "publisher": f"{HTML[2]} {JINJA[2]}",
        "url": URLS[0], "published": "2024-04-03", "precision": "day", "date_basis": f"{JINJA[0]} {HTML[0]}"}])
    return folder


def poison_gazetteer(gazetteer: Path) -> None:
    """Payloads in the notes and source of a compound, an actor's name, and a cached geocoder answer
    that an editor accepted."""
    places = gazetteer / "places.csv"
    rows = list(csv.DictReader(io.StringIO(places.read_text(encoding="utf-8"))))
    for row in rows:
        if row["kind"] == "compound":
            row["notes"] = " ".join(JINJA[:3] + HTML[:2] + JAVASCRIPT[:1])
            row["source"] = row["source"] + " " + JINJA[0]
            break
    _write_csv(places, rows)
    actors = gazetteer / "actors.csv"
    actor_rows = list(csv.DictReader(io.StringIO(actors.read_text(encoding="utf-8"))))
    actor_rows.append({"id": "payload-holdings", "name": ACTOR, "aliases": "", "kind": "company", "country": "KH",
                       "notes": HTML[0]})
    _write_csv(actors, actor_rows)
    _write_csv(gazetteer / "geocoded.csv", [{
        "query": GEOCODED, "provider": "nominatim", "status": "accepted", "lat": "10.4607", "lon": "104.4836",
        "display_name": GEOCODER_ANSWER, "osm_class": "barrier", "osm_type": "border_control", "country": "KH",
        "retrieved": "2024-06-01", "reviewed_by": "{{ 7*7 }} <b>editor</b>",
        "notes": "addresstype=barrier; boundingbox=10.45,10.47,104.47,104.49"}])


def _write_csv(path: Path, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
