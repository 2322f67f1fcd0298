"""Rendering folium so that no text is ever compiled as a template.

Why this exists. branca's ``Element(text)`` compiles ``text`` as Jinja template source, and folium
and branca render every element by rendering its template and handing the *output* to
``Element(...)`` (``MacroElement.render``, ``Popup.render``, ``IncludeStatement``...); the figure then
renders that template once more. Document text in a popup, a tooltip or a layer's data was
therefore compiled a second time: ``{{ 7*7 }}`` in a title came out as ``49``, a stray ``{%`` stopped
the build with a ``TemplateSyntaxError``, and Jinja's sandbox-escape payloads ran commands.

The fix closes the class, not the reproducers: while a map is built and rendered, every
``Element`` built from a string holds that string as finished text (:class:`FinishedText`) instead
of compiling it. folium's own templates are compiled once, at import, from folium's source, and
are untouched; only the second, accidental compilation of rendered output is gone. Data reaches
those templates only as variables, which Jinja substitutes and never parses.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import branca.element


class FinishedText:
    """Stands in for a compiled template whose source is already the output."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        # Jinja drops one trailing newline from a template's output; so does this, so that a map
        # renders to the same bytes as it did when the text went through Jinja.
        self.text = text[:-1] if text.endswith("\n") else text

    def render(self, *args, **kwargs) -> str:
        return self.text


_lock = threading.Lock()


@contextmanager
def text_is_never_compiled():
    """Within this block, ``branca.element.Element(source)`` keeps ``source`` as text.

    ``Element.__init__`` looks ``Template`` up in branca's module when it runs, so replacing that one
    name covers every caller (branca, folium, its plugins, geomap). Templates that elements define as
    class attributes were compiled when their modules were imported and are not affected."""
    with _lock:
        compiled = branca.element.Template
        branca.element.Template = FinishedText
        try:
            yield
        finally:
            branca.element.Template = compiled
