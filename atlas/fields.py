"""The translations field: one text of the atlas in every language, ``{"en": …, "ru": …}``.

A required text needs every language of ``settings.LANGUAGES``; an optional one (a note) every
language or none; a ``required="default"`` one the default language at least. The admin edits
it as one box per language (``name_en``, ``name_ru`` …).
"""

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from . import rules
from .i18n import language_codes


class TranslationsWidget(forms.MultiWidget):
    """One input per language, named ``<field>_<code>``, each marked with its ``lang`` and
    labelled with the language's name: its own as the placeholder (English, Русский,
    中文（简体）), the editor's for a screen reader."""

    def __init__(self, *, long: bool = False):
        own_names = dict(settings.LANGUAGES)

        def box(code: str) -> forms.Widget:
            attrs = {
                "lang": code,
                "placeholder": own_names[code],
                "aria-label": _language_name(code),
            }
            if long:
                return forms.Textarea(attrs={**attrs, "rows": 3, "cols": 90})
            return forms.TextInput(attrs={**attrs, "size": 80})

        super().__init__(widgets={code: box(code) for code in language_codes()})

    def decompress(self, value: Any) -> list[str]:
        value = value if isinstance(value, dict) else {}
        return [value.get(code, "") for code in language_codes()]


# The language's name in the editor's language, read when the page is drawn.
_language_name = lazy(lambda code: str(get_language_info(code)["name_translated"]), str)


class TranslationsFormField(forms.MultiValueField):
    """Assembles the boxes into a dict; the rules themselves run in the model field."""

    def __init__(self, *, long: bool = False, **kwargs: Any):
        kwargs.pop("encoder", None), kwargs.pop("decoder", None), kwargs.pop("max_length", None)
        kwargs["required"] = False
        fields = [forms.CharField(required=False) for _ in language_codes()]
        super().__init__(
            fields, widget=TranslationsWidget(long=long), require_all_fields=False, **kwargs
        )

    def compress(self, data_list: list[str]) -> dict[str, str]:
        texts = dict(zip(language_codes(), data_list or [], strict=False))
        return {code: text for code, text in texts.items() if text}

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial = initial if isinstance(initial, dict) else {}
        return self.compress(data) != {k: v for k, v in initial.items() if v}


class TranslationsField(models.JSONField):
    """A text in every language of the atlas, validated by ``rules.check_translations``."""

    def __init__(self, *args: Any, required: bool | str = True, long: bool = False, **kwargs: Any):
        self.required, self.long = required, long
        kwargs.setdefault("default", dict)
        # An optional text may be empty; a required one is judged by the rule (which runs
        # before Django's own "cannot be blank", so loader and admin give the rule's message).
        kwargs["blank"] = required is False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("blank", None)
        if self.required is not True:
            kwargs["required"] = self.required
        if self.long:
            kwargs["long"] = True
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        rules.check_translations(value, required=self.required)
        super().validate(value, model_instance)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return TranslationsFormField(
            long=self.long,
            label=kwargs.get("label", capfirst(self.verbose_name)),
            help_text=self.help_text,
        )


class SourcesField(models.JSONField):
    """A record's citations: a non-empty list of texts (``rules.check_sources``), checked even
    when empty — Django skips the validators of an empty value, so the rule runs in validate()."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("default", list)
        kwargs["blank"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("blank", None)
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        rules.check_sources(value)  # before Django's "cannot be blank": the rule's message
        super().validate(value, model_instance)
