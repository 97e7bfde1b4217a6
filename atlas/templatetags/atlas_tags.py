"""Template helpers: texts in the reader's language, dates in both calendars."""

import datetime as dt
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info, gettext, pgettext

from atlas import kinds
from atlas.calendars import format_dual
from atlas.i18n import (
    current_language,
    is_marked_translation,
    language_codes,
    to_language_tag,
    translate,
    translate_with_language,
)
from atlas.i18n import other_languages as _other_languages
from atlas.models import Event

register = template.Library()


@register.filter
def tr(value: Any) -> str:
    """A translations dict in the reader's language, along the fallback chain of settings:
    ``{{ feature.name|tr }}``."""
    return translate(value if isinstance(value, dict) else None)


@register.simple_tag
def translated(value: Any, original: str = "") -> SafeString:
    """A text of the atlas in the reader's language, inside its block: ``<p>{% translated
    clause.text original=clause.russian_wording %}</p>``. An editors' translation
    (``settings.ATLAS_MARKED_TRANSLATIONS``) is in an element with its ``lang``, marked as a
    translation, with the original wording, when given, beside it in Russian; a text that falls
    back to another language says which. The one place every page marks a translation."""
    code, text = translate_with_language(value if isinstance(value, dict) else None)
    if not text:
        return SafeString("")
    if code == current_language() and not is_marked_translation(code):
        return format_html("{}", text)  # the page's own language (its <html lang>)
    html = format_html('<span lang="{}">{}</span>', to_language_tag(code), text)
    if is_marked_translation(code):
        html += translation_mark()
        if original and original != text:
            html += format_html(' <span class="original-wording" lang="ru">{}</span>', original)
    return html


@register.simple_tag
def translation_mark() -> SafeString:
    """The mark of an editors' translation, （译文）, in the reader's language if it has one."""
    if not is_marked_translation(current_language()):
        return SafeString("")
    return format_html(
        ' <small class="translation-mark" title="{}">{}</small>',
        gettext("The atlas editors' translation"),
        pgettext("the mark of a translated text", "(translation)"),
    )


@register.filter
def other_languages(value: Any) -> list[tuple[str, str]]:
    """The (code, text) pairs of a translations dict in the other languages."""
    return _other_languages(value if isinstance(value, dict) else None)


@register.filter
def language_tag(code: str) -> str:
    """A language code as HTML's lang attribute writes it (BCP 47): zh-hans ➜ zh-Hans."""
    return to_language_tag(code)


@register.filter
def language_label(code: str) -> str:
    """How the language switch writes a language (EN / RU / 中文)."""
    return settings.ATLAS_LANGUAGE_LABELS.get(code, code.upper())


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
def dual_date_of(date: dt.date | None, treaty: Any) -> str:
    """A treaty's signing date in both calendars, as its Russian text or Julian date gives it."""
    if not date:
        return ""
    return format_dual(date, julian=treaty.signed_julian, lang=current_language())


@register.filter
def thousands(value: float | int | None) -> str:
    """A whole number with thin-spaced thousands: 310 000 (the way both languages print it)."""
    if value is None:
        return ""
    return f"{round(value):,}".replace(",", "\u202f")


@register.filter
def in_every_language(value: Any) -> list[tuple[str, str, str]]:
    """(code, the language's name in the reader's language, text) for every language."""
    value = value if isinstance(value, dict) else {}
    return [
        (code, get_language_info(code)["name_translated"], value[code])
        for code in language_codes()
        if value.get(code)
    ]


@register.filter
def kind_name(slug: str) -> str:
    """A kind of feature as a sentence says it ("treaty port")."""
    return str(kinds.get(slug).name) if slug in kinds.BY_SLUG else slug
