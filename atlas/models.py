"""The atlas' data: treaties and their clauses, the features they put on the map, and events.

Every text a reader sees is one translations field, ``{"en": …, "ru": …}`` in the languages of
``settings.LANGUAGES`` (atlas.fields). Dates are Gregorian (New Style) unless the field says
``julian``; a date known only to the month or year is stored as its first day with a precision.
The rules of each record (atlas.rules) run in the field validators and ``clean()``, so the
loader and the admin accept and refuse the same things.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import kinds, rules
from .fields import SourcesField, TranslationsField
from .i18n import translate


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Certainty(models.TextChoices):
    EXACT = "exact", _("exact")
    APPROXIMATE = "approximate", _("approximate")
    SCHEMATIC = "schematic", _("schematic")


class Role(models.TextChoices):
    # Opened to foreign trade (the other powers' treaties and conventions).
    OPENED_BY = "opened_by", _("opened by")
    # A port already open to others that Russian ships may now enter (Tianjin 1858, art. 3).
    OPENED_TO_RUSSIA_BY = "opened_to_russia_by", _("opened to Russian ships by")
    # Not a port: a place Russian merchants may now come to or trade at (Peking 1860, art. 5).
    MERCHANTS_ADMITTED = "merchants_admitted", _("Russian merchants admitted by")
    # Trade there is older than the treaty, which widened it (Kyakhta, trading since 1728).
    ACCESS_EXTENDED_BY = "access_extended_by", _("access extended by")
    # A stage of a route a treaty lays down (the goods route of the 1862 Rules).
    ON_ROUTE_OF = "on_route_of", _("on the route set by")
    CEDED_BY = "ceded_by", _("ceded by")
    HELD_IN_COMMON_BY = "held_in_common_by", _("held in common by")
    CONFIRMED_BY = "confirmed_by", _("confirmed by")
    ESTABLISHED_BY = "established_by", _("established by")


class Power(models.TextChoices):
    """The power that signed a treaty with the Qing."""

    RUSSIA = "russia", _("Russia")
    BRITAIN = "britain", _("Britain")
    FRANCE = "france", _("France")
    UNITED_STATES = "united_states", _("the United States")


# The atlas is about Russia's treaties; the other powers' treaties of the series are context.
SUBJECT_POWER = Power.RUSSIA


class Document(models.TextChoices):
    """What kind of instrument a treaty is: the words that agree with it ("signed") differ."""

    TREATY = "treaty", _("treaty")
    CONVENTION = "convention", _("convention")
    RULES = "rules", _("rules")


# One slug pattern everywhere (atlas.rules.SLUG_RE): a CharField, so that Django's own, looser
# slug check (underscores, capitals) does not speak first.
SLUG = {"max_length": 50, "validators": [rules.check_slug], "unique": True}


class Treaty(models.Model):
    slug = models.CharField(_("slug"), **SLUG)
    power = models.CharField(_("power"), max_length=20, choices=Power.choices, default=Power.RUSSIA)
    document = models.CharField(
        _("kind of document"), max_length=20, choices=Document.choices, default=Document.TREATY
    )
    name = TranslationsField(_("name"))
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_pinyin = models.CharField(_("pinyin"), max_length=200)
    # Russian documents of the period are dated Old Style; both dates are kept as written.
    signed_julian = models.DateField(_("signed (Julian)"), validators=[rules.check_date])
    signed_gregorian = models.DateField(_("signed (Gregorian)"), validators=[rules.check_date])
    place = TranslationsField(_("place"))
    signatories = TranslationsField(_("signatories"), long=True)
    articles_count = models.PositiveSmallIntegerField(
        _("number of articles"), validators=[MinValueValidator(1)]
    )
    ratification = TranslationsField(_("ratification"), required=False, long=True)
    sources = SourcesField(_("sources"))

    class Meta:
        verbose_name = _("treaty")
        verbose_name_plural = _("treaties")
        ordering = ["signed_gregorian", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_julian__lte=F("signed_gregorian")),
                name="treaty_julian_not_after_gregorian",
            ),
        ]

    def __str__(self) -> str:
        return translate(self.name)

    @property
    def is_context(self) -> bool:
        """Another power's treaty, shown as the context of the Russian ones."""
        return self.power != SUBJECT_POWER

    @property
    def signed_word(self) -> str:
        """ "Signed", agreeing with the instrument in the reader's language (Подписаны: Правила)."""
        return str(SIGNED_WORDS[self.document])

    def clean(self) -> None:
        rules.raise_problems(
            {"signed_gregorian": rules.calendars_problem(self.signed_julian, self.signed_gregorian)}
        )


SIGNED_WORDS = {
    Document.TREATY: pgettext_lazy("a treaty", "Signed"),
    Document.CONVENTION: pgettext_lazy("a convention", "Signed"),
    Document.RULES: pgettext_lazy("rules (plural)", "Signed"),
}


class Clause(models.Model):
    slug = models.CharField(_("slug"), **SLUG, help_text=_("The clause id used in geodata/."))
    treaty = models.ForeignKey(
        Treaty, verbose_name=_("treaty"), on_delete=models.CASCADE, related_name="clauses"
    )
    article = models.CharField(
        _("article"),
        max_length=20,
        blank=True,
        validators=[rules.check_article],
        help_text=_("1, 2 … or I, II …; blank if not confirmed."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = TranslationsField(_("title"))
    essay_ru = models.TextField(
        _("the essay's words (Russian)"),
        blank=True,
        help_text=_("The source essay's words, quoted as is."),
    )
    # The article in the atlas' words; English is required, the other languages may follow.
    text = TranslationsField(_("text"), required="default", long=True)
    note = TranslationsField(_("note"), required=False, long=True)
    sources = SourcesField(_("sources"))

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["treaty__signed_gregorian", "order"]

    def __str__(self) -> str:
        article = f"art. {self.article}" if self.article else "article not confirmed"
        return f"{translate(self.treaty.name)}, {article}: {translate(self.title)}"

    def clean(self) -> None:
        # A clause read from a file holds its (unsaved) treaty without a key.
        if self.treaty_id or Clause.treaty.field.is_cached(self):
            rules.raise_problems(
                {"article": rules.article_problem(self.article, self.treaty.articles_count)}
            )

    @property
    def russian_wording(self) -> str:
        """The article's Russian text where Russian is a language of the treaty itself (the
        Russian treaties), beside a translation of it; "" for the other powers' treaties."""
        return "" if self.treaty.is_context else self.text.get("ru", "")


class FeatureQuerySet(models.QuerySet):
    def with_basis(self) -> "FeatureQuerySet":
        # The people of each treaty too: a popup names who signed it.
        basis = FeatureBasis.objects.select_related("clause__treaty").prefetch_related(
            "clause__treaty__people"
        )
        return self.prefetch_related(models.Prefetch("basis", queryset=basis))


class Feature(models.Model):
    slug = models.CharField(_("slug"), **SLUG)
    kind = models.CharField(_("kind"), max_length=20, choices=kinds.choices)
    name = TranslationsField(_("name"))
    name_zh = models.CharField(_("Chinese name (traditional)"), max_length=100, blank=True)
    name_zh_simplified = models.CharField(
        _("Chinese name (simplified)"), max_length=100, blank=True
    )
    name_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True)
    name_romanized = models.CharField(_("period romanisation"), max_length=200, blank=True)
    other_names = models.JSONField(
        _("other names"), default=list, blank=True, validators=[rules.check_other_names]
    )
    # GeoJSON geometry (RFC 7946, lon/lat WGS84), validated with shapely on the way in.
    geometry = models.JSONField(_("geometry"), validators=[rules.check_geometry])
    valid_from = models.DateField(_("on the map from"), validators=[rules.check_date])
    valid_from_precision = models.CharField(
        _("precision of the start"), max_length=5, choices=Precision.choices
    )
    valid_to = models.DateField(
        _("on the map until"), null=True, blank=True, validators=[rules.check_date]
    )
    valid_to_precision = models.CharField(
        _("precision of the end"), max_length=5, choices=Precision.choices, blank=True
    )
    certainty = models.CharField(_("certainty"), max_length=11, choices=Certainty.choices)
    sources = SourcesField(_("sources"))
    note = TranslationsField(_("note"), required=False, long=True)
    # The feature's own figures and label placement: only the keys of rules.FEATURE_EXTRA,
    # each with its type; published beside the contract's properties, never over them.
    extra = models.JSONField(
        _("own figures"), default=dict, blank=True, validators=[rules.check_feature_extra]
    )
    clauses = models.ManyToManyField(
        Clause, verbose_name=_("clauses"), through="FeatureBasis", related_name="features"
    )

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("feature")
        verbose_name_plural = _("features")
        ordering = ["valid_from", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="feature_valid_from_not_after_valid_to",
            ),
            models.CheckConstraint(
                condition=Q(certainty__in=Certainty.values), name="feature_certainty_known"
            ),
        ]

    def __str__(self) -> str:
        return translate(self.name)

    def clean(self) -> None:
        rules.raise_problems(
            {
                "valid_from": rules.precision_problem(self.valid_from, self.valid_from_precision),
                "valid_to": rules.precision_problem(self.valid_to, self.valid_to_precision),
                # The order of the dates and the end's precision come last: they say more.
                **rules.period_problems(self.valid_from, self.valid_to, self.valid_to_precision),
            }
        )


class FeatureBasis(models.Model):
    """Why a feature is on the map: the clause that opened, ceded or confirmed it."""

    feature = models.ForeignKey(
        Feature, verbose_name=_("feature"), on_delete=models.CASCADE, related_name="basis"
    )
    clause = models.ForeignKey(
        Clause, verbose_name=_("clause"), on_delete=models.CASCADE, related_name="basis"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("treaty basis")
        verbose_name_plural = _("treaty basis")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["feature", "clause", "role"], name="feature_basis_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feature.slug} {self.get_role_display()} {self.clause.slug}"


class Event(models.Model):
    slug = models.CharField(_("slug"), **SLUG)
    date_gregorian = models.DateField(_("date (Gregorian)"), validators=[rules.check_date])
    date_julian = models.DateField(_("date (Julian)"), validators=[rules.check_date])
    precision = models.CharField(_("precision"), max_length=5, choices=Precision.choices)
    title = TranslationsField(_("title"))
    description = TranslationsField(_("description"), long=True)
    treaty = models.ForeignKey(
        Treaty,
        verbose_name=_("treaty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    features = models.ManyToManyField(
        Feature, verbose_name=_("features"), blank=True, related_name="events"
    )
    sources = SourcesField(_("sources"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["date_gregorian", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_julian__lte=F("date_gregorian")),
                name="event_julian_not_after_gregorian",
            ),
        ]

    def __str__(self) -> str:
        return translate(self.title)

    def clean(self) -> None:
        problems = {
            "date_gregorian": rules.precision_problem(self.date_gregorian, self.precision),
            "date_julian": rules.precision_problem(self.date_julian, self.precision),
        }
        if not any(problems.values()):
            problems["date_gregorian"] = rules.calendars_problem(
                self.date_julian, self.date_gregorian, self.precision
            )
        rules.raise_problems(problems)


class Person(models.Model):
    """A negotiator or signatory of the treaties, with a page of their own (/people/<slug>/)."""

    slug = models.CharField(_("slug"), **SLUG)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = TranslationsField(_("name"))
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    name_pinyin = models.CharField(_("pinyin"), max_length=200, blank=True)
    other_names = models.JSONField(
        _("other names"), default=list, blank=True, validators=[rules.check_other_names]
    )
    lived = models.CharField(
        _("years of life"), max_length=40, blank=True, help_text=_("e.g. 1809–1881")
    )
    role = TranslationsField(_("role"), long=True)
    treaties = models.ManyToManyField(
        Treaty, verbose_name=_("treaties"), blank=True, related_name="people"
    )
    events = models.ManyToManyField(
        "Event", verbose_name=_("events"), blank=True, related_name="people"
    )
    note = TranslationsField(_("note"), required=False, long=True)
    sources = SourcesField(_("sources"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return translate(self.name)


class StoryStep(models.Model):
    """One step of the classroom story (geodata/story.json), shown in presentation mode."""

    slug = models.CharField(_("slug"), **SLUG)
    order = models.PositiveSmallIntegerField(_("order"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[rules.check_year])
    # The map view as [[lon_min, lat_min], [lon_max, lat_max]] (GeoJSON order).
    bounds = models.JSONField(_("map view"), validators=[rules.check_bounds])
    features = models.ManyToManyField(
        Feature, verbose_name=_("features"), blank=True, related_name="story_steps"
    )
    title = TranslationsField(_("title"))
    essay_ru = models.TextField(
        _("the essay's words (Russian)"), help_text=_("The source essay's words, quoted as is.")
    )
    # The quotation in the reader's language (a Russian reader reads the essay itself).
    caption = TranslationsField(
        _("translation of the quotation"),
        required="default",
        long=True,
        help_text=_("The quotation translated."),
    )
    note = TranslationsField(_("note"), required=False, long=True)

    class Meta:
        verbose_name = _("story step")
        verbose_name_plural = _("story steps")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return f"{self.order}. {translate(self.title)} ({self.year})"
