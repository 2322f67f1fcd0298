"""The places an editor owns (``gazetteer/*.csv``), and the offline and online stages that extend them."""

from .table import Gazetteer, load_gazetteer

__all__ = ["Gazetteer", "load_gazetteer"]
