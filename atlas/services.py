"""Writes: loading geodata/ into the database.

``atlas_load`` reads and validates every file first and only then writes, inside one
transaction, keyed on slugs: loading the same files twice changes nothing, and a bad file leaves
the database exactly as it was. The files are the source of truth, so records that are no longer
in them are deleted.
"""

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from . import geo
from .cache import data_changed
from .calendars import julian_to_gregorian
from .models import (
    Certainty,
    Clause,
    Event,
    Feature,
    FeatureBasis,
    Kind,
    Precision,
    Role,
    StoryStep,
    Treaty,
)
from .timerule import on_map

TREATIES_FILE = "treaties.json"
EVENTS_FILE = "events.json"
STORY_FILE = "story.json"  # optional: the classroom story
MAX_FILE_BYTES = 5 * 1024 * 1024
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXTRA_FEATURE_PROPERTIES = ("area_km2", "area_method", "cited_areas", "width_km")

# Messages that tests check; each is prefixed with "<file>: <record>: ".
ERR_NO_DIR = "{path} is not a directory"
ERR_MISSING_FILE = "required file is missing"
ERR_TOO_LARGE = "file is {size:,} bytes; the limit is {limit:,}"
ERR_ENCODING = "file is not UTF-8 text ({detail})"
ERR_JSON = "not valid JSON: {detail}"
ERR_NAN = "number {value} is not allowed in JSON"
ERR_TOP_LEVEL = "expected {expected}"
ERR_MISSING_KEY = "missing required property {key!r}"
ERR_UNKNOWN_KEY = "unknown property {key!r}"
ERR_TYPE = "{key!r} must be {expected}"
ERR_SLUG = "{key!r} must be a lower-case slug (letters, digits, hyphens), got {value!r}"
ERR_DUPLICATE = "duplicate {what} {value!r} (first defined in {first})"
ERR_BILINGUAL = "{key!r} needs non-empty Russian and English texts ('ru' and 'en')"
ERR_DATE = "{key!r} must be a date YYYY-MM-DD, got {value!r}"
ERR_PRECISION = "{key!r} must be one of day, month, year, got {value!r}"
ERR_PRECISION_DATE = "{key!r} has precision {precision!r} so it must be the first day of the {unit}"
ERR_CALENDARS = (
    "Julian date {julian} is Gregorian {expected}, not {gregorian} "
    "(Old Style + 12 days in the 19th century)"
)
ERR_ORDER = "valid_to {valid_to} is before valid_from {valid_from}"
ERR_CHOICE = "{key!r} must be one of {choices}, got {value!r}"
ERR_SOURCES = "'sources' must be a non-empty list of citations"
ERR_UNKNOWN_CLAUSE = "basis refers to unknown clause {clause!r}"
ERR_UNKNOWN_TREATY = "refers to unknown treaty {treaty!r}"
ERR_UNKNOWN_FEATURE = "refers to unknown feature {feature!r}"
ERR_FEATURE_ID = "feature 'id' {id!r} differs from its slug {slug!r}"
ERR_GEOMETRY = "{reason}"
ERR_MODEL = "{reason}"
ERR_YEAR = "'year' must be a whole year from {first} to {last}, got {value!r}"
ERR_BOUNDS = (
    "'bounds' must be [[lon_min, lat_min], [lon_max, lat_max]] inside the atlas region, "
    "got {value!r}"
)
ERR_NOT_ON_MAP = "feature {feature!r} is not on the map in {year}"


@dataclass(frozen=True)
class DataProblem:
    """One thing wrong in the input, located as precisely as we can."""

    file: str
    record: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.problem}"


class AtlasDataError(Exception):
    """The input cannot be loaded. ``problems`` lists everything found, in file order."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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


# --- Reading and validating ---------------------------------------------------------------------


class _Checker:
    """Collects problems for one record; each check returns the cleaned value or None."""

    def __init__(self, problems: list[DataProblem], file: str, record: str):
        self.problems, self.file, self.record = problems, file, record

    def fail(self, message: str) -> None:
        self.problems.append(DataProblem(self.file, self.record, message))

    def keys(self, obj: dict, required: Iterable[str], optional: Iterable[str] = ()) -> bool:
        required = list(required)
        ok = True
        for key in required:
            if key not in obj:
                self.fail(ERR_MISSING_KEY.format(key=key))
                ok = False
        allowed = set(required) | set(optional)
        for key in obj:
            if key not in allowed:
                self.fail(ERR_UNKNOWN_KEY.format(key=key))
        return ok

    def text(self, obj: dict, key: str, *, blank: bool = False) -> str | None:
        value = obj.get(key)
        if not isinstance(value, str) or (not blank and not value.strip()):
            self.fail(
                ERR_TYPE.format(key=key, expected="a non-empty text" if not blank else "text")
            )
            return None
        return value.strip()

    def slug(self, obj: dict, key: str) -> str | None:
        value = obj.get(key)
        if not isinstance(value, str) or not SLUG_RE.match(value):
            self.fail(ERR_SLUG.format(key=key, value=value))
            return None
        return value

    def bilingual(self, obj: dict, key: str, *, nullable: bool = False) -> tuple[str, str] | None:
        value = obj.get(key)
        if value is None and nullable:
            return ("", "")
        if (
            not isinstance(value, dict)
            or set(value) - {"ru", "en"}
            or not all(
                isinstance(value.get(lang), str) and value[lang].strip() for lang in ("ru", "en")
            )
        ):
            self.fail(ERR_BILINGUAL.format(key=key))
            return None
        return (value["ru"].strip(), value["en"].strip())

    def date(self, obj: dict, key: str, *, nullable: bool = False) -> dt.date | None:
        value = obj.get(key)
        if value is None and nullable:
            return None
        try:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(ERR_DATE.format(key=key, value=value))
            return None

    def precision(
        self, obj: dict, key: str, date: dt.date | None, *, nullable: bool = False
    ) -> str:
        value = obj.get(key)
        if value is None and nullable:
            return ""
        if value not in Precision.values:
            self.fail(ERR_PRECISION.format(key=key, value=value))
            return ""
        if date is not None and (
            (value == Precision.MONTH and date.day != 1)
            or (value == Precision.YEAR and (date.day, date.month) != (1, 1))
        ):
            self.fail(ERR_PRECISION_DATE.format(key=key, precision=value, unit=value))
        return value

    def choice(self, obj: dict, key: str, choices: list[str]) -> str | None:
        value = obj.get(key)
        if value not in choices:
            self.fail(ERR_CHOICE.format(key=key, choices=", ".join(choices), value=value))
            return None
        return value

    def sources(self, obj: dict) -> list[str] | None:
        value = obj.get("sources")
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(s, str) and s.strip() for s in value)
        ):
            self.fail(ERR_SOURCES)
            return None
        return [s.strip() for s in value]

    def calendars(self, julian: dt.date | None, gregorian: dt.date | None) -> None:
        if julian is None or gregorian is None:
            return
        expected = julian_to_gregorian(julian)
        if expected != gregorian:
            self.fail(ERR_CALENDARS.format(julian=julian, expected=expected, gregorian=gregorian))


def _reject_constant(value: str) -> None:
    raise ValueError(ERR_NAN.format(value=value))


def read_json(path: Path, problems: list[DataProblem]) -> Any:
    """Read one JSON file strictly (size limit, UTF-8, no NaN/Infinity); None if unreadable."""
    name = path.name
    if not path.is_file():
        problems.append(DataProblem(name, "(file)", ERR_MISSING_FILE))
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            DataProblem(name, "(file)", ERR_TOO_LARGE.format(size=size, limit=MAX_FILE_BYTES))
        )
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(DataProblem(name, "(file)", ERR_ENCODING.format(detail=exc.reason)))
        return None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        detail = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        problems.append(DataProblem(name, "(file)", ERR_JSON.format(detail=detail)))
    except ValueError as exc:
        problems.append(DataProblem(name, "(file)", str(exc)))
    return None


@dataclass
class AtlasData:
    """Validated, model-ready records read from a geodata directory."""

    treaties: list[dict[str, Any]] = field(default_factory=list)
    clauses: list[dict[str, Any]] = field(default_factory=list)
    features: list[dict[str, Any]] = field(default_factory=list)
    basis: list[tuple[str, str, str, int]] = field(default_factory=list)  # feature, clause, role
    events: list[dict[str, Any]] = field(default_factory=list)
    event_features: dict[str, list[str]] = field(default_factory=dict)
    story: list[dict[str, Any]] = field(default_factory=list)
    story_features: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def _read_treaties(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    doc = read_json(path / TREATIES_FILE, problems)
    if doc is None:
        return
    data.files.append(TREATIES_FILE)
    if not isinstance(doc, dict) or not isinstance(doc.get("treaties"), list):
        problems.append(
            DataProblem(
                TREATIES_FILE, "(file)", ERR_TOP_LEVEL.format(expected='{"treaties": [...]}')
            )
        )
        return
    seen: dict[str, str] = {}
    clause_seen: dict[str, str] = {}
    for i, obj in enumerate(doc["treaties"]):
        record = f"treaty #{i + 1}"
        if isinstance(obj, dict) and isinstance(obj.get("slug"), str):
            record = f"treaty {obj['slug']!r}"
        c = _Checker(problems, TREATIES_FILE, record)
        if not isinstance(obj, dict):
            c.fail(ERR_TOP_LEVEL.format(expected="a treaty object"))
            continue
        c.keys(
            obj,
            [
                "slug", "name", "signed_julian", "signed_gregorian", "place", "signatories",
                "articles_count", "sources", "clauses",
            ],
            ["ratification"],
        )  # fmt: skip
        slug = c.slug(obj, "slug")
        if slug in seen:
            c.fail(ERR_DUPLICATE.format(what="treaty slug", value=slug, first=seen[slug]))
        elif slug:
            seen[slug] = record
        name = obj.get("name")
        names = c.bilingual(
            {"name": {k: v for k, v in name.items() if k in ("ru", "en")}}
            if isinstance(name, dict)
            else {},
            "name",
        )
        zh = c.text(name, "zh") if isinstance(name, dict) else None
        pinyin = c.text(name, "pinyin") if isinstance(name, dict) else None
        if isinstance(name, dict):
            for key in set(name) - {"ru", "en", "zh", "pinyin"}:
                c.fail(ERR_UNKNOWN_KEY.format(key=f"name.{key}"))
        julian = c.date(obj, "signed_julian")
        gregorian = c.date(obj, "signed_gregorian")
        c.calendars(julian, gregorian)
        place = c.bilingual(obj, "place")
        signatories = c.bilingual(obj, "signatories")
        ratification = c.bilingual(obj, "ratification", nullable=True)
        articles = obj.get("articles_count")
        if isinstance(articles, bool) or not isinstance(articles, int) or articles < 1:
            c.fail(ERR_TYPE.format(key="articles_count", expected="a positive whole number"))
        sources = c.sources(obj)
        if slug and all(
            v is not None for v in (names, zh, pinyin, julian, gregorian, place, signatories)
        ):
            data.treaties.append(
                {
                    "slug": slug,
                    "name_ru": names[0],
                    "name_en": names[1],
                    "name_zh": zh,
                    "name_pinyin": pinyin,
                    "signed_julian": julian,
                    "signed_gregorian": gregorian,
                    "place_ru": place[0],
                    "place_en": place[1],
                    "signatories_ru": signatories[0],
                    "signatories_en": signatories[1],
                    "articles_count": articles,
                    "ratification_ru": ratification[0] if ratification else "",
                    "ratification_en": ratification[1] if ratification else "",
                    "sources": sources or [],
                }
            )
        clauses = obj.get("clauses")
        if not isinstance(clauses, list):
            c.fail(ERR_TYPE.format(key="clauses", expected="a list of clauses"))
            continue
        for j, cobj in enumerate(clauses):
            crecord = f"{record}, clause #{j + 1}"
            if isinstance(cobj, dict) and isinstance(cobj.get("id"), str):
                crecord = f"clause {cobj['id']!r}"
            cc = _Checker(problems, TREATIES_FILE, crecord)
            if not isinstance(cobj, dict):
                cc.fail(ERR_TOP_LEVEL.format(expected="a clause object"))
                continue
            cc.keys(
                cobj,
                ["id", "article", "title", "essay_ru", "text_en", "note", "sources"],
                ["text_ru"],
            )
            cid = cc.slug(cobj, "id")
            if cid in clause_seen:
                cc.fail(ERR_DUPLICATE.format(what="clause id", value=cid, first=clause_seen[cid]))
            elif cid:
                clause_seen[cid] = crecord
            article = cobj.get("article")
            if not isinstance(article, str):
                cc.fail(ERR_TYPE.format(key="article", expected="text (blank if not confirmed)"))
            title = cc.bilingual(cobj, "title")
            essay = cc.text(cobj, "essay_ru", blank=True)
            text_en = cc.text(cobj, "text_en")
            text_ru = cc.text(cobj, "text_ru") if "text_ru" in cobj else ""
            note = cc.bilingual(cobj, "note", nullable=True)
            csources = cc.sources(cobj)
            if cid and slug and title and essay is not None and text_en and note is not None:
                data.clauses.append(
                    {
                        "slug": cid,
                        "treaty": slug,
                        "article": article if isinstance(article, str) else "",
                        "order": j,
                        "title_ru": title[0],
                        "title_en": title[1],
                        "essay_ru": essay,
                        "text_en": text_en,
                        "text_ru": text_ru or "",
                        "note_ru": note[0],
                        "note_en": note[1],
                        "sources": csources or [],
                    }
                )


def _read_features(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    clause_ids = {c["slug"] for c in data.clauses}
    seen: dict[str, str] = {}
    for file in sorted(path.glob("*.geojson")):
        doc = read_json(file, problems)
        if doc is None:
            continue
        data.files.append(file.name)
        if (
            not isinstance(doc, dict)
            or doc.get("type") != "FeatureCollection"
            or not isinstance(doc.get("features"), list)
        ):
            problems.append(
                DataProblem(
                    file.name,
                    "(file)",
                    ERR_TOP_LEVEL.format(expected="a GeoJSON FeatureCollection"),
                )
            )
            continue
        for i, obj in enumerate(doc["features"]):
            props = obj.get("properties") if isinstance(obj, dict) else None
            record = f"feature #{i + 1}"
            if isinstance(props, dict) and isinstance(props.get("slug"), str):
                record = f"feature {props['slug']!r}"
            c = _Checker(problems, file.name, record)
            if (
                not isinstance(obj, dict)
                or obj.get("type") != "Feature"
                or not isinstance(props, dict)
            ):
                c.fail(ERR_TOP_LEVEL.format(expected='a GeoJSON Feature with "properties"'))
                continue
            c.keys(obj, ["type", "geometry", "properties"], ["id"])
            c.keys(
                props,
                [
                    "slug", "kind", "name", "valid_from", "valid_from_precision", "valid_to",
                    "valid_to_precision", "certainty", "sources", "basis",
                ],
                ["note", *EXTRA_FEATURE_PROPERTIES],
            )  # fmt: skip
            slug = c.slug(props, "slug")
            if slug in seen:
                c.fail(ERR_DUPLICATE.format(what="feature slug", value=slug, first=seen[slug]))
            elif slug:
                seen[slug] = f"{file.name}, {record}"
            if "id" in obj and obj["id"] != slug:
                c.fail(ERR_FEATURE_ID.format(id=obj["id"], slug=slug))
            kind = c.choice(props, "kind", Kind.values)
            name = props.get("name")
            names = None
            if isinstance(name, dict):
                names = c.bilingual({"name": {k: name.get(k) for k in ("ru", "en")}}, "name")
                for key in ("zh", "zh_simplified", "pinyin", "romanized"):
                    if not isinstance(name.get(key, ""), str):
                        c.fail(ERR_TYPE.format(key=f"name.{key}", expected="text"))
                other = name.get("other", [])
                if not isinstance(other, list) or not all(isinstance(o, str) for o in other):
                    c.fail(ERR_TYPE.format(key="name.other", expected="a list of names"))
                allowed = {"ru", "en", "zh", "zh_simplified", "pinyin", "romanized", "other"}
                for key in set(name) - allowed:
                    c.fail(ERR_UNKNOWN_KEY.format(key=f"name.{key}"))
            else:
                c.fail(ERR_BILINGUAL.format(key="name"))
            valid_from = c.date(props, "valid_from")
            from_precision = c.precision(props, "valid_from_precision", valid_from)
            valid_to = c.date(props, "valid_to", nullable=True)
            to_precision = c.precision(
                props, "valid_to_precision", valid_to, nullable=valid_to is None
            )
            if valid_from and valid_to and valid_to < valid_from:
                c.fail(ERR_ORDER.format(valid_to=valid_to, valid_from=valid_from))
            certainty = c.choice(props, "certainty", Certainty.values)
            sources = c.sources(props)
            note = c.bilingual(props, "note", nullable=True)
            try:
                geometry = obj.get("geometry")
                geo.parse_geometry(geometry)
            except geo.GeometryError as exc:
                c.fail(ERR_GEOMETRY.format(reason=exc))
                geometry = None
            basis = props.get("basis")
            if not isinstance(basis, list):
                c.fail(ERR_TYPE.format(key="basis", expected="a list of {clause, role}"))
                basis = []
            for order, link in enumerate(basis):
                if not isinstance(link, dict) or set(link) != {"clause", "role"}:
                    c.fail(ERR_TYPE.format(key="basis", expected="a list of {clause, role}"))
                    continue
                if link["clause"] not in clause_ids:
                    c.fail(ERR_UNKNOWN_CLAUSE.format(clause=link["clause"]))
                    continue
                if c.choice(link, "role", Role.values) and slug:
                    data.basis.append((slug, link["clause"], link["role"], order))
            if slug and names and kind and certainty and sources and geometry and valid_from:
                data.features.append(
                    {
                        "slug": slug,
                        "kind": kind,
                        "name_ru": names[0],
                        "name_en": names[1],
                        "name_zh": name.get("zh", ""),
                        "name_zh_simplified": name.get("zh_simplified", ""),
                        "name_pinyin": name.get("pinyin", ""),
                        "name_romanized": name.get("romanized", ""),
                        "other_names": name.get("other", []),
                        "geometry": geometry,
                        "valid_from": valid_from,
                        "valid_from_precision": from_precision,
                        "valid_to": valid_to,
                        "valid_to_precision": to_precision,
                        "certainty": certainty,
                        "sources": sources,
                        "note_ru": note[0] if note else "",
                        "note_en": note[1] if note else "",
                        "extra": {k: props[k] for k in EXTRA_FEATURE_PROPERTIES if k in props},
                    }
                )


def _read_events(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    doc = read_json(path / EVENTS_FILE, problems)
    if doc is None:
        return
    data.files.append(EVENTS_FILE)
    if not isinstance(doc, dict) or not isinstance(doc.get("events"), list):
        problems.append(
            DataProblem(EVENTS_FILE, "(file)", ERR_TOP_LEVEL.format(expected='{"events": [...]}'))
        )
        return
    treaties = {t["slug"] for t in data.treaties}
    features = {f["slug"] for f in data.features}
    seen: dict[str, str] = {}
    for i, obj in enumerate(doc["events"]):
        record = f"event #{i + 1}"
        if isinstance(obj, dict) and isinstance(obj.get("slug"), str):
            record = f"event {obj['slug']!r}"
        c = _Checker(problems, EVENTS_FILE, record)
        if not isinstance(obj, dict):
            c.fail(ERR_TOP_LEVEL.format(expected="an event object"))
            continue
        c.keys(
            obj,
            ["slug", "date_gregorian", "date_julian", "precision", "title", "description",
             "treaty", "features", "sources"],
        )  # fmt: skip
        slug = c.slug(obj, "slug")
        if slug in seen:
            c.fail(ERR_DUPLICATE.format(what="event slug", value=slug, first=seen[slug]))
        elif slug:
            seen[slug] = record
        gregorian = c.date(obj, "date_gregorian")
        julian = c.date(obj, "date_julian")
        precision = c.precision(obj, "precision", gregorian)
        if precision == Precision.DAY:
            c.calendars(julian, gregorian)
        title = c.bilingual(obj, "title")
        description = c.bilingual(obj, "description")
        treaty = obj.get("treaty")
        if treaty is not None and treaty not in treaties:
            c.fail(ERR_UNKNOWN_TREATY.format(treaty=treaty))
        linked = obj.get("features")
        if not isinstance(linked, list):
            c.fail(ERR_TYPE.format(key="features", expected="a list of feature slugs"))
            linked = []
        for slug_ in linked:
            if slug_ not in features:
                c.fail(ERR_UNKNOWN_FEATURE.format(feature=slug_))
        sources = c.sources(obj)
        if slug and gregorian and julian and precision and title and description and sources:
            data.events.append(
                {
                    "slug": slug,
                    "date_gregorian": gregorian,
                    "date_julian": julian,
                    "precision": precision,
                    "title_ru": title[0],
                    "title_en": title[1],
                    "description_ru": description[0],
                    "description_en": description[1],
                    "treaty": treaty,
                    "sources": sources,
                }
            )
            data.event_features[slug] = [s for s in linked if s in features]


def _read_story(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    if not (path / STORY_FILE).exists():
        return
    doc = read_json(path / STORY_FILE, problems)
    if doc is None:
        return
    data.files.append(STORY_FILE)
    if not isinstance(doc, dict) or not isinstance(doc.get("steps"), list):
        problems.append(
            DataProblem(STORY_FILE, "(file)", ERR_TOP_LEVEL.format(expected='{"steps": [...]}'))
        )
        return
    features = {f["slug"]: f for f in data.features}
    first, last = settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR
    lon_min, lat_min, lon_max, lat_max = geo.REGION_BOUNDS
    seen: dict[str, str] = {}
    for i, obj in enumerate(doc["steps"]):
        record = f"step {i + 1}"
        if isinstance(obj, dict) and isinstance(obj.get("slug"), str):
            record = f"step {i + 1} {obj['slug']!r}"
        c = _Checker(problems, STORY_FILE, record)
        if not isinstance(obj, dict):
            c.fail(ERR_TOP_LEVEL.format(expected="a story step object"))
            continue
        c.keys(
            obj, ["slug", "year", "bounds", "features", "title", "essay_ru", "caption_en"], ["note"]
        )
        slug = c.slug(obj, "slug")
        if slug in seen:
            c.fail(ERR_DUPLICATE.format(what="step slug", value=slug, first=seen[slug]))
        elif slug:
            seen[slug] = record
        year = obj.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not first <= year <= last:
            c.fail(ERR_YEAR.format(first=first, last=last, value=year))
            year = None
        bounds = obj.get("bounds")
        try:
            (x0, y0), (x1, y1) = bounds
            numbers = all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in (x0, y0, x1, y1)
            )
            if not (numbers and lon_min <= x0 < x1 <= lon_max and lat_min <= y0 < y1 <= lat_max):
                raise ValueError
        except (TypeError, ValueError):
            c.fail(ERR_BOUNDS.format(value=bounds))
            bounds = None
        linked = obj.get("features")
        if not isinstance(linked, list) or not all(isinstance(s_, str) for s_ in linked):
            c.fail(ERR_TYPE.format(key="features", expected="a list of feature slugs"))
            linked = []
        for slug_ in linked:
            feature = features.get(slug_)
            if feature is None:
                c.fail(ERR_UNKNOWN_FEATURE.format(feature=slug_))
            elif year is not None and not on_map(
                feature["valid_from"], feature["valid_to"], year=year
            ):
                c.fail(ERR_NOT_ON_MAP.format(feature=slug_, year=year))
        title = c.bilingual(obj, "title")
        essay = c.text(obj, "essay_ru")
        caption = c.text(obj, "caption_en")
        note = c.bilingual(obj, "note", nullable=True)
        if slug and year and bounds and title and essay and caption:
            data.story.append(
                {
                    "slug": slug,
                    "order": i + 1,
                    "year": year,
                    "bounds": [[float(v) for v in corner] for corner in bounds],
                    "title_ru": title[0],
                    "title_en": title[1],
                    "essay_ru": essay,
                    "caption_en": caption,
                    "note_ru": note[0] if note else "",
                    "note_en": note[1] if note else "",
                }
            )
            data.story_features[slug] = list(linked)


def atlas_read(*, path: Path) -> AtlasData:
    """Read and validate a geodata directory; raise AtlasDataError listing every problem."""
    path = Path(path)
    if not path.is_dir():
        raise AtlasDataError([DataProblem(str(path), "(directory)", ERR_NO_DIR.format(path=path))])
    problems: list[DataProblem] = []
    data = AtlasData()
    _read_treaties(path, data, problems)
    _read_features(path, data, problems)
    _read_events(path, data, problems)
    _read_story(path, data, problems)
    if problems:
        raise AtlasDataError(problems)
    return data


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
                            ERR_MODEL.format(reason="; ".join(exc.messages)),
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
        steps = _sync(StoryStep, data.story, report, "story")
        for slug, step in steps.items():
            want = {features[s].pk for s in data.story_features.get(slug, [])}
            if want != set(step.features.values_list("pk", flat=True)):
                step.features.set(want)
                links_changed = True
        say(f"story steps: {_summary(report, 'story')}")
        if report.changed or links_changed:
            data_changed()  # the cached pages show the old data
    return report


def _summary(report: LoadReport, label: str) -> str:
    c = report.counts.get(label, {})
    return ", ".join(f"{n} {outcome}" for outcome, n in c.items() if n) or "none"


def atlas_load(*, path: Path, check: bool = False, progress: Progress | None = None) -> LoadReport:
    """Validate a geodata directory and (unless ``check``) load it atomically."""
    say = progress or (lambda message: None)
    data = atlas_read(path=path)
    say(
        f"read {len(data.files)} files: {len(data.treaties)} treaties, {len(data.clauses)} "
        f"clauses, {len(data.features)} features, {len(data.events)} events, "
        f"{len(data.story)} story steps — all valid"
    )
    if check:
        return LoadReport()
    return atlas_write(data=data, progress=progress)


# --- Exporting ----------------------------------------------------------------------------------

# Which file of geodata/ holds each kind of feature. The database does not record the file a
# feature came from, so the kind decides; it is the grouping geodata/ itself uses, so exporting
# a freshly loaded geodata/ writes the same set of files.
EXPORT_FILES: dict[str, str] = {
    Kind.TREATY_PORT: "places.geojson",
    Kind.CITY: "places.geojson",
    Kind.MISSION: "places.geojson",
    Kind.SETTLEMENT: "places.geojson",
    Kind.FORT: "places.geojson",
    Kind.BORDER: "borders.geojson",
    Kind.CESSION: "territories.geojson",
    Kind.COMMON_TERRITORY: "territories.geojson",
    Kind.UNDELIMITED: "territories.geojson",
    Kind.TRADE_ZONE: "trade_zone.geojson",
    Kind.ROUTE: "routes.geojson",
}
ERR_EXPORT_NOT_EMPTY = (
    "{path} already holds atlas files ({files}); choose an empty directory or overwrite"
)
ERR_EXPORT_NOT_DIR = "{path} exists and is not a directory"


def _bilingual_or_null(ru: str, en: str) -> dict[str, str] | None:
    return {"ru": ru, "en": en} if (ru or en) else None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _export_treaties() -> dict[str, Any]:
    treaties = []
    for t in Treaty.objects.order_by("signed_gregorian", "slug").prefetch_related("clauses"):
        clauses = sorted(t.clauses.all(), key=lambda c: (c.order, c.slug))
        treaties.append(
            {
                "slug": t.slug,
                "name": {
                    "ru": t.name_ru,
                    "en": t.name_en,
                    "zh": t.name_zh,
                    "pinyin": t.name_pinyin,
                },
                "signed_julian": t.signed_julian.isoformat(),
                "signed_gregorian": t.signed_gregorian.isoformat(),
                "place": {"ru": t.place_ru, "en": t.place_en},
                "signatories": {"ru": t.signatories_ru, "en": t.signatories_en},
                "articles_count": t.articles_count,
                "ratification": _bilingual_or_null(t.ratification_ru, t.ratification_en),
                "sources": list(t.sources),
                "clauses": [
                    {
                        "id": c.slug,
                        "article": c.article,
                        "title": {"ru": c.title_ru, "en": c.title_en},
                        "essay_ru": c.essay_ru,
                        "text_en": c.text_en,
                        **({"text_ru": c.text_ru} if c.text_ru else {}),
                        "note": _bilingual_or_null(c.note_ru, c.note_en),
                        "sources": list(c.sources),
                    }
                    for c in clauses
                ],
            }
        )
    return {"treaties": treaties}


def _export_feature(f: Feature) -> dict[str, Any]:
    basis = sorted(f.basis.all(), key=lambda b: (b.order, b.clause.slug, b.role))
    props: dict[str, Any] = {
        "slug": f.slug,
        "kind": f.kind,
        "name": {
            "ru": f.name_ru,
            "en": f.name_en,
            "zh": f.name_zh,
            "zh_simplified": f.name_zh_simplified,
            "pinyin": f.name_pinyin,
            "romanized": f.name_romanized,
            "other": list(f.other_names),
        },
        "valid_from": f.valid_from.isoformat(),
        "valid_from_precision": f.valid_from_precision,
        "valid_to": f.valid_to.isoformat() if f.valid_to else None,
        "valid_to_precision": (f.valid_to_precision or None) if f.valid_to else None,
        "certainty": f.certainty,
        "sources": list(f.sources),
        "basis": [{"clause": b.clause.slug, "role": b.role} for b in basis],
        "note": _bilingual_or_null(f.note_ru, f.note_en),
    }
    extra = f.extra if isinstance(f.extra, dict) else {}
    props.update({k: extra[k] for k in EXTRA_FEATURE_PROPERTIES if k in extra})
    return {"type": "Feature", "id": f.slug, "geometry": f.geometry, "properties": props}


def _dump_collection(features: list[dict[str, Any]]) -> str:
    # One feature per line, as in geodata/places.geojson: a changed feature is a one-line diff.
    lines = [json.dumps(f, ensure_ascii=False) for f in features]
    body = ",\n".join(f"    {line}" for line in lines)
    return '{\n  "type": "FeatureCollection",\n  "features": [\n' + body + "\n  ]\n}\n"


def _export_events() -> dict[str, Any]:
    events = Event.objects.order_by("date_gregorian", "slug").select_related("treaty")
    return {
        "events": [
            {
                "slug": e.slug,
                "date_gregorian": e.date_gregorian.isoformat(),
                "date_julian": e.date_julian.isoformat(),
                "precision": e.precision,
                "title": {"ru": e.title_ru, "en": e.title_en},
                "description": {"ru": e.description_ru, "en": e.description_en},
                "treaty": e.treaty.slug if e.treaty else None,
                "features": sorted(e.features.values_list("slug", flat=True)),
                "sources": list(e.sources),
            }
            for e in events.prefetch_related("features")
        ]
    }


def _export_story() -> dict[str, Any] | None:
    """The classroom story (story.json), or None when there is none (the file is optional)."""
    from django.apps import apps

    try:
        step_model = apps.get_model("atlas", "StoryStep")
    except LookupError:
        return None
    steps = list(step_model.objects.order_by("order", "slug").prefetch_related("features"))
    if not steps:
        return None
    return {
        "steps": [
            {
                "slug": s.slug,
                "year": s.year,
                "bounds": s.bounds,
                "features": sorted(f.slug for f in s.features.all()),
                "title": {"ru": s.title_ru, "en": s.title_en},
                "essay_ru": s.essay_ru,
                "caption_en": s.caption_en,
                "note": _bilingual_or_null(s.note_ru, s.note_en),
            }
            for s in steps
        ]
    }


def _atlas_files(path: Path) -> list[Path]:
    return sorted(
        p
        for p in path.iterdir()
        if p.name in (TREATIES_FILE, EVENTS_FILE, "story.json") or p.suffix == ".geojson"
    )


def atlas_export(*, path: Path, overwrite: bool = False) -> list[str]:
    """Write the whole atlas to ``path`` in the geodata/ format; return the file names written.

    treaties.json and events.json hold the treaties (with their clauses) and the events; each
    feature goes to the file of its kind's group (``EXPORT_FILES``). Output is deterministic:
    the same database always gives byte-identical files, so an export loaded into a fresh
    database exports the same again. The files are written to a scratch directory beside
    ``path`` and read back with the strict loader before they replace anything, so an export
    that ``atlas_load`` would refuse is never left behind. The classroom story, when there is
    one, goes to story.json. Without ``overwrite``, a directory that already holds atlas files
    is refused; with it, its old atlas files (``*.geojson``, treaties.json, events.json,
    story.json) are replaced and nothing else in it is touched.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise AtlasDataError(
            [DataProblem(str(path), "(directory)", ERR_EXPORT_NOT_DIR.format(path=path))]
        )
    path.mkdir(parents=True, exist_ok=True)
    old = _atlas_files(path)
    if old and not overwrite:
        names = ", ".join(p.name for p in old)
        raise AtlasDataError(
            [
                DataProblem(
                    str(path), "(directory)", ERR_EXPORT_NOT_EMPTY.format(path=path, files=names)
                )
            ]
        )
    contents: dict[str, str] = {
        TREATIES_FILE: _dump(_export_treaties()),
        EVENTS_FILE: _dump(_export_events()),
    }
    story = _export_story()
    if story is not None:
        contents["story.json"] = _dump(story)
    groups: dict[str, list[dict[str, Any]]] = {}
    features = Feature.objects.order_by("valid_from", "slug").prefetch_related("basis__clause")
    for f in features:
        groups.setdefault(EXPORT_FILES[f.kind], []).append(_export_feature(f))
    for name, items in sorted(groups.items()):
        contents[name] = _dump_collection(items)
    scratch = Path(tempfile.mkdtemp(prefix=".atlas-export-", dir=path.parent))
    try:
        for name, text in contents.items():
            (scratch / name).write_text(text, encoding="utf-8")
        atlas_read(path=scratch)  # raises AtlasDataError if the loader would refuse it
        for p in old:
            p.unlink()
        for name in contents:
            shutil.move(scratch / name, path / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return sorted(contents)
