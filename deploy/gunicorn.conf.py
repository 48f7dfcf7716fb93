"""gunicorn for production and the benchmark: `gunicorn stemwijzer.wsgi -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os

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
# Load the app once, then fork: the published content is cached per process right after start.
preload_app = True
# No access log: URLs can hold a share link's answers or a teacher's secret link. Errors go to
# Django's logging, which redacts those (stemwijzer/logsafety.py).
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
