from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    "agree": _("Eens"),
    "neutral": _("Geen van beide"),
    "disagree": _("Oneens"),
    "skip": _("Overgeslagen"),
    "no_position_found": _("Geen standpunt gevonden"),
    None: _("Niet beantwoord"),
    "": _("Niet beantwoord"),
}
METHOD_NAMES = {
    "agreement": _("Overeenkomst (standaard)"),
    "distance": _("Afstand (Euclidisch)"),
    "directional": _("Richting (directioneel)"),
}
DOCUMENT_STATUS = {
    "concept": _("concept"),
    "joint": _("gezamenlijke tekst"),
    "compromise": _("compromis"),
    "final": _("definitief"),
}


@register.filter
def stance_label(value):
    return LABELS.get(value, value)


@register.filter
def method_name(value):
    return METHOD_NAMES.get(value, value)


@register.filter
def document_status(value):
    return DOCUMENT_STATUS.get(value, value)


@register.filter
def percent(value):
    """One decimal, in the active language's notation ("73,4%" in Dutch)."""
    if value is None:
        return "–"
    return f"{number_format(round(value, 1), 1)}%"


@register.filter
def svg_number(value):
    """A number for an SVG attribute: always a dot, never localized."""
    return f"{0 if value is None else value:.1f}"


@register.simple_tag(takes_context=True)
def source_link(context, citation):
    from django.urls import reverse

    url = reverse("citizen:source", kwargs={"document": citation.document.slug})
    if citation.line_start:
        return f"{url}?regels={citation.line_start}-{citation.line_end}#r{citation.line_start}"
    return url


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def join_titles(documents):
    return ", ".join(f"‘{d.title}’" for d in documents)


CHART_ROW = 28


@register.filter
def chart_height(rows):
    return rows * CHART_ROW + 4


@register.filter
def row_offset(index):
    return index * CHART_ROW


@register.filter
def times(value, factor):
    return None if value is None else value * factor
