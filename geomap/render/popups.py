"""Popup and tooltip HTML. Every piece of text from a document or a gazetteer is escaped here.

folium puts popup and tooltip HTML inside a JavaScript template literal, so besides HTML's own
characters the ``$`` of ``${...}``, the backtick and the backslash (``\\u{`` would end the script
with a syntax error) are escaped too: document text can never run as code or break the page. Braces
need no escaping: the rendered map is never compiled as a template (``templating.py``)."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from ..figures import Figure
from ..places import PlaceFacts
from ..records import Document

#: A source's address becomes a link only with one of these schemes: ``javascript:``, ``data:`` and
#: the like, which a hostile document could put in its ``url``, stay plain text.
LINK_SCHEMES = ("http", "https")


def esc(value) -> str:
    return (html.escape(str(value), quote=True).replace("$", "&#36;").replace("`", "&#96;")
            .replace("\\", "&#92;"))


def date_label(iso: str, precision: str, from_publication: bool) -> str:
    if not iso:
        return "date unknown (the document has no publication date)"
    label = f"{iso} ({precision})"
    if from_publication:
        label += ", publication date: the sentence gives none"
    return label


def source_block(document: Document, quote: str, spans=()) -> str:
    publisher = f" — {esc(document.publisher)}" if document.publisher else ""
    published = esc(document.published) if document.published else "undated"
    title = link(document.url, document.title)
    return (f'<div class="gm-source"><div class="gm-title">{title}{publisher}, {published}</div>'
            f'<blockquote class="gm-quote">{highlight(quote, spans)}</blockquote>'
            f'<div class="gm-doc">{esc(document.doc)}</div></div>')


def link(url: str, text: str) -> str:
    """``text`` as a link to ``url`` when that is an http(s) address, else as plain text."""
    if not is_web_address(url):
        return esc(text)
    return f'<a href="{esc(url.strip())}" target="_blank" rel="noopener noreferrer nofollow">{esc(text)}</a>'


def is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in LINK_SCHEMES and bool(parts.netloc) and not any(c.isspace() for c in url.strip())


def highlight(text: str, spans) -> str:
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
    return "".join(out)


BASIS_NOTES = {
    "organisation": "The sentence names this place only inside an organisation's name.",
    "government": "The sentence names the capital as an actor (its government); the event sits at the country.",
    "paragraph": "The sentence names no place; this one comes from an earlier sentence of its paragraph.",
    "document": "No place in the sentence or its paragraph: this is the country the document is about.",
}


STATUS_LABELS = {"planned": "planned or considered, not done", "denied": "denied or negated in the text",
                 "alleged": "alleged"}


def figure_label(figure: Figure) -> str:
    if figure.kind == "money":
        return f"{figure.unit} {figure.value:,.0f}"
    count = "an unstated number of" if figure.value is None else f"{figure.value:,.0f}"
    return f"{count} {figure.unit}" + (f" {figure.role}" if figure.role else "")


def geography_line(facts: PlaceFacts) -> str:
    """The place's province and its distance to the nearest international land border, if known."""
    parts = []
    if facts.admin1:
        parts.append(f"Province: {esc(facts.admin1)}")
    if facts.border_km is not None:
        parts.append(f"{esc(facts.border_km)} km from an international land border")
    return ("<br>" + " · ".join(parts)) if parts else ""


def place_line(name: str, kind: str, resolved_by: str, precision_km, basis: str = "") -> str:
    text = f"<b>{esc(name)}</b> ({esc(kind)}) · resolved by {esc(resolved_by)} · ±{esc(_km(precision_km))}"
    if basis in BASIS_NOTES:
        text += f"<br><i>{esc(BASIS_NOTES[basis])}</i>"
    return text


def _km(value) -> str:
    value = float(value)
    return f"{value:g} km"
