import datetime as dt

import pytest

from atlas.calendars import format_date, format_dual, gregorian_to_julian, julian_to_gregorian


@pytest.mark.parametrize(
    ("julian", "gregorian"),
    [
        ((1858, 5, 16), (1858, 5, 28)),  # Aigun
        ((1858, 6, 1), (1858, 6, 13)),  # Tianjin
        ((1860, 11, 2), (1860, 11, 14)),  # Peking
        ((1862, 2, 20), (1862, 3, 4)),  # Rules of overland trade: crosses the month
        ((1689, 8, 27), (1689, 9, 6)),  # Nerchinsk: ten days in the 17th century
        ((1900, 3, 1), (1900, 3, 14)),  # 1900 is a Julian leap year only: thirteen days
    ],
)
def test_julian_and_gregorian_convert_both_ways(julian, gregorian):
    assert julian_to_gregorian(dt.date(*julian)) == dt.date(*gregorian)
    assert gregorian_to_julian(dt.date(*gregorian)) == dt.date(*julian)


def test_dual_date_names_both_calendars():
    assert format_dual(dt.date(1858, 6, 13)) == "13 June 1858 N.S. (1 June O.S.)"
    assert format_dual(dt.date(1862, 3, 4), lang="ru") == "4 марта 1862 н. ст. (20 февраля ст. ст.)"


def test_dual_date_across_a_year_keeps_both_years():
    assert format_dual(dt.date(1859, 1, 5)) == "5 January 1859 N.S. (24 December 1858 O.S.)"


@pytest.mark.parametrize(
    ("precision", "expected"), [("day", "1 March 1859"), ("month", "March 1859"), ("year", "1859")]
)
def test_dates_are_written_at_their_precision(precision, expected):
    assert format_date(dt.date(1859, 3, 1), precision) == expected
    if precision != "day":
        assert format_dual(dt.date(1859, 3, 1), precision) == expected
