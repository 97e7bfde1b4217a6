"""The reader's language: the interface and every bilingual text follow it (English, Russian)."""

from django.utils.translation import get_language

LANGUAGES = ("en", "ru")


def current_language() -> str:
    """The active language if the atlas has texts in it, else English."""
    lang = (get_language() or "en").split("-")[0]
    return lang if lang in LANGUAGES else "en"
