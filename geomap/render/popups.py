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


def highlight(text: str, spans) -> Markup:
    """The text escaped piece by piece, with each (start, end, css_class) span wrapped in <mark>:
    highlighting by position, so no document text is ever read as markup."""
    out, cursor = [], 0
    for start, end, css_class in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if start < cursor:
            continue  # overlapping spans: the first one wins
        out.append(esc(text[cursor:start]))
        out.append(f'<mark class="{css_class}">{esc(text[start:end])}</mark>')
        cursor = end
    out.append(esc(text[cursor:]))
    return Markup("".join(out))


def source_highlights(source: Source) -> list[tuple[int, int, str]]:
    """The trigger and the place of a source, as offsets into its quote."""
    base = source.sentence_start
    spans = [(source.trigger_start - base, source.trigger_end - base, "gm-trigger")]
    if source.place_start >= base:
        spans.append((source.place_start - base, source.place_end - base, "gm-place"))
    return spans


BASIS_NOTES = {
    "organisation": "The sentence names this place only inside an organisation's name.",
    "government": "The sentence names the capital as an actor (its government); the event sits at the country.",
    "paragraph": "The sentence names no place; this one comes from an earlier sentence of its paragraph.",
    "dateline": "No place in the sentence or its paragraph: this is the story's dateline.",
    "document": "No place in the sentence or its paragraph: this is the country the document is about.",
}


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
    environment.filters.update(km=_km, highlight=highlight, highlights=source_highlights)
    environment.tests["web_address"] = is_web_address
    environment.globals.update(basis_notes=BASIS_NOTES, status_labels=STATUS_LABELS)
    return environment.get_template("popups.html").module


def place_popup(mapped: MappedPlace) -> str:
    return str(_popups().place(mapped))


def compound_popup(known: KnownPlace) -> str:
    return str(_popups().compound(known))


def border_place_popup(place: Place, facts: PlaceFacts, resolved_by: str) -> str:
    return str(_popups().border_place(place, facts, resolved_by))


def event_popup(mapped: MappedEvent, label: str, documents: Mapping[str, Document]) -> str:
    figures = [figure_label(f) for f in mapped.event.figures]
    return str(_popups().event(mapped, label, figures, documents))


def review_popup(item: ReviewItem, candidates: str) -> str:
    return str(_popups().review(item, candidates))
