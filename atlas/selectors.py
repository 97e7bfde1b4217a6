"""Reads: the state of the map at a year, a place's treaty basis, the treaties, the people.

Which features a year's map shows, and which are new or ended that year, is atlas.timerule's;
the records' public shapes are atlas.shapes'.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext

from . import kinds, shapes
from .calendars import format_dual
from .i18n import current_language, translate
from .models import Clause, Event, Feature, FeatureBasis, Person, StoryStep, Treaty
from .timerule import year_range, years_on_map

__all__ = ["year_range"]  # re-exported: the years a page may show


def year_is_shown(year: int) -> bool:
    return year in year_range()


def is_on_map(feature: Feature, *, year: int) -> bool:
    """The time rule (atlas.timerule) for one feature."""
    return years_on_map(feature.valid_from, feature.valid_to).shown(year)


@dataclass
class MapState:
    """What the map shows at the end of one year: its features and the year's events."""

    year: int
    features: list[Feature]
    events: list[Event]
    new_slugs: set[str] = field(default_factory=set)


def map_state_at(*, year: int) -> MapState:
    """The features on the map at the end of ``year``, with their treaty basis, and its events."""
    # A few dozen features: the time rule runs here, in Python, not as a second copy in SQL.
    features = [f for f in Feature.objects.with_basis() if is_on_map(f, year=year)]
    events = list(_events().filter(date_gregorian__year=year))
    new = {f.slug for f in features if years_on_map(f.valid_from, f.valid_to).new(year)}
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
        # The states of each year are the map's ground (kinds.KindSpec.backdrop): the cessions
        # that change them are listed, not the states themselves.
        listed = [f for f in self.features if not kinds.get(f.kind).backdrop]
        return [
            YearPanel(
                year=y,
                new=[f for f in listed if years_on_map(f.valid_from, f.valid_to).new(y)],
                ended=[f for f in listed if years_on_map(f.valid_from, f.valid_to).ended_in(y)],
                events=[e for e in self.events if e.date_gregorian.year == y],
            )
            for y in year_range()
        ]


def _events():
    return Event.objects.select_related("treaty").prefetch_related(
        Prefetch("features", queryset=Feature.objects.only("slug", "name")),
        Prefetch("people", queryset=Person.objects.only("slug", "name", "order")),
    )


def feature_list() -> list[Feature]:
    """Every feature with its treaty basis (for the map's data files)."""
    return list(Feature.objects.with_basis())


# What a map page reads of a feature (the panels' lists, the legend): not its geometry, its
# sources or its treaty basis, which travel in the data files.
TIMELINE_FIELDS = (
    "slug", "kind", "name", "valid_from", "valid_from_precision", "valid_to",
    "valid_to_precision", "certainty",
)  # fmt: skip


def atlas_timeline() -> Timeline:
    """All features (what a map page shows of them) and all events, in a fixed number of
    queries."""
    return Timeline(features=list(Feature.objects.only(*TIMELINE_FIELDS)), events=list(_events()))


def feature_geometry(slug: str) -> dict[str, Any] | None:
    """One feature's GeoJSON geometry (the first view of a map that opens it), or None."""
    return Feature.objects.filter(slug=slug).values_list("geometry", flat=True).first()


def feature_collection_at(*, year: int) -> dict[str, Any]:
    """RFC 7946 FeatureCollection of what the map shows at the end of ``year``."""
    state = map_state_at(year=year)
    return shapes.collection(shapes.feature_geojson(f, year=year) for f in state.features)


def treaty_list() -> list[dict[str, Any]]:
    """Every treaty with its clauses, dates in both calendars, for the API."""
    treaties = Treaty.objects.prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.order_by("order")), "people"
    )
    return [shapes.treaty_public(t) for t in treaties]


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
    entries = [
        TimelineEntry(
            feature.valid_from,
            format_dual(feature.valid_from, feature.valid_from_precision, lang=lang),
            gettext("On the map from this date ({kind})").format(kind=kinds.get(feature.kind).name),
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
                gettext("{signed}: {treaty} — {role}: {article}").format(
                    signed=treaty.signed_word,
                    treaty=translate(treaty.name),
                    role=link.get_role_display(),
                    article=article,
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
                translate(event.title),
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
            "people",
        )
        .filter(slug=slug)
        .first()
    )


def person_detail(*, slug: str) -> Person | None:
    """One person with the treaties they signed and their events (with the events' places)."""
    return (
        Person.objects.prefetch_related(
            "treaties", Prefetch("events", queryset=_events().order_by("date_gregorian", "slug"))
        )
        .filter(slug=slug)
        .first()
    )


def story_steps() -> list[dict[str, Any]]:
    """The classroom story, in order, as the presentation page's script reads it: each step's
    year, view and features, the essay's words, and its texts in the reader's language
    (``display``) — not every language's, which the page has no use for."""
    lang = current_language()
    steps = StoryStep.objects.prefetch_related("features")
    page_keys = ("number", "slug", "year", "bounds", "features", "essay_ru")
    return [
        {
            **{k: v for k, v in shapes.story_step_public(s, number=n).items() if k in page_keys},
            "display": {
                "title": translate(s.title),
                # Readers of the essay's language read its own words, with no translation.
                "caption": "" if lang == shapes.ESSAY_LANGUAGE else translate(s.caption),
                "note": translate(s.note),
            },
        }
        for n, s in enumerate(steps, start=1)
    ]
