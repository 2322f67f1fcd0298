"""The map: folium elements, layers, popups and the vendored assets they need."""

from .assets import copy_assets, deterministic_ids, localise_links
from .events_page import write_events_page
from .map import build_map
from .map_data import data_files
from .templating import text_is_never_compiled
from .timeline import write_timeline

__all__ = ["build_map", "copy_assets", "deterministic_ids", "localise_links", "write_events_page", "write_map",
           "write_timeline"]


def write_map(path, atlas) -> None:
    """Render the map to ``path``, and its data file beside it, with local assets and stable element
    ids; text from documents, the gazetteer and the geocoder is data in them, never template source
    (see ``templating``)."""
    with deterministic_ids(), text_is_never_compiled():
        fmap = build_map(atlas)
        localise_links(fmap.get_root())
        path.write_text(fmap.get_root().render(), encoding="utf-8")
        for data in data_files(fmap):  # rows made as they are written: in the same settings
            data.write(path.parent)
