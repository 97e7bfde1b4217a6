"""Each rule where it now lives: the time rule (atlas.timerule), the kinds (atlas.kinds), the
languages (atlas.i18n, settings), the public shapes (atlas.shapes)."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from atlas import i18n, kinds, rules, shapes, timerule
from atlas.models import Feature

D = dt.date
STATIC = Path(__file__).resolve().parent.parent / "atlas" / "static" / "atlas"


# --- The time rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "year", "shown", "new", "ended"),
    [
        (D(1858, 5, 28), None, 1857, False, False, False),  # the year before
        (D(1858, 5, 28), None, 1858, True, True, False),  # its first year
        (D(1858, 5, 28), None, 1862, True, False, False),
        (D(1858, 5, 28), D(1860, 11, 14), 1859, True, False, False),
        (D(1858, 5, 28), D(1860, 11, 14), 1860, False, False, True),  # ended during 1860
        (D(1858, 5, 28), D(1861, 1, 1), 1860, True, False, False),  # ends after 31 Dec 1860
        (D(1858, 12, 31), None, 1858, True, True, False),  # began on the last day
        (D(1858, 1, 1), D(1858, 6, 1), 1858, False, False, True),  # began and ended in 1858
    ],
)
def test_the_years_on_the_map_follow_the_rule_for_days(
    valid_from, valid_to, year, shown, new, ended
):
    years = timerule.years_on_map(valid_from, valid_to)
    assert years.shown(year) is shown is timerule.on_map(valid_from, valid_to, year=year)
    assert years.new(year) is new
    assert years.ended_in(year) is ended


def test_the_page_gets_whole_years_and_its_script_holds_no_date_logic():
    years = timerule.years_on_map(D(1858, 5, 28), D(1860, 11, 14))
    assert years.as_json() == {"first": 1858, "last": 1859, "ended": 1860}
    script = (STATIC / "atlas.js").read_text(encoding="utf-8")
    for date_logic in ("valid_from", "valid_to", "-12-31", "slice(0, 4)"):
        assert date_logic not in script, date_logic


@pytest.mark.parametrize(
    ("year", "clamped"), [(1689, 1857), (1857, 1857), (1860, 1860), (1900, 1862)]
)
def test_one_year_clamp(year, clamped):
    assert timerule.clamp_year(year) == clamped


# --- Kinds --------------------------------------------------------------------------------------


def test_every_kind_has_its_style_order_legend_and_file():
    styles = kinds.styles()
    assert list(styles) == [k.slug for k in kinds.KINDS]
    assert [s["order"] for s in styles.values()] == list(range(len(kinds.KINDS)))
    for kind in kinds.KINDS:
        assert kind.geometry in ("point", "line", "area")
        assert kind.color.startswith("#") and kind.export_file.endswith(".geojson")
        assert str(kind.legend) and str(kind.name)
    # Areas are drawn first, points last.
    order = [k.geometry for k in kinds.KINDS]
    assert order == sorted(order, key=["area", "line", "point"].index)


@pytest.mark.django_db
def test_a_new_kind_is_one_registry_entry_and_needs_no_migration(monkeypatch):
    battle = kinds.KindSpec(
        "battle", "battle", "Battle", "point", "#000000", "events.geojson", {"radius": 6}
    )
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, battle))
    monkeypatch.setattr(kinds, "BY_SLUG", {**kinds.BY_SLUG, "battle": battle})
    field = Feature._meta.get_field("kind")
    field.clean("battle", Feature())  # the model's choices are read from the registry
    assert "battle" in kinds.styles()
    with pytest.raises(ValidationError):
        field.clean("parade", Feature())


# --- Languages ----------------------------------------------------------------------------------


def test_a_text_falls_back_along_the_chain_from_settings():
    text = {"en": "Aigun", "ru": "Айгунь"}
    assert i18n.translate(text, "ru") == "Айгунь"
    assert i18n.translate({"en": "Aigun"}, "ru") == "Aigun"
    assert i18n.translate({}, "ru") == ""
    assert i18n.translate({"en": "Shanghai, Ningbo"}, "zh-hans") == "Shanghai, Ningbo"


def test_every_text_needs_every_language_chinese_included():
    with pytest.raises(ValidationError, match=r"every language \(en, ru, zh-hans\)"):
        rules.check_translations({"en": "Aigun", "ru": "Айгунь"})
    with pytest.raises(ValidationError, match=r"every language \(en, ru, zh-hans\)"):
        rules.check_translations({"en": "Aigun", "ru": "Айгунь", "zh-hans": "  "})
    rules.check_translations({"en": "Aigun", "ru": "Айгунь", "zh-hans": "瑷珲"})
    # A note: in every language or in none.
    rules.check_translations({"en": "", "ru": "", "zh-hans": ""}, required=False)
    with pytest.raises(ValidationError, match=r"every language \(en, ru, zh-hans\) or in none"):
        rules.check_translations({"en": "A note.", "ru": "Примечание."}, required=False)
    # A text that may fall back (a clause's translation) needs the default language only.
    rules.check_translations({"en": "Shanghai, Ningbo"}, required="default")
    assert list(shapes.texts({"ru": "Айгунь", "en": "Aigun"})) == ["en", "ru", "zh-hans"]


@override_settings(
    LANGUAGES=[("en", "English"), ("ru", "Русский")],
    ATLAS_LANGUAGE_FALLBACKS={"ru": ["en"]},
)
def test_the_languages_are_a_settings_line():
    rules.check_translations({"en": "Aigun", "ru": "Айгунь"})
    with pytest.raises(ValidationError, match="a language the atlas does not have"):
        rules.check_translations({"en": "Aigun", "ru": "Айгунь", "zh-hans": "瑷珲"})


def test_an_unknown_language_is_refused():
    with pytest.raises(ValidationError, match="a language the atlas does not have"):
        rules.check_translations({"en": "Aigun", "ru": "Айгунь", "de": "Aigun"})


# --- Shapes -------------------------------------------------------------------------------------


def test_a_feature_s_own_figures_never_replace_the_contract_s_properties():
    f = Feature(
        slug="aigun",
        kind="city",
        name={"en": "Aigun", "ru": "Айгунь", "zh-hans": "瑷珲"},
        geometry={"type": "Point", "coordinates": [127.5, 50.2]},
        valid_from=D(1858, 5, 28),
        valid_from_precision="day",
        certainty="exact",
        sources=["x"],
        extra={"slug": "hijacked", "kind": "border", "area_km2": 10},
    )
    props = shapes.feature_file(f, basis=[])["properties"]
    assert (props["slug"], props["kind"], props["area_km2"]) == ("aigun", "city", 10)
    with pytest.raises(ValidationError):
        f.full_clean(exclude=["clauses"], validate_unique=False, validate_constraints=False)
