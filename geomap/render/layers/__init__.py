"""The map's overlays, one module each. Each has ``add(fmap, atlas)``, which draws its layer from the
build's :class:`~geomap.atlas.Atlas`; ``LAYERS`` is the order they are drawn in (and listed in the
layer control). A new layer is one new module and one line here."""

from . import areas, border_places, compounds, context, events, heat, movements, outlines, places, provinces, review

LAYERS = (outlines, provinces, places, compounds, border_places, events, areas, movements, context, heat, review)

__all__ = ["LAYERS"]
