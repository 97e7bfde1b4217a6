"""Admin forms: the same rules as the loader, so that what an editor saves can be exported.

Geometry is edited as GeoJSON text and checked with ``geo.parse_geometry`` (shapely); sources
are one citation per line and required; certainty is required; a bilingual note needs both
languages or neither; dates keep the loader's order, precision and calendar rules.
"""

import datetime as dt
import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from . import geo
from .calendars import julian_to_gregorian
from .models import Certainty, Clause, Event, Feature, Precision, StoryStep, Treaty
from .selectors import is_on_map

ERR_SOURCES_REQUIRED = "Give at least one source, one citation per line."
ERR_GEOMETRY_JSON = "The geometry is not valid JSON: {detail}"
ERR_NOTE_BOTH = "Write the note in both Russian and English, or leave both empty."
ERR_VALID_TO_PRECISION = "Give the precision of valid_to (day, month or year)."
ERR_PRECISION_WITHOUT_DATE = "A precision for valid_to needs a valid_to date."
ERR_PRECISION_DATE = "With precision {precision!r} the date must be the first day of the {unit}."
ERR_ORDER = "valid_to {valid_to} is before valid_from {valid_from}."
ERR_CALENDARS = "Julian date {julian} is Gregorian {expected}, not {gregorian} (Old Style + 12)."
ERR_OTHER_NAMES = "Other names must be a JSON list of texts."
ERR_STEP_YEAR = "The story's years are {first}–{last}."
ERR_STEP_BOUNDS = (
    "The view must be [[lon_min, lat_min], [lon_max, lat_max]] inside the atlas region "
    "(lon {0}–{2}, lat {1}–{3})."
)
ERR_STEP_NOT_ON_MAP = "Not on the map in {year}: {names}."


class SourcesField(forms.Field):
    """A list of citations edited as a textarea, one per line; at least one is required."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 90})
    default_error_messages = {"required": ERR_SOURCES_REQUIRED}

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            lines = [str(v) for v in value]
        else:
            lines = str(value or "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def validate(self, value: list[str]) -> None:
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")


class GeometryField(forms.Field):
    """A GeoJSON geometry as text, parsed and validated with shapely on the way in."""

    widget = forms.Textarea(
        attrs={"rows": 8, "cols": 90, "class": "atlas-geometry", "spellcheck": "false"}
    )

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        if value in (None, ""):
            return None
        try:
            # NaN and Infinity are not JSON (RFC 8259); refuse them as the loader does.
            return json.loads(value, parse_constant=_reject_constant)
        except ValueError as exc:
            raise ValidationError(ERR_GEOMETRY_JSON.format(detail=exc), code="json") from exc

    def validate(self, value: Any) -> None:
        super().validate(value)
        try:
            geo.parse_geometry(value)
        except geo.GeometryError as exc:
            raise ValidationError(str(exc), code="geometry") from exc


def _reject_constant(value: str) -> None:
    raise ValueError(f"number {value} is not allowed in JSON")


def _check_precision(date: dt.date | None, precision: str) -> str | None:
    if date is None:
        return None
    if (precision == Precision.MONTH and date.day != 1) or (
        precision == Precision.YEAR and (date.day, date.month) != (1, 1)
    ):
        return ERR_PRECISION_DATE.format(precision=precision, unit=precision)
    return None


def _check_note(form: forms.ModelForm, ru: str, en: str) -> None:
    data = form.cleaned_data
    if bool((data.get(ru) or "").strip()) != bool((data.get(en) or "").strip()):
        form.add_error(en if (data.get(ru) or "").strip() else ru, ERR_NOTE_BOTH)


def _check_calendars(form: forms.ModelForm, julian: str, gregorian: str) -> None:
    j, g = form.cleaned_data.get(julian), form.cleaned_data.get(gregorian)
    if j and g and julian_to_gregorian(j) != g:
        expected = julian_to_gregorian(j)
        form.add_error(gregorian, ERR_CALENDARS.format(julian=j, expected=expected, gregorian=g))


class TreatyForm(forms.ModelForm):
    sources = SourcesField()

    class Meta:
        model = Treaty
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_calendars(self, "signed_julian", "signed_gregorian")
        _check_note(self, "ratification_ru", "ratification_en")
        return data


class ClauseForm(forms.ModelForm):
    sources = SourcesField()

    class Meta:
        model = Clause
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_note(self, "note_ru", "note_en")
        return data


class FeatureForm(forms.ModelForm):
    geometry = GeometryField(
        help_text="GeoJSON geometry (RFC 7946): [longitude, latitude] in WGS 84. "
        "The map below previews it as you type; saving checks it with shapely."
    )
    sources = SourcesField()
    certainty = forms.TypedChoiceField(choices=Certainty.choices, required=True)
    other_names = forms.JSONField(required=False, initial=list)

    class Meta:
        model = Feature
        # The treaty basis is edited in its own inline (the through model keeps role and order).
        exclude = ["clauses"]  # noqa: DJ006 (the admin chooses and orders the fields)

    def clean_other_names(self) -> list[str]:
        value = self.cleaned_data.get("other_names")
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(ERR_OTHER_NAMES)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        to_precision = data.get("valid_to_precision") or ""
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", ERR_ORDER.format(valid_to=valid_to, valid_from=valid_from))
        if valid_to and not to_precision:
            self.add_error("valid_to_precision", ERR_VALID_TO_PRECISION)
        if to_precision and not valid_to and "valid_to" not in self.errors:
            self.add_error("valid_to_precision", ERR_PRECISION_WITHOUT_DATE)
        for date_key, precision_key in (
            ("valid_from", "valid_from_precision"),
            ("valid_to", "valid_to_precision"),
        ):
            problem = _check_precision(data.get(date_key), data.get(precision_key) or "")
            if problem:
                self.add_error(date_key, problem)
        _check_note(self, "note_ru", "note_en")
        return data


class EventForm(forms.ModelForm):
    sources = SourcesField()

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("precision") == Precision.DAY:
            _check_calendars(self, "date_julian", "date_gregorian")
        problem = _check_precision(data.get("date_gregorian"), data.get("precision") or "")
        if problem:
            self.add_error("date_gregorian", problem)
        return data


class BoundsField(forms.CharField):
    """A story step's map view as JSON: [[lon_min, lat_min], [lon_max, lat_max]]."""

    widget = forms.TextInput(attrs={"size": 40})

    def prepare_value(self, value: Any) -> Any:
        return json.dumps(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        lon_min, lat_min, lon_max, lat_max = geo.REGION_BOUNDS
        try:
            (x0, y0), (x1, y1) = json.loads(text)
            corners = [float(v) for v in (x0, y0, x1, y1)]
        except (TypeError, ValueError):
            raise ValidationError(ERR_STEP_BOUNDS.format(*geo.REGION_BOUNDS)) from None
        x0, y0, x1, y1 = corners
        if not (lon_min <= x0 < x1 <= lon_max and lat_min <= y0 < y1 <= lat_max):
            raise ValidationError(ERR_STEP_BOUNDS.format(*geo.REGION_BOUNDS))
        return [[x0, y0], [x1, y1]]


class StoryStepForm(forms.ModelForm):
    """The loader's rules for a story step: a year the atlas shows, a view inside the region,
    features that are on the map that year, and notes in both languages or neither."""

    bounds = BoundsField()

    class Meta:
        model = StoryStep
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = settings.ATLAS_FIRST_YEAR, settings.ATLAS_LAST_YEAR
        year = data.get("year")
        if year is not None and not first <= year <= last:
            self.add_error("year", ERR_STEP_YEAR.format(first=first, last=last))
            year = None
        if year is not None:
            absent = [f.name_en for f in data.get("features") or [] if not is_on_map(f, year=year)]
            if absent:
                self.add_error(
                    "features", ERR_STEP_NOT_ON_MAP.format(year=year, names=", ".join(absent))
                )
        _check_note(self, "note_ru", "note_en")
        return data
