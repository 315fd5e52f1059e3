"""The one place lexicon: it covers the catalog's places, and routing and the rules read each place alike."""
from __future__ import annotations

import pytest

from qa.places import OUTSIDE, place_regions, places, region_key, region_names
from qa.route import route
from qa.rules.extract import extract_regions, normalize

NAMES = [(key, name) for key, region in places().regions.items() for name in region.names]


def test_every_place_the_catalog_lists_routes_to_its_document(corpus) -> None:
    for doc in corpus.catalog.documents:
        for place in doc.places:
            routed = route(place, corpus)
            assert routed.places == [place] or any(p in place for p in routed.places), (doc.id, place, routed.places)
            assert routed.regions and all(doc.region.startswith(r) for r in routed.regions), (doc.id, place, routed.regions)
            assert routed.doc_ids is not None and doc.id in routed.doc_ids, (doc.id, place)


def test_every_catalog_region_is_a_region_of_the_lexicon(corpus) -> None:
    covered = {r.catalog_region: key for key, r in places().regions.items() if r.catalog_region}
    for doc in corpus.catalog.documents:
        key = region_key(doc.region)
        assert covered.get(places().regions[key].catalog_region or "") == key, doc.id
        assert doc.region.startswith(places().regions[key].catalog_region or "?"), doc.id
    assert set(covered) <= {doc.region for doc in corpus.catalog.documents}  # no covered region without a text


@pytest.mark.parametrize(("key", "name"), NAMES)
def test_routing_reads_every_place_whole_and_as_its_region(corpus, key: str, name: str) -> None:
    region = places().regions[key].catalog_region
    assert place_regions()[name] == (region or OUTSIDE)
    routed = route(f"{name}的土地怎么管", corpus)
    if region is None:
        assert routed.foreign_places == [name] and routed.places == []
    else:
        assert routed.places == [name] and routed.regions == [region]


@pytest.mark.parametrize(("key", "name"), NAMES)
def test_the_rules_read_every_place_as_routing_does(key: str, name: str) -> None:
    found = extract_regions(normalize(f"{name}的土地怎么管"))
    if name in places().regions[key].generic:
        assert found == {} and name not in region_names()[key]  # every 自治区 says 自治区: no region warning
    else:
        assert found == {key: found[key]} and found[key] in name


def test_a_full_region_name_is_one_region_not_two(corpus) -> None:
    # "自治区" inside "宁夏回族自治区" is not a second place (it alone reads as 新疆)
    routed = route("宁夏回族自治区全域土地综合整治有什么要求", corpus)
    assert routed.regions == ["宁夏回族自治区"] and routed.places == ["宁夏回族自治区"]
    assert route("自治区的宅基地面积标准", corpus).regions == ["新疆维吾尔自治区"]


def test_every_alias_names_a_place_of_the_lexicon() -> None:
    names = {name for region in places().regions.values() for name in region.names}
    assert places().aliases and all(any(n in full for n in names) for full in places().aliases.values())


def test_the_rules_read_a_short_name_as_the_place(corpus) -> None:
    from qa.rules import parse_question

    q = parse_question("塔县今年村庄规划投多少钱")
    assert "塔什库尔干县" in q.norm and q.regions == {"新疆": "塔什库尔干"}
