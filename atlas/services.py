"""Writes: loading geodata/ into the database.

``atlas_load`` reads and validates every file first (atlas.reading) and only then writes,
inside one transaction, keyed on slugs: loading the same files twice changes nothing, and a bad
file leaves the database exactly as it was. The files are the source of truth, so records that
are no longer in them are deleted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .cache import data_changed
from .models import Clause, Event, Feature, FeatureBasis, Person, StoryStep, Treaty
from .problems import ERR_MASS_DELETE, AtlasDataError, DataProblem
from .reading import AtlasData, atlas_read


@dataclass
class LoadReport:
    """What a load found and did, per kind of record."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        bucket = self.counts.setdefault(
            kind, {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
        )
        bucket[outcome] += n

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values())


Progress = Callable[[str], None]


# --- Writing ------------------------------------------------------------------------------------


def _sync(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    report: LoadReport,
    label: str,
    resolve: Callable[[dict[str, Any]], dict[str, Any]] = lambda row: row,
) -> dict[str, models.Model]:
    """Upsert rows keyed on slug, delete what the files no longer have; return slug -> object."""
    existing = {obj.slug: obj for obj in model.objects.all()}
    kept: dict[str, models.Model] = {}
    for row in rows:
        values = resolve(row)
        obj = existing.get(values["slug"])
        if obj is None:
            obj = model(**values)
            outcome = "created"
        else:
            changed = [k for k, v in values.items() if getattr(obj, k) != v]
            for k in changed:
                setattr(obj, k, values[k])
            outcome = "updated" if changed else "unchanged"
        if outcome != "unchanged":
            try:
                obj.full_clean(validate_unique=False)
            except ValidationError as exc:
                raise AtlasDataError(
                    [
                        DataProblem(
                            label,
                            f"{model._meta.model_name} {values['slug']!r}",
                            "; ".join(exc.messages),
                        )
                    ]
                ) from exc
            obj.save()
        report.add(label, outcome)
        kept[obj.slug] = obj
    stale = [slug for slug in existing if slug not in kept]
    if stale:
        model.objects.filter(slug__in=stale).delete()
        report.add(label, "deleted", len(stale))
    return kept


def atlas_write(*, data: AtlasData, progress: Progress | None = None) -> LoadReport:
    """Write validated data in one transaction; identical input leaves every row untouched."""
    say = progress or (lambda message: None)
    report = LoadReport()
    links_changed = False
    with transaction.atomic():
        treaties = _sync(Treaty, data.treaties, report, "treaties")
        say(f"treaties: {_summary(report, 'treaties')}")
        clauses = _sync(
            Clause, data.clauses, report, "clauses",
            lambda row: {**row, "treaty": treaties[row["treaty"]]},
        )  # fmt: skip
        say(f"clauses: {_summary(report, 'clauses')}")
        features = _sync(Feature, data.features, report, "features")
        say(f"features: {_summary(report, 'features')}")
        wanted = {(f, c, r): o for f, c, r, o in data.basis}
        current = {
            (b.feature.slug, b.clause.slug, b.role): b
            for b in FeatureBasis.objects.select_related("feature", "clause")
        }
        for key, link in current.items():
            if key not in wanted:
                link.delete()
                report.add("basis", "deleted")
            elif link.order != wanted[key]:
                link.order = wanted[key]
                link.save(update_fields=["order"])
                report.add("basis", "updated")
            else:
                report.add("basis", "unchanged")
        for key, order in wanted.items():
            if key not in current:
                FeatureBasis.objects.create(
                    feature=features[key[0]], clause=clauses[key[1]], role=key[2], order=order
                )
                report.add("basis", "created")
        say(f"treaty basis links: {_summary(report, 'basis')}")
        events = _sync(
            Event, data.events, report, "events",
            lambda row: {**row, "treaty": treaties.get(row["treaty"])},
        )  # fmt: skip
        for slug, event in events.items():
            want = {features[s].pk for s in data.event_features.get(slug, [])}
            have = set(event.features.values_list("pk", flat=True))
            if want != have:
                event.features.set(want)
                links_changed = True
        say(f"events: {_summary(report, 'events')}")
        people = _sync(Person, data.people, report, "people")
        events_of: dict[str, set[int]] = {slug: set() for slug in people}
        for event, slugs in data.event_people.items():
            for slug in slugs:
                events_of[slug].add(events[event].pk)
        for slug, person in people.items():
            want_treaties = {treaties[t].pk for t in data.person_treaties.get(slug, [])}
            if want_treaties != set(person.treaties.values_list("pk", flat=True)):
                person.treaties.set(want_treaties)
                links_changed = True
            if events_of[slug] != set(person.events.values_list("pk", flat=True)):
                person.events.set(events_of[slug])
                links_changed = True
        say(f"people: {_summary(report, 'people')}")
        steps = _sync(StoryStep, data.story, report, "story")
        for slug, step in steps.items():
            want = {features[s].pk for s in data.story_features.get(slug, [])}
            if want != set(step.features.values_list("pk", flat=True)):
                step.features.set(want)
                links_changed = True
        say(f"story steps: {_summary(report, 'story')}")
        if links_changed:
            # A step's or an event's features, a person's treaties: a change all the same.
            report.add("links", "updated")
        if report.changed:
            data_changed()  # the cached pages show the old data
    return report


def _summary(report: LoadReport, label: str) -> str:
    c = report.counts.get(label, {})
    return ", ".join(f"{n} {outcome}" for outcome, n in c.items() if n) or "none"


def deletions(data: AtlasData, path: Path) -> list[DataProblem]:
    """A load that would delete every record of a kind, or more than half of them, is most often
    a wrong or emptied directory, not an edit: it is refused unless asked for (``prune``)."""
    found = []
    for model, rows, what in (
        (Treaty, data.treaties, "treaties"),
        (Clause, data.clauses, "clauses"),
        (Feature, data.features, "features"),
        (Event, data.events, "events"),
        (StoryStep, data.story, "story steps"),
        (Person, data.people, "people"),
    ):
        existing = set(model.objects.values_list("slug", flat=True))
        deleted = len(existing - {row["slug"] for row in rows})
        if existing and (deleted == len(existing) or deleted > len(existing) / 2):
            message = ERR_MASS_DELETE.format(
                deleted=deleted, existing=len(existing), what=what, kept=len(rows)
            )
            found.append(DataProblem(str(path), "(load)", message))
    return found


def atlas_load(
    *, path: Path, check: bool = False, prune: bool = False, progress: Progress | None = None
) -> LoadReport:
    """Validate a geodata directory and (unless ``check``) load it atomically. A load that
    would delete most of a kind of record is refused unless ``prune``."""
    say = progress or (lambda message: None)
    data = atlas_read(path=path)
    say(
        f"read {len(data.files)} files: {len(data.treaties)} treaties, {len(data.clauses)} "
        f"clauses, {len(data.features)} features, {len(data.people)} people, "
        f"{len(data.events)} events, {len(data.story)} story steps, {len(data.names)} names of "
        "the map — all valid"
    )
    if not prune:
        refused = deletions(data, Path(path))
        if refused:
            raise AtlasDataError(refused)
    if check:
        return LoadReport()
    return atlas_write(data=data, progress=progress)
