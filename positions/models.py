"""Content model: elections, source documents, actors, themes, statements, positions, citations."""

import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from positions import vocabulary
from positions.sources import SourceText, fold


class Bilingual:
    """Named as a base class by migration 0001 only; the nl/en pick lives in positions/published.py."""


# The project's own curated content; an imported election carries the licence it was given.
LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); citaten © de genoemde auteurs"
IMPORT_AUTHOR = "import"


def import_author(username: str | None = None):
    """Who an import's positions are by: the named user, or "import", an account nobody can use.

    Either way the four-eyes review counts the import as someone's change: the named importer can't
    approve it, and nobody can log in as "import".
    """
    users = get_user_model().objects
    if username:
        return users.get(username=username)
    author, created = users.get_or_create(username=IMPORT_AUTHOR, defaults={"is_active": False})
    if created:
        author.set_unusable_password()
        author.save(update_fields=["password"])
    elif author.is_active or author.has_usable_password():
        raise ValidationError(f"The account {IMPORT_AUTHOR!r} is in use; it must be nobody's.")
    return author


class Election(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")

    class Sourcing(models.TextChoices):
        QUOTES = "quotes", _("letterlijke citaten uit de eigen documenten van de partijen")
        PARTY = "party", _("toelichtingen die de partijen zelf gaven, zonder citaten")

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    sourcing = models.CharField(
        _("onderbouwing"), max_length=10, choices=Sourcing.choices, default=Sourcing.QUOTES
    )
    licence = models.CharField(_("licentie"), max_length=300, default=LICENCE)

    class Meta:
        ordering = ["-date"]
        permissions = [("publish_election", _("Kan een verkiezing publiceren"))]
        verbose_name = _("verkiezing")
        verbose_name_plural = _("verkiezingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="election_status_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def latest_publication(self):
        return self.publications.order_by("-number").first()


class Publication(models.Model):
    """What citizens see: a frozen copy of an election's content, made when it is (re)published.

    Editors may keep changing the live rows; nothing reaches citizens until the next publication.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["election", "-number"]
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="publication_unique_number")
        ]

    def __str__(self):
        return f"{self.election} #{self.number}"


class Document(models.Model):
    """A source document; its text is that of its latest version (see DocumentVersion)."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("verkiezingsprogramma")
        AGENDA = "agenda", _("formatieagenda")
        AGREEMENT = "agreement", _("coalitieakkoord")
        LETTER = "letter", _("brief")

    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        JOINT = "joint", _("gezamenlijke tekst")
        COMPROMISE = "compromise", _("compromis")
        FINAL = "final", _("definitief")

    slug = models.SlugField(unique=True)
    title = models.CharField(_("titel"), max_length=300)
    authors = models.CharField(_("auteurs"), max_length=300)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FINAL)
    date = models.DateField(_("datum"))
    date_note = models.CharField(
        _("toelichting bij de datum"),
        max_length=200,
        blank=True,
        help_text=_("bijv. 'datum niet in de tekst'"),
    )
    file = models.CharField(_("bestandsnaam"), max_length=200, help_text=_("naam van het originele bestand"))
    sha256 = models.CharField(max_length=64, help_text=_("sha256 van de huidige versie"))
    hints = models.JSONField(
        _("extractie-aanwijzingen"),
        default=dict,
        blank=True,
        help_text=_('optioneel: {"furniture": [regex], "headings": [{"pattern": regex, "level": 1}]}'),
    )

    class Meta:
        ordering = ["date", "title"]
        verbose_name = _("brondocument")
        verbose_name_plural = _("brondocumenten")

    def __str__(self):
        return self.title

    def current_version(self):
        return self.versions.filter(sha256=self.sha256).order_by("-number").first()

    def source(self) -> SourceText:
        return version_source(self.pk, self.sha256, json.dumps(self.hints, sort_keys=True))


@lru_cache(maxsize=32)
def version_source(document_id: int, sha256: str, hints: str = "{}") -> SourceText:
    """A version's stored text, parsed once per process. Its file never changes; its lines change
    only when the document's hints do (they are read again then), hence the hints in the key."""
    version = (
        DocumentVersion.objects.select_related("document")
        .only("lines", "filename", "document__hints")
        .get(document_id=document_id, sha256=sha256)
    )
    return SourceText.from_stored(version.filename, version.lines, version.document.hints.get("remove", ()))


class DocumentVersion(models.Model):
    """One uploaded file of a document: the original (in storage), its hash and its extracted text."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    original = models.FileField(_("origineel"), upload_to="documents/", max_length=300)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=Document.Status.choices)
    date = models.DateField()
    date_note = models.CharField(max_length=200, blank=True)
    lines = models.JSONField(help_text="[[number, text, label, furniture, heading, page]]")
    pages = models.JSONField(default=list, help_text="[[index, number, numbering source]]")
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("documentversie")
        verbose_name_plural = _("documentversies")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique_number"),
            models.UniqueConstraint(fields=["document", "sha256"], name="document_version_unique_file"),
        ]

    def __str__(self):
        return f"{self.document.slug} v{self.number}"

    def source(self) -> SourceText:
        return version_source(self.document_id, self.sha256, json.dumps(self.document.hints, sort_keys=True))


class Actor(models.Model):
    class Kind(models.TextChoices):
        PARTY = "party", _("partij")
        AGREEMENT = "agreement", _("akkoord")
        ORGANISATION = "organisation", _("organisatie")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="actors")
    slug = models.SlugField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveIntegerField(default=0)
    description_nl = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    documents = models.ManyToManyField(Document, related_name="actors", blank=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actoren")
        constraints = [
            models.UniqueConstraint(fields=["election", "slug"], name="actor_unique_slug"),
            models.CheckConstraint(
                condition=Q(kind__in=["party", "agreement", "organisation"]), name="actor_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_party(self):
        return self.kind == self.Kind.PARTY


class Theme(models.Model):
    slug = models.SlugField(unique=True)
    name_nl = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self):
        return self.name_nl


class Statement(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="statements")
    slug = models.SlugField()
    order = models.PositiveIntegerField()
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="statements")
    text_nl = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300)
    explanation_nl = models.TextField()
    explanation_en = models.TextField()
    keeps_status_quo = models.BooleanField(
        _("instemmen houdt het zoals het is"),
        default=False,
        help_text=_("de stelling is zo geformuleerd dat 'eens' de huidige situatie behoudt"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "order"]
        verbose_name = _("stelling")
        verbose_name_plural = _("stellingen")
        constraints = [
            models.UniqueConstraint(fields=["election", "slug"], name="statement_unique_slug"),
            models.UniqueConstraint(fields=["election", "order"], name="statement_unique_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.text_nl}"


class Stance(models.TextChoices):
    AGREE = vocabulary.AGREE, vocabulary.LABELS[vocabulary.AGREE]
    NEUTRAL = vocabulary.NEUTRAL, vocabulary.LABELS[vocabulary.NEUTRAL]
    DISAGREE = vocabulary.DISAGREE, vocabulary.LABELS[vocabulary.DISAGREE]
    NO_POSITION_FOUND = vocabulary.NO_POSITION, vocabulary.LABELS[vocabulary.NO_POSITION]


class Position(models.Model):
    """One actor's stance on one statement, with the explanation of why.

    Four eyes: a change by one person counts as reviewed only after another person approves it.
    """

    class Review(models.TextChoices):
        UNREVIEWED = "unreviewed", _("wacht op controle")
        REVIEWED = "reviewed", _("gecontroleerd")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="positions")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="positions")
    stance = models.CharField(_("standpunt"), max_length=20, choices=Stance.choices)
    explanation_nl = models.TextField(_("toelichting (nl)"), blank=True)
    explanation_en = models.TextField(_("toelichting (en)"), blank=True)
    review_status = models.CharField(
        _("controle"), max_length=12, choices=Review.choices, default=Review.UNREVIEWED
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gewijzigd door"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gecontroleerd door"),
    )
    reviewed_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    reading = models.JSONField(
        _("dubbele lezing"),
        default=dict,
        blank=True,
        help_text=_(
            "{first_reading, second_reading, resolution, coded_by, reviewed_by, read_on}: rollen, geen namen"
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["statement", "actor"]
        verbose_name = _("standpunt")
        verbose_name_plural = _("standpunten")
        permissions = [("review_position", _("Kan standpunten van anderen goedkeuren"))]
        constraints = [
            models.UniqueConstraint(fields=["statement", "actor"], name="position_one_per_actor"),
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="position_stance_valid"),
            models.CheckConstraint(
                condition=Q(review_status__in=["unreviewed", "reviewed"]), name="position_review_valid"
            ),
        ]

    def __str__(self):
        return f"{self.actor} — {self.statement}: {self.get_stance_display()}"

    def mark_changed(self, user):
        """A change sends the position (back) to review."""
        self.review_status, self.changed_by = self.Review.UNREVIEWED, user
        self.reviewed_by = self.reviewed_at = None

    def editors_since_review(self) -> set[int]:
        """Everyone who changed the position since it was last approved (or ever, if never)."""
        editors = {self.changed_by_id}
        for row in self.history.order_by("-history_date", "-history_id"):
            if row.review_status == self.Review.REVIEWED:
                break
            editors |= {row.changed_by_id, row.history_user_id}
        return editors - {None}

    def approve(self, user):
        if user.pk in self.editors_since_review():
            raise ValidationError(_("Je kunt je eigen wijziging niet goedkeuren; dat doet iemand anders."))
        from django.utils import timezone

        self.review_status, self.reviewed_by, self.reviewed_at = self.Review.REVIEWED, user, timezone.now()


class Citation(models.Model):
    """A verbatim quote backing a position. Its location is derived from where the quote is found."""

    class Role(models.TextChoices):
        SUPPORT = "support", _("onderbouwt het standpunt")
        DIFFERS = "differs", _("ander document van de actor, wijkt af")
        CONTEXT = "context", _("achtergrond, onderbouwt het standpunt niet zelf")

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="citations")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="citations")
    quote = models.TextField()
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices, default=Role.SUPPORT)
    location = models.CharField(max_length=400, blank=True, editable=False)
    line_start = models.PositiveIntegerField(null=True, blank=True, editable=False)
    line_end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="citations",
        help_text=_("de versie van het document waarin het citaat is geverifieerd"),
    )  # fmt: skip
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "order", "pk"]
        verbose_name = _("citaat")
        verbose_name_plural = _("citaten")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["support", "differs", "context"]), name="citation_role_valid"
            )
        ]

    def __str__(self):
        return f"{self.document.slug}: {self.quote[:60]}"

    def locate(self):
        """Find the quote in its document and store where it was found; raise if it is not there."""
        source = self.document.source()
        match = source.find(self.quote)
        if match is None:
            closest = source.closest_passage(self.quote)
            message = _("Het citaat komt niet letterlijk voor in ‘%(document)s’.") % {
                "document": self.document.title
            }
            if closest:
                message += " " + _("Dichtstbijzijnde passage: “%(passage)s”") % {"passage": closest}
            raise ValidationError({"quote": message})
        self.place(match, self.document.current_version())

    def place(self, match, version):
        """Store where the quote was found, and in which version of the document."""
        self.location, self.line_start, self.line_end = match.label, match.line_start, match.line_end
        self.version = version

    def clean(self):
        if self.document_id and self.quote:
            self.locate()

    def is_verified(self) -> bool:
        match = self.document.source().find(self.quote)
        return match is not None and match.label == self.location


class Passage(models.Model):
    """A paragraph of a source document, for the editors' source search."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    line_start = models.PositiveIntegerField()
    line_end = models.PositiveIntegerField()
    label = models.CharField(max_length=400)
    text = models.TextField()
    folded = models.TextField(help_text="fold(text): lower case, no accents, straight quotes")

    class Meta:
        ordering = ["document", "line_start"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")

    def __str__(self):
        return f"{self.document.slug} {self.label}"

    @classmethod
    def index(cls, document):
        """(Re)build the passages of a document from its source text."""
        cls.objects.filter(document=document).delete()
        cls.objects.bulk_create(
            cls(document=document, line_start=p.line_start, line_end=p.line_end, label=p.label, text=p.text,
                folded=fold(p.text))
            for p in document.source().paragraphs()
        )  # fmt: skip
