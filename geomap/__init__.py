"""geomap: news about the scam-compound industry of Southeast Asia, as a sourced, layered map.

    documents -> place mentions -> resolved places -> dated events -> map layers
"""

from .build import BuildResult, build
from .errors import GazetteerError, GeocoderError, GeomapError, InputError, RenderError
from .records import Document, Event, EventDate, Mention, Place, Resolution
from .settings import Settings

__all__ = ["build", "BuildResult", "Settings", "Document", "Event", "EventDate", "Mention", "Place",
           "Resolution", "GeomapError", "InputError", "GazetteerError", "GeocoderError", "RenderError"]
