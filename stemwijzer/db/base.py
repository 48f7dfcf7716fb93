"""PostgreSQL (Django's own backend) with a deadline on every wait for the server.

The server's statement_timeout comes first and covers a locked table or a slow query. It can't fire
when the server process is stopped or its machine is gone, and the kernel still acknowledges what
is sent, so no TCP timeout fires either: a query on a persistent connection would wait until
gunicorn kills the worker. Here a watchdog thread shuts the socket of a wait that has gone on too
long; psycopg then raises OperationalError, and the outage middleware answers with the 503 page.
"""

import os
import socket
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db.backends.postgresql import base

HEALTH_CHECK_SECONDS = 2  # "SELECT 1" at the start of a request answers at once, or not at all


class Watchdog:
    def __init__(self):
        self.waits = {}
        self.lock = threading.Lock()
        self.pid = None

    @contextmanager
    def deadline(self, wrapper, seconds):
        self._start()
        key = object()
        with self.lock:
            self.waits[key] = (time.monotonic() + seconds, wrapper)
        try:
            yield
        finally:
            with self.lock:
                del self.waits[key]

    def _start(self):
        with self.lock:
            if self.pid != os.getpid():  # none yet, or the gunicorn master's, which a fork doesn't copy
                self.pid = os.getpid()
                threading.Thread(target=self._watch, name="database-deadline", daemon=True).start()

    def _watch(self):
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self.lock:
                late = [wrapper for deadline, wrapper in self.waits.values() if deadline < now]
            for wrapper in late:
                _cut(wrapper.connection)


def _cut(connection):
    """Shut the connection's socket down: the waiting call returns with an error at once."""
    try:
        duplicate = socket.socket(fileno=os.dup(connection.pgconn.socket))
    except (AttributeError, OSError, base.Database.Error):  # closed meanwhile
        return
    with duplicate:
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


watchdog = Watchdog()


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._query_with_deadline)

    def _query_with_deadline(self, execute, sql, params, many, context):
        with watchdog.deadline(self, settings.DB_QUERY_DEADLINE):
            return execute(sql, params, many, context)

    def is_usable(self):
        with watchdog.deadline(self, HEALTH_CHECK_SECONDS):
            return super().is_usable()

    def init_connection_state(self):
        with watchdog.deadline(self, settings.DB_QUERY_DEADLINE):
            super().init_connection_state()

    def _commit(self):
        with watchdog.deadline(self, settings.DB_QUERY_DEADLINE):
            super()._commit()

    def _rollback(self):
        with watchdog.deadline(self, settings.DB_QUERY_DEADLINE):
            super()._rollback()
