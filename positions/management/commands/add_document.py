import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from positions.extraction import ExtractionError
from positions.ingest import add_document, describe
from positions.models import Actor, Document


class Command(BaseCommand):
    help = "Add a source document from a PDF, text, Markdown or HTML file; prints what was extracted."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--slug", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--authors", required=True)
        parser.add_argument("--actor", action="append", default=[], help="actor slug (repeatable)")
        parser.add_argument("--kind", default=Document.Kind.PROGRAMME, choices=Document.Kind.values)
        parser.add_argument("--status", default=Document.Status.FINAL, choices=Document.Status.values)
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--date-note", default="")

    def handle(self, path, **o):
        try:
            data = Path(path).read_bytes()
            date = datetime.date.fromisoformat(o["date"])
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        except ValueError:
            raise CommandError(f"--date {o['date']!r} is not YYYY-MM-DD") from None
        actors = list(Actor.objects.filter(slug__in=o["actor"]))
        unknown = set(o["actor"]) - {a.slug for a in actors}
        if unknown:
            raise CommandError(f"unknown actor(s): {', '.join(sorted(unknown))}")
        try:
            document, extraction = add_document(
                Path(path).name, data, actors=actors, by="add_document", slug=o["slug"], title=o["title"],
                authors=o["authors"], kind=o["kind"], status=o["status"], date=date, date_note=o["date_note"],
            )  # fmt: skip
        except ExtractionError as error:
            raise CommandError(f"{path} was not added: {error}") from None
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
            raise CommandError(f"{path} was not added: {problems}") from None
        self.stdout.write(f"Added document {document.slug} from {path}")
        for line in describe(extraction):
            self.stdout.write(f"  {line}")
