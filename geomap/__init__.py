"""geomap: news about the scam-compound industry of Southeast Asia, as a sourced, layered map.

    documents -> place mentions -> resolved places -> dated events -> map layers

The names below are imported when first asked for, so that ``geomap --help`` does not load the
build's libraries (pandas, folium, shapely, dateparser). Use ``from geomap.build import build``
where ``geomap.build`` may already be imported as a module.
"""

from importlib import import_module

_HOME = {
    "build": "build", "BuildResult": "build", "Settings": "settings",
    "Document": "records", "Event": "records", "EventDate": "records", "Mention": "records", "Place": "records",
    "Resolution": "records",
    "GeomapError": "errors", "InputError": "errors", "GazetteerError": "errors", "GeocoderError": "errors",
    "RenderError": "errors",
}
__all__ = list(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value  # importing geomap.build set the attribute to the module: the function wins
    return value


def __dir__():
    return sorted(__all__)
