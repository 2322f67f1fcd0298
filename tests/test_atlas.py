"""The build's value: the Atlas of the seeds, its collections and their order."""

from __future__ import annotations

from collections import Counter

import pytest


@pytest.fixture(scope="module")
def atlas(seeds_build):
    return seeds_build.atlas


def test_the_atlas_holds_each_collection_in_a_fixed_order(atlas):
    assert [p.place.id for p in atlas.places] == sorted(p.place.id for p in atlas.places)
    assert [e.event.event_id for e in atlas.events] == sorted(e.event.event_id for e in atlas.events)
    assert [k.place.id for k in atlas.known_places] == sorted(k.place.id for k in atlas.known_places)
    keys = [(i.resolution.mention.doc, i.resolution.mention.start) for i in atlas.review]
    assert keys == sorted(keys)


def test_mapped_places_count_the_mentions_that_name_them(atlas):
    counts = Counter(r.place.id for r in atlas.resolutions if r.place)
    assert {p.place.id: p.mentions for p in atlas.places} == dict(counts)
    for mapped in atlas.places:
        named = {r.mention.surface for r in atlas.resolutions if r.place and r.place.id == mapped.place.id}
        assert set(mapped.surfaces) == named
