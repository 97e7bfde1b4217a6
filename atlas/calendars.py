"""Julian (Old Style) and Gregorian (New Style) dates, and how the atlas writes them.

Russian documents of 1858–1862 are dated Old Style; in the 19th century the Gregorian date is
twelve days later. The conversion goes through the Julian Day Number so it holds in any century.
"""

import datetime as dt

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_RU_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
MONTHS_RU = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]

# date.toordinal() counts from 0001-01-01 (proleptic Gregorian), which is JDN 1721426.
_ORDINAL_TO_JDN = 1721425


def julian_to_gregorian(julian: dt.date) -> dt.date:
    """The Gregorian date of a day whose Julian calendar fields are ``julian``'s y/m/d."""
    a = (14 - julian.month) // 12
    y = julian.year + 4800 - a
    m = julian.month + 12 * a - 3
    jdn = julian.day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return dt.date.fromordinal(jdn - _ORDINAL_TO_JDN)


def gregorian_to_julian(gregorian: dt.date) -> dt.date:
    """The Julian calendar fields (as a date object) of a Gregorian date."""
    c = gregorian.toordinal() + _ORDINAL_TO_JDN + 32082
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = d - 4800 + m // 10
    return dt.date(year, month, day)


def format_date(date: dt.date, precision: str = "day", *, lang: str = "en") -> str:
    """One calendar's date at its precision: '13 June 1858', 'June 1858' or '1858'."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        months = MONTHS_RU if lang == "ru" else MONTHS_EN
        return f"{months[date.month - 1]} {date.year}"
    months = MONTHS_RU_GENITIVE if lang == "ru" else MONTHS_EN
    return f"{date.day} {months[date.month - 1]} {date.year}"


def format_dual(
    gregorian: dt.date,
    precision: str = "day",
    *,
    julian: dt.date | None = None,
    lang: str = "en",
) -> str:
    """A date in both calendars, e.g. '13 June 1858 N.S. (1 June O.S.)'.

    Dates known only to the month or year are the same in both calendars for our purposes and
    are written once.
    """
    if precision != "day":
        return format_date(gregorian, precision, lang=lang)
    julian = julian or gregorian_to_julian(gregorian)
    new, old = ("н. ст.", "ст. ст.") if lang == "ru" else ("N.S.", "O.S.")
    old_text = format_date(julian, lang=lang)
    if julian.year == gregorian.year:
        old_text = old_text.rsplit(" ", 1)[0]
    return f"{format_date(gregorian, lang=lang)} {new} ({old_text} {old})"
