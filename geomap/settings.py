"""Every default and path in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Scope of the map's default view: the countries this tool exists for.
FOCUS_COUNTRIES = ("KH", "TH", "MM", "LA", "VN")

#: Countries drawn as offline outlines under the map (the focus and its neighbours).
OUTLINE_COUNTRIES = FOCUS_COUNTRIES + ("MY", "CN", "SG", "ID", "PH", "BD", "IN")

#: GeoNames cities below this population are left out of the offline index.
GEONAMES_MIN_POPULATION = 500

#: A GeoNames-only name that stands alone, without a place word before it ("in", "near"...),
#: must name a town at least this large to be taken as a place.
GEONAMES_BARE_NAME_MIN_POPULATION = 100_000
#: ...or, for an island or a sea of one word ("Borneo", "Luzon"), span a box of at least this many km²
#: and have on it or near it another place the document names (Flores, Palawan or Kyushu, smaller,
#: need a place word: "Flores" is more often a surname).
BARE_AREA_MIN_KM2 = 100_000
#: A small town only the statistical recogniser reads as a place (``--ner``) is taken when one of its
#: namesakes lies this close to another place the document names.
NEIGHBOUR_KM = 50.0

#: A town of the offline index found by one of its other names (not its main one), in a country the
#: document does not otherwise name, must have at least this many people to be a candidate.
FOREIGN_ALIAS_MIN_POPULATION = 10_000

#: A place the offline index finds by its main name, with at least this many people (Jakarta, Lagos,
#: a country), is not sent to the editors’ review queue: there is nothing to check.
REVIEW_MIN_POPULATION = 1_000_000

# --- the files of a gazetteer folder and of a seeds folder -------------------------------------

#: The editors' places (one row per place, checked by ``geomap check``).
PLACES_FILE = "places.csv"
#: The editors' actors: organisations, officials and outlets the events name.
ACTORS_FILE = "actors.csv"
#: Names the editors say are never places, one per line.
STOPLIST_FILE = "not_places.txt"
#: The geocoder's answers, in the gazetteer folder for editors to review (the tool owns this file).
GEOCODER_CACHE_FILE = "geocoded.csv"
#: Natural Earth outlines of countries and provinces, inside the gazetteer folder.
BOUNDARIES_FOLDER = "boundaries"
#: What the seeds folder may say of its documents (title, publisher, url, published...).
MANIFEST_FILE = "manifest.csv"

#: Where a build reads and writes, relative to where it runs.
SEEDS_DIR = Path("seeds")
GAZETTEER_DIR = Path("gazetteer")
OUT_DIR = Path("maps")

#: The geopy geocoder asked by default (any geopy geocoder's name works).
GEOCODER_PROVIDER = "nominatim"
#: The environment variable naming the geocoder's server (the public Nominatim when unset).
GEOCODER_URL_VARIABLE = "GEOMAP_GEOCODER_URL"

#: Countries whose provinces the map shades by event count (the boundary data has their provinces).
SHADED_PROVINCE_COUNTRIES = ("KH",)

#: A place or event known no more precisely than this (km) is drawn as a ring with a circle of its
#: precision, and a site (a compound, a crossing) known only so roughly counts as known to its town.
PRECISE_KM = 2.0

#: Places this close (km) to an international land border are border places (the "border towns" layer).
BORDER_KM = 10.0

#: The boundaries are generalised (Natural Earth 1:10m): a gazetteer point this close (km) to the
#: country it claims passes the check even when the outline puts it across the line.
COUNTRY_MARGIN_KM = 5.0

#: For the same reason, a point that no province's outline holds is given the nearest province
#: within this distance (km): a border town drawn on the wrong side, a port drawn in the sea.
PROVINCE_MARGIN_KM = 5.0

#: Two candidates whose scores differ by less than this are reported as ambiguous.
AMBIGUITY_MARGIN = 0.5


#: The environment variable naming the per-document results store, or "off" for none.
DOCUMENT_CACHE_VARIABLE = "GEOMAP_DOCUMENT_CACHE"
#: The store's file in the cache folder, when that variable does not name one.
DOCUMENT_CACHE_FILE = "documents-v1.sqlite"


def default_cache_dir() -> Path:
    explicit = os.environ.get("GEOMAP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "geomap"


def default_document_cache() -> Path | None:
    """The store of per-document results: $GEOMAP_DOCUMENT_CACHE ("off": none), else a file in the
    cache folder."""
    explicit = os.environ.get(DOCUMENT_CACHE_VARIABLE, "")
    if explicit.lower() == "off":
        return None
    return Path(explicit) if explicit else default_cache_dir() / DOCUMENT_CACHE_FILE


@dataclass(frozen=True)
class Settings:
    """Where a build reads and writes. Paths are resolved by the caller, not here."""

    seeds_dir: Path = SEEDS_DIR
    gazetteer_dir: Path = GAZETTEER_DIR
    out_dir: Path = OUT_DIR
    cache_dir: Path = field(default_factory=default_cache_dir)
    border_km: float = BORDER_KM
    country_margin_km: float = COUNTRY_MARGIN_KM
    #: ask the online geocoder for names no offline source knows (cached answers are always used)
    online: bool = False
    geocoder_provider: str = GEOCODER_PROVIDER
    #: the geocoder's server; by default $GEOMAP_GEOCODER_URL, and when that is unset (None) the
    #: public Nominatim
    geocoder_url: str | None = field(default_factory=lambda: os.environ.get(GEOCODER_URL_VARIABLE) or None)
    #: a document that must be skipped or read with a fallback stops the build instead of a warning
    strict: bool = False
    #: worker processes for the per-document stage; 0: one per core
    jobs: int = 0
    #: where per-document results are kept between builds (None: nowhere, every document is read)
    document_cache: Path | None = field(default_factory=default_document_cache)
    #: a Dask scheduler's address (tcp://host:8786): the per-document stage runs on its workers
    dask: str | None = None
    #: also find places with the optional statistical recogniser (``recognise.py``, geomap[ner])
    ner: bool = False

    @property
    def geocoder_cache(self) -> Path:
        return self.gazetteer_dir / GEOCODER_CACHE_FILE

    @property
    def boundaries_dir(self) -> Path:
        return self.gazetteer_dir / BOUNDARIES_FOLDER
