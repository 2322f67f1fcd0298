"""The place finder on any text: never an exception, every mention's offsets point at its surface
text, and no two mentions overlap. Characters that trip matchers are mixed in on purpose: combining
marks, bidirectional overrides, zero-width characters, and letters whose case mapping changes the
length of the text ("İ".lower() and "ß".upper() are two characters), the classic offset bug of a
matcher that searches a case-folded copy."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from geomap.documents import split_sentences
from geomap.records import Document

TRICKY_CHARACTERS = [
    "\u0301", "\u0308", "\u20dd",  # combining marks
    "\u202e", "\u202d", "\u200f", "\u2066",  # bidirectional overrides, marks and isolates
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad",  # zero-width characters, soft hyphen
    "İ", "ß", "ﬁ", "ǅ", "ΐ", "ς", "ı",  # case mappings that change length, titlecase, final sigma
    "’", "‘", "–", "—", "\u00a0", "\u3000", "\x00", "\r", "\n", "\t", "$", "_", "'", "-", "&", ".",
    "😀", "\U0010ffff", "ភ្នំពេញ", "กรุงเทพ", "東京",
]
WORDS = [
    "Cambodia", "Phnom Penh", "Sihanoukville", "Poipet", "Laos", "Myanmar", "US", "Lyon", "San Jose",
    "West Point", "Naval Base at Riem", "Kampong Som", "Xyzzyville", "Times", "University", "Ministry",
    "President", "Mr.", "The", "of", "for", "and", "&", "the", "in", "near", "border town of", "Province",
    "police", "Police", "said", "Cambodia's", "CAMBODIA", "cambodia", "US$45",
]
TOKENS = st.sampled_from(WORDS + TRICKY_CHARACTERS) | st.text(max_size=4)
SEPARATORS = st.sampled_from([" ", " ", " ", "", ", ", ". ", "-", " - ", "\n", "\n\n", " – "])

# News-like text: known names, organisation and cue words, tricky characters and random snippets.
NEWSLIKE = st.lists(st.tuples(SEPARATORS, TOKENS), max_size=40).map(lambda parts: "".join(s + t for s, t in parts))
# Any text at all, lone surrogates included (a str can hold them even if no UTF-8 file can).
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=200)


def document(text: str) -> Document:
    return Document(name="fuzz.txt", text=text, sentences=split_sentences(text))


def assert_well_formed(finding, doc: Document, gazetteer) -> None:
    spans = sorted(finding.mentions + finding.embedded, key=lambda m: (m.start, m.end))
    for mention in spans:
        assert 0 <= mention.start < mention.end <= len(doc.text)
        assert doc.text[mention.start:mention.end] == mention.surface
        sentence = doc.sentences[mention.sentence_index]
        assert sentence.start <= mention.start and mention.end <= sentence.end
        if mention.gazetteer_ids:
            # a dateline's "MAE SOT" is looked up as "Mae Sot"
            assert tuple(gazetteer.names[mention.lookup_name]) == mention.gazetteer_ids
    for before, after in zip(spans, spans[1:]):
        assert before.end <= after.start, f"{before.surface!r} overlaps {after.surface!r}"


@settings(max_examples=300, deadline=None)
@given(text=NEWSLIKE)
@example(text=" US - University")  # a dateline "US -" over the same name inside an institution's
def test_newslike_text_gives_well_formed_mentions(parts, text):
    finder, _ = parts
    doc = document(text)
    assert_well_formed(finder.find(doc), doc, finder.gazetteer)


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_any_text_gives_well_formed_mentions(parts, text):
    finder, _ = parts
    doc = document(text)
    assert_well_formed(finder.find(doc), doc, finder.gazetteer)


@settings(max_examples=100, deadline=None)
@given(prefix=st.text(alphabet=st.sampled_from("İßﬁΐ\u0301\u202e\u200d😀 "), max_size=30))
def test_length_changing_case_mappings_do_not_shift_offsets(parts, prefix):
    finder, _ = parts
    text = f"{prefix} Police raided a compound in Sihanoukville near Phnom Penh."
    doc = document(text)
    found = finder.find(doc)
    assert_well_formed(found, doc, finder.gazetteer)
    surfaces = [m.surface for m in found.mentions]
    assert surfaces[-2:] == ["Sihanoukville", "Phnom Penh"]
    assert found.mentions[-1].start == text.index("Phnom Penh")


def test_a_name_followed_by_a_combining_mark_is_another_word(parts):
    finder, _ = parts
    text = "Workers went to Laos\u0301 and then to Laos."
    found = finder.find(document(text))
    assert [(m.surface, m.start) for m in found.mentions] == [("Laos", text.rindex("Laos"))]
