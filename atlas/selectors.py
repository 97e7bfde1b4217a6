"""Reads: the state of the map at a year, a place's treaty basis, the treaties.

The map for year Y shows the state at the **end** of Y: a feature is on it if it began on or
before 31 December Y and had not ended by then. Features that began during Y are "new this year".
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext

from .calendars import format_dual
from .i18n import current_language
from .models import Clause, Event, Feature, FeatureBasis, StoryStep, Treaty
from .timerule import on_map


def year_range() -> range:
    """The years the atlas can show."""
    return range(settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR + 1)


def year_is_shown(year: int) -> bool:
    return year in year_range()


def is_on_map(feature: Feature, *, year: int) -> bool:
    """The time rule (atlas.timerule) for one feature."""
    return on_map(feature.valid_from, feature.valid_to, year=year)


@dataclass
class MapState:
    """What the map shows at the end of one year: its features and the year's events."""

    year: int
    features: list[Feature]
    events: list[Event]
    new_slugs: set[str] = field(default_factory=set)


def map_state_at(*, year: int) -> MapState:
    """The features on the map at the end of ``year``, with their treaty basis, and its events."""
    features = list(Feature.objects.visible_at(year=year).with_basis())
    events = list(_events().filter(date_gregorian__year=year))
    new = {f.slug for f in features if f.valid_from.year == year}
    return MapState(year=year, features=features, events=events, new_slugs=new)


@dataclass
class YearPanel:
    """The side panel of one year: what began, what ended, what happened."""

    year: int
    new: list[Feature]
    ended: list[Feature]
    events: list[Event]


@dataclass
class Timeline:
    """Every feature and event, so that the page can move between years without a request."""

    features: list[Feature]
    events: list[Event]

    def panels(self) -> list[YearPanel]:
        return [
            YearPanel(
                year=y,
                new=[f for f in self.features if f.valid_from.year == y],
                ended=[f for f in self.features if f.valid_to and f.valid_to.year == y],
                events=[e for e in self.events if e.date_gregorian.year == y],
            )
            for y in year_range()
        ]


def _events():
    return Event.objects.select_related("treaty").prefetch_related(
        Prefetch("features", queryset=Feature.objects.only("slug", "name_en", "name_ru"))
    )


def atlas_timeline() -> Timeline:
    """All features with their treaty basis and all events, in a fixed number of queries."""
    return Timeline(features=list(Feature.objects.with_basis()), events=list(_events()))


def basis_items(feature: Feature) -> list[dict[str, Any]]:
    """The public form of a feature's treaty basis (uses prefetched rows when present)."""
    return [
        {
            "treaty": link.clause.treaty.slug,
            "article": link.clause.article,
            "clause": link.clause.slug,
            "role": link.role,
        }
        for link in feature.basis.all()
    ]


def feature_properties(feature: Feature, *, year: int | None = None) -> dict[str, Any]:
    """A feature's GeoJSON properties as the API and the map publish them."""
    props: dict[str, Any] = {
        "slug": feature.slug,
        "kind": feature.kind,
        "name": {
            "ru": feature.name_ru,
            "en": feature.name_en,
            "zh": feature.name_zh,
            "zh_simplified": feature.name_zh_simplified,
            "pinyin": feature.name_pinyin,
            "romanized": feature.name_romanized,
            "other": feature.other_names,
        },
        "valid_from": feature.valid_from.isoformat(),
        "valid_from_precision": feature.valid_from_precision,
        "valid_to": feature.valid_to.isoformat() if feature.valid_to else None,
        "valid_to_precision": feature.valid_to_precision or None,
        "certainty": feature.certainty,
        "sources": feature.sources,
        "basis": basis_items(feature),
        "note": {"ru": feature.note_ru, "en": feature.note_en} if feature.note_en else None,
        **feature.extra,
    }
    if year is not None:
        props["new_this_year"] = feature.valid_from.year == year
    return props


def feature_collection_at(*, year: int) -> dict[str, Any]:
    """RFC 7946 FeatureCollection of what the map shows at the end of ``year``."""
    state = map_state_at(year=year)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f.slug,
                "geometry": f.geometry,
                "properties": feature_properties(f, year=year),
            }
            for f in state.features
        ],
    }


def treaty_list() -> list[dict[str, Any]]:
    """Every treaty with its clauses, dates in both calendars, for the API."""
    treaties = Treaty.objects.prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.order_by("order"))
    )
    return [
        {
            "slug": t.slug,
            "name": {"ru": t.name_ru, "en": t.name_en, "zh": t.name_zh, "pinyin": t.name_pinyin},
            "signed": {
                "julian": t.signed_julian.isoformat(),
                "gregorian": t.signed_gregorian.isoformat(),
                "text": {
                    "en": format_dual(t.signed_gregorian, julian=t.signed_julian),
                    "ru": format_dual(t.signed_gregorian, julian=t.signed_julian, lang="ru"),
                },
            },
            "place": {"ru": t.place_ru, "en": t.place_en},
            "signatories": {"ru": t.signatories_ru, "en": t.signatories_en},
            "articles_count": t.articles_count,
            "ratification": {"ru": t.ratification_ru, "en": t.ratification_en},
            "sources": t.sources,
            "clauses": [
                {
                    "id": c.slug,
                    "article": c.article,
                    "title": {"ru": c.title_ru, "en": c.title_en},
                    "essay_ru": c.essay_ru,
                    "text_en": c.text_en,
                    "text_ru": c.text_ru,
                    "note": {"ru": c.note_ru, "en": c.note_en} if c.note_en else None,
                    "sources": c.sources,
                }
                for c in t.clauses.all()
            ],
        }
        for t in treaties
    ]


def feature_detail(*, slug: str) -> Feature | None:
    """One feature with its basis and events, or None."""
    return (
        Feature.objects.with_basis()
        .prefetch_related(Prefetch("events", queryset=Event.objects.select_related("treaty")))
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    date_text: str
    text: str
    treaty_slug: str = ""


def feature_timeline(feature: Feature) -> list[TimelineEntry]:
    """A place's dated history: its treaties, its events, when it came onto and left the map.

    Texts are in the active language.
    """
    lang = current_language()

    def pick(obj: Any, field: str) -> str:
        return getattr(obj, f"{field}_{lang}") or getattr(obj, f"{field}_en")

    entries = [
        TimelineEntry(
            feature.valid_from,
            format_dual(feature.valid_from, feature.valid_from_precision, lang=lang),
            gettext("On the map from this date ({kind})").format(kind=feature.get_kind_display()),
        )
    ]
    for link in feature.basis.all():
        treaty = link.clause.treaty
        article = (
            gettext("art. {article}").format(article=link.clause.article)
            if link.clause.article
            else gettext("article not confirmed")
        )
        entries.append(
            TimelineEntry(
                treaty.signed_gregorian,
                format_dual(treaty.signed_gregorian, julian=treaty.signed_julian, lang=lang),
                gettext("{treaty} signed — {role}: {article}").format(
                    treaty=pick(treaty, "name"), role=link.get_role_display(), article=article
                ),
                treaty.slug,
            )
        )
    for event in feature.events.all():
        entries.append(
            TimelineEntry(
                event.date_gregorian,
                format_dual(
                    event.date_gregorian, event.precision, julian=event.date_julian, lang=lang
                ),
                pick(event, "title"),
            )
        )
    if feature.valid_to:
        entries.append(
            TimelineEntry(
                feature.valid_to,
                format_dual(feature.valid_to, feature.valid_to_precision, lang=lang),
                gettext("Off the map from this date"),
            )
        )
    unique = {(e.date, e.text): e for e in entries}
    return sorted(unique.values(), key=lambda e: e.date)


def treaty_detail(*, slug: str) -> Treaty | None:
    """One treaty with its clauses and the features each clause put on the map, or None."""
    return (
        Treaty.objects.prefetch_related(
            Prefetch(
                "clauses",
                queryset=Clause.objects.order_by("order").prefetch_related(
                    Prefetch("basis", queryset=FeatureBasis.objects.select_related("feature"))
                ),
            ),
            "events",
        )
        .filter(slug=slug)
        .first()
    )


def story_steps() -> list[dict[str, Any]]:
    """The classroom story, in order, as the presentation page's script reads it."""
    steps = StoryStep.objects.prefetch_related("features")
    return [
        {
            "number": n,
            "slug": s.slug,
            "year": s.year,
            "bounds": s.bounds,
            "features": sorted(f.slug for f in s.features.all()),
            "title": {"ru": s.title_ru, "en": s.title_en},
            "essay_ru": s.essay_ru,
            "caption_en": s.caption_en,
            "note": {"ru": s.note_ru, "en": s.note_en} if s.note_en else None,
        }
        for n, s in enumerate(steps, start=1)
    ]
