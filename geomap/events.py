"""Events: a trigger word in a sentence, with the sentence's date and its most specific place.

One event per sentence, of the most telling type among its triggers (a raid outranks the statement
that reports it). Every event keeps its document, its sentence and the offsets of its trigger,
date and place, so the map can cite the exact words."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .dates import find_dates, publication_date
from .records import KIND_SPECIFICITY, Document, Event, Resolution, Sentence

# Types in order of precedence, each with the words that trigger it (regular expressions on words).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "raid": (r"raid(?:s|ed|ing)?", r"crack(?:s|ed|ing)? down", r"crackdowns?", r"sweeping operations?",
             r"swoop(?:s|ed)?", r"busted"),
    "arrest": (r"arrest(?:s|ed|ing)?", r"detain(?:s|ed|ing)?", r"detentions?", r"apprehend(?:ed)?",
               r"(?:taken|held) into custody"),
    "rescue": (r"rescu(?:e|es|ed|ing)", r"freed", r"liberated"),
    "deportation": (r"deport(?:s|ed|ing|ations?)?", r"repatriat(?:ed|ion|ing)", r"expell?ed"),
    "seizure": (r"seiz(?:e|ed|es|ing|ures?)", r"confiscat(?:ed|ion)", r"forfeit(?:ed|ure)",
                r"froze|frozen|freez(?:e|ing) (?:of )?assets"),
    "sanction": (r"sanction(?:s|ed|ing)?", r"embargo(?:es)?", r"blacklist(?:ed)?"),
    "legal": (r"indict(?:ed|ment|ments)?", r"charged", r"trials?", r"extradit(?:ed|ion|e)",
              r"convicted", r"sentenced", r"prosecut(?:ed|ion|ors?)", r"sent to court", r"lawsuits?"),
    "abuse": (r"traffick(?:ed|ing|ers?)", r"forced labou?r", r"enslav(?:ed|ement)", r"tortur(?:ed|e)",
              r"kidnapp(?:ed|ing|ings)", r"extortion", r"ransoms?", r"beaten", r"harvest(?:ed|ing)",
              r"murders?", r"shooting", r"abuse[sd]?", r"imprisonment", r"drew blood"),
    "military": (r"military", r"naval", r"warships?", r"troops", r"(?:joint )?exercises?",
                 r"defen[cs]e cooperation", r"arms"),
    "infrastructure": (r"canal", r"constructs?|construction", r"land bridge", r"upgraded", r"expansion",
                       r"started works", r"railway", r"port"),
    "meeting": (r"met", r"meet(?:s|ing|ings)?", r"visit(?:s|ed|ing)?", r"talks", r"summit"),
    "statement": (r"statements?", r"(?:open )?letters?", r"den(?:y|ied|ies|ial)", r"warn(?:s|ed|ing)",
                  r"reject(?:s|ed)", r"announc(?:ed|ement|es)", r"urg(?:ed|es)", r"called for",
                  r"acknowledged", r"recanted", r"declined to comment"),
    "report": (r"report(?:s|ed)?", r"findings?", r"published", r"according to", r"documentar(?:y|ies)"),
}

_TRIGGERS = [(event_type, re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I))
             for event_type, words in EVENT_TYPES.items()]


@dataclass(frozen=True)
class Trigger:
    type: str
    start: int  # offsets in the document
    end: int
    text: str


def find_trigger(sentence: Sentence) -> Trigger | None:
    """The trigger of the highest-precedence type in the sentence (its first occurrence)."""
    for event_type, pattern in _TRIGGERS:
        match = pattern.search(sentence.text)
        if match:
            return Trigger(event_type, sentence.start + match.start(), sentence.start + match.end(),
                           match.group())
    return None


def extract_events(document: Document, resolutions: Sequence[Resolution],
                   embedded: Sequence[Resolution] = ()) -> list[Event]:
    """Events of one document. ``embedded`` are resolved names found inside organisation names
    ("Sihanoukville Provincial Gendarmerie"): used only when a sentence names no place itself."""
    by_sentence: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        by_sentence.setdefault(resolution.mention.sentence_index, []).append(resolution)
    embedded_by_sentence: dict[int, list[Resolution]] = {}
    for resolution in embedded:
        embedded_by_sentence.setdefault(resolution.mention.sentence_index, []).append(resolution)

    main_country = _main_country(resolutions)
    events: list[Event] = []
    seen_texts: set[str] = set()
    stem = document.doc.rsplit(".", 1)[0]
    for sentence in document.sentences:
        key = _normalise(sentence.text)
        if key in seen_texts:
            continue  # a headline or lede printed twice is one report, not two
        seen_texts.add(key)
        trigger = find_trigger(sentence)
        if trigger is None:
            continue
        place, basis = _choose_place(by_sentence.get(sentence.index, ()), trigger), "sentence"
        if place is None:
            place, basis = _choose_place(embedded_by_sentence.get(sentence.index, ()), trigger), "organisation"
        if place is None:
            place, basis = _paragraph_place(document, sentence, by_sentence, trigger), "paragraph"
        if place is None:
            place, basis = main_country, "document"
        date = _choose_date(document, sentence, trigger)
        events.append(Event(
            event_id=f"{stem}-s{sentence.index:03d}", doc=document.doc, type=trigger.type,
            trigger=trigger.text, trigger_start=trigger.start, trigger_end=trigger.end,
            sentence_start=sentence.start, sentence_end=sentence.end, quote=sentence.text, date=date,
            place=place.place if place else None,
            place_surface=place.mention.surface if place else "",
            place_start=place.mention.start if place else -1, place_end=place.mention.end if place else -1,
            resolved_by=place.resolved_by if place else "", place_basis=basis if place else "",
        ))
    return events


def _main_country(resolutions: Sequence[Resolution]) -> Resolution | None:
    """The country a document is about, when one country has most of its country mentions:
    the place of last resort for an event whose paragraph names none ("the country has cracked
    down on 24 cases"), shown as such."""
    countries = [r for r in resolutions if r.place is not None and r.place.kind == "country"]
    if not countries:
        return None
    counts = Counter(r.place.id for r in countries)
    place_id, count = counts.most_common(1)[0]
    if count * 2 <= len(countries):
        return None
    return next(r for r in countries if r.place.id == place_id)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _choose_place(resolutions: Sequence[Resolution], trigger: Trigger) -> Resolution | None:
    """The most specific resolved place (a city over its country); ties go to the finer precision,
    then to the name nearest the trigger."""
    resolved = [r for r in resolutions if r.place is not None]
    if not resolved:
        return None
    return min(resolved, key=lambda r: (-KIND_SPECIFICITY.get(r.place.kind, 0), r.place.precision_km,
                                        abs(r.mention.start - trigger.start), r.mention.start))


def _paragraph_place(document: Document, sentence: Sentence, by_sentence, trigger: Trigger):
    line_start = document.text.rfind("\n", 0, sentence.start) + 1
    for previous in range(sentence.index - 1, -1, -1):
        if document.sentences[previous].start < line_start:
            break
        place = _choose_place(by_sentence.get(previous, ()), trigger)
        if place is not None:
            return place
    return None


def _choose_date(document: Document, sentence: Sentence, trigger: Trigger):
    dates = find_dates(sentence.text, document.published, document.published_precision)
    if not dates:
        return publication_date(document.published, document.published_precision)
    precision_rank = {"day": 0, "month": 1, "year": 2}
    nearest = min(dates, key=lambda d: (abs(sentence.start + d.start - trigger.start),
                                        precision_rank[d.date.precision]))
    return nearest.date
