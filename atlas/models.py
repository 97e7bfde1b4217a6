"""The atlas' data: treaties and their clauses, the features they put on the map, and events.

Every text a reader sees is stored in Russian and English (``*_ru`` / ``*_en``). Dates are
Gregorian (New Style) unless the field says ``julian``; a date known only to the month or year
is stored as its first day with a precision.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .timerule import year_end


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Certainty(models.TextChoices):
    EXACT = "exact", _("exact")
    APPROXIMATE = "approximate", _("approximate")
    SCHEMATIC = "schematic", _("schematic")


class Kind(models.TextChoices):
    TREATY_PORT = "treaty_port", _("treaty port")
    CITY = "city", _("city")
    MISSION = "mission", _("mission")
    SETTLEMENT = "settlement", _("settlement")
    FORT = "fort", _("fort")
    BORDER = "border", _("border")
    CESSION = "cession", _("cession")
    COMMON_TERRITORY = "common_territory", _("territory held in common")
    UNDELIMITED = "undelimited", _("undelimited land")
    TRADE_ZONE = "trade_zone", _("duty-free trade zone")
    ROUTE = "route", _("trade route")


class Role(models.TextChoices):
    OPENED_BY = "opened_by", _("opened by")
    CEDED_BY = "ceded_by", _("ceded by")
    HELD_IN_COMMON_BY = "held_in_common_by", _("held in common by")
    CONFIRMED_BY = "confirmed_by", _("confirmed by")
    ESTABLISHED_BY = "established_by", _("established by")


class Treaty(models.Model):
    slug = models.SlugField(unique=True)
    name_ru = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=100)
    name_pinyin = models.CharField(max_length=200)
    # Russian documents of the period are dated Old Style; both dates are kept as written.
    signed_julian = models.DateField()
    signed_gregorian = models.DateField()
    place_ru = models.CharField(max_length=200)
    place_en = models.CharField(max_length=200)
    signatories_ru = models.TextField()
    signatories_en = models.TextField()
    articles_count = models.PositiveSmallIntegerField()
    ratification_ru = models.TextField(blank=True)
    ratification_en = models.TextField(blank=True)
    sources = models.JSONField(default=list)

    class Meta:
        ordering = ["signed_gregorian", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_julian__lte=F("signed_gregorian")),
                name="treaty_julian_not_after_gregorian",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class Clause(models.Model):
    slug = models.SlugField(unique=True, help_text="The clause id used in geodata/.")
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="clauses")
    article = models.CharField(max_length=20, blank=True, help_text="Blank if not confirmed.")
    order = models.PositiveSmallIntegerField(default=0)
    title_ru = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    essay_ru = models.TextField(blank=True, help_text="The source essay's words, quoted as is.")
    text_en = models.TextField()
    text_ru = models.TextField(blank=True, help_text="The article in Russian, in the atlas' words.")
    note_ru = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    sources = models.JSONField(default=list)

    class Meta:
        ordering = ["treaty__signed_gregorian", "order"]

    def __str__(self) -> str:
        article = f"art. {self.article}" if self.article else "article not confirmed"
        return f"{self.treaty.name_en}, {article}: {self.title_en}"


class FeatureQuerySet(models.QuerySet):
    def visible_at(self, *, year: int) -> "FeatureQuerySet":
        """Features on the map at the end of ``year`` (atlas.timerule, as a query)."""
        end = year_end(year)
        return self.filter(valid_from__lte=end).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=end)
        )

    def with_basis(self) -> "FeatureQuerySet":
        return self.prefetch_related(
            models.Prefetch("basis", queryset=FeatureBasis.objects.select_related("clause__treaty"))
        )


class Feature(models.Model):
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name_ru = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=100, blank=True)
    name_zh_simplified = models.CharField(max_length=100, blank=True)
    name_pinyin = models.CharField(max_length=200, blank=True)
    name_romanized = models.CharField(max_length=200, blank=True)
    other_names = models.JSONField(default=list, blank=True)
    # GeoJSON geometry (RFC 7946, lon/lat WGS84), validated with shapely on the way in.
    geometry = models.JSONField()
    valid_from = models.DateField()
    valid_from_precision = models.CharField(max_length=5, choices=Precision.choices)
    valid_to = models.DateField(null=True, blank=True)
    valid_to_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    certainty = models.CharField(max_length=11, choices=Certainty.choices)
    sources = models.JSONField()
    note_ru = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    # Kind-specific figures (areas, zone width, cited figures), passed through to the map.
    extra = models.JSONField(default=dict, blank=True)
    clauses = models.ManyToManyField(Clause, through="FeatureBasis", related_name="features")

    objects = FeatureQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="feature_valid_from_not_after_valid_to",
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="feature_kind_known"),
            models.CheckConstraint(
                condition=Q(certainty__in=Certainty.values), name="feature_certainty_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name_en


class FeatureBasis(models.Model):
    """Why a feature is on the map: the clause that opened, ceded or confirmed it."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="basis")
    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="basis")
    role = models.CharField(max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["feature", "clause", "role"], name="feature_basis_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feature.slug} {self.get_role_display()} {self.clause.slug}"


class Event(models.Model):
    slug = models.SlugField(unique=True)
    date_gregorian = models.DateField()
    date_julian = models.DateField()
    precision = models.CharField(max_length=5, choices=Precision.choices)
    title_ru = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    description_ru = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    treaty = models.ForeignKey(
        Treaty, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    features = models.ManyToManyField(Feature, blank=True, related_name="events")
    sources = models.JSONField()

    class Meta:
        ordering = ["date_gregorian", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_julian__lte=F("date_gregorian")),
                name="event_julian_not_after_gregorian",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en


class StoryStep(models.Model):
    """One step of the classroom story (geodata/story.json), shown in presentation mode."""

    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    # The map view as [[lon_min, lat_min], [lon_max, lat_max]] (GeoJSON order).
    bounds = models.JSONField()
    features = models.ManyToManyField(Feature, blank=True, related_name="story_steps")
    title_ru = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    essay_ru = models.TextField(help_text="The source essay's words, quoted as is.")
    caption_en = models.TextField(help_text="The quotation in English.")
    note_ru = models.TextField(blank=True)
    note_en = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title_en} ({self.year})"
