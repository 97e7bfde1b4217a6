"""The rules of every record, written once: the loader (``load_atlas``) and the admin both run
them, through the models' field validators and ``clean()`` methods (``Model.full_clean``).

Each rule raises ``ValidationError`` with a message that names the value; the loader adds the
file, the record and the property in front ("places.geojson: feature 'x': 'valid_to': …"), the
admin shows it beside the field.
"""

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from . import geo
from .calendars import julian_to_gregorian
from .i18n import language_codes

# One pattern for every slug: loader, admin, export and URLs.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")

ERR_SLUG = "must be a lower-case slug (letters, digits, hyphens), got {value!r}"
ERR_TRANSLATIONS = "needs a non-empty text in every language ({languages})"
ERR_TRANSLATIONS_ALL_OR_NONE = "needs a text in every language ({languages}) or in none"
ERR_TRANSLATIONS_DEFAULT = "needs a non-empty text in {code!r} at least"
ERR_TRANSLATIONS_UNKNOWN = "has a language the atlas does not have: {code!r} (it has {languages})"
ERR_SOURCES = "must be a non-empty list of citations"
ERR_PRECISION_DATE = "has precision {precision!r} so it must be the first day of the {unit}"
ERR_CALENDARS = (
    "Julian date {julian} is Gregorian {expected}, not {gregorian} "
    "(Old Style + 12 days in the 19th century)"
)
ERR_ORDER = "valid_to {valid_to} is before valid_from {valid_from}"
ERR_TO_PRECISION = "a valid_to date needs its precision (day, month or year)"
ERR_PRECISION_WITHOUT_DATE = "a precision for valid_to needs a valid_to date"
ERR_OTHER_NAMES = "must be a list of names"
ERR_EXTRA_UNKNOWN = "unknown property {key!r} (known: {known})"
ERR_EXTRA_TYPE = "{key!r} must be {expected}"
ERR_EXTRA_NOT_OBJECT = "must be an object of known properties"
ERR_YEAR = "must be a whole year from {first} to {last}, got {value!r}"
ERR_BOUNDS = (
    "must be [[lon_min, lat_min], [lon_max, lat_max]] inside the atlas region, got {value!r}"
)
ERR_DATE_RANGE = "{value} is outside the years the atlas can hold ({first}–{last})"
ERR_NOT_ON_MAP = "feature {feature!r} is not on the map in {year}"
ERR_ARTICLE = "must be an article number (1, 2 … or I, II …) or blank, got {value!r}"
ERR_ARTICLE_BEYOND = "article {article} is beyond the treaty's {count} articles"
ERR_CALENDARS_AT = (
    "Julian {unit} {julian} cannot be Gregorian {gregorian}: in the 19th century the Julian "
    "date is 12 days behind, so its {unit} is the same or the one before"
)

CODE = "atlas"  # the code of every rule's ValidationError


def _error(message: str) -> ValidationError:
    return ValidationError(message, code=CODE)


# --- Single values (field validators) ------------------------------------------------------------


# The atlas' dates: from the founding of its oldest cities to the end of the century after the
# treaties; outside these a date is a typing slip (and years 1 or 9999 overflow the calendars).
FIRST_DATE, LAST_DATE = dt.date(1000, 1, 1), dt.date(2100, 12, 31)


def check_date(value: Any) -> None:
    if isinstance(value, dt.date) and not FIRST_DATE <= value <= LAST_DATE:
        raise _error(ERR_DATE_RANGE.format(value=value, first=FIRST_DATE.year, last=LAST_DATE.year))


def check_slug(value: Any) -> None:
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise _error(ERR_SLUG.format(value=value))


def check_translations(value: Any, *, required: bool | str = True) -> None:
    """A text in every language (``required``), in every language or none (``False``: a
    note), or in the default language at least (``"default"``: the others fall back to it)."""
    codes = language_codes()
    languages = ", ".join(codes)
    if not isinstance(value, Mapping):
        raise _error(ERR_TRANSLATIONS.format(languages=languages))
    for code in value:
        if code not in codes:
            raise _error(ERR_TRANSLATIONS_UNKNOWN.format(code=code, languages=", ".join(codes)))
    filled = [c for c in codes if isinstance(value.get(c), str) and value[c].strip()]
    if any(not isinstance(v, str) for v in value.values()):
        raise _error(ERR_TRANSLATIONS.format(languages=languages))
    if required == "default":
        if settings.LANGUAGE_CODE not in filled:
            raise _error(ERR_TRANSLATIONS_DEFAULT.format(code=settings.LANGUAGE_CODE))
        return
    if required and len(filled) != len(codes):
        raise _error(ERR_TRANSLATIONS.format(languages=languages))
    if not required and filled and len(filled) != len(codes):
        raise _error(ERR_TRANSLATIONS_ALL_OR_NONE.format(languages=languages))


def check_sources(value: Any) -> None:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(s, str) and s.strip() for s in value)
    ):
        raise _error(ERR_SOURCES)


def check_geometry(value: Any) -> None:
    try:
        geo.parse_geometry(value)
    except geo.GeometryError as exc:
        raise _error(str(exc)) from exc


# Russian treaties number their articles 1, 2 …; the British and French ones I, II ….
ARTICLE_RE = re.compile(r"^(?:[1-9][0-9]{0,2}|[IVXL]+)\Z")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def check_article(value: Any) -> None:
    if value in ("", None):
        return
    if not isinstance(value, str) or article_number(value) is None:
        raise _error(ERR_ARTICLE.format(value=value))


def _roman(text: str) -> int:
    """The value of a Roman numeral written the usual way (XI, XIV); 0 if it is not one."""
    total = 0
    for i, ch in enumerate(text):
        value = ROMAN[ch]
        following = ROMAN[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total if _to_roman(total) == text else 0


def _to_roman(n: int) -> str:
    out = ""
    for value, letters in (
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def article_number(article: str) -> int | None:
    """An article's number, whether written 12 or XII; None when blank or malformed."""
    if not isinstance(article, str) or not ARTICLE_RE.match(article):
        return None
    return int(article) if article.isdigit() else (_roman(article) or None)


def check_other_names(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(ERR_OTHER_NAMES)


def check_year(value: Any) -> None:
    first, last = settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR
    if isinstance(value, bool) or not isinstance(value, int) or not first <= value <= last:
        raise _error(ERR_YEAR.format(first=first, last=last, value=value))


def check_bounds(value: Any) -> None:
    """A map view, [[lon_min, lat_min], [lon_max, lat_max]], inside the atlas' region."""
    lon_min, lat_min, lon_max, lat_max = geo.REGION_BOUNDS
    try:
        (x0, y0), (x1, y1) = value
        corners = (x0, y0, x1, y1)
        ok = all(_is_number(v) for v in corners) and (
            lon_min <= x0 < x1 <= lon_max and lat_min <= y0 < y1 <= lat_max
        )
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise _error(ERR_BOUNDS.format(value=value))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_positive_number(value: Any) -> bool:
    return _is_number(value) and value > 0


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_translations(value: Any) -> bool:
    try:
        check_translations(value)
    except ValidationError:
        return False
    return True


def _is_cited_areas(value: Any) -> bool:
    """Figures historians cite: [{"value_km2": n, "includes": {…}, "source": "…"}, …]."""
    return isinstance(value, list) and all(
        isinstance(item, dict)
        and set(item) == {"value_km2", "includes", "source"}
        and _is_positive_number(item["value_km2"])
        and _is_translations(item["includes"])
        and _is_text(item["source"])
        for item in value
    )


LABEL_DIRECTIONS = ("top", "bottom", "left", "right")
LABEL_ZOOMS = (3, 8)  # the map's zoom levels (atlas.maps.builders.MIN_ZOOM, MAX_ZOOM)


def _is_whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def is_position(value: Any) -> bool:
    """[lon, lat] inside the atlas region."""
    lon_min, lat_min, lon_max, lat_max = geo.REGION_BOUNDS
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(_is_number(v) for v in value)
        and lon_min <= value[0] <= lon_max
        and lat_min <= value[1] <= lat_max
    )


def is_positions(value: Any) -> bool:
    """A non-empty list of [lon, lat]: where a name may go, in order of preference."""
    return isinstance(value, list) and bool(value) and all(is_position(p) for p in value)


def _is_label(value: Any) -> bool:
    """Where a feature's name goes on the map: the side of a point it prefers, the zooms it
    shows at, how much it matters beside other names (the less important one gives way), for
    an area the places its name may go, and whether it yields to the name of another place at
    the same point (a ring around a Russian port)."""
    low, high = LABEL_ZOOMS
    return (
        isinstance(value, dict)
        and bool(value)
        and set(value) <= {"direction", "min_zoom", "max_zoom", "importance", "at", "yields"}
        and value.get("yields", True) is True
        and value.get("direction", "right") in LABEL_DIRECTIONS
        and all(_is_whole(value[k], low, high) for k in ("min_zoom", "max_zoom") if k in value)
        and value.get("min_zoom", low) <= value.get("max_zoom", high)
        and ("importance" not in value or _is_whole(value["importance"], 0, 100))
        and ("at" not in value or is_positions(value["at"]))
    )


COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}\Z")


def _is_colour(value: Any) -> bool:
    return isinstance(value, str) and bool(COLOUR_RE.match(value))


# A feature's own figures: the only keys its ``extra`` may hold, each with its type. They are
# published beside the contract's properties and can never replace one.
FEATURE_EXTRA: dict[str, tuple[Any, str]] = {
    "area_km2": (_is_positive_number, "a positive number of square kilometres"),
    "area_method": (_is_translations, "a text in every language"),
    "cited_areas": (
        _is_cited_areas,
        'a list of {"value_km2": number, "includes": {texts}, "source": text}',
    ),
    "width_km": (_is_positive_number, "a positive number of kilometres"),
    "label": (
        _is_label,
        'an object {"direction": top|bottom|left|right, "min_zoom": 3–8, "max_zoom": 3–8, '
        '"importance": 0–100, "at": [[lon, lat], …], "yields": true}',
    ),
    # The tint of an area of a kind whose features each have their own (the states).
    "fill": (_is_colour, 'a colour "#rrggbb"'),
}


def check_feature_extra(value: Any) -> None:
    if not isinstance(value, dict):
        raise _error(ERR_EXTRA_NOT_OBJECT)
    known = ", ".join(FEATURE_EXTRA)
    for key, item in value.items():
        if key not in FEATURE_EXTRA:
            raise _error(ERR_EXTRA_UNKNOWN.format(key=key, known=known))
        valid, expected = FEATURE_EXTRA[key]
        if not valid(item):
            raise _error(ERR_EXTRA_TYPE.format(key=key, expected=expected))


# --- Several values of one record (the models' clean()) -----------------------------------------


def precision_problem(date: dt.date | None, precision: str) -> str | None:
    """A date known to the month or year is stored as its first day."""
    if date is None:
        return None
    if (precision == "month" and date.day != 1) or (
        precision == "year" and (date.day, date.month) != (1, 1)
    ):
        return ERR_PRECISION_DATE.format(precision=precision, unit=precision)
    return None


def calendars_problem(
    julian: dt.date | None, gregorian: dt.date | None, precision: str = "day"
) -> str | None:
    """The two calendars' dates of one day (or month, or year) must agree: to the day, the
    Julian date + 12 days; to the month or year, the same one or the one before."""
    if julian is None or gregorian is None:
        return None
    if not all(FIRST_DATE <= d <= LAST_DATE for d in (julian, gregorian)):
        return None  # check_date reports it
    if precision == "month":
        months = (gregorian.year * 12 + gregorian.month) - (julian.year * 12 + julian.month)
        if months not in (0, 1):
            return ERR_CALENDARS_AT.format(
                unit="month", julian=julian.strftime("%Y-%m"), gregorian=gregorian.strftime("%Y-%m")
            )
        return None
    if precision == "year":
        if gregorian.year - julian.year not in (0, 1):
            return ERR_CALENDARS_AT.format(
                unit="year", julian=julian.year, gregorian=gregorian.year
            )
        return None
    expected = julian_to_gregorian(julian)
    if expected != gregorian:
        return ERR_CALENDARS.format(julian=julian, expected=expected, gregorian=gregorian)
    return None


def article_problem(article: str, articles_count: int | None) -> str | None:
    """A clause's article must be one of its treaty's articles."""
    number = article_number(article)
    if number is None or articles_count is None or number <= articles_count:
        return None
    return ERR_ARTICLE_BEYOND.format(article=article, count=articles_count)


def period_problems(
    valid_from: dt.date | None, valid_to: dt.date | None, to_precision: str
) -> dict[str, str]:
    """The order of a feature's dates and the precision its end needs."""
    problems = {}
    if valid_from and valid_to and valid_to < valid_from:
        problems["valid_to"] = ERR_ORDER.format(valid_to=valid_to, valid_from=valid_from)
    if valid_to and not to_precision:
        problems["valid_to_precision"] = ERR_TO_PRECISION
    if to_precision and not valid_to:
        problems["valid_to_precision"] = ERR_PRECISION_WITHOUT_DATE
    return problems


def raise_problems(problems: Mapping[str, str | None]) -> None:
    """Raise one ValidationError holding every field's problem (None: no problem)."""
    found = {k: _error(v) for k, v in problems.items() if v}
    if found:
        raise ValidationError(found)


def story_features_problem(year: int | None, features: Iterable[Any]) -> str | None:
    """The features a story step highlights must be on the map in its year (the time rule)."""
    from .timerule import on_map

    if year is None:
        return None
    absent = [f for f in features if not on_map(f.valid_from, f.valid_to, year=year)]
    if absent:
        return "; ".join(ERR_NOT_ON_MAP.format(feature=f.slug, year=year) for f in absent)
    return None
