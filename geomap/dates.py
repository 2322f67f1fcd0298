"""Date expressions in a sentence, resolved against the publication date, with their precision.

The expressions are found with patterns written here (so each date cites the exact words it came
from); turning them into dates is dateparser's job, with the publication date as its relative base.
What dateparser does not read ("last October", "since the end of 2019", "earlier this year") is
rewritten into a form it does read, with the base moved where the phrase needs it.

Texts are untrusted, so a date is kept only if it is plausible: not before 1900, and not more than
a year after the publication date (or after today, for a text with no known date). A year further
on is room enough for the plans news reports ("the casino will reopen next spring"); anything
later is a typo or a misreading, and one such date once made a build draw 24,000 months. A
publication date outside that range is no base at all: relative expressions are then not resolved.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from dateparser.date import DateDataParser

from .matching import PatternFilter
from .records import EventDate

_MONTH = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
          r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
#: A month's name as news writes it ("Sept.", "August"), for patterns elsewhere
MONTH_NAME = _MONTH
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"

# (kind, pattern): tried in this order; an expression never overlaps one found before it.
# "and" makes a range only after "between": "on May 3 and 4 people were arrested" is no range
_DASH = r"(?:\s*(?:-|–|—)\s*|\s+(?:to|until|through)\s+)"
_AND = r"\s+and\s+"
_PATTERNS = [
    # ranges: "between August 17 and August 19", "from May 3 to 5, 2025", "17-19 August", "Aug. 17–19"
    ("range", rf"\b[Bb]etween\s+{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?{_AND}(?:{_MONTH}\s+)?{_DAY}\b(?:,?\s+{_YEAR}\b)?"),
    ("range", rf"\b[Bb]etween\s+{_DAY}(?:\s+{_MONTH})?{_AND}{_DAY}\s+{_MONTH}\b(?:,?\s+{_YEAR}\b)?"),
    ("range", rf"\b(?:[Ff]rom\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?{_DASH}(?:{_MONTH}\s+)?{_DAY}\b"
              rf"(?:,?\s+{_YEAR}\b)?"),
    ("range", rf"\b(?:[Ff]rom\s+)?{_DAY}(?:\s+{_MONTH})?{_DASH}{_DAY}\s+{_MONTH}\b(?:,?\s+{_YEAR}\b)?"),
    # "Nov. 28 last year", "February last year": the year said in words
    ("day_of_said_year", rf"\b{_MONTH}\s+{_DAY},?\s+(?:last|this)\s+year\b"),
    ("month_of_said_year", rf"\b{_MONTH}\s+(?:of\s+)?(?:last|this)\s+year\b"),
    # "late October", "mid-June 2025", "early 2024": a part of a month or a year, kept as its window
    ("part_of_month", rf"\b(?:[Ee]arly|[Mm]id|[Ll]ate)[- ]{_MONTH}\b(?:,?\s+{_YEAR}\b)?"),
    ("part_of_year", rf"\b(?:[Ee]arly|[Mm]id|[Ll]ate)[- ]{_YEAR}\b"),
    # "at the start of October", "the first days of January", "the end of May 2024": the same parts
    ("part_of_month_said", rf"\b(?:[Aa]t\s+)?[Tt]he\s+(?:start|beginning|first\s+(?:days|week)|middle|end|"
                           rf"last\s+(?:days|week))\s+of\s+{_MONTH}\b(?:,?\s+{_YEAR}\b)?"),
    ("absolute", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    ("absolute", rf"\b{_DAY}\s+{_MONTH}\s+{_YEAR}\b"),
    ("absolute", rf"\b{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"),
    ("month_year", rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
    ("end_of_year", rf"\b(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+{_YEAR}\b"),
    ("month_day", rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s*{_YEAR})"),
    ("month_day", rf"\b{_DAY}\s+{_MONTH}\b(?!,?\s*{_YEAR})"),
    ("last_month_name", rf"\b[Ll]ast\s+{_MONTH}\b"),
    ("relative", r"\b(?:[Ee]arlier|[Ll]ater)\s+this\s+(?:year|month|week)\b"),
    ("relative", r"\b(?:[Ll]ast|[Tt]his|[Pp]revious|[Pp]ast)\s+(?:year|month|week)\b(?!'s)"),
    ("relative", r"\b(?:[Yy]esterday|[Tt]oday)\b"),
    # "next week", "within the next week", "in the coming days": a stretch after the publication
    ("coming", r"\b(?:[Nn]ext\s+(?:week|month|year)|(?:[Ww]ithin|[Ii]n|[Oo]ver)\s+the\s+(?:next|coming)\s+"
               r"(?:(?:few|two|three)\s+)?(?:days?|weeks?|month))\b"),
    # "between Thursday and Saturday", "from Monday to Wednesday": the days of a week, as a window
    ("weekday_range", rf"\b(?:[Bb]etween\s+{_WEEKDAY}{_AND}|(?:[Ff]rom\s+)?{_WEEKDAY}{_DASH}){_WEEKDAY}\b"),
    ("weekday", rf"\b(?:[Ll]ast\s+)?{_WEEKDAY}\b"),
    ("weekend", r"\b(?:(?:over|at|during)\s+the|[Ll]ast|[Pp]ast)\s+weekend\b"),
    ("month_name", rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Mm]id-?)\s+{_MONTH}\b"),
    ("year", rf"(?<![\d$.,])\b{_YEAR}\b(?![\d%-])"),
]
_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _PATTERNS]
# which of them a text may hold a match of: those it holds none of are not searched
_COMPILED_FILTER = PatternFilter([pattern for _, pattern in _PATTERNS])
# Every pattern above needs one of these: a text without any holds no date (most sentences).
_MAY_HOLD_A_DATE = re.compile(r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|day|week|month|year")
_PERIOD_PRECISION = {"day": "day", "week": "month", "month": "month", "year": "year"}

#: The earliest date a news text can plausibly report or be published on.
EARLIEST_PLAUSIBLE_DATE = dt.date(1900, 1, 1)
_ISO_PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets within the text searched
    end: int
    text: str
    date: EventDate


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later (29 February becomes 28 February; the last year stays put)."""
    if day.year >= dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def latest_plausible_publication(today: dt.date | None = None) -> dt.date:
    """The latest publication date believed: a year from today (a scheduled or misdated article)."""
    return one_year_after(today or dt.date.today())


def period_start(iso: str) -> dt.date | None:
    """The first day of a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` period, or None if it is not one."""
    match = _ISO_PERIOD.fullmatch(iso)
    if not match:
        return None
    year, month, day = (int(part or 1) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:  # year 0000, month 13, 30 February
        return None


def is_plausible(iso: str, latest: dt.date) -> bool:
    """Whether a period starts between 1900 and ``latest`` (inclusive)."""
    start = period_start(iso)
    return start is not None and EARLIEST_PLAUSIBLE_DATE <= start <= latest


def is_plausible_publication(published: str, today: dt.date | None = None) -> bool:
    """Whether a publication date is between 1900 and a year from today."""
    return is_plausible(published, latest_plausible_publication(today))


def publication_base(published: str, precision: str) -> dt.datetime | None:
    """The last day of the publication's period: a date said without a year lies at or before it.
    None when the publication date is unknown, malformed or implausible."""
    if not published or not is_plausible_publication(published):
        return None
    try:
        parts = [int(p) for p in published.split("-")]
        year = parts[0]
        if precision == "year":
            return dt.datetime(year, 12, 31)
        month = parts[1]
        if precision == "month":
            return dt.datetime(year, month, calendar.monthrange(year, month)[1])
        return dt.datetime(year, month, parts[2])
    except (ValueError, IndexError):
        return None  # a precision the date does not carry ("2022" said to be a day)


def find_dates(text: str, published: str = "", precision: str = "") -> list[DateMention]:
    """Every date expression in ``text``, in order, resolved against the publication date.
    Dates outside the plausible range (see the module docstring) are left out."""
    return list(_find_dates(text, published, precision))


#: At most this many date expressions are read from one text: each costs dateparser about a
#: millisecond, and a "sentence" of thousands of numbers is a table or an attack, not news.
MAX_DATES_PER_TEXT = 300


@lru_cache(maxsize=256)  # one sentence is asked once per trigger it holds
def _find_dates(text: str, published: str, precision: str) -> tuple[DateMention, ...]:
    if not _MAY_HOLD_A_DATE.search(text):
        return ()
    base = publication_base(published, precision)
    latest = one_year_after(base.date()) if base else latest_plausible_publication()
    taken = _Spans()
    found = []
    for index in _COMPILED_FILTER.possible(text.lower()):
        kind, pattern = _COMPILED[index]
        for match in pattern.finditer(text):
            if len(taken) >= MAX_DATES_PER_TEXT:
                break
            start, end = match.span()
            if taken.overlaps(start, end):
                continue
            date = _resolve(kind, match.group(), base, precision)
            if date is None:
                if kind == "day_of_said_year":
                    taken.add(start, end)  # "Feb 29 last year" of a year without one: no date, not this year's
                continue
            # an implausible date still takes its words, so no shorter pattern reads them differently
            taken.add(start, end)
            if is_plausible(date.iso, latest):
                found.append(DateMention(start, end, match.group(), date))
    found.sort(key=lambda d: d.start)
    # "on Wednesday, Dec. 3": one date, the one the weekday names, not the last Wednesday before
    # publication and Dec. 3 besides
    joined: list[DateMention] = []
    for mention in found:
        before = joined[-1] if joined else None
        if before is not None and _A_WEEKDAY.fullmatch(before.text) and mention.date.precision == "day" \
                and text[before.end:mention.start] in (", ", " ") and not _A_WEEKDAY.fullmatch(mention.text):
            joined[-1] = DateMention(before.start, mention.end, text[before.start:mention.end],
                                     replace(mention.date, text=text[before.start:mention.end]))
        else:
            joined.append(mention)
    return tuple(joined)


# a weekday read alone ("Wednesday", "last Wednesday"), as the "weekday" pattern above reads it
_A_WEEKDAY = re.compile(rf"(?:(?:on|last|this|next)\s+)?{_WEEKDAY}", re.I)


class _Spans:
    """Spans that do not overlap, kept sorted: an overlap is a look-up, not a scan of all of them
    (which made a text of thousands of dates quadratic)."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def __len__(self) -> int:
        return len(self.starts)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start)
        before = index > 0 and self.ends[index - 1] > start
        after = index < len(self.starts) and self.starts[index] < end
        return before or after

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_right(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def _resolve(kind: str, expression: str, base: dt.datetime | None, pub_precision: str) -> EventDate | None:
    words = " ".join(expression.split())
    if kind == "range":
        return _resolve_range(words, base, pub_precision)
    if kind == "part_of_year":
        year = int(re.search(_YEAR, words).group())
        first, last = _PART_OF_YEAR[words[:3].lower()]
        return EventDate(iso=f"{year:04d}", precision="year", text=words, start=f"{year:04d}-{first}",
                         end=f"{year:04d}-{last}")
    if kind in ("day_of_said_year", "month_of_said_year"):
        if base is None:
            return None
        year = base.year - 1 if "last" in words.lower() else base.year
        said = re.sub(r",?\s+(?:of\s+)?(?:last|this)\s+year$", "", words, flags=re.I)
        return _parse(f"{said} {year}", base, words)
    if kind == "part_of_month_said":
        part = re.search(r"\b(start|beginning|first|middle|end|last)\b", words, re.I).group(1).lower()
        month_words = re.sub(r"^.*?\bof\s+", "", words)
        early_mid_late = {"start": "early", "beginning": "early", "first": "early", "middle": "mid"}.get(part, "late")
        return _resolve("part_of_month", f"{early_mid_late} {month_words}", base, pub_precision)
    if kind == "part_of_month":
        part, month_words = words[:3].lower(), re.sub(r"^(?:early|mid|late)[- ]", "", words, flags=re.I)
        month = (_parse(month_words, base or dt.datetime(2000, 1, 1), words) if re.search(_YEAR, month_words)
                 else _resolve("month_name", f"in {month_words}", base, pub_precision))
        if month is None or month.precision != "month":
            return None
        first, last = month.period
        days = {"ear": ("01", "10"), "mid": ("11", "20"), "lat": ("21", last[-2:])}[part]
        return EventDate(iso=month.iso, precision="month", text=words,
                         start=f"{month.iso}-{days[0]}", end=f"{month.iso}-{days[1]}")
    if kind in ("absolute", "month_year", "year"):
        return _parse(words, base or dt.datetime(2000, 1, 1), words)
    if kind == "end_of_year":
        return _parse(re.search(r"\d{4}", words).group(), dt.datetime(2000, 1, 1), words)
    if base is None:
        return None  # relative to a publication date nobody knows
    if kind == "month_day":
        return _parse(words, base, words)
    if kind == "last_month_name":
        # "last October": the October before the publication's period began
        month_name = words.split(None, 1)[1]
        start_of_period = base.replace(month=1, day=1) if pub_precision == "year" else base.replace(day=1)
        return _parse(month_name, start_of_period - dt.timedelta(days=1), words)
    if kind == "month_name":
        month_name = re.sub(r"^(?:in|since|by|until|early|late|mid-?)\s*", "", words, flags=re.I)
        return _parse(month_name, base, words)
    if kind == "weekend":
        if pub_precision != "day":
            return None
        # the last Saturday and Sunday up to the publication day; "last weekend" in a weekend's
        # paper is the one before
        saturday = base.date() - dt.timedelta(days=(base.weekday() - 5) % 7)
        if words.lower().startswith(("last", "past")) and base.weekday() >= 5:
            saturday -= dt.timedelta(days=7)
        sunday = min(saturday + dt.timedelta(days=1), base.date())
        return EventDate(iso=saturday.isoformat(), precision="day", text=words, start=saturday.isoformat(),
                         end=sunday.isoformat())
    if kind == "weekday_range":
        if pub_precision != "day":
            return None
        first_day, last_day = re.findall(_WEEKDAY, words)
        first = _resolve("weekday", first_day, base, pub_precision)
        if first is None:
            return None
        # the window runs from the first day named, as a weekday alone would read it, to the next
        # day of the second name: a range said on its first day may run past the publication
        start = dt.date.fromisoformat(first.iso)
        end = start + dt.timedelta(days=(_WEEKDAYS.index(last_day.lower()) - _WEEKDAYS.index(first_day.lower())) % 7)
        return EventDate(iso=start.isoformat(), precision="day", text=words, start=start.isoformat(),
                         end=end.isoformat())
    if kind == "coming":
        return _coming(words, base.date(), pub_precision)
    if kind == "weekday":
        if pub_precision != "day":
            return None  # "on Monday" needs the publication day
        if words.split()[-1].lower() == base.strftime("%A").lower() and not words.lower().startswith("last"):
            # "on Friday" in Friday's paper is that day (dateparser would go a week back)
            return EventDate(iso=base.strftime("%Y-%m-%d"), precision="day", text=words)
        return _parse(words, base, words)
    # relative: this/last year, month, week; yesterday, today
    unit = words.split()[-1].lower()
    needed = {"year": ("year", "month", "day"), "month": ("month", "day")}.get(unit, ("day",))
    if pub_precision not in needed:
        return None
    phrase = re.sub(r"^(?:earlier|later)\s+", "", words, flags=re.I)
    phrase = re.sub(r"^(?:previous|past)\s+", "last ", phrase, flags=re.I)
    return _parse(phrase, base, words)


_COMING_DAYS = {"day": 1, "days": 7, "week": 7, "weeks": 30, "month": 31}


def _coming(words: str, published: dt.date, pub_precision: str) -> EventDate | None:
    """"next week" (Monday to Sunday after the publication's week), "next month", "next year";
    "within the next week", "in the coming days" (that many days from the publication day on: a plan
    in the morning's paper may be carried out that day).
    A stretch within a month keeps the month's precision and the stretch as its window."""
    unit = words.split()[-1].lower()
    if words.lower().startswith("next"):
        if unit == "year":
            return EventDate(iso=f"{published.year + 1:04d}", precision="year", text=words)
        if pub_precision == "year":
            return None
        if unit == "month":
            year, month = (published.year, published.month + 1) if published.month < 12 else (published.year + 1, 1)
            return EventDate(iso=f"{year:04d}-{month:02d}", precision="month", text=words)
        if pub_precision != "day":
            return None
        first = published + dt.timedelta(days=7 - published.weekday())
        last = first + dt.timedelta(days=6)
    else:
        if pub_precision != "day":
            return None
        count = {"two": 2, "three": 3}.get(words.split()[-2].lower())
        days = count * (7 if unit.startswith("week") else 1) if count else _COMING_DAYS[unit]
        first, last = published, published + dt.timedelta(days=days - 1)
    return EventDate(iso=f"{first.year:04d}-{first.month:02d}", precision="month", text=words,
                     start=first.isoformat(), end=last.isoformat())


#: "early 2024" is its first quarter, "mid-2024" May to August, "late 2024" its last quarter.
_PART_OF_YEAR = {"ear": ("01-01", "03-31"), "mid": ("05-01", "08-31"), "lat": ("10-01", "12-31")}


def _resolve_range(words: str, base: dt.datetime | None, pub_precision: str) -> EventDate | None:
    """A range of days: its first day, with the range as the window. The month and the year of
    one end stand for the other's when it gives none ("17-19 August 2025")."""
    years = re.findall(_YEAR, words)
    without_year = re.sub(_YEAR, " ", words)
    months = re.findall(_MONTH, without_year)
    days = re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", without_year)
    if not months or len(days) < 2:
        return None
    # each end keeps its own year ("March 1, 2023 to March 5, 2024"); one year serves both
    first_year, last_year = (f" {years[0]}", f" {years[-1]}") if years else ("", "")
    kind = "absolute" if years else "month_day"
    first = _resolve(kind, f"{months[0]} {days[0]}{first_year}", base, pub_precision)
    last = _resolve(kind, f"{months[-1]} {days[-1]}{last_year}", base, pub_precision)
    if first is None or last is None or first.precision != "day" or last.precision != "day":
        return None
    if last.iso < first.iso or first.iso[:4] != last.iso[:4] or (len(months) == 1 and int(days[0]) > int(days[-1])):
        return None  # "from 30 to 2 January", across a month or a year end: left to the single dates
    return EventDate(iso=first.iso, precision="day", text=words, start=first.iso, end=last.iso)


@lru_cache(maxsize=8192)  # news repeats its dates
def _parse(phrase: str, base: dt.datetime, expression: str) -> EventDate | None:
    plain = _plain_date(phrase, base)
    if plain is not None:
        return None if plain is _NO_DATE else EventDate(iso=plain[0], precision=plain[1], text=expression)
    relative = _relative_date(phrase, base)
    if relative is not None:
        return _as_event_date(relative[0], relative[1], expression)
    data = _parser(base, _is_relative(phrase)).get_date_data(phrase)
    if data.date_obj is None:
        return None
    return _as_event_date(data.date_obj, data.period or "day", expression)


def _as_event_date(day: dt.datetime | dt.date, period: str, expression: str) -> EventDate:
    precision = _PERIOD_PRECISION.get(period, "day")
    # not strftime: it does not pad years before 1000, which would make the ISO string ambiguous
    iso = {"day": f"{day.year:04d}-{day.month:02d}-{day.day:02d}", "month": f"{day.year:04d}-{day.month:02d}",
           "year": f"{day.year:04d}"}[precision]
    if period == "week":  # "last week": the month is its precision, the seven days its window
        monday = (day.date() if isinstance(day, dt.datetime) else day) - dt.timedelta(days=day.weekday())
        return EventDate(iso=iso, precision=precision, text=expression, start=monday.isoformat(),
                         end=(monday + dt.timedelta(days=6)).isoformat())
    return EventDate(iso=iso, precision=precision, text=expression)


# Calendar dates spelled out in full ("March 5, 2024", "5 March", "March 2024"): read here, as
# dateparser reads them (a missing year is the latest that does not put the date after the base),
# in microseconds instead of the millisecond dateparser takes; anything else goes to dateparser.
_MONTH_NUMBER = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_PLAIN_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_PLAIN_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_PLAIN_YEAR = r"(?P<year>\d{4})"
_PLAIN_FORMS = [re.compile(form) for form in (
    rf"{_PLAIN_MONTH} {_PLAIN_DAY},? {_PLAIN_YEAR}", rf"{_PLAIN_DAY} {_PLAIN_MONTH},? {_PLAIN_YEAR}",
    rf"{_PLAIN_MONTH},? (?:of )?{_PLAIN_YEAR}", rf"{_PLAIN_YEAR}",
    rf"{_PLAIN_MONTH} {_PLAIN_DAY}", rf"{_PLAIN_DAY} {_PLAIN_MONTH}", rf"{_PLAIN_MONTH}")]
_NO_DATE = ("", "")


def _plain_date(phrase: str, base: dt.datetime) -> tuple[str, str] | None:
    """(iso, precision) of a plain calendar date, _NO_DATE for one that does not exist (30 February),
    None for any other phrase."""
    for form in _PLAIN_FORMS:
        match = form.fullmatch(phrase)
        if match:
            break
    else:
        return None
    parts = match.groupdict()
    month = _MONTH_NUMBER.get(parts["month"].lower()) if parts.get("month") else None
    if parts.get("month") and month is None:
        return None
    day = int(parts["day"]) if parts.get("day") else None
    if parts.get("year"):
        year = int(parts["year"])
    else:  # the latest year that keeps the date at or before the base, and has it (29 February)
        year = base.year if (month, day or 1) <= (base.month, base.day) else base.year - 1
        while month == 2 and day == 29 and not calendar.isleap(year):
            year -= 1
    if month is None:
        return f"{year:04d}", "year"
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    if not 1 <= year or day > calendar.monthrange(year, month)[1] or day < 1:
        return _NO_DATE
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE_FORM = re.compile(r"(?:(?P<last>last|this) )?(?P<unit>week|month|year|" + "|".join(_WEEKDAYS) + ")"
                            r"|(?P<day>today|yesterday)", re.I)


def _relative_date(phrase: str, base: dt.datetime) -> tuple[dt.date, str] | None:
    """(day, period) of "Monday", "last Monday", "this/last week, month, year", "today" and
    "yesterday", read as dateparser reads them against ``base`` (a weekday is the one before the
    base day); None for any other phrase."""
    match = _RELATIVE_FORM.fullmatch(phrase)
    if not match:
        return None
    day = base.date()
    if match.group("day"):
        return (day if match.group("day").lower() == "today" else day - dt.timedelta(days=1)), "day"
    unit, last = match.group("unit").lower(), (match.group("last") or "").lower() == "last"
    if unit in _WEEKDAYS:
        back = (day.weekday() - _WEEKDAYS.index(unit)) % 7 or 7
        return day - dt.timedelta(days=back), "day"
    if not match.group("last"):
        return None  # a bare "week" is no date
    if unit == "week":
        return (day - dt.timedelta(days=7) if last else day), "week"
    if unit == "month":
        if not last:
            return day, "month"
        year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
        return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1])), "month"
    return (dt.date(max(day.year - 1, 1), 1, 1) if last else day), "year"


#: Phrases only dateparser's relative ("freshness") parser reads; every other phrase goes to its
#: absolute parser alone, which is three times faster than trying the relative one first.
_RELATIVE_WORDS = re.compile(r"\b(?:ago|last|this|next|previous|past|yesterday|today|tomorrow|week|"
                             r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


def _is_relative(phrase: str) -> bool:
    return bool(_RELATIVE_WORDS.search(phrase))


@lru_cache(maxsize=64)
def _parser(base: dt.datetime, relative: bool = True) -> DateDataParser:
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False,
        "PREFER_DAY_OF_MONTH": "first",
        **({} if relative else {"PARSERS": ["absolute-time"]}),
    })


def publication_date(published: str, precision: str) -> EventDate:
    """An event's date when its sentence gives none: the publication date, flagged as such."""
    if not published:
        return EventDate()
    return EventDate(iso=published, precision=precision, from_publication=True)
