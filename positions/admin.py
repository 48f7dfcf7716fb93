"""The editors' workbench: statements with a row per actor, verified citations, source search,
coverage matrix, four-eyes review, publishing and history."""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from simple_history.admin import SimpleHistoryAdmin

from positions.extraction import ExtractionError, extract_once
from positions.ingest import add_version, reextract
from positions.models import (
    Actor,
    Citation,
    Document,
    Election,
    Position,
    Publication,
    Stance,
    Statement,
    Theme,
)
from positions.publishing import PublishRefused, publish_checked
from positions.quality import coverage
from positions.search import search_passages


def mark_changed(position, user):
    position.mark_changed(user)
    position.save(update_fields=["review_status", "changed_by", "reviewed_by", "reviewed_at"])


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ["actor", "stance", "explanation_nl", "explanation_en", "review", "citations_summary"]
    readonly_fields = ["review", "citations_summary"]
    autocomplete_fields = []

    @admin.display(description=gettext_lazy("controle"))
    def review(self, position):
        if not position.pk:
            return "–"
        who = position.reviewed_by or position.changed_by
        return f"{position.get_review_status_display()}{f' ({who})' if who else ''}"

    @admin.display(description=gettext_lazy("citaten"))
    def citations_summary(self, position):
        if not position.pk:
            return "–"
        link = reverse("admin:positions_position_change", args=[position.pk])
        citations = position.citations.all()
        items = format_html_join("", "<li>{} · {}</li>", ((c.document.slug, c.location) for c in citations))
        return format_html('<ul class="plain">{}</ul><a href="{}">{}</a>', items, link, _("citaten bewerken"))


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["order", "text_nl", "theme", "election"]
    list_display_links = ["text_nl"]
    list_filter = ["election", "theme"]
    search_fields = ["text_nl", "text_en", "slug"]
    ordering = ["election", "order"]
    inlines = [PositionInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for position in instances:
            position.mark_changed(request.user)
            position.save()
        formset.save_m2m()


class CitationForm(forms.ModelForm):
    """A citation without a role (a form from before roles existed) supports its position."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].required = False

    def clean_role(self):
        return self.cleaned_data.get("role") or Citation.Role.SUPPORT


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationForm
    extra = 0
    fields = ["document", "quote", "role", "location", "order"]
    readonly_fields = ["location"]


READING_LABELS = {
    "first_reading": gettext_lazy("eerste lezing"),
    "second_reading": gettext_lazy("tweede lezing"),
    "resolution": gettext_lazy("besluit"),
    "coded_by": gettext_lazy("gecodeerd door"),
    "reviewed_by": gettext_lazy("gelezen door"),
    "read_on": gettext_lazy("gelezen op"),
}


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "actor", "stance", "review_status", "changed_by", "reviewed_by"]
    list_filter = ["statement__election", "review_status", "actor", "stance"]
    search_fields = ["statement__text_nl", "explanation_nl"]
    fields = ["statement", "actor", "stance", "explanation_nl", "explanation_en", "review_status",
              "changed_by", "reviewed_by", "reviewed_at", "reading_record"]  # fmt: skip
    readonly_fields = ["review_status", "changed_by", "reviewed_by", "reviewed_at", "reading_record"]
    inlines = [CitationInline]
    actions = ["approve"]
    history_list_display = ["stance", "review_status"]

    @admin.display(description=gettext_lazy("dubbele lezing"))
    def reading_record(self, position):
        """The content file's record of the two independent readings; read-only."""
        if not position.reading:
            return "–"
        stances = dict(Stance.choices)
        rows = (
            (label, stances.get(position.reading[key], position.reading[key]))
            for key, label in READING_LABELS.items()
            if position.reading.get(key)
        )
        return format_html(
            '<dl class="reading">{}</dl>', format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows)
        )

    def save_model(self, request, obj, form, change):
        obj.mark_changed(request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            mark_changed(form.instance, request.user)

    @admin.action(description=gettext_lazy("Goedkeuren (vier ogen: niet je eigen wijziging)"))
    def approve(self, request, queryset):
        if not request.user.has_perm("positions.review_position"):
            raise PermissionDenied
        approved = 0
        for position in queryset:
            try:
                position.approve(request.user)
            except ValidationError as error:
                self.message_user(request, f"{position}: {error.messages[0]}", messages.ERROR)
                continue
            position.save(update_fields=["review_status", "reviewed_by", "reviewed_at"])
            approved += 1
        if approved:
            self.message_user(
                request, _("%(n)d standpunt(en) goedgekeurd.") % {"n": approved}, messages.SUCCESS
            )


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    form = CitationForm
    list_display = ["position", "document", "location", "short_quote"]
    list_filter = ["document", "position__actor"]
    search_fields = ["quote"]
    fields = ["position", "document", "quote", "role", "location", "order"]
    readonly_fields = ["location"]
    raw_id_fields = ["position"]

    @admin.display(description=gettext_lazy("citaat"))
    def short_quote(self, citation):
        return citation.quote[:80]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        mark_changed(obj.position, request.user)

    def delete_model(self, request, obj):
        position = obj.position
        super().delete_model(request, obj)
        mark_changed(position, request.user)


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "date", "status", "published_at", "tools"]
    readonly_fields = ["status", "published_at"]
    fields = ["name", "slug", "date", "status", "published_at"]

    @admin.display(description=gettext_lazy("werkbank"))
    def tools(self, election):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:positions_election_coverage", args=[election.pk]), _("dekkingsmatrix"),
            reverse("admin:positions_election_publish", args=[election.pk]), _("publiceren"),
            reverse("open-data", args=[election.slug]), _("open data"),
        )  # fmt: skip

    def get_urls(self):
        own = [
            path("<int:pk>/dekking/", self.admin_site.admin_view(self.coverage_view), name="positions_election_coverage"),
            path("<int:pk>/publiceren/", self.admin_site.admin_view(self.publish_view), name="positions_election_publish"),
        ]  # fmt: skip
        return own + super().get_urls()

    def coverage_view(self, request, pk):
        election = get_object_or_404(Election, pk=pk)
        if not self.has_view_permission(request, election):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "election": election, "matrix": coverage(election),
                   "title": _("Dekkingsmatrix: %(name)s") % {"name": election.name}, "opts": self.model._meta}  # fmt: skip
        return TemplateResponse(request, "admin/positions/coverage.html", context)

    def publish_view(self, request, pk):
        return require_http_methods(["GET", "POST"])(self._publish)(request, pk)

    def _publish(self, request, pk):
        election = get_object_or_404(Election, pk=pk)
        if not request.user.has_perm("positions.publish_election"):
            raise PermissionDenied
        problems = []
        if request.method == "POST":
            try:
                publication = publish_checked(election, by=request.user.get_username())
            except PublishRefused as refused:
                problems = refused.problems
            else:
                if publication is None:
                    self.message_user(request, _("Er is niets veranderd sinds de laatste publicatie."))
                else:
                    self.message_user(
                        request,
                        _("Gepubliceerd als versie %(n)d.") % {"n": publication.number},
                        messages.SUCCESS,
                    )
                return redirect("admin:positions_election_changelist")
        context = {**self.admin_site.each_context(request), "election": election, "problems": problems,
                   "latest": election.latest_publication(), "opts": self.model._meta,
                   "title": _("Publiceren: %(name)s") % {"name": election.name}}  # fmt: skip
        return TemplateResponse(request, "admin/positions/publish.html", context)


class DocumentForm(forms.ModelForm):
    """Metadata plus the file; the file is extracted while the form is checked, so a bad file is a
    form error and nothing is stored."""

    upload = forms.FileField(
        label=gettext_lazy("bestand"), required=False,
        help_text=gettext_lazy("PDF, platte tekst (.txt), Markdown (.md) of HTML. Bij een bestaand document: een nieuwe versie."),
    )  # fmt: skip
    actors = forms.ModelMultipleChoiceField(
        Actor.objects.all(), required=False, label=gettext_lazy("actoren"),
        widget=admin.widgets.FilteredSelectMultiple(gettext_lazy("actoren"), is_stacked=False),
    )  # fmt: skip

    class Meta:
        model = Document
        fields = ["slug", "title", "authors", "kind", "status", "date", "date_note", "hints"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extraction = None
        if self.instance.pk:
            self.fields["actors"].initial = self.instance.actors.all()
        else:
            self.fields["upload"].required = True

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        limit = getattr(settings, "DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        data = upload.read()
        try:
            self.extraction = extract_once(upload.name, data, self.cleaned_data.get("hints") or {})
        except ExtractionError as error:
            raise forms.ValidationError(str(error)) from None
        self.data_bytes = data
        return upload

    def clean_hints(self):
        hints = self.cleaned_data.get("hints") or {}
        if not isinstance(hints, dict):
            raise forms.ValidationError(_("De aanwijzingen zijn een JSON-object."))
        patterns = (
            hints.get("furniture", [])
            + hints.get("remove", [])
            + [h.get("pattern", "") for h in hints.get("headings", [])]
        )
        patterns += [hints[key] for key in ("page_marker", "page_break", "toc") if key in hints]
        for pattern in patterns:
            try:
                re.compile(pattern)
            except (re.error, TypeError):
                raise forms.ValidationError(_("Ongeldig patroon: %(p)s") % {"p": pattern}) from None
        return hints


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    list_display = ["title", "authors", "kind", "status", "date", "passage_count", "tools"]
    readonly_fields = ["file", "sha256", "versions_list", "lost_citations"]

    def get_fieldsets(self, request, obj=None):
        main = ["title", "slug", "authors", "actors", "kind", "status", "date", "date_note", "upload"]
        fieldsets = [
            (None, {"fields": main}),
            (_("Extractie"), {"fields": ["hints"], "classes": ["collapse"]}),
        ]
        if obj is not None:
            fieldsets.append(
                (_("Versies"), {"fields": ["file", "sha256", "versions_list", "lost_citations"]})
            )
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_passages=Count("passages"))

    @admin.display(description=gettext_lazy("passages"))
    def passage_count(self, document):
        return document.n_passages

    @admin.display(description=gettext_lazy("werkbank"))
    def tools(self, document):
        return format_html('<a href="{}">{}</a>', reverse("admin:positions_document_preview", args=[document.pk]),
                           _("voorbeeld van de extractie"))  # fmt: skip

    @admin.display(description=gettext_lazy("versies"))
    def versions_list(self, document):
        rows = (
            (v.number, v.date, v.get_status_display(), v.filename,
             reverse("citizen:source-original", args=[document.slug, v.sha256]),
             reverse("admin:positions_document_preview", args=[document.pk]) + f"?versie={v.number}", _("voorbeeld"))
            for v in document.versions.all()
        )  # fmt: skip
        return format_html('<ul class="plain">{}</ul>', format_html_join(
            "", '<li>v{} · {} · {} · <a href="{}">{}</a> · <a href="{}">{}</a></li>',
            ((n, d, st, url, name, preview, label) for n, d, st, name, url, preview, label in rows)))  # fmt: skip

    @admin.display(description=gettext_lazy("citaten niet (meer) gevonden"))
    def lost_citations(self, document):
        lost = [c for c in document.citations.select_related("position__actor") if not c.is_verified()]
        if not lost:
            return "–"
        return format_html('<ul class="plain">{}</ul>', format_html_join("", '<li><a href="{}">{}</a>: “{}”</li>', (
            (reverse("admin:positions_citation_change", args=[c.pk]), c.position, c.quote[:100]) for c in lost)))  # fmt: skip

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("upload")
        if not change:
            obj.file, obj.sha256 = upload.name, ""
        super().save_model(request, obj, form, change)
        obj.actors.set(form.cleaned_data["actors"])
        if change and not upload and "hints" in form.changed_data:
            message = _(
                "Opnieuw gelezen met de nieuwe aanwijzingen: %(moved)d citaten gevonden, %(lost)d niet meer gevonden (terug naar controle)."
            )
            self._report_reverification(request, message, reextract(obj, by=request.user))
        if upload:
            _version, report = add_version(
                obj, upload.name, form.data_bytes, by=request.user, extraction=form.extraction
            )
            summary = form.extraction.summary()
            self.message_user(
                request,
                _(
                    "Geëxtraheerd: %(pages)d pagina's, %(words)d woorden, %(headings)d koppen, %(furniture)d regels paginakop/-voet verwijderd."
                )
                % summary,
            )
            for warning in summary["warnings"]:
                self.message_user(request, warning, messages.WARNING)
            if change:
                message = _(
                    "Nieuwe versie: %(moved)d citaten opnieuw gevonden, %(lost)d niet meer gevonden (terug naar controle)."
                )
                self._report_reverification(request, message, report)

    def _report_reverification(self, request, message, report):
        counts = {"moved": len(report.moved), "lost": len(report.lost)}
        self.message_user(request, message % counts, messages.WARNING if report.lost else messages.SUCCESS)

    def get_urls(self):
        own = [
            path("zoeken/", self.admin_site.admin_view(self.search_view), name="positions_document_search"),
            path("<int:pk>/voorbeeld/", self.admin_site.admin_view(self.preview_view), name="positions_document_preview"),
        ]  # fmt: skip
        return own + super().get_urls()

    def preview_view(self, request, pk):
        document = get_object_or_404(Document, pk=pk)
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        versions = document.versions.all()
        version = versions.filter(number=request.GET.get("versie") or 0).first() or document.current_version()
        if version is None:
            raise Http404
        by_page = {}
        for number, text, label, furniture, heading, page in version.lines:
            by_page.setdefault(page, []).append({"number": number, "text": text, "label": label,
                                                 "furniture": furniture, "heading": heading})  # fmt: skip
        numbering = {
            "label": _("paginalabel van de PDF"),
            "printed": _("nummer gedrukt op de pagina"),
            "inferred": _("afgeleid van de nummers op de pagina's ernaast"),
            "index": _("paginanummer in het PDF-bestand (geen nummer op de pagina gevonden)"),
        }
        if version.format == "pdf":
            pages = [
                {"index": index, "number": number, "numbering": numbering.get(source, ""),
                 "lines": by_page.get(number, [])}
                for index, number, source in version.pages
            ]  # fmt: skip
        else:
            every_line = [line for lines in by_page.values() for line in lines]
            pages = [{"index": 1, "number": None, "numbering": "", "lines": every_line}]
        context = {**self.admin_site.each_context(request), "document": document, "version": version,
                   "versions": versions, "pages": pages, "summary": version.summary, "opts": self.model._meta,
                   "title": _("Extractie: %(title)s") % {"title": document.title}}  # fmt: skip
        return TemplateResponse(request, "admin/positions/document/preview.html", context)

    def search_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()[:200]
        document = request.GET.get("document", "")
        hits = search_passages(query, document) if query else []
        context = {
            **self.admin_site.each_context(request),
            "title": _("Zoeken in de brondocumenten"),
            "query": query,
            "document": document,
            "documents": Document.objects.all(),
            "hits": [(hit, citation_link(hit)) for hit in hits],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/positions/search.html", context)


def citation_link(passage):
    query = urlencode({"document": passage.document_id, "quote": passage.text[:1000]})
    return reverse("admin:positions_citation_add") + "?" + query


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "election", "order"]
    list_filter = ["election", "kind"]
    filter_horizontal = ["documents"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "slug"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["election", "number", "published_at", "published_by"]
    readonly_fields = ["election", "number", "published_at", "published_by"]
    exclude = ["data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
