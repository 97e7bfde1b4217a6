"""Template helpers: dates in both calendars."""

import datetime as dt

from django import template

from atlas.calendars import format_dual
from atlas.models import Event

register = template.Library()


@register.filter
def event_date(event: Event) -> str:
    """An event's date in both calendars, at its precision."""
    return format_dual(event.date_gregorian, event.precision, julian=event.date_julian)


@register.filter
def dual_date(date: dt.date | None, precision: str = "day") -> str:
    """A Gregorian date with its Julian equivalent, at the given precision."""
    return format_dual(date, precision or "day") if date else ""


@register.filter
def thousands(value: float | int | None) -> str:
    """A whole number with thin-spaced thousands: 310 000 (the way both languages print it)."""
    if value is None:
        return ""
    return f"{round(value):,}".replace(",", "\u202f")
