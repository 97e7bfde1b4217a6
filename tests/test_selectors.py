"""The time rule: the map for year Y shows the state at the end of Y."""

import datetime as dt

import pytest

from atlas import selectors, shapes
from atlas.models import Feature


def slugs_at(year: int) -> set[str]:
    return {f.slug for f in selectors.map_state_at(year=year).features}


@pytest.mark.parametrize(
    ("year", "expected", "new"),
    [
        (1857, {"kyakhta"}, set()),  # the year before Aigun and Tianjin
        (1858, {"kyakhta", "shanghai", "ussuri-common"}, {"shanghai", "ussuri-common"}),
        (1859, {"kyakhta", "shanghai", "ussuri-common"}, set()),  # the year after
        (1860, {"kyakhta", "shanghai"}, set()),  # common holding ended 14 Nov 1860
        (1861, {"kyakhta", "shanghai"}, set()),
    ],
)
def test_features_at_the_end_of_each_year(mini, year, expected, new):
    state = selectors.map_state_at(year=year)
    assert {f.slug for f in state.features} == expected
    assert state.new_slugs == new


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "visible_in_1859"),
    [
        ("1859-12-31", None, True),  # began on the last day of the year: on the map
        ("1860-01-01", None, False),  # begins the next year
        ("1858-01-01", "1859-12-31", False),  # ended on the last day: gone by the year's end
        ("1858-01-01", "1860-01-01", True),  # ends the next year
    ],
)
def test_time_rule_at_the_edges_of_a_year(mini, valid_from, valid_to, visible_in_1859):
    Feature.objects.filter(slug="shanghai").update(
        valid_from=dt.date.fromisoformat(valid_from),
        valid_to=dt.date.fromisoformat(valid_to) if valid_to else None,
    )
    assert ("shanghai" in slugs_at(1859)) is visible_in_1859


def test_events_are_those_of_the_year(mini):
    assert [e.slug for e in selectors.map_state_at(year=1858).events] == ["tianjin-signed"]
    assert selectors.map_state_at(year=1859).events == []


def test_feature_properties_follow_the_public_contract(mini):
    feature = Feature.objects.with_basis().get(slug="shanghai")
    props = shapes.feature_properties(feature, year=1858)
    assert props["basis"] == [
        {
            "treaty": "tianjin-1858",
            "article": "3",
            "clause": "tianjin-1858-art3",
            "role": "opened_by",
        }
    ]
    assert props["name"]["ru"] == "Шанхай" and props["name"]["zh"] == "上海"
    assert (props["valid_from"], props["valid_to"]) == ("1858-06-13", None)
    assert props["certainty"] == "approximate" and props["sources"] == ["Test fixture"]
    assert props["new_this_year"] is True


def test_map_state_fetches_everything_in_a_fixed_number_of_queries(
    mini, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        state = selectors.map_state_at(year=1858)
        for feature in state.features:
            shapes.basis_items(feature)
        for event in state.events:
            list(event.features.all())
