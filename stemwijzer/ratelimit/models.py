from django.db import models


class Counter(models.Model):
    """How often one (hashed) address did one thing since the counter's window started.

    In the database, so that every worker of every instance counts the same events; the increment is
    a single UPDATE, so concurrent requests never lose a count.
    """

    key = models.CharField(max_length=80, unique=True)  # "<limit>:<sha256 of the address>"
    started = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.count}"
