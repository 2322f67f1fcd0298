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

#: The geocoder's answers, in the gazetteer folder for editors to review (the tool owns this file).
GEOCODER_CACHE_FILE = "geocoded.csv"

#: Places this close (km) to an international land border are border places (the "border towns" layer).
BORDER_KM = 10.0

#: The boundaries are generalised (Natural Earth 1:10m): a gazetteer point this close (km) to the
#: country it claims passes the check even when the outline puts it across the line.
COUNTRY_MARGIN_KM = 5.0

#: Two candidates whose scores differ by less than this are reported as ambiguous.
AMBIGUITY_MARGIN = 0.5


def default_cache_dir() -> Path:
    explicit = os.environ.get("GEOMAP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "geomap"


@dataclass(frozen=True)
class Settings:
    """Where a build reads and writes. Paths are resolved by the caller, not here."""

    seeds_dir: Path = Path("seeds")
    gazetteer_dir: Path = Path("gazetteer")
    out_dir: Path = Path("maps")
    cache_dir: Path = field(default_factory=default_cache_dir)
    border_km: float = BORDER_KM
    country_margin_km: float = COUNTRY_MARGIN_KM
    #: ask the online geocoder for names no offline source knows (cached answers are always used)
    online: bool = False
    geocoder_provider: str = "nominatim"
    #: the geocoder's server; None means $GEOMAP_GEOCODER_URL, else the public Nominatim
    geocoder_url: str | None = None
    #: a document that must be skipped or read with a fallback stops the build instead of a warning
    strict: bool = False

    @property
    def geocoder_cache(self) -> Path:
        return self.gazetteer_dir / GEOCODER_CACHE_FILE

    @property
    def boundaries_dir(self) -> Path:
        return self.gazetteer_dir / "boundaries"
