from django.core.management.base import BaseCommand, CommandError

from positions.exporting import dump_yaml, export_election, open_data_json
from positions.models import Election


class Command(BaseCommand):
    help = "Write an election's content to stdout in the format load_election reads."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")

    def handle(self, slug, format, **options):
        election = Election.objects.filter(slug=slug).first()
        if election is None:
            raise CommandError(f"No election with slug {slug!r}")
        data = export_election(election)
        if format == "json":
            self.stdout.write(open_data_json(data))
        else:
            self.stdout.write(dump_yaml(data), ending="")
