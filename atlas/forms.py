"""Admin forms: how an editor types a value (a citation per line, GeoJSON as text, a map view
as JSON). The rules themselves are the models' (atlas.rules, run by ``full_clean``), the same
the loader runs, so the admin and ``load_atlas`` accept and refuse the same things; the one
rule a model cannot run itself — a story step's features on the map in its year — is called
here from atlas.rules too.
"""

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import rules
from .jsonfiles import parse_json
from .models import Certainty, Clause, Event, Feature, Person, StoryStep, Treaty

ERR_SOURCES_REQUIRED = "Give at least one source, one citation per line."
ERR_JSON = "This is not valid JSON: {detail}"
HELP_SOURCES = _("One citation per line.")
HELP_NAMES = _('A JSON list of texts: ["…", "…"].')


def _parse_json(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value.strip() == "":
        return None
    try:
        return parse_json(value)  # the loader's strict JSON (atlas.jsonfiles)
    except ValueError as exc:
        raise ValidationError(ERR_JSON.format(detail=exc), code="json") from exc


class SourcesField(forms.Field):
    """A list of citations edited as a textarea, one per line; at least one is required."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 90})
    default_error_messages = {"required": ERR_SOURCES_REQUIRED}

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return "" if value is None else str(value)

    def to_python(self, value: Any) -> list[str]:
        lines = [str(v) for v in value] if isinstance(value, list | tuple) else str(value or "")
        if isinstance(lines, str):
            lines = lines.splitlines()
        return [line.strip() for line in lines if line.strip()]


class JSONTextField(forms.Field):
    """A JSON value edited as text; what it must hold is the model field's rule."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 90, "spellcheck": "false"})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return "" if value is None else json.dumps(value, ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        return _parse_json(value)


class GeometryField(JSONTextField):
    """A GeoJSON geometry as text, checked with shapely (atlas.rules.check_geometry)."""

    widget = forms.Textarea(
        attrs={"rows": 8, "cols": 90, "class": "atlas-geometry", "spellcheck": "false"}
    )


class TreatyForm(forms.ModelForm):
    sources = SourcesField(label=_("Sources"), help_text=HELP_SOURCES)

    class Meta:
        model = Treaty
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)


class ClauseForm(forms.ModelForm):
    sources = SourcesField(label=_("Sources"), help_text=HELP_SOURCES)

    class Meta:
        model = Clause
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)


class FeatureForm(forms.ModelForm):
    geometry = GeometryField(
        label=_("Geometry"),
        help_text=format_lazy(
            "{} {}",
            _("GeoJSON geometry (RFC 7946): [longitude, latitude] in WGS 84."),
            _("The map below previews it as you type; saving checks it with shapely."),
        ),
    )
    sources = SourcesField(label=_("Sources"), help_text=HELP_SOURCES)
    certainty = forms.TypedChoiceField(
        label=_("Certainty"), choices=Certainty.choices, required=True
    )
    other_names = JSONTextField(label=_("Other names"), required=False, help_text=HELP_NAMES)
    extra = JSONTextField(
        label=_("Own figures"),
        required=False,
        help_text=format_lazy(
            _("A JSON object of the feature's own figures: {keys}."),
            keys=", ".join(rules.FEATURE_EXTRA),
        ),
    )

    class Meta:
        model = Feature
        # The treaty basis is edited in its own inline (the through model keeps role and order).
        exclude = ["clauses"]  # noqa: DJ006 (the admin chooses and orders the fields)

    def clean_other_names(self) -> Any:
        value = self.cleaned_data.get("other_names")
        return [] if value is None else value

    def clean_extra(self) -> Any:
        value = self.cleaned_data.get("extra")
        return {} if value is None else value


class EventForm(forms.ModelForm):
    sources = SourcesField(label=_("Sources"), help_text=HELP_SOURCES)

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)


class PersonForm(forms.ModelForm):
    sources = SourcesField(label=_("Sources"), help_text=HELP_SOURCES)
    other_names = JSONTextField(label=_("Other names"), required=False, help_text=HELP_NAMES)

    class Meta:
        model = Person
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)

    def clean_other_names(self) -> Any:
        value = self.cleaned_data.get("other_names")
        return [] if value is None else value


class StoryStepForm(forms.ModelForm):
    """A story step; its features must be on the map in its year (atlas.rules)."""

    bounds = JSONTextField(
        label=_("Map view"),
        widget=forms.TextInput(attrs={"size": 40}),
        help_text=_("The map view: [[lon_min, lat_min], [lon_max, lat_max]]."),
    )

    class Meta:
        model = StoryStep
        fields = "__all__"  # noqa: DJ007 (the admin chooses and orders the fields)

    def clean_bounds(self) -> Any:
        value = self.cleaned_data.get("bounds")
        try:
            rules.check_bounds(value)
        except ValidationError:
            return value  # the model's rule reports it
        return [[float(v) for v in corner] for corner in value]  # as the loader stores it

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problem = rules.story_features_problem(data.get("year"), data.get("features") or [])
        if problem:
            self.add_error("features", problem)
        return data
