from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from positions.contentfile import ContentError, read_file
from positions.loading import load_election
from positions.models import import_author


class Command(BaseCommand):
    help = "Load (create or update) an election from its curated YAML/JSON file; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the election's content file, e.g. positions/content/tk2025.yaml")
        parser.add_argument(
            "--by", help="your username, recorded on the positions you change (default: import)"
        )

    def handle(self, path, by=None, **options):
        try:
            author = import_author(by)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {by!r}") from None
        try:
            election, report = load_election(read_file(path), by=author)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except ContentError as error:
            lines = "\n".join(f"  - {p}" for p in error.problems)
            raise CommandError(f"{path} was not loaded; {len(error.problems)} problem(s):\n{lines}") from None
        if options["verbosity"] >= 1:
            self.stdout.write(f"Loaded election {election.slug} from {path}")
            for line in report.lines():
                self.stdout.write(f"  {line}")
