from django.core.management.base import BaseCommand, CommandError

from positions.contentfile import ContentError, read_file
from positions.loading import load_election


class Command(BaseCommand):
    help = "Load (create or update) an election from its curated YAML/JSON file; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the election's content file, e.g. positions/content/tk2025.yaml")

    def handle(self, path, **options):
        try:
            election, report = load_election(read_file(path))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except ContentError as error:
            lines = "\n".join(f"  - {p}" for p in error.problems)
            raise CommandError(f"{path} was not loaded; {len(error.problems)} problem(s):\n{lines}") from None
        if options["verbosity"] >= 1:
            self.stdout.write(f"Loaded election {election.slug} from {path}")
            for line in report.lines():
                self.stdout.write(f"  {line}")
