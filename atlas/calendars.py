"""Julian (Old Style) and Gregorian (New Style) dates, and how the atlas writes them.

Russian documents of 1858–1862 are dated Old Style; in the 19th century the Gregorian date is
twelve days later. The conversion goes through the Julian Day Number so it holds in any century.
"""

import datetime as dt
import functools

from django.utils import translation
from django.utils.translation import pgettext
from lunar_python import Solar

# The months as the catalogs (locale/) translate them: "in a date" (13 June 1858: Russian
# puts the genitive, 13 июня) and "standalone" (June 1858: июнь 1858). English is the msgid.
MONTHS = [
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


# The Qing reigns of the atlas' years, by the lunisolar year of their first year (元年): a
# reign's years count from the Chinese new year after the emperor's accession.
REIGNS = [(1821, "道光"), (1851, "咸丰"), (1862, "同治"), (1875, "光绪")]
_NUMERALS = "〇一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1–99 in Chinese numerals: 8 ➜ 八, 10 ➜ 十, 16 ➜ 十六, 23 ➜ 二十三."""
    tens, units = divmod(n, 10)
    return (
        (_NUMERALS[tens] if tens > 1 else "")
        + ("十" if tens else "")
        + (_NUMERALS[units] if units or not tens else "")
    )


@functools.lru_cache(maxsize=4096)
def reign_date(gregorian: dt.date) -> str | None:
    """A Gregorian date in the Qing reign-year form of the Chinese lunisolar calendar:
    28 May 1858 ➜ 咸丰八年四月十六日; None outside the reigns of ``REIGNS``.

    The lunisolar date is computed (lunar-python, after the astronomical algorithms of the
    寿星万年历), not looked up: leap months come out as 闰.
    """
    lunar = Solar.fromYmd(gregorian.year, gregorian.month, gregorian.day).getLunar()
    year = lunar.getYear()
    started = [(first, name) for first, name in REIGNS if first <= year]
    if not started or year >= REIGNS[-1][0] + 34:
        return None
    first, name = started[-1]
    number = year - first + 1
    month = lunar.getMonth()
    day = lunar.getDay()
    return (
        f"{name}{'元' if number == 1 else _chinese_number(number)}年"
        f"{'闰' if month < 0 else ''}{'正' if abs(month) == 1 else _chinese_number(abs(month))}月"
        f"{'初' + _chinese_number(day) if day <= 10 else _chinese_number(day)}日"
    )


def _month(date: dt.date, context: str) -> str:
    return pgettext(context, MONTHS[date.month - 1])


def format_date(date: dt.date, precision: str = "day", *, lang: str = "en") -> str:
    """One calendar's date at its precision: '13 June 1858', 'June 1858' or '1858'.

    The words and their order are the catalog's (locale/), so a new language needs no code.
    """
    with translation.override(lang):
        if precision == "year":
            return pgettext("date, year precision", "{year}").format(year=date.year)
        if precision == "month":
            return pgettext("date, month precision", "{month} {year}").format(
                month=_month(date, "month, standalone"), month_number=date.month, year=date.year
            )
        return pgettext("date", "{day} {month} {year}").format(
            day=date.day, month=_month(date, "month, in a date"), month_number=date.month,
            year=date.year,
        )  # fmt: skip


def format_dual(
    gregorian: dt.date,
    precision: str = "day",
    *,
    julian: dt.date | None = None,
    lang: str = "en",
) -> str:
    """A date in both calendars, e.g. '13 June 1858 N.S. (1 June O.S.)'.

    A date known only to the month or year is written once when both calendars give the same
    month or year ('May 1858'), and twice when they differ ('June 1858 N.S. (May 1858 O.S.)',
    given its ``julian``). The Julian date leaves out its year when it is the Gregorian one's.
    """
    if precision != "day":
        new = format_date(gregorian, precision, lang=lang)
        unit = (lambda d: (d.year, d.month)) if precision == "month" else (lambda d: d.year)
        if julian is None or unit(julian) == unit(gregorian):
            return new
        with translation.override(lang):
            return pgettext("a date in both calendars", "{new} N.S. ({old} O.S.)").format(
                new=new, old=format_date(julian, precision, lang=lang)
            )
    julian = julian or gregorian_to_julian(gregorian)
    with translation.override(lang):
        if julian.year == gregorian.year:
            old = pgettext("date without its year", "{day} {month}").format(
                day=julian.day, month=_month(julian, "month, in a date"), month_number=julian.month
            )
        else:
            old = format_date(julian, lang=lang)
        reign = reign_date(gregorian)
        # The catalog of a language that writes the reign-year form (Chinese) puts {reign}.
        context = "a date in both calendars" + (", to the day" if reign else "")
        return pgettext(context, "{new} N.S. ({old} O.S.)").format(
            new=format_date(gregorian, lang=lang), old=old, reign=reign
        )
