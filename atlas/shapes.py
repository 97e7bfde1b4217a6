"""The public shapes of the atlas' records, written once.

Two forms of each record: the *file* form (geodata/'s format: what ``load_atlas`` reads and
``export_atlas`` writes) and the *public* form (what the API, the map page and the offline
bundle publish). Texts are translations dicts, written in the order of ``settings.LANGUAGES``;
one null rule for every optional text: ``None`` when it has no text in any language.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from .calendars import format_dual
from .i18n import language_codes
from .models import Clause, Event, Feature, Person, StoryStep, Treaty
from .timerule import years_on_map

# The language of the source essay, whose words the atlas quotes as they are (``essay_ru``).
ESSAY_LANGUAGE = "ru"

# --- Pieces --------------------------------------------------------------------------------------


def texts(value: Mapping[str, str] | None) -> dict[str, str]:
    """A translations dict with every language, in the atlas' order ("" where missing)."""
    value = value or {}
    return {code: value.get(code, "") for code in language_codes()}


def optional_texts(value: Mapping[str, str] | None) -> dict[str, str] | None:
    """An optional text (a note): None when it has no text in any language."""
    return texts(value) if value and any(value.values()) else None


def per_language(prefix: str, value: Mapping[str, str] | None, *, all_: bool) -> dict[str, str]:
    """``{"text_en": …, "text_ru": …}``: every language (``all_``) or only those with a text."""
    value = value or {}
    return {
        f"{prefix}_{code}": value.get(code, "")
        for code in language_codes()
        if all_ or value.get(code)
    }


def feature_names(f: Feature) -> dict[str, Any]:
    return {
        **texts(f.name),
        "zh": f.name_zh,
        "zh_simplified": f.name_zh_simplified,
        "pinyin": f.name_pinyin,
        "romanized": f.name_romanized,
        "other": list(f.other_names),
    }


# A feature's own properties that only the map page uses (where its label sits, its tint).
PAGE_ONLY = ("label", "fill")


def _extra(f: Feature, props: dict[str, Any], *, page_only: bool = True) -> dict[str, Any]:
    """The feature's own figures, beside the contract's properties and never over them."""
    from .rules import FEATURE_EXTRA

    extra = f.extra if isinstance(f.extra, dict) else {}
    return {
        k: extra[k]
        for k in FEATURE_EXTRA
        if k in extra and k not in props and (page_only or k not in PAGE_ONLY)
    }


def _period(f: Feature) -> dict[str, Any]:
    return {
        "valid_from": f.valid_from.isoformat(),
        "valid_from_precision": f.valid_from_precision,
        "valid_to": f.valid_to.isoformat() if f.valid_to else None,
        "valid_to_precision": (f.valid_to_precision or None) if f.valid_to else None,
    }


# --- Features ------------------------------------------------------------------------------------


def _feature_props(f: Feature, basis: list[dict[str, Any]], *, page_only: bool) -> dict:
    props: dict[str, Any] = {
        "slug": f.slug,
        "kind": f.kind,
        "name": feature_names(f),
        **_period(f),
        "certainty": f.certainty,
        "sources": list(f.sources),
        "basis": basis,
        "note": optional_texts(f.note),
    }
    props.update(_extra(f, props, page_only=page_only))
    return props


def feature_file(f: Feature, *, basis: Iterable[tuple[str, str]] | None = None) -> dict[str, Any]:
    """A feature as geodata/ holds it: a GeoJSON Feature. ``basis``: (clause, role) pairs,
    read from the database when not given."""
    if basis is None:
        links = sorted(f.basis.all(), key=lambda b: (b.order, b.clause.slug, b.role))
        basis = [(b.clause.slug, b.role) for b in links]
    links = [{"clause": clause, "role": role} for clause, role in basis]
    props = _feature_props(f, links, page_only=True)
    return {"type": "Feature", "id": f.slug, "geometry": f.geometry, "properties": props}


def basis_items(f: Feature) -> list[dict[str, Any]]:
    """A feature's treaty basis as published (uses prefetched rows when present)."""
    return [
        {
            "treaty": link.clause.treaty.slug,
            "article": link.clause.article,
            "clause": link.clause.slug,
            "role": link.role,
        }
        for link in f.basis.all()
    ]


def feature_properties(f: Feature, *, year: int | None = None) -> dict[str, Any]:
    """A feature's GeoJSON properties as the API publishes them (``new_this_year`` for a year)."""
    props = _feature_props(f, basis_items(f), page_only=False)
    if year is not None:
        props["new_this_year"] = years_on_map(f.valid_from, f.valid_to).new(year)
    return props


def feature_geojson(f: Feature, *, year: int | None = None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f.slug,
        "geometry": f.geometry,
        "properties": feature_properties(f, year=year),
    }


def page_feature(f: Feature) -> dict[str, Any]:
    """A feature as the map page receives it: the API's form plus the years it is on the map
    (the time rule, computed here), so that the page's script compares whole numbers."""
    feature = feature_geojson(f)
    props = feature["properties"]
    props.update({k: f.extra[k] for k in PAGE_ONLY if k in (f.extra or {}) and k not in props})
    props["years"] = years_on_map(f.valid_from, f.valid_to).as_json()
    return feature


def collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


# --- Treaties and clauses ------------------------------------------------------------------------


def _treaty_names(t: Treaty) -> dict[str, str]:
    return {**texts(t.name), "zh": t.name_zh, "pinyin": t.name_pinyin}


def clause_file(c: Clause, *, public: bool = False) -> dict[str, Any]:
    """A clause as treaties.json holds it; ``public``: as the API publishes it, with the
    article's text in every language ("" where it has none)."""
    return {
        "id": c.slug,
        "article": c.article,
        "title": texts(c.title),
        "essay_ru": c.essay_ru,
        **per_language("text", c.text, all_=public),
        "note": optional_texts(c.note),
        "sources": list(c.sources),
    }


def treaty_file(t: Treaty) -> dict[str, Any]:
    """A treaty as treaties.json holds it, with its clauses in order."""
    clauses = sorted(t.clauses.all(), key=lambda c: (c.order, c.slug))
    return {
        "slug": t.slug,
        "power": t.power,
        "document": t.document,
        "name": _treaty_names(t),
        "signed_julian": t.signed_julian.isoformat(),
        "signed_gregorian": t.signed_gregorian.isoformat(),
        "place": texts(t.place),
        "signatories": texts(t.signatories),
        "articles_count": t.articles_count,
        "ratification": optional_texts(t.ratification),
        "sources": list(t.sources),
        "clauses": [clause_file(c) for c in clauses],
    }


def treaty_public(t: Treaty) -> dict[str, Any]:
    """A treaty as the API publishes it: both calendars' dates, written out in each language."""
    return {
        "slug": t.slug,
        "power": t.power,
        "document": t.document,
        # The atlas' subject is Russia's treaties; the other powers' are their context.
        "context": t.is_context,
        "name": _treaty_names(t),
        "signed": {
            "julian": t.signed_julian.isoformat(),
            "gregorian": t.signed_gregorian.isoformat(),
            "text": {
                code: format_dual(t.signed_gregorian, julian=t.signed_julian, lang=code)
                for code in language_codes()
            },
        },
        "place": texts(t.place),
        "signatories": texts(t.signatories),
        "articles_count": t.articles_count,
        "ratification": texts(t.ratification),
        "sources": list(t.sources),
        "people": [p.slug for p in t.people.all()],
        "clauses": [clause_file(c, public=True) for c in t.clauses.all()],
    }


# --- People -------------------------------------------------------------------------------------


def person_names(p: Person) -> dict[str, Any]:
    return {**texts(p.name), "zh": p.name_zh, "pinyin": p.name_pinyin, "other": list(p.other_names)}


def person_file(p: Person) -> dict[str, Any]:
    """A person as people.json holds them: names, years, role, the treaties they signed."""
    return {
        "slug": p.slug,
        "name": person_names(p),
        "lived": p.lived,
        "role": texts(p.role),
        "treaties": [t.slug for t in p.treaties.all()],
        "note": optional_texts(p.note),
        "sources": list(p.sources),
    }


# --- Events and the story ------------------------------------------------------------------------


def event_file(e: Event) -> dict[str, Any]:
    return {
        "slug": e.slug,
        "date_gregorian": e.date_gregorian.isoformat(),
        "date_julian": e.date_julian.isoformat(),
        "precision": e.precision,
        "title": texts(e.title),
        "description": texts(e.description),
        "treaty": e.treaty.slug if e.treaty else None,
        "features": sorted(f.slug for f in e.features.all()),
        "people": [p.slug for p in e.people.all()],
        "sources": list(e.sources),
    }


def story_step_file(s: StoryStep) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "year": s.year,
        "bounds": s.bounds,
        "features": sorted(f.slug for f in s.features.all()),
        "title": texts(s.title),
        "essay_ru": s.essay_ru,
        **per_language("caption", s.caption, all_=False),
        "note": optional_texts(s.note),
    }


def story_step_public(s: StoryStep, *, number: int) -> dict[str, Any]:
    """A step as the presentation's script reads it (numbered from 1)."""
    return {"number": number, **story_step_file(s)}
