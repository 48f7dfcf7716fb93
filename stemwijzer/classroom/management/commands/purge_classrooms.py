from django.core.management.base import BaseCommand

from stemwijzer.classroom.models import ClassSession
from stemwijzer.ratelimit.limits import purge_expired


class Command(BaseCommand):
    help = "Delete classroom sessions (with participants and answers) past their retention period. Run from cron."

    def handle(self, **options):
        deleted, by_model = ClassSession.expired().delete()
        purge_expired()
        sessions = by_model.get("classroom.ClassSession", 0)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{sessions} klassessie(s) verwijderd ({deleted} rijen in totaal).")
