"""Admin for editors: treaties and clauses, features and their treaty basis, events, people,
the story.

Only logged-in staff with the model permissions can change anything (Django's admin). Forms
apply the loader's rules (``atlas.forms``), so what an editor saves can always be exported and
loaded again. A feature's geometry is GeoJSON text with a live map preview
(``static/atlas/admin-preview.js``, drawn with the app's own Leaflet, nothing from another
origin) and a live shapely check through ``check_geometry``.
"""

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import geo
from .basemap import basemap_layers
from .cache import data_changed
from .forms import ClauseForm, EventForm, FeatureForm, PersonForm, StoryStepForm, TreatyForm
from .i18n import translate
from .jsonfiles import parse_json
from .models import Clause, Event, Feature, FeatureBasis, Person, StoryStep, Treaty

# The geometry check answers for one geometry; larger bodies are not a geometry edit.
MAX_CHECK_BYTES = 2 * 1024 * 1024
ERR_CHECK_TOO_LARGE = "The geometry is larger than {limit:,} bytes."


class AtlasModelAdmin(admin.ModelAdmin):
    """Every save or delete through the admin invalidates the cached pages."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        data_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        data_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        data_changed()


class ClauseInline(admin.StackedInline):
    model = Clause
    form = ClauseForm
    extra = 0
    fields = [
        "slug",
        "article",
        "order",
        "title",
        "essay_ru",
        "text",
        "note",
        "sources",
    ]


@admin.display(description=_("name"))
def name(obj) -> str:
    return translate(obj.name)


@admin.display(description=_("title"))
def title(obj) -> str:
    return translate(obj.title)


@admin.register(Treaty)
class TreatyAdmin(AtlasModelAdmin):
    form = TreatyForm
    list_display = [name, "power", "signed_gregorian", "signed_julian", "articles_count"]
    list_filter = ["power"]
    search_fields = ["slug", "name", "name_zh"]
    inlines = [ClauseInline]


class FeatureBasisInline(admin.TabularInline):
    model = FeatureBasis
    extra = 0
    autocomplete_fields = ["clause"]


@admin.register(Clause)
class ClauseAdmin(AtlasModelAdmin):
    form = ClauseForm
    list_display = ["slug", "treaty", "article", title]
    list_filter = ["treaty"]
    search_fields = ["slug", "title", "essay_ru", "text"]


@admin.register(Feature)
class FeatureAdmin(AtlasModelAdmin):
    form = FeatureForm
    list_display = ["slug", name, "kind", "valid_from", "valid_to", "certainty"]
    list_filter = ["kind", "certainty"]
    search_fields = ["slug", "name", "name_zh", "name_pinyin", "name_romanized"]
    inlines = [FeatureBasisInline]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "name"]}),
        (
            _("Other names"),
            {
                "fields": [
                    ("name_zh", "name_zh_simplified"),
                    ("name_pinyin", "name_romanized"),
                    "other_names",
                ]
            },
        ),
        (_("Geometry"), {"fields": ["geometry"]}),
        (
            _("Time, certainty and sources"),
            {
                "fields": [
                    ("valid_from", "valid_from_precision"),
                    ("valid_to", "valid_to_precision"),
                    "certainty",
                    "sources",
                ]
            },
        ),
        (_("Notes and figures"), {"fields": ["note", "extra"]}),
    ]

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css", "atlas/admin-preview.css"]}
        js = ["vendor/leaflet/leaflet.js", "atlas/admin-preview.js"]

    def get_urls(self):
        own = [
            path(
                "check-geometry/",
                self.admin_site.admin_view(self.check_geometry),
                name="atlas_feature_check_geometry",
            ),
            path(
                "basemap.geojson",
                self.admin_site.admin_view(self.basemap),
                name="atlas_feature_basemap",
            ),
        ]
        return own + super().get_urls()

    def check_geometry(self, request: HttpRequest) -> JsonResponse:
        """POST a GeoJSON geometry; answer {"ok": true} or {"ok": false, "error": message}."""
        return _check_geometry(request)

    def basemap(self, request: HttpRequest) -> JsonResponse:
        """The app's own land layer, for the preview's background (no tiles, no network)."""
        land = basemap_layers().get("land") or {"type": "FeatureCollection", "features": []}
        return JsonResponse(land)


@require_POST
def _check_geometry(request: HttpRequest) -> JsonResponse:
    if len(request.body) > MAX_CHECK_BYTES:
        return JsonResponse(
            {"ok": False, "error": ERR_CHECK_TOO_LARGE.format(limit=MAX_CHECK_BYTES)}
        )
    try:
        value = parse_json(request.body.decode("utf-8"))  # the loader's strict JSON
        geo.parse_geometry(value)
    except (UnicodeDecodeError, ValueError) as exc:
        # GeometryError is a ValueError; JSON errors too. The message is shown as text.
        return JsonResponse({"ok": False, "error": str(exc)})
    return JsonResponse({"ok": True})


@admin.register(Event)
class EventAdmin(AtlasModelAdmin):
    form = EventForm
    list_display = ["date_gregorian", title, "treaty"]
    list_filter = ["treaty"]
    search_fields = ["slug", "title"]
    filter_horizontal = ["features"]


@admin.register(Person)
class PersonAdmin(AtlasModelAdmin):
    """A negotiator or signatory: names, role, the treaties they signed and their events."""

    form = PersonForm
    list_display = [name, "lived", "slug"]
    search_fields = ["slug", "name", "name_zh", "name_pinyin"]
    filter_horizontal = ["treaties", "events"]
    fields = [
        ("order", "slug"),
        "name",
        ("name_zh", "name_pinyin"),
        "other_names",
        "lived",
        "role",
        "treaties",
        "events",
        "note",
        "sources",
    ]


@admin.register(StoryStep)
class StoryStepAdmin(AtlasModelAdmin):
    """The classroom story (/present/): a step's year, view, highlighted features and caption."""

    form = StoryStepForm
    list_display = ["order", "year", title, "slug"]
    list_display_links = [title]
    ordering = ["order"]
    search_fields = ["slug", "title", "essay_ru", "caption"]
    filter_horizontal = ["features"]
    fields = [
        ("order", "slug"),
        ("year", "bounds"),
        "features",
        "title",
        "essay_ru",
        "caption",
        "note",
    ]
