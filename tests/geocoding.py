"""Shared by the geocoder tests: answers of the local Nominatim stub, points inside the countries,
and a stage built with small delays."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from pathlib import Path

from geomap.records import Mention
from geomap.resolve import CACHE_COLUMNS, Context, GeocoderCache, GeocoderStage
from geomap.resolve.bounded_http import Clock

from nominatim_stub import nominatim_result

HEADER = ",".join(CACHE_COLUMNS) + "\n"
TODAY = date(2024, 5, 1)
#: Points inside each country, as the gazetteer will provide them.
COUNTRY_POINTS = {"KH": (12.7, 104.9), "TH": (15.1, 101.0), "CA": (56.1, -106.3)}

CHREY_THOM = nominatim_result(
    name="Chrey Thom International Checkpoint", lat=10.9670421, lon=105.0921334,
    osm_class="barrier", osm_type="border_control", addresstype="barrier", country_code="kh",
    display_name="Chrey Thom International Checkpoint, National Road 21, Chrey Thom, Sampov Poun, "
                 "Koh Thum District, Kandal Province, 08652, Cambodia",
    address={"road": "National Road 21", "village": "Chrey Thom", "state": "Kandal Province",
             "postcode": "08652", "country": "Cambodia"}, osm_id=5211846721)
KANDAL = nominatim_result(
    name="Kandal Province", lat=11.2237, lon=105.1259, osm_class="boundary", osm_type="administrative",
    addresstype="province", country_code="kh", display_name="Kandal Province, Cambodia", place_rank=8,
    boundingbox=["10.8000000", "11.8000000", "104.6000000", "105.3000000"], osm_id=2254633)
VICTORIA = nominatim_result(
    name="Victoria", lat=48.4283182, lon=-123.3649533, osm_class="boundary", osm_type="administrative",
    addresstype="city", country_code="ca", display_name="Victoria, Capital Regional District, British "
                                                        "Columbia, Canada", osm_id=2221062)
MART = nominatim_result(
    name="Golden Fortune Mart", lat=10.6093, lon=103.5296, osm_class="shop", osm_type="supermarket",
    country_code="kh", display_name="Golden Fortune Mart, Ekareach Street, Sihanoukville, Cambodia")

ANSWERS = {"Chrey Thom": [CHREY_THOM], "Kandal": [KANDAL], "Victoria": [VICTORIA],
           "Golden Fortune Mart": [MART]}


def make_stage(cache_path: Path, stub=None, **options) -> GeocoderStage:
    """A stage with small delays; online against the stub when one is given."""
    settings = dict(online=stub is not None, url=stub.url if stub else None, min_delay_seconds=0.05,
                    error_wait_seconds=0.05, timeout_seconds=0.5, max_retries=2, today=lambda: TODAY,
                    country_points=COUNTRY_POINTS)
    settings.update(options)
    return GeocoderStage(GeocoderCache.load(cache_path), **settings)


def mention(surface: str) -> Mention:
    return Mention(doc="doc.txt", start=0, end=len(surface), surface=surface, sentence_index=0, cue="near")


def context(*countries: str) -> Context:
    return Context(Counter(countries))


class FakeClock(Clock):
    """Time that passes only when someone sleeps on it: the geocoder's waits are then checked
    exactly, whatever the machine's load, and take no time. Handed to both the stage and the stub."""

    def __init__(self):
        self._lock = threading.Lock()
        self._now = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(seconds, 0.0)


def arrival_gaps(stub) -> list[float]:
    """Time between the requests as the stub saw them arrive, on its clock."""
    arrivals = [r.arrived for r in stub.requests]
    return [round(later - earlier, 9) for earlier, later in zip(arrivals, arrivals[1:])]
