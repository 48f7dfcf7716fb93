from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from positions.models import Election, import_author
from positions.wahlomat import WahlomatError, import_wahlomat


class Command(BaseCommand):
    help = "Import an election in the open Wahl-O-Mat data layout (for review; published ones stay online)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder with statement.json, party.json, opinion.json, …")
        parser.add_argument("--slug", required=True, help="the new election's slug")
        parser.add_argument(
            "--licence", required=True, help="the data's licence, as its publisher states it (shown with it)"
        )
        parser.add_argument(
            "--by", help="your username: you cannot approve your own import (default: import)"
        )

    def handle(self, directory, slug, licence, by, **options):
        try:
            author = import_author(by)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {by!r}") from None
        try:
            election = import_wahlomat(directory, slug, licence, by=author)
        except WahlomatError as error:
            raise CommandError(str(error)) from None
        online = election.status == Election.Status.PUBLISHED
        self.stdout.write(
            f"{election.name}: {election.statements.count()} stellingen, {election.actors.count()} partijen "
            "geïmporteerd (concept"
            + ("; de gepubliceerde versie blijft online tot je de nieuwe publiceert" if online else "")
            + ")."
        )
