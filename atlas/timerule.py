"""The atlas' time rule, in one place.

A feature is in force on a day if it began on or before that day and had not ended by it
(``valid_to`` is the day it ended). The map of year Y shows the state at the end of Y: what is
in force on 31 December Y. ``FeatureQuerySet.visible_at`` is the same rule as a query, and
atlas.js's ``stateAt`` the same rule in the page.
"""

import datetime as dt


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def in_force(valid_from: dt.date, valid_to: dt.date | None, *, on: dt.date) -> bool:
    return valid_from <= on and (valid_to is None or valid_to > on)


def on_map(valid_from: dt.date, valid_to: dt.date | None, *, year: int) -> bool:
    """Whether a feature with these dates is on the map of ``year``."""
    return in_force(valid_from, valid_to, on=year_end(year))
