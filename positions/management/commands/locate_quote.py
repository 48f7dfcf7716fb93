from django.core.management.base import BaseCommand, CommandError

from positions.models import Document


class Command(BaseCommand):
    help = "Print where a quote stands in a document; exit status 1 (with the closest passage) if not found."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("quote")

    def handle(self, slug, quote, **options):
        document = Document.objects.filter(slug=slug).first()
        if document is None:
            raise CommandError(f"No document with slug {slug!r}")
        source = document.source()
        match = source.find(quote)
        if match is None:
            closest = source.closest_passage(quote)
            raise CommandError(f"Not found in {slug}. Closest passage: {closest or '(none)'}")
        self.stdout.write(f"{match.label} (lines {match.line_start}-{match.line_end})")
