"""Template tags of the questionnaire pages (citizen and classroom)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from positions import vocabulary
from positions.models import Document
from stemwijzer.questionnaire import fragments, scoring

register = template.Library()

METHOD_NAMES = {
    scoring.AGREEMENT: _("Overeenkomst (standaard)"),
    scoring.DISTANCE: _("Afstand (Euclidisch)"),
    scoring.DIRECTIONAL: _("Richting (directioneel)"),
}
METHOD_SHORT_NAMES = {
    scoring.AGREEMENT: _("Overeenkomst"),
    scoring.DISTANCE: _("Afstand"),
    scoring.DIRECTIONAL: _("Richting"),
}
DOCUMENT_STATUS = dict(Document.Status.choices)


@register.filter
def stance_label(value):
    return vocabulary.label(value)


@register.filter
def method_name(value):
    return METHOD_NAMES.get(value, value)


@register.filter
def method_short_name(value):
    """The method's name in one word, for the comparison table's narrow columns on a phone."""
    return METHOD_SHORT_NAMES.get(value, value)


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


@register.simple_tag
def source_link(citation):
    url = reverse("citizen:source", kwargs={"document": citation.document.slug})
    if citation.line_start:
        return f"{url}?regels={citation.line_start}-{citation.line_end}#r{citation.line_start}"
    return url


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def join_names(actors):
    """'D66', 'D66 en CDA', 'NSC, D66 en CDA' (' and ' in English)."""
    names = [a.name for a in actors]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


@register.simple_tag
def brand_name():
    return settings.BRAND_NAME


@register.simple_tag
def brand_logo_text():
    return settings.BRAND_LOGO_TEXT


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


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, snapshot, variant):
        self.nodelist, self.name, self.snapshot, self.variant = nodelist, name, snapshot, variant

    def render(self, context):
        fragment_key = fragments.key(
            self.name.resolve(context),
            *(part.resolve(context) for part in self.variant),
            snapshot=self.snapshot.resolve(context),
        )
        return fragments.get_or_render(fragment_key, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """{% fragment "name" snapshot variant… %}…{% endfragment %}: rendered once per variant.

    Everything the block shows that can differ between visitors must be in the variant (see
    stemwijzer.questionnaire.fragments); `snapshot` may be None for content of no one election.
    """
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% fragment %} takes a name, a snapshot and the variant")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, snapshot, *variant = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(nodelist, name, snapshot, variant)
