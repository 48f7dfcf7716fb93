from django.core.management.base import BaseCommand, CommandError

from positions.models import Citation


class Command(BaseCommand):
    help = "Check that every citation's quote is found in its document at its stored location."

    def handle(self, **options):
        citations = Citation.objects.select_related(
            "document", "position__actor", "position__statement__election"
        )
        failed, total = [], 0
        for citation in citations.iterator():
            total += 1
            if not citation.is_verified():
                p = citation.position
                failed.append(
                    f"  - citation {citation.pk}: {p.statement.election.slug} / statement {p.statement.slug} / "
                    f"actor {p.actor.slug} / {citation.document.slug}: “{citation.quote[:80]}”"
                )
        if failed:
            raise CommandError(f"{len(failed)} of {total} citations do not verify:\n" + "\n".join(failed))
        self.stdout.write(f"All {total} citations verify.")
