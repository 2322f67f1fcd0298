import pytest

from geomap.dates import find_dates


def dates(text, published="", precision=""):
    return [(d.text, d.date.iso, d.date.precision) for d in find_dates(text, published, precision)]


def test_weekday_with_explicit_date_resolves_against_publication_day():
    assert ("February 20", "2022-02-20", "day") in dates("met on Sunday (February 20) with", "2022-02-22", "day")


def test_a_weekday_before_its_date_is_one_date_the_dates():
    # not the last Wednesday before publication and Dec. 3 besides
    assert dates("searched the premises on Wednesday, Dec. 3, detaining three", "2026-02-22", "day") == \
        [("Wednesday, Dec. 3", "2025-12-03", "day")]
    assert dates("left on Monday, Tuesday he came back", "2026-02-22", "day") == \
        [("Monday", "2026-02-16", "day"), ("Tuesday", "2026-02-17", "day")]


def test_bare_weekday_needs_a_publication_day():
    assert dates("reported on Monday.", "2022-02-22", "day") == [("Monday", "2022-02-21", "day")]
    assert dates("reported on Monday.", "2022-02", "month") == []


@pytest.mark.parametrize("text,published,precision,expected", [
    ("on Feb. 24", "2022", "year", ("Feb. 24", "2022-02-24", "day")),
    ("Wednesday (Nov 26)", "2025-11", "month", ("Nov 26", "2025-11-26", "day")),
    ("in August 2021", "2022", "year", ("August 2021", "2021-08", "month")),
    ("Last October, he met", "2026-01", "month", ("Last October", "2025-10", "month")),
    ("In October, the US seized", "2026-01", "month", ("In October", "2025-10", "month")),
    ("In 2023, 283 were deported", "2025-11", "month", ("2023", "2023", "year")),
    ("Last year, that number was", "2025-11", "month", ("Last year", "2024", "year")),
    ("earlier this year", "2024", "year", ("earlier this year", "2024", "year")),
    ("since the end of 2019", "2022", "year", ("the end of 2019", "2019", "year")),
    ("photo dated Oct 22, 2025", "", "", ("Oct 22, 2025", "2025-10-22", "day")),
    ("in June", "2024", "year", ("in June", "2024-06", "month")),
])
def test_expressions_resolve_with_precision(text, published, precision, expected):
    assert expected in dates(text, published, precision)


def test_a_day_after_the_publication_date_belongs_to_the_year_before():
    assert dates("on December 30", "2026-01-05", "day") == [("December 30", "2025-12-30", "day")]


def test_relative_expressions_without_publication_date_are_not_guessed():
    assert dates("Last year and last October and on Feb. 24") == []


def test_money_and_counts_are_not_years():
    assert dates("US$2015 million, 2,982 people, 1,859 foreigners and 49 percent") == []


def test_a_text_of_thousands_of_dates_is_read_in_bounded_work(monkeypatch):
    """Each date expression costs dateparser about a millisecond: a "sentence" of 20,000 years (a
    table, or an attack) reads at most MAX_DATES_PER_TEXT of them, and a sentence asked about once
    per trigger is read once."""
    from geomap import dates

    calls = []
    real = dates._resolve
    monkeypatch.setattr(dates, "_resolve", lambda *args: calls.append(args) or real(*args))
    dates._find_dates.cache_clear()
    text = "Police raided and arrested and deported people in Poipet in " + "2024 " * 20000
    first = dates.find_dates(text, "2024-05-01", "day")
    assert 0 < len(first) <= dates.MAX_DATES_PER_TEXT
    assert len(calls) <= dates.MAX_DATES_PER_TEXT + len(dates._COMPILED)
    calls.clear()
    assert dates.find_dates(text, "2024-05-01", "day") == first and calls == []


@pytest.mark.parametrize("text,iso,window", [
    ("between August 17 and August 19", "2025-08-17", ("2025-08-17", "2025-08-19")),
    ("from May 3 to 5, 2025", "2025-05-03", ("2025-05-03", "2025-05-05")),
    ("on 17-19 August", "2025-08-17", ("2025-08-17", "2025-08-19")),
    ("On Nov. 28 last year", "2024-11-28", ("2024-11-28", "2024-11-28")),
    ("in February last year", "2024-02", ("2024-02-01", "2024-02-29")),
    ("in late October", "2024-10", ("2024-10-21", "2024-10-31")),
    ("in mid-June 2025", "2025-06", ("2025-06-11", "2025-06-20")),
    ("In late 2023", "2023", ("2023-10-01", "2023-12-31")),
    ("last week", "2025-08", ("2025-08-11", "2025-08-17")),
])
def test_ranges_and_parts_of_periods_keep_their_window(text, iso, window):
    published = "2025-08-22" if "August" in text or "May" in text or "week" in text else "2025-01-05"
    found, = find_dates(text, published, "day")
    assert (found.date.iso, found.date.window) == (iso, window)


def test_a_day_the_said_year_lacks_is_no_date_and_a_range_over_years_is_two_dates():
    assert find_dates("Feb 29 last year they met", "2024-03-10", "day") == []  # 2023 had no 29 February
    found = find_dates("from March 1, 2023 to March 5, 2024", "2024-06-01", "day")
    assert [(d.date.iso, d.date.window) for d in found] == [
        ("2023-03-01", ("2023-03-01", "2023-03-01")), ("2024-03-05", ("2024-03-05", "2024-03-05"))]


_PLAIN_AND_RELATIVE = ["March 5, 2024", "5 March 2024", "Sept. 3, 2022", "3rd May 2021", "March 2024", "March of 2024",
                       "2024", "March 5", "5 March", "Jan. 31", "Feb 29", "Feb. 30", "April 31, 2024", "December", "May",
                       "Monday", "last Monday", "Sunday", "this week", "last week", "this month", "last month",
                       "this year", "last year", "today", "yesterday"]


@pytest.mark.parametrize("base", ["2023-01-01", "2023-02-28", "2023-03-01", "2023-06-15", "2023-12-31", "2024-01-04",
                                  "2024-02-29", "2024-03-31", "2024-08-17", "2025-03-01"])
def test_the_fast_readings_agree_with_dateparser(base):
    """Plain calendar dates and the common relative words are read without dateparser (it takes
    about a millisecond each); every reading must be the one dateparser gives."""
    import datetime as dt

    from geomap import dates

    day = dt.datetime.fromisoformat(base)
    for phrase in _PLAIN_AND_RELATIVE:
        assert dates._plain_date(phrase, day) is not None or dates._relative_date(phrase, day) is not None, phrase
        ours = dates._parse.__wrapped__(phrase, day, phrase)
        data = dates._parser(day, True).get_date_data(phrase)
        theirs = None if data.date_obj is None else dates._as_event_date(data.date_obj, data.period or "day", phrase)
        assert ours == theirs, (base, phrase)


@pytest.mark.parametrize("text,published,window", [
    ("began questioning them over the weekend", "2025-11-11", ("2025-11-08", "2025-11-09")),
    ("Police raided it last weekend.", "2025-11-11", ("2025-11-08", "2025-11-09")),
    # in a weekend's paper, "last weekend" is the one before
    ("Police raided it last weekend.", "2025-11-09", ("2025-11-01", "2025-11-02")),
])
def test_a_weekend_is_its_saturday_and_sunday(text, published, window):
    (found,) = find_dates(text, published, "day")
    assert (found.date.iso, found.date.window) == (window[0], window)
    assert find_dates(text, published[:7], "month") == []


def test_the_date_patterns_a_text_is_not_searched_with_find_nothing_in_it():
    from conftest import REPO

    from geomap.dates import _COMPILED, _COMPILED_FILTER
    from geomap.documents import read_documents

    texts = [s.text for folder in (REPO / "seeds", REPO / "bench" / "articles")
             for d in read_documents(folder) for s in d.sentences]
    texts += ["between March 3 and 5", "Last October", "YESTERDAY", "the weekend before last", "early-2024"]
    ruled_out = 0
    for text in texts:
        possible = set(_COMPILED_FILTER.possible(text.lower()))
        for index, (kind, pattern) in enumerate(_COMPILED):
            if index not in possible:
                ruled_out += 1
                assert pattern.search(text) is None, (kind, text)
    assert ruled_out > 0.5 * len(texts) * len(_COMPILED)


@pytest.mark.parametrize("text,start,end", [
    # published on a Thursday: a range that starts that day runs on past it
    ("China arranged 16 flights between Thursday and Saturday.", "2025-02-20", "2025-02-22"),
    ("Police raided hotels from Monday to Wednesday.", "2025-02-17", "2025-02-19"),
    ("Between Friday and Monday, 40 people were held.", "2025-02-14", "2025-02-17"),
])
def test_a_range_of_weekdays_is_a_window_from_its_first_day(text, start, end):
    (found,) = find_dates(text, "2025-02-20", "day")
    assert (found.date.iso, found.date.start, found.date.end, found.date.precision) == (start, start, end, "day")
    assert find_dates(text, "2025-02", "month") == []  # a weekday needs the publication day


@pytest.mark.parametrize("text,iso,start,end", [
    # published on Friday 2025-02-21
    ("They will hold a meeting within the next week.", "2025-02", "2025-02-21", "2025-02-27"),
    ("More flights are expected in the coming days.", "2025-02", "2025-02-21", "2025-02-27"),
    ("The zone will be cleared over the next three weeks.", "2025-02", "2025-02-21", "2025-03-13"),
    ("Talks are set for next week.", "2025-02", "2025-02-24", "2025-03-02"),
    ("The casino will reopen next month.", "2025-03", "", ""),
])
def test_a_stretch_still_to_come_is_a_window_from_the_publication(text, iso, start, end):
    (found,) = find_dates(text, "2025-02-21", "day")
    assert (found.date.iso, found.date.precision, found.date.start, found.date.end) == (iso, "month", start, end)
    assert find_dates("The court will rule next year.", "2025-02-21", "day")[0].date.iso == "2026"
    assert find_dates("They will meet within the next week.", "2025-02", "month") == []  # needs the day


@pytest.mark.parametrize("text,iso,start,end", [
    ("They were flown home at the start of October.", "2024-10", "2024-10-01", "2024-10-10"),
    ("In the first days of January, shells fell across the border.", "2025-01", "2025-01-01", "2025-01-10"),
    ("The zone is to be cleared by the end of May 2025.", "2025-05", "2025-05-21", "2025-05-31"),
    ("Talks resumed in the middle of June.", "2024-06", "2024-06-11", "2024-06-20"),
])
def test_a_part_of_a_month_said_in_words_is_its_window(text, iso, start, end):
    (found,) = find_dates(text, "2025-03-02", "day")
    assert (found.date.iso, found.date.precision, found.date.start, found.date.end) == (iso, "month", start, end)
