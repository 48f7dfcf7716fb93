"""Labels for the content admin, taken from where the models define them."""

from django import template
from django.utils.text import capfirst

from positions.models import Document, Stance

register = template.Library()


@register.filter
def stance_label(value):
    return capfirst(Stance(value).label) if value in Stance.values else value


@register.filter
def document_status(value):
    return Document.Status(value).label if value in Document.Status.values else value
