"""Popup and tooltip HTML. Popups come from the macros of ``templates/popups.html``, rendered with
autoescaping; tooltips are escaped with :func:`esc`. Either way every value is escaped structurally,
not call site by call site.

folium puts popup and tooltip HTML inside a JavaScript template literal, so besides HTML's own
characters the ``$`` of ``${...}``, the backtick and the backslash (``\\u{`` would end the script
with a syntax error) are escaped too: document text can never run as code or break the page. Braces
need no escaping: the rendered map is never compiled as a template (``templating.py``)."""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Mapping
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from ..atlas import KnownPlace, MappedEvent, MappedPlace, ReviewItem
from ..figures import Figure
from ..places import PlaceFacts
from ..records import Document, Place, Source

#: A source's address becomes a link only with one of these schemes: ``javascript:``, ``data:`` and
#: the like, which a hostile document could put in its ``url``, stay plain text.
LINK_SCHEMES = ("http", "https")


def esc(value) -> str:
    return (html.escape(str(value), quote=True).replace("$", "&#36;").replace("`", "&#96;")
            .replace("\\", "&#92;"))


def is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.netloc) and not any(c.isspace() for c in url.strip())


def source_highlights(source: Source) -> list[tuple[int, int, str]]:
    """The trigger and the place of a source, as offsets into its quote."""
    base = source.sentence_start
    spans = [(source.trigger_start - base, source.trigger_end - base, "gm-trigger")]
    if source.place_start >= base:
        spans.append((source.place_start - base, source.place_end - base, "gm-place"))
    return spans


#: What the rules leave aside when they say a sentence names no place for its act
_NOT_TIED = ("a place in another of its clauses, where people came from or were sent, or a government acting "
             "does not count")
BASIS_NOTES = {
    "organisation": "The sentence names this place only inside an organisation's name.",
    "government": "The sentence names a government acting (a capital, or a state's own officers); the event sits at the country.",
    "officers": "The sentence's officers act in their own country: the event sits at the place of that country the sentence names.",
    "list": "The sentence names three or more places of one country for this event, or several by their "
            "country: it sits at the country.",
    "nationwide": "The sentence says it happened across the whole country: it sits at the country.",
    "reference": "The sentence points back (\"the compound\", \"there\") at this place, named earlier.",
    "paragraph": "The sentence names no place this act can be tied to (" + _NOT_TIED + "); this one comes "
                 "from an earlier sentence of its paragraph.",
    "story": "The sentence names no place for this act on a place; it sits where the story's first placed event happened.",
    "court": "A court or prosecutors act and no place is named: the event sits at the country the story is filed from.",
    "dateline": "Neither the sentence nor its paragraph names a place this act can be tied to (" + _NOT_TIED
                + "): this is the story's dateline.",
    "document": "Neither the sentence nor its paragraph names a place this act can be tied to (" + _NOT_TIED
                + "): this is the country the document is about.",
}

#: The bases of a place the event's own sentence does not give: taken from its paragraph, the
#: story's scene, the state its court sits in, its dateline or the country it is about. The map can
#: hide these events ("only events placed by their own sentence").
BORROWED_BASES = ("paragraph", "story", "court", "dateline", "document")


STATUS_LABELS = {"planned": "planned or considered, not done", "denied": "denied or negated in the text",
                 "alleged": "alleged"}


def figure_label(figure: Figure) -> str:
    if figure.kind == "money":
        return f"{figure.unit} {figure.value:,.0f}"
    count = "an unstated number of" if figure.value is None else f"{figure.value:,.0f}"
    return f"{count} {figure.unit}" + (f" {figure.role}" if figure.role else "")


def _km(value) -> str:
    value = float(value)
    return f"{value:g} km"


def _escaped(value) -> Markup:
    """Every value a popup template prints: markup the templates made stays, the rest is escaped
    for HTML and for the JavaScript template literal."""
    return value if isinstance(value, Markup) else Markup(esc(value))


@lru_cache(maxsize=1)
def _popups():
    environment = jinja2.Environment(loader=jinja2.PackageLoader("geomap.render", "templates"), autoescape=True,
                                     finalize=_escaped, undefined=jinja2.StrictUndefined)
    environment.filters.update(km=_km)
    environment.globals.update(geography_text=geography_text)
    return environment.get_template("popups.html").module


def compound_popup(known: KnownPlace) -> str:
    return str(_popups().compound(known))


def border_place_popup(place: Place, facts: PlaceFacts, resolved_by: str) -> str:
    return str(_popups().border_place(place, facts, resolved_by))


def geography_text(facts: PlaceFacts) -> str:
    """A place's province and its distance to a border, as one line of text ("" when unknown)."""
    parts = [f"Province: {facts.admin1}"] if facts.admin1 else []
    if facts.border_km is not None:
        parts.append(f"{facts.border_km} km from an international land border")
    return " · ".join(parts)


def geography_record(facts: PlaceFacts) -> list:
    """A place's province and its distance to a border, as data: [province or "", km as text or
    null]; static/geomap.js writes them as :func:`geography_text` does."""
    return [facts.admin1 or "", None if facts.border_km is None else str(facts.border_km)]


def event_record(mapped: MappedEvent, label: str, documents: Mapping[str, int]) -> list:
    """An event's popup as data and plain text, which static/geomap.js (``eventPopup``) turns into
    text with textContent: [head, status ("" when it happened), [date, its precision, dated by the
    publication (0/1), the publication date inferred (0/1)], place name, [place kind, resolved by,
    ± km], basis (a key of ``BASIS_NOTES``), geography (``geography_record``), more lines,
    [reports, documents], sources]. A source is [document (an index into the rows of
    ``document_rows``), quote, [[start, end, css class], ...] to mark in the quote]. The date
    window is the row's. Data, not HTML nor sentences: an article's title, the popup's markup and
    the phrases every popup repeats were most of a large map's data."""
    event, place = mapped.event, mapped.place
    date = event.date
    more = []
    if event.origins:
        more.append("People from: " + "; ".join(p.name for p in event.origins))
    if event.destinations:
        more.append("Sent to: " + "; ".join(p.name for p in event.destinations))
    if event.unresolved_names:
        more.append("Its sentence names " + "; ".join(event.unresolved_names) + ", which no source could place "
                    "(see the review queue): the place shown is borrowed from the rest of the document")
    if event.kind == "context":
        more.append("Context (a trend, history or general claim), not a single happening")
    if event.actors:
        more.append("Actors: " + "; ".join(event.actors))
    if event.figures:
        more.append("Figures: " + "; ".join(figure_label(f) for f in event.figures))
    sources = [[documents[s.doc], s.quote,
                [[start, end, css] for start, end, css in sorted(source_highlights(s)) if 0 <= start < end <= len(s.quote)]]
               for s in event.sources]
    return [f"{label}: “{event.trigger}”", "" if event.status == "happened" else event.status,
            [date.iso or "", date.precision or "", int(bool(date.from_publication)), int(bool(event.date_inferred))],
            place.name, [place.kind, event.resolved_by or "", f"{float(place.precision_km):g}"],
            event.place_basis if event.place_basis in BASIS_NOTES else "", geography_record(mapped.facts), more,
            [len(event.sources), len(event.documents)], sources]


def place_record(mapped: MappedPlace, documents: Mapping[str, int]) -> list:
    """A place's popup as data (static/geomap.js, ``placePopup``): [name, kind, resolved by, ± km,
    mentions, [documents, as indices into ``document_rows``], [names used], geography
    (``geography_record``), where its coordinates come from]."""
    place = mapped.place
    return [place.name, place.kind, mapped.resolved_by, f"{float(place.precision_km):g}", mapped.mentions,
            [documents[name] for name in mapped.documents], list(mapped.surfaces), geography_record(mapped.facts),
            place.source]


def popup_labels() -> dict:
    """The sentences the popups' records refer to by key, given once to the browser."""
    return {"basis": BASIS_NOTES, "status": STATUS_LABELS, "borrowed": list(BORROWED_BASES)}


def document_rows(documents: Mapping[str, Document]) -> tuple[list[list], dict[str, int]]:
    """The documents the popups cite, once each: [file name, title, web address ("" when it is not
    one), publisher, publication date or "undated"], and each document's index among them."""
    names = sorted(documents)
    rows = [[d.name, d.title, d.url.strip() if is_web_address(d.url) else "", d.publisher, d.published or "undated"]
            for d in (documents[name] for name in names)]
    return rows, {name: index for index, name in enumerate(names)}


def review_popup(item: ReviewItem) -> str:
    """An editor's popup of a mention to check. Written here, not in popups.html: at ten thousand
    documents the queue holds a hundred thousand mentions, and the template's macro took half of
    the map's time. Every value is escaped, as the templates escape it."""
    r = item.resolution
    return (f'<div class="gm-popup"><div class="gm-head">Needs review: {esc(item.issue)}</div>'
            f'“{esc(r.mention.surface)}” → {esc(r.place.name)} ({esc(r.resolved_by)})<br>'
            f'Candidates: {esc(item.candidates)}<br>{esc(item.suggestion)}'
            f'<blockquote class="gm-quote">{esc(item.sentence.text)}</blockquote>'
            # counted from 1 for a reader; review.csv's "sentence" column is the index, from 0
            f'<div class="gm-doc">{esc(r.mention.doc)}, sentence {esc(r.mention.sentence_index + 1)}</div></div>')
