"""The atlas' languages, as data: the reader's language and the fallback chain of a text.

Every translatable text is stored as one translations dict, ``{"en": …, "ru": …}`` (see
``atlas.fields.TranslationsField``); ``settings.LANGUAGES`` lists the languages and
``settings.ATLAS_LANGUAGE_FALLBACKS`` where a text missing in one is looked for next.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import get_language


def language_codes() -> list[str]:
    """The atlas' languages, in the order of ``settings.LANGUAGES``."""
    return [code for code, _ in settings.LANGUAGES]


def current_language() -> str:
    """The active language if the atlas has it, else the default (``LANGUAGE_CODE``)."""
    active = (get_language() or settings.LANGUAGE_CODE).lower()
    codes = language_codes()
    if active in codes:
        return active
    base = active.split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE


def fallback_chain(lang: str | None = None) -> list[str]:
    """``lang``, then its fallbacks from settings, then the default language."""
    lang = lang or current_language()
    chain = [lang, *settings.ATLAS_LANGUAGE_FALLBACKS.get(lang, []), settings.LANGUAGE_CODE]
    return list(dict.fromkeys(chain))


def translate(value: Mapping[str, str] | None, lang: str | None = None) -> str:
    """A translations dict's text in ``lang`` (default: the reader's), following the chain."""
    return translate_with_language(value, lang)[1]


def translate_with_language(
    value: Mapping[str, str] | None, lang: str | None = None
) -> tuple[str, str]:
    """(the language the text is read in, the text): ``translate`` that says which language of
    the chain it found ("", "" when none)."""
    for code in fallback_chain(lang) if value else []:
        if value.get(code):
            return code, value[code]
    return "", ""


def is_marked_translation(code: str) -> bool:
    """Whether a text in this language is the atlas editors' translation, marked as one on the
    page (``settings.ATLAS_MARKED_TRANSLATIONS``)."""
    return code in settings.ATLAS_MARKED_TRANSLATIONS


def other_languages(value: Mapping[str, str] | None, lang: str | None = None) -> list[tuple]:
    """The (code, text) pairs of a translations dict in the languages other than ``lang``."""
    lang = lang or current_language()
    return [(code, value[code]) for code in language_codes() if code != lang and value.get(code)]


def to_language_tag(code: str) -> str:
    """A language code as BCP 47 (HTML's lang) writes it: ``zh-hans`` ➜ ``zh-Hans``."""
    base, _, rest = (code or "").partition("-")
    if not rest:
        return base
    return f"{base}-{rest.title() if len(rest) == 4 else rest.upper()}"
