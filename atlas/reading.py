"""Reading geodata/: every file parsed and every record validated, before anything is written.

The file format's own checks (JSON, required and unknown properties, value types, references
between records) are here; the rules of a record's values are the models' (atlas.rules, run by
``full_clean``), the same the admin runs. ``atlas_read`` returns model-ready rows or raises
``AtlasDataError`` listing every problem as "file: record: problem".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from . import mapnames, rules
from .filerecords import Record, Ref, records, unique
from .i18n import language_codes
from .jsonfiles import read_json
from .models import Clause, Event, Feature, Person, StoryStep, Treaty
from .problems import (
    ERR_DUPLICATE,
    ERR_FEATURE_ID,
    ERR_FIELD,
    ERR_NO_DIR,
    ERR_TOP_LEVEL,
    ERR_TYPE,
    ERR_UNKNOWN_CLAUSE,
    ERR_UNKNOWN_FEATURE,
    ERR_UNKNOWN_PERSON,
    ERR_UNKNOWN_TREATY,
    AtlasDataError,
    DataProblem,
    Problems,
)

TREATIES_FILE = "treaties.json"
EVENTS_FILE = "events.json"
STORY_FILE = "story.json"  # optional: the classroom story
PEOPLE_FILE = "people.json"  # optional: the negotiators and signatories
FEATURE_NAME_FORMS = ("zh", "zh_simplified", "pinyin", "romanized")


@dataclass
class AtlasData:
    """Validated, model-ready rows read from a geodata directory."""

    treaties: list[dict[str, Any]] = field(default_factory=list)
    clauses: list[dict[str, Any]] = field(default_factory=list)
    features: list[dict[str, Any]] = field(default_factory=list)
    basis: list[tuple[str, str, str, int]] = field(default_factory=list)  # feature, clause, role
    events: list[dict[str, Any]] = field(default_factory=list)
    event_features: dict[str, list[str]] = field(default_factory=dict)
    people: list[dict[str, Any]] = field(default_factory=list)
    person_treaties: dict[str, list[str]] = field(default_factory=dict)
    event_people: dict[str, list[str]] = field(default_factory=dict)
    story: list[dict[str, Any]] = field(default_factory=list)
    story_features: dict[str, list[str]] = field(default_factory=dict)
    names: list[dict[str, Any]] = field(default_factory=list)  # the map's names, not stored
    files: list[str] = field(default_factory=list)


def _read_treaties(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    doc = read_json(path / TREATIES_FILE, problems)
    if doc is None:
        return
    data.files.append(TREATIES_FILE)
    seen: dict[str, str] = {}
    clause_seen: dict[str, str] = {}
    for _, r in records(doc, TREATIES_FILE, "treaties", "treaty", problems):
        r.keys(
            ["slug", "name", "signed_julian", "signed_gregorian", "place", "signatories",
             "articles_count", "sources", "clauses"],
            ["ratification", "power", "document"],
        )  # fmt: skip
        slug = r.slug()
        unique(r, seen, "treaty slug", slug)
        name = r.obj.get("name") if isinstance(r.obj.get("name"), dict) else {}
        r.keys([], [*language_codes(), "zh", "pinyin"], obj=name)
        row = {
            "slug": slug,
            "power": r.obj.get("power", Treaty._meta.get_field("power").default),
            "document": r.obj.get("document", Treaty._meta.get_field("document").default),
            "name": r.language_texts("name", name),
            "name_zh": name.get("zh", ""),
            "name_pinyin": name.get("pinyin", ""),
            "signed_julian": r.date("signed_julian"),
            "signed_gregorian": r.date("signed_gregorian"),
            "place": r.texts("place"),
            "signatories": r.texts("signatories"),
            "articles_count": r.typed("articles_count", int, "a positive whole number", 0),
            "ratification": r.texts("ratification", nullable=True),
            "sources": r.obj.get("sources"),
        }  # fmt: skip
        treaty_ok = r.validate(Treaty, row)
        if treaty_ok:
            data.treaties.append(row)
        clauses = r.obj.get("clauses")
        if not isinstance(clauses, list):
            r.fail(ERR_TYPE.format(key="clauses", expected="a list of clauses"))
            continue
        for j, c in records({"clauses": clauses}, TREATIES_FILE, "clauses", "clause", problems,
                             id_key="id"):  # fmt: skip
            c.keys(
                ["id", "article", "title", "essay_ru", "note", "sources"],
                [f"text_{code}" for code in language_codes()],
            )
            cid = c.slug("id")
            unique(c, clause_seen, "clause id", cid)
            crow = {
                "slug": cid,
                # The treaty itself, for the rule that its article is one of the treaty's.
                "treaty": Ref.to(slug, Treaty(**row) if treaty_ok else None),
                "article": c.typed("article", str, "text (blank if not confirmed)", ""),
                "order": j,
                "title": c.texts("title"),
                "essay_ru": c.text("essay_ru"),
                "text": c.per_language("text"),
                "note": c.texts("note", nullable=True),
                "sources": c.obj.get("sources"),
            }
            if c.validate(Clause, crow, {"slug": "id", "text": "text_*"}) and not r.failed:
                data.clauses.append(crow)


def _read_feature(r: Record, obj: dict, data: AtlasData, clause_ids: set[str]) -> dict | None:
    props = r.obj
    r.keys(["type", "geometry", "properties"], ["id"], obj=obj)
    r.keys(
        ["slug", "kind", "name", "valid_from", "valid_from_precision", "valid_to",
         "valid_to_precision", "certainty", "sources", "basis"],
        ["note", *rules.FEATURE_EXTRA],
    )  # fmt: skip
    slug = r.slug()
    if "id" in obj and obj["id"] != slug:
        r.fail(ERR_FEATURE_ID.format(id=obj["id"], slug=slug))
    name = props.get("name") if isinstance(props.get("name"), dict) else {}
    r.keys([], [*language_codes(), *FEATURE_NAME_FORMS, "other"], obj=name)
    forms = {}
    for key in FEATURE_NAME_FORMS:
        if not isinstance(name.get(key, ""), str):
            r.fail(ERR_TYPE.format(key=f"name.{key}", expected="text"))
        forms[key] = name.get(key, "") if isinstance(name.get(key, ""), str) else ""
    basis = props.get("basis")
    if not isinstance(basis, list):
        r.fail(ERR_TYPE.format(key="basis", expected="a list of {clause, role}"))
        basis = []
    row = {
        "slug": slug,
        "kind": props.get("kind"),
        "name": r.language_texts("name", name),
        "name_zh": forms["zh"],
        "name_zh_simplified": forms["zh_simplified"],
        "name_pinyin": forms["pinyin"],
        "name_romanized": forms["romanized"],
        "other_names": name.get("other", []),
        "geometry": obj.get("geometry"),
        "valid_from": r.date("valid_from"),
        "valid_from_precision": props.get("valid_from_precision"),
        "valid_to": r.date("valid_to", nullable=True),
        "valid_to_precision": props.get("valid_to_precision") or "",
        "certainty": props.get("certainty"),
        "sources": props.get("sources"),
        "note": r.texts("note", nullable=True),
        "extra": {k: props[k] for k in rules.FEATURE_EXTRA if k in props},
    }  # fmt: skip
    links = []
    for order, link in enumerate(basis):
        if not isinstance(link, dict) or set(link) != {"clause", "role"}:
            r.fail(ERR_TYPE.format(key="basis", expected="a list of {clause, role}"))
        elif link["clause"] not in clause_ids:
            r.fail(ERR_UNKNOWN_CLAUSE.format(clause=link["clause"]))
        elif link["role"] not in dict(_roles()):
            r.fail(ERR_TYPE.format(key="basis.role", expected=", ".join(dict(_roles()))))
        else:
            links.append((slug, link["clause"], link["role"], order))
    if "geometry" in obj and obj["geometry"] is None:
        # A model field stops at "cannot be null"; the geometry rule says what a geometry is.
        try:
            rules.check_geometry(None)
        except ValidationError as exc:
            r.fail(ERR_FIELD.format(key="geometry", message=exc.messages[0]))
            r.missing.add("geometry")
    keys = {"other_names": "name.other", "extra": "properties", "name_zh": "name.zh"}
    if not r.validate(Feature, row, keys):
        return None
    data.basis.extend(links)
    return row


def _roles():
    from .models import Role

    return Role.choices


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
            expected = ERR_TOP_LEVEL.format(expected="a GeoJSON FeatureCollection")
            problems.append(DataProblem(file.name, "(file)", expected))
            continue
        for i, obj in enumerate(doc["features"]):
            props = obj.get("properties") if isinstance(obj, dict) else None
            name = f"feature #{i + 1}"
            if isinstance(props, dict) and isinstance(props.get("slug"), str):
                name = f"feature {props['slug']!r}"
            r = Record(problems, file.name, name, props if isinstance(props, dict) else {})
            if not isinstance(obj, dict) or obj.get("type") != "Feature" or r.obj is not props:
                r.fail(ERR_TOP_LEVEL.format(expected='a GeoJSON Feature with "properties"'))
                continue
            slug = props.get("slug")
            if isinstance(slug, str):
                if slug in seen:
                    r.fail(ERR_DUPLICATE.format(what="feature slug", value=slug, first=seen[slug]))
                else:
                    seen[slug] = f"{file.name}, {name}"
            row = _read_feature(r, obj, data, clause_ids)
            if row is not None and not r.failed:
                data.features.append(row)


def _slug_list(r: Record, key: str, known: set[str], unknown: Callable[[str], str]) -> list[str]:
    """An optional list of slugs of other records, each of which must exist."""
    linked = r.obj.get(key, [])
    if not isinstance(linked, list) or not all(isinstance(s, str) for s in linked):
        r.fail(ERR_TYPE.format(key=key, expected="a list of slugs"))
        return []
    for other in linked:
        if other not in known:
            r.fail(unknown(other))
    return [s for s in linked if s in known]


def _read_people(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    if not (path / PEOPLE_FILE).exists():
        return
    doc = read_json(path / PEOPLE_FILE, problems)
    if doc is None:
        return
    data.files.append(PEOPLE_FILE)
    treaties = {t["slug"] for t in data.treaties}
    seen: dict[str, str] = {}
    for i, r in records(doc, PEOPLE_FILE, "people", "person", problems):
        r.keys(["slug", "name", "role", "treaties", "sources"], ["lived", "note"])
        slug = r.slug()
        unique(r, seen, "person slug", slug)
        name = r.obj.get("name") if isinstance(r.obj.get("name"), dict) else {}
        r.keys([], [*language_codes(), "zh", "pinyin", "other"], obj=name)
        signed = _slug_list(r, "treaties", treaties, lambda s: ERR_UNKNOWN_TREATY.format(treaty=s))
        row = {
            "slug": slug,
            "order": i,
            "name": r.language_texts("name", name),
            "name_zh": name.get("zh", ""),
            "name_pinyin": name.get("pinyin", ""),
            "other_names": name.get("other", []),
            "lived": r.text("lived", ""),
            "role": r.texts("role"),
            "note": r.texts("note", nullable=True),
            "sources": r.obj.get("sources"),
        }
        keys = {"other_names": "name.other", "name_zh": "name.zh", "name_pinyin": "name.pinyin"}
        if r.validate(Person, row, keys):
            data.people.append(row)
            data.person_treaties[slug] = signed


def _read_events(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    doc = read_json(path / EVENTS_FILE, problems)
    if doc is None:
        return
    data.files.append(EVENTS_FILE)
    treaties = {t["slug"] for t in data.treaties}
    features = {f["slug"] for f in data.features}
    seen: dict[str, str] = {}
    for _, r in records(doc, EVENTS_FILE, "events", "event", problems):
        r.keys(
            ["slug", "date_gregorian", "date_julian", "precision", "title", "description",
             "treaty", "features", "sources"],
            ["people"],
        )  # fmt: skip
        slug = r.slug()
        unique(r, seen, "event slug", slug)
        treaty = r.obj.get("treaty")
        if treaty is not None and treaty not in treaties:
            r.fail(ERR_UNKNOWN_TREATY.format(treaty=treaty))
        linked = r.typed("features", list, "a list of feature slugs", [])
        for other in linked:
            if other not in features:
                r.fail(ERR_UNKNOWN_FEATURE.format(feature=other))
        row = {
            "slug": slug,
            "date_gregorian": r.date("date_gregorian"),
            "date_julian": r.date("date_julian"),
            "precision": r.obj.get("precision"),
            "title": r.texts("title"),
            "description": r.texts("description"),
            "treaty": Ref(treaty) if treaty else None,
            "sources": r.obj.get("sources"),
        }
        known = {p["slug"] for p in data.people}
        people = _slug_list(r, "people", known, lambda s: ERR_UNKNOWN_PERSON.format(person=s))
        if r.validate(Event, row):
            data.events.append(row)
            data.event_features[slug] = list(linked)
            data.event_people[slug] = people


def _read_story(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    if not (path / STORY_FILE).exists():
        return
    doc = read_json(path / STORY_FILE, problems)
    if doc is None:
        return
    data.files.append(STORY_FILE)
    features = {f["slug"]: Feature(**f) for f in data.features}
    seen: dict[str, str] = {}
    for i, r in records(doc, STORY_FILE, "steps", "step", problems):
        slug = r.obj.get("slug")
        r.name = f"step {i + 1}" + (f" {slug!r}" if isinstance(slug, str) else "")
        r.keys(
            ["slug", "year", "bounds", "features", "title", "essay_ru"],
            ["note", *(f"caption_{code}" for code in language_codes())],
        )
        slug = r.slug()
        unique(r, seen, "step slug", slug)
        linked = r.obj.get("features")
        if not isinstance(linked, list) or not all(isinstance(s, str) for s in linked):
            r.fail(ERR_TYPE.format(key="features", expected="a list of feature slugs"))
            linked = []
        for other in linked:
            if other not in features:
                r.fail(ERR_UNKNOWN_FEATURE.format(feature=other))
        bounds, year = r.obj.get("bounds"), r.obj.get("year")
        if "year" in r.obj and (isinstance(year, bool) or not isinstance(year, int)):
            # A model field would read "1858" as 1858; the file must say a number.
            try:
                rules.check_year(year)
            except ValidationError as exc:
                r.fail(ERR_FIELD.format(key="year", message=exc.messages[0]))
            r.missing.add("year")
            year = None
        row = {
            "slug": slug,
            "order": i + 1,
            "year": year,
            "bounds": bounds,
            "title": r.texts("title"),
            "essay_ru": r.text("essay_ru"),
            "caption": r.per_language("caption"),
            "note": r.texts("note", nullable=True),
        }
        if not r.validate(StoryStep, row, {"caption": "caption_*"}):
            continue
        problem = rules.story_features_problem(
            row["year"], [features[s] for s in linked if s in features]
        )
        if problem:
            r.fail(problem)
            continue
        row["bounds"] = [[float(v) for v in corner] for corner in bounds]
        data.story.append(row)
        data.story_features[slug] = list(linked)


def _read_names(path: Path, data: AtlasData, problems: list[DataProblem]) -> None:
    """The map's names (atlas.mapnames): checked here with the rest, read by the map pages."""
    if (path / mapnames.NAMES_FILE).exists():
        data.files.append(mapnames.NAMES_FILE)
    data.names = mapnames.read_names(path, problems)


def atlas_read(*, path: Path) -> AtlasData:
    """Read and validate a geodata directory; raise AtlasDataError listing every problem."""
    path = Path(path)
    if not path.is_dir():
        raise AtlasDataError([DataProblem(str(path), "(directory)", ERR_NO_DIR.format(path=path))])
    problems = Problems()
    data = AtlasData()
    _read_treaties(path, data, problems)
    _read_features(path, data, problems)
    _read_people(path, data, problems)
    _read_events(path, data, problems)
    _read_story(path, data, problems)
    _read_names(path, data, problems)
    if problems:
        raise AtlasDataError(problems)
    return data
