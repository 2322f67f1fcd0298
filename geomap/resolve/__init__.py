"""Resolution: from a place name as a document wrote it to a place on the map, through a chain of
stages. Each stage proposes candidates with a score and a reason; the first stage that has any
decides, and a name no stage knows stays unresolved.

- ``chain``: the chain itself (``Resolver``), the ``Stage`` protocol and the document ``Context``.
- ``offline``: stages 1 and 2, the gazetteer an editor owns and the offline GeoNames index.
- ``geocoder``: stage 3, the online geocoder (geopy, Nominatim by default), for names neither knows.
- ``geocoded_csv``: the geocoder's cache, ``gazetteer/geocoded.csv``: its format, validation and writes.
- ``osm_answers``: from a geocoder answer (or a cached row) to a place, and the screening of answers.
- ``bounded_http``: the geocoder's HTTP transport, one bounded request at a time.
"""

from .chain import UNRESOLVED, Context, Resolver, Stage
from .geocoded_csv import CACHE_COLUMNS, CSV_FIELD_LIMIT, STATUSES, CacheRow, GeocoderCache, validate_cache
from .geocoder import DEFAULT_PROVIDER, USER_AGENT, GeocoderIssue, GeocoderStage
from .offline import GazetteerStage, GeoNamesStage
from .osm_answers import PLACE_LIKE, is_place_like, place_kind, precision_km, row_to_place

__all__ = [
    "UNRESOLVED", "Context", "Resolver", "Stage",
    "GazetteerStage", "GeoNamesStage",
    "DEFAULT_PROVIDER", "USER_AGENT", "GeocoderIssue", "GeocoderStage",
    "CACHE_COLUMNS", "CSV_FIELD_LIMIT", "STATUSES", "CacheRow", "GeocoderCache", "validate_cache",
    "PLACE_LIKE", "is_place_like", "place_kind", "precision_km", "row_to_place",
]
