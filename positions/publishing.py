"""Publishing: freezing an election's content for citizens (the read side is positions/published.py)."""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone

from positions import published
from positions.exporting import export_election
from positions.models import Election, Publication
from positions.quality import publication_problems


class PublishRefused(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@transaction.atomic
def publish_checked(election: Election, by: str = "") -> Publication | None:
    """Publish after the checks (four eyes, verified citations, separating statements)."""
    problems = publication_problems(election)
    if problems:
        raise PublishRefused(problems)
    return publish(election, by=by)


def publish(election: Election, by: str = "") -> Publication | None:
    """Freeze the election's current content for citizens; None when nothing changed since the last."""
    data = json.loads(json.dumps(export_election(election), default=str))
    latest = election.latest_publication()
    if latest is not None and latest.data == data:
        return None
    number = latest.number + 1 if latest else 1
    publication = Publication.objects.create(election=election, number=number, data=data, published_by=by)
    Election.objects.filter(pk=election.pk).update(
        status=Election.Status.PUBLISHED, published_at=timezone.now()
    )
    transaction.on_commit(lambda: published.forget(election.slug))  # other processes: refresh()
    return publication
