"""Classroom sessions: anonymous, aggregated for the teacher, deleted on schedule.

A session stores no names, e-mail addresses or IP addresses. A participant is a random id that
lives in the student's browser cookie; their answers are kept only to show the class totals and
their own result, and are deleted with the session.
"""

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from positions.vocabulary import ANSWERS

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read from a projector is typed without mistakes.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ClassSession(models.Model):
    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    election = models.SlugField()
    statements = models.JSONField(help_text="statement numbers of the published election, in order")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # "Antwoord als partij X": each student is given a party and answers as it would, from its quotes.
    as_party = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("klassessie")
        verbose_name_plural = _("klassessies")

    def __str__(self):
        return self.code

    @classmethod
    def open_new(cls, election, statements, as_party=False):
        """A new session and its secret dashboard token (returned once, stored only as a hash)."""
        token = secrets.token_urlsafe(32)
        for _attempt in range(20):
            code = new_code()
            if not cls.objects.filter(code=code).exists():
                break
        session = cls.objects.create(code=code, secret_hash=hash_token(token), election=election,
                                     statements=list(statements), as_party=as_party)  # fmt: skip
        return session, token

    @classmethod
    def for_token(cls, token: str):
        digest = hash_token(token or "")
        session = cls.objects.filter(secret_hash=digest).first()
        # The lookup is by hash; the comparison is constant-time all the same.
        if session is None or not hmac.compare_digest(session.secret_hash, digest):
            return None
        return session

    @property
    def auto_close_at(self):
        return self.created_at + timedelta(hours=settings.CLASSROOM_OPEN_HOURS)

    @property
    def is_open(self):
        return self.closed_at is None and timezone.now() < self.auto_close_at

    @property
    def ended_at(self):
        return self.closed_at or self.auto_close_at

    @property
    def purge_at(self):
        return self.ended_at + timedelta(days=settings.CLASSROOM_RETENTION_DAYS)

    def close(self):
        if self.closed_at is None:
            self.closed_at = timezone.now()
            self.save(update_fields=["closed_at"])

    @classmethod
    def expired(cls, now=None):
        """Sessions past their retention period: closed, or auto-closed, long enough ago."""
        now = now or timezone.now()
        retention = timedelta(days=settings.CLASSROOM_RETENTION_DAYS)
        auto = timedelta(hours=settings.CLASSROOM_OPEN_HOURS)
        return cls.objects.filter(
            Q(closed_at__lt=now - retention)
            | Q(closed_at__isnull=True, created_at__lt=now - retention - auto)
        )


class Participant(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="participants")
    joined_at = models.DateTimeField(default=timezone.now)
    party = models.SlugField(blank=True, default="")  # the party to answer as, in an as_party session

    class Meta:
        verbose_name = _("deelnemer")

    def __str__(self):
        return f"{self.session} · {str(self.pk)[:8]}"


class ClassAnswer(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    place = models.PositiveSmallIntegerField(help_text="place in the session's questionnaire, from 1")
    answer = models.CharField(max_length=10)
    # The answer as the teacher's dashboard shows it: it follows `answer` only in batches (see
    # stemwijzer.classroom.aggregates.publish), so no single student's tap changes the totals.
    shown_answer = models.CharField(max_length=10, blank=True, default="")  # "": not shown yet

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "place"], name="one_answer_per_statement"),
            models.CheckConstraint(condition=Q(answer__in=list(ANSWERS)), name="class_answer_valid"),
        ]

    def __str__(self):
        return f"{self.participant} #{self.place}"

    @classmethod
    def record(cls, participant, place, answer):
        """Insert or replace in one statement: a resubmission counts once, with the last answer."""
        cls.objects.bulk_create(
            [cls(participant=participant, place=place, answer=answer)],
            update_conflicts=True,
            unique_fields=["participant", "place"],
            update_fields=["answer"],
        )
