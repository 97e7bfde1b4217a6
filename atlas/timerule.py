"""The atlas' time rule, in one place.

A feature is in force on a day if it began on or before that day and had not ended by it
(``valid_to`` is the day it ended). The map of year Y shows the state at the end of Y: what is
in force on 31 December Y. Everything else — which features a year's map shows, what is "new
this year" and "ended this year", the years a page can move between — is computed here, on the
server; the page's script receives each feature's years as whole numbers (``years_on_map``)
and only compares them.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def in_force(valid_from: dt.date, valid_to: dt.date | None, *, on: dt.date) -> bool:
    return valid_from <= on and (valid_to is None or valid_to > on)


def on_map(valid_from: dt.date, valid_to: dt.date | None, *, year: int) -> bool:
    """Whether a feature with these dates is on the map of ``year``."""
    return in_force(valid_from, valid_to, on=year_end(year))


@dataclass(frozen=True)
class Years:
    """A feature's years, as the page receives them.

    ``first``: the first year whose map shows it (the year it is new); ``last``: the last year
    whose map shows it, None while it stands; ``ended``: the year it ended, None while it stands.
    A feature that began and ended within one year is on no year's map (``last`` < ``first``).
    """

    first: int
    last: int | None
    ended: int | None

    def shown(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)

    def new(self, year: int) -> bool:
        """Began during ``year`` and is on its map."""
        return self.first == year and self.shown(year)

    def ended_in(self, year: int) -> bool:
        return self.ended == year

    def as_json(self) -> dict[str, int | None]:
        return {"first": self.first, "last": self.last, "ended": self.ended}


def years_on_map(valid_from: dt.date, valid_to: dt.date | None) -> Years:
    """The years whose maps show a feature with these dates (``on_map`` as whole numbers)."""
    # On the map of Y iff valid_from <= 31 Dec Y (Y >= valid_from.year) and valid_to > 31 Dec Y
    # (Y < valid_to.year).
    return Years(
        first=valid_from.year,
        last=valid_to.year - 1 if valid_to else None,
        ended=valid_to.year if valid_to else None,
    )


def year_range() -> range:
    """The years the atlas can show."""
    return range(settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR + 1)


def clamp_year(year: int) -> int:
    """The nearest year the atlas shows (a place older than the atlas is drawn in its first)."""
    years = year_range()
    return min(max(year, years[0]), years[-1])
