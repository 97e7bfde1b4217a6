"""Template helpers: texts in the reader's language, dates in both calendars."""

import datetime as dt
from typing import Any

from django import template

from atlas.calendars import format_dual
from atlas.i18n import current_language
from atlas.models import Event

register = template.Library()


@register.filter
def tr(obj: Any, field: str = "") -> str:
    """A bilingual text in the reader's language, falling back to the other one.

    ``{{ feature|tr:"name" }}`` reads ``name_ru``/``name_en``; ``{{ note|tr }}`` reads a
    ``{"ru": …, "en": …}`` dict.
    """
    lang = current_language()
    order = (lang, "en" if lang == "ru" else "ru")
    if isinstance(obj, dict):
        values = [obj.get(code) for code in order]
    else:
        values = [getattr(obj, f"{field}_{code}", "") for code in order]
    return next((v for v in values if v), "")


@register.simple_tag
def lang() -> str:
    return current_language()


@register.filter
def event_date(event: Event) -> str:
    """An event's date in both calendars, at its precision."""
    return format_dual(
        event.date_gregorian, event.precision, julian=event.date_julian, lang=current_language()
    )


@register.filter
def dual_date(date: dt.date | None, precision: str = "day") -> str:
    """A Gregorian date with its Julian equivalent, at the given precision."""
    return format_dual(date, precision or "day", lang=current_language()) if date else ""


@register.filter
def thousands(value: float | int | None) -> str:
    """A whole number with thin-spaced thousands: 310 000 (the way both languages print it)."""
    if value is None:
        return ""
    return f"{round(value):,}".replace(",", "\u202f")
