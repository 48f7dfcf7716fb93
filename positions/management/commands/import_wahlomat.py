from django.core.management.base import BaseCommand, CommandError

from positions.wahlomat import WahlomatError, import_wahlomat


class Command(BaseCommand):
    help = "Import an election in the open Wahl-O-Mat data layout (as a draft, for review)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder with statement.json, party.json, opinion.json, …")
        parser.add_argument("--slug", required=True, help="the new election's slug")

    def handle(self, directory, slug, **options):
        try:
            election = import_wahlomat(directory, slug)
        except WahlomatError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{election.name}: {election.statements.count()} stellingen, {election.actors.count()} partijen "
            "geïmporteerd (concept)."
        )
