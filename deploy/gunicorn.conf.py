"""gunicorn for production and the benchmark: `gunicorn stemwijzer.wsgi -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from stemwijzer import settings as app_settings  # noqa: E402  (BEHIND_PROXY, TRUSTED_PROXIES)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# CPU-bound Django behind nginx: one sync worker per core. A sync worker takes a connection only
# when it is free, so the load spreads evenly; nginx buffers slow clients, so none holds a worker.
# Measured on 2 cores (bench/RESULTS.md), CPU per answer step: sync x2 0.64 ms, gthread 2 x 1
# thread 0.72 ms, gthread 3 x 4 threads 0.94 ms (the threads fought over the GIL). gthread also
# left whole keep-alive connections on one busy worker while the other idled.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# Recycle workers now and then (guards against slow leaks), but rarely: a fresh worker starts with
# empty caches, which shows in the latency tail.
max_requests = 200000
max_requests_jitter = 20000
# Load the app and the published content once, then fork: every worker starts with the content,
# also one started while the database is away (it comes from the files kept at publication then).
preload_app = True


def when_ready(server):
    from django.db import connections

    from positions import published

    published.refresh()
    connections.close_all()  # a connection must not be shared by forked workers


# No access log: URLs can hold a share link's answers or a teacher's secret link. Errors go to
# Django's logging, which redacts those (stemwijzer/logsafety.py).
accesslog = None
errorlog = "-"
# X-Forwarded-Proto is trusted from our own proxy only, as in Django (one reader: the settings).
forwarded_allow_ips = ",".join(app_settings.TRUSTED_PROXIES) if app_settings.BEHIND_PROXY else ""
