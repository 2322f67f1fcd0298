"""The places an editor owns (``gazetteer/*.csv``): the table (``table``), its checks (``check``),
the country and province outlines (``geometry``) and the offline GeoNames index that extends it
(``geonames``). The stages that resolve names against them are ``geomap.resolve``."""

from .table import Gazetteer, load_gazetteer

__all__ = ["Gazetteer", "load_gazetteer"]
