"""gunicorn for production and the benchmark: `gunicorn stemwijzer.wsgi -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# CPU-bound Django: one single-threaded process per core. gthread keeps idle keep-alive
# connections off the worker thread. More threads per process only fight over the GIL: on 2 cores,
# 3 processes x 4 threads spent 0.94 ms of CPU per answer step, 2 x 1 spent 0.73 ms (bench/RESULTS.md).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = 5
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
