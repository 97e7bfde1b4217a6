"""Admin for editors: treaties with their clauses, features with their treaty basis, events."""

from django.contrib import admin

from .models import Clause, Event, Feature, FeatureBasis, Treaty


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = [
        "slug",
        "article",
        "order",
        ("title_ru", "title_en"),
        "essay_ru",
        "text_en",
        ("note_ru", "note_en"),
        "sources",
    ]


@admin.register(Treaty)
class TreatyAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ru", "signed_gregorian", "signed_julian", "articles_count"]
    search_fields = ["slug", "name_en", "name_ru", "name_zh"]
    inlines = [ClauseInline]


class FeatureBasisInline(admin.TabularInline):
    model = FeatureBasis
    extra = 0
    autocomplete_fields = ["clause"]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    list_display = ["slug", "treaty", "article", "title_en"]
    list_filter = ["treaty"]
    search_fields = ["slug", "title_en", "title_ru", "essay_ru", "text_en"]


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "kind", "valid_from", "valid_to", "certainty"]
    list_filter = ["kind", "certainty"]
    search_fields = ["slug", "name_en", "name_ru", "name_zh", "name_pinyin", "name_romanized"]
    inlines = [FeatureBasisInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["date_gregorian", "title_en", "treaty"]
    list_filter = ["treaty"]
    search_fields = ["slug", "title_en", "title_ru"]
    filter_horizontal = ["features"]
