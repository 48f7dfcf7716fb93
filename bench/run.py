"""The benchmark: `.venv/bin/python bench/run.py [--phase …]` (see README, "Benchmark").

Starts the app with gunicorn and production settings on PostgreSQL, drives it from a separate
load-generator process on loopback (bench/loadgen.py, wrk for closed loops) and prints figures
and a PASS/FAIL line per budget. Phases (`--phase`, default all; each can run alone):

  answer     the answer step against a bare view (throughput ratio, CPU ms, queries, sizes),
             where its time goes (pyinstrument) and callgrind's instruction counts
  size       the shipped election and a generated 30 x 40 one: CPU per questionnaire and per
             endpoint, open-loop sessions, and how the result page grows with parties x statements
  elections  350 published elections of 30 x 15: resident memory per worker, cold first request
  publish    an editor publishes two changed statements while questionnaires run
  classroom  classes of 30 students at a student's pace while dashboards poll
  cache      nginx with deploy/nginx.conf in front: hit ratio, nothing with answers cached, and
             any instance serves any step
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
WRK = shutil.which("wrk")
VALGRIND = shutil.which("valgrind")
DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stemwijzer_bench")
ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "BEHIND_PROXY": "true",
    "DATABASE_URL": DB,
    "DJANGO_SETTINGS_MODULE": "stemwijzer.settings",
    "PYTHONHASHSEED": "0",  # the same dict layouts each time: callgrind's counts repeat
}
BUDGETS = {
    "answer_queries": 0,
    "result_queries": 2,
    "answer_ratio": 0.70,
    "sessions_per_s": 50,
    "answer_p99_ms": 100,
    "statement_page_kb": 50,
    "answer_swap_kb": 3,
    "poll_p99_ms": 200,
    "worker_rss_mb": 250,
    "cold_election_ms": 50,
    "publication_s": 2.0,
    "result_growth": 1.0,  # the result page's cost per party x statement may not rise with size
}
PHASES = ("answer", "size", "elections", "publish", "classroom", "cache")
PORT, SECOND_PORT, NGINX_PORT = 8123, 8124, 8125
BASE = f"http://127.0.0.1:{PORT}"
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
FORM = "application/x-www-form-urlencoded"
CSRF_SECRET = "b" * 32  # the benchmark's own CSRF cookie and header


# --- processes -------------------------------------------------------------------------------------


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def prepare():
    import psycopg

    name = DB.rsplit("/", 1)[1]
    with psycopg.connect(DB.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "-v0")
    manage("load_election", "positions/content/tk2025.yaml", "-v0")
    manage("collectstatic", "--noinput", "-v0")


def start_gunicorn(port):
    env = {**ENV, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    process = subprocess.Popen(
        [GUNICORN, "stemwijzer.wsgi", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env
    )
    return answering(process, port, "gunicorn")


def answering(process, port, name):
    """The process, once it answers on its port (or stop the benchmark)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond/", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{name} did not start on port {port}")


class Servers:
    """Two gunicorn instances (and nginx when asked), stopped however the phase ends."""

    def __init__(self, nginx=False):
        self.nginx = nginx
        self.processes = []

    def __enter__(self):
        try:
            self.processes.append(start_gunicorn(PORT))
            self.processes.append(start_gunicorn(SECOND_PORT))
            if self.nginx:
                self.workdir = tempfile.mkdtemp(prefix="bench-nginx-")
                os.chmod(self.workdir, 0o755)  # nginx's workers (not root) keep the cache in it
                self.processes.append(start_nginx(NGINX_PORT, (PORT, SECOND_PORT), self.workdir))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)

    def workers(self):
        """The gunicorn worker processes of both instances."""
        return [child for process in self.processes[:2] for child in children(process.pid)]


def children(pid):
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def cpu_seconds(pids):
    """User + system CPU time of these processes so far (from /proc, in clock ticks)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICK


def rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024


def start_nginx(port, upstream_ports, workdir):
    """nginx with the repo's configuration (deploy/nginx.conf), pointed at the benchmark's instances."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    for default, actual in zip(("127.0.0.1:8001", "127.0.0.1:8002"), upstream_ports, strict=True):
        conf = conf.replace(default, f"127.0.0.1:{actual}")
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("/srv/stemwijzer/staticfiles/", f"{ROOT}/staticfiles/")
    conf = conf.replace("/var/cache/nginx/stemwijzer", f"{workdir}/cache")
    # TLS would end here in production; the benchmark speaks plain http to nginx. It also names the
    # instance that served each response, to show that a session needs no affinity.
    conf = conf.replace("$scheme", "https").replace("Host $host", "Host $http_host")
    conf = conf.replace("proxy_pass http://stemwijzer;", "proxy_pass http://stemwijzer;\n"
                        "            add_header X-Served-By $upstream_addr always;")  # fmt: skip
    path = Path(workdir) / "nginx.conf"
    path.write_text(conf)
    directives = f"daemon off; pid {workdir}/nginx.pid; error_log {workdir}/error.log;"
    process = subprocess.Popen([NGINX, "-c", str(path), "-p", workdir, "-g", directives])
    return answering(process, port, "nginx")


def headers(port):
    # As nginx would: every instance sees the public host and https.
    return {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{port}", "Host": f"127.0.0.1:{port}"}


def loadgen(mode, base, *args, config=None, background=False):
    command = [PYTHON, str(ROOT / "bench" / "loadgen.py"), mode, base, *map(str, args)]
    if background:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        process.stdin.write(json.dumps(config or {}))
        process.stdin.close()
        return process
    result = subprocess.run(
        command, input=json.dumps(config or {}), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def sessions_config(snapshot, port):
    return {"headers": headers(port), "statements": len(snapshot.statements),
            "parties": [p.slug for p in snapshot.parties], "slug": snapshot.slug}  # fmt: skip


WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\n{"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def closed_loop(spec, extra, seconds, connections=16):
    """One request as fast as the server answers it: req/s and latency.

    wrk when it is installed: a compiled load generator leaves the two cores to the server, where
    the Python one runs out of breath first on the cheapest view and so flatters the ratio.
    """
    if not WRK:
        return loadgen("closed", BASE, connections, seconds, config={"spec": spec, "headers": extra})
    headers = {**extra, **spec.get("headers", {})}
    lines = [f"wrk.method = {json.dumps(spec['method'])}", f"wrk.body = {json.dumps(spec.get('body', ''))}"]
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write("\n".join(lines) + WRK_REPORT)
        script.flush()
        output = subprocess.run([WRK, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", script.name,
                                 BASE + spec["path"]], capture_output=True, text=True, check=True).stdout  # fmt: skip
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = round(report["requests"] / report["seconds"], 1)
    return report


# --- in process: Django's WSGI handler called directly, as gunicorn's worker calls it -------------


def django_setup():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@functools.cache
def wsgi_application():
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


class Browser:
    """One visitor in this process: calls the WSGI application directly and keeps its cookies."""

    def __init__(self):
        self.app = wsgi_application()
        self.jar = {"__Host-csrftoken": CSRF_SECRET}

    def request(self, method, path, body=b"", htmx=False):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https", "HTTP_ORIGIN": "https://127.0.0.1",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.jar.items()), "HTTP_X_CSRFTOKEN": CSRF_SECRET,
            "CONTENT_TYPE": FORM, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
        }  # fmt: skip
        if htmx:
            environ["HTTP_HX_REQUEST"] = "true"
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), response_headers

        content = b"".join(self.app(environ, start_response))
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.jar[key] = rest.split(";", 1)[0]
        if answer["status"] >= 400:
            raise RuntimeError(f"{method} {path}: {answer['status']}")
        return content


def questionnaire(snapshot, browser=None, timings=None):
    """One whole questionnaire in process: start, every answer, importance, parties, result, two parties."""
    from urllib.parse import urlencode

    browser = browser or Browser()
    slug, parties = snapshot.slug, [p.slug for p in snapshot.parties]
    answers = ("agree", "neutral", "disagree", "skip")

    def step(name, *args, **kwargs):
        began = time.process_time()
        browser.request(*args, **kwargs)
        if timings is not None:
            timings.setdefault(name, []).append(time.process_time() - began)

    step("start", "GET", "/")
    step("statement_page", "GET", f"/{slug}/stelling/1/")
    for statement in snapshot.statements:
        body = f"answer={answers[statement.number % 4]}".encode()
        step("answer_step", "POST", f"/{slug}/stelling/{statement.number}/", body=body, htmx=True)
    step("importance", "POST", f"/{slug}/belangrijk/", body=b"important=1&important=2", htmx=True)
    step(
        "parties",
        "POST",
        f"/{slug}/partijen/",
        body=urlencode([("parties", p) for p in parties]).encode(),
        htmx=True,
    )
    step("result", "GET", f"/{slug}/uitslag/")
    for party in parties[:2]:
        step("party_detail", "GET", f"/{slug}/uitslag/{party}/")


def answer_steps(snapshot, n):
    """n answer steps of a citizen who answered everything, over the statements in turn."""
    browser = Browser()
    browser.jar[cookie_name(snapshot)] = signed_answers(snapshot)
    slug, count = snapshot.slug, len(snapshot.statements) - 1
    for i in range(n):
        browser.request("POST", f"/{slug}/stelling/{i % count + 1}/", body=b"answer=agree", htmx=True)


def cookie_name(snapshot):
    from stemwijzer.citizen import cookie

    return cookie.cookie_name(snapshot)


def signed_answers(snapshot, answers=None):
    from stemwijzer.citizen import cookie
    from stemwijzer.questionnaire.state import CitizenState

    citizen = CitizenState(answers or ["agree"] * len(snapshot.statements))
    return cookie._signer(snapshot).sign(citizen.encode(snapshot))


def read_answers(snapshot, value):
    """The synthetic citizen's state back from its cookie (the benchmark's own; never a person's)."""
    from django.http import parse_cookie

    from stemwijzer.citizen import cookie
    from stemwijzer.questionnaire.state import CitizenState

    unquoted = parse_cookie(f"c={value}")["c"]
    return CitizenState.decode(cookie._signer(snapshot).unsign(unquoted), snapshot)


def cpu_ms(function, repeat):
    began = time.process_time()
    for _ in range(repeat):
        function()
    return 1000 * (time.process_time() - began) / repeat


# --- generated elections -------------------------------------------------------------------------


def generated_data(template, slug, parties, statements):
    """An election of `parties` x `statements` built from the shipped one's texts and quotes."""
    base_parties = [a for a in template["actors"] if a["kind"] == "party"]
    others = [a for a in template["actors"] if a["kind"] != "party"]
    actors = [{**base_parties[i % len(base_parties)], "slug": f"partij-{i + 1:02d}", "name": f"Partij {i + 1}"}
              for i in range(parties)] + others  # fmt: skip
    source = {a["slug"]: base_parties[i % len(base_parties)]["slug"] for i, a in enumerate(actors[:parties])}
    source.update({a["slug"]: a["slug"] for a in others})
    items = []
    for n in range(statements):
        base = template["statements"][n % len(template["statements"])]
        positions = {p["actor"]: p for p in base["positions"]}
        items.append({**base, "slug": f"{base['slug']}-{n + 1}", "order": n + 1,
                      "positions": [{**positions[source[a["slug"]]], "actor": a["slug"]} for a in actors]})  # fmt: skip
    election = {**template["election"], "slug": slug, "name": f"{template['election']['name']} ({slug})"}
    return {**template, "election": election, "actors": actors, "statements": items}


def add_elections(specs):
    """Publish generated elections [(slug, parties, statements)] straight into the database."""
    from positions.models import Election, Publication

    template = Publication.objects.filter(election__slug="tk2025").order_by("-number").first().data
    for slug, parties, statements in specs:
        data = generated_data(template, slug, parties, statements)
        election, _ = Election.objects.update_or_create(
            slug=slug,
            defaults={
                "name": data["election"]["name"],
                "date": data["election"]["date"],
                "status": "published",
            },
        )
        Publication.objects.filter(election=election).delete()
        Publication.objects.create(election=election, number=1, data=data, published_by="bench")


# --- phases ----------------------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.checks = []

    def check(self, name, value, budget, ok):
        self.checks.append((name, value, budget, ok))
        print(f"{'PASS' if ok else 'FAIL'}  {name:46} {value!s:40} budget {budget}", flush=True)

    def info(self, name, value):
        print(f"INFO  {name:46} {value}", flush=True)


def phase_answer(args, report):
    """The answer step: throughput against a bare view, CPU, queries, sizes, profile, instructions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from positions import published

    snapshot = published.get("tk2025")
    with CaptureQueriesContext(connection) as queries:
        answer_steps(snapshot, 20)
    in_process = cpu_ms(lambda: answer_steps(snapshot, 100), 10) / 100
    report.check("answer step database queries", len(queries), "= 0", len(queries) == 0)
    report.info(
        "answer step CPU in process (ms)", f"{in_process:.3f} (Django's WSGI handler called directly)"
    )
    sizes(snapshot, report)
    profile(snapshot, report)
    instructions(report)

    middle = len(snapshot.statements) // 2
    answer_spec = {"name": "answer_step", "method": "POST", "path": f"/{snapshot.slug}/stelling/{middle}/",
                   "headers": {"HX-Request": "true", "Content-Type": FORM, "X-CSRFToken": CSRF_SECRET,
                               "Cookie": f"{cookie_name(snapshot)}={signed_answers(snapshot)}; "
                                         f"__Host-csrftoken={CSRF_SECRET}"},
                   "body": "answer=agree"}  # fmt: skip
    bare_spec = {"name": "bare_view", "method": "GET", "path": "/gezond/"}
    ratios, runs = [], []
    with Servers() as servers:
        for run in range(args.runs):
            # One-second turns, taken alternately: what the other tenants of a shared machine do
            # changes by the second, and falls on both sides alike.
            bare, answer, cpu = {"requests": 0, "errors": 0}, {"requests": 0, "errors": 0}, 0.0
            for _ in range(max(1, round(args.seconds))):
                for spec, total in ((bare_spec, bare), (answer_spec, answer)):
                    before = cpu_seconds(servers.workers())
                    turn = closed_loop(spec, headers(PORT), 1)
                    if spec is answer_spec:
                        cpu += cpu_seconds(servers.workers()) - before
                    total["requests"] += turn["requests"]
                    total["errors"] += turn["errors"]
            for total in (bare, answer):
                total["rps"] = round(total["requests"] / max(1, round(args.seconds)), 1)
            answer["cpu_ms"] = 1000 * cpu / max(answer["requests"], 1)
            ratios.append(answer["requests"] / bare["requests"] if bare["requests"] else 0)
            runs.append((bare, answer))
            print(f"  run {run + 1}: bare {bare['rps']} req/s, answer step {answer['rps']} req/s "
                  f"({answer['cpu_ms']:.2f} ms CPU each)", flush=True)  # fmt: skip
    med = statistics.median
    ratio = med(ratios)
    errors = sum(b["errors"] + a["errors"] for b, a in runs)
    report.check("answer step / bare view throughput", f"{ratio:.2f} ({med(a['rps'] for _, a in runs):.0f} / "
                 f"{med(b['rps'] for b, _ in runs):.0f} req/s)", f">= {BUDGETS['answer_ratio']}, no errors",
                 ratio >= BUDGETS["answer_ratio"] and not errors)  # fmt: skip
    report.info(
        "answer step CPU in gunicorn (ms)", f"{med(a['cpu_ms'] for _, a in runs):.2f} (wrk closed loop)"
    )


def sizes(snapshot, report):
    """Transfer sizes of the first statement page (with its CSS and JS) and of an answer swap, gzip."""
    browser = Browser()
    html = browser.request("GET", f"/{snapshot.slug}/stelling/1/")
    swap = browser.request("POST", f"/{snapshot.slug}/stelling/1/", body=b"answer=agree", htmx=True)
    total = len(gzip.compress(html))
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        total += len(
            gzip.compress((ROOT / "staticfiles" / asset.decode().removeprefix("/static/")).read_bytes())
        )
    kb, swap_kb = round(total / 1024, 1), round(len(gzip.compress(swap)) / 1024, 2)
    report.check("statement page, first load (KB, gzip)", kb, f"<= {BUDGETS['statement_page_kb']}",
                 kb <= BUDGETS["statement_page_kb"])  # fmt: skip
    report.check("answer swap (KB, gzip)", swap_kb, f"<= {BUDGETS['answer_swap_kb']}",
                 swap_kb <= BUDGETS["answer_swap_kb"])  # fmt: skip


PROFILE_PARTS = [  # (part, path fragments of the code it covers); the innermost match takes the time
    ("CSRF check and token", ("django/middleware/csrf.py",)),
    ("cookie signing (read + write)", ("django/core/signing.py", "stemwijzer/citizen/cookie.py")),
    ("answer form", ("django/forms/", "stemwijzer/questionnaire/forms.py", "stemwijzer/errors.py")),
    ("citizen state and view", ("stemwijzer/citizen/views.py", "stemwijzer/questionnaire/state.py")),
    (
        "statement step (cached HTML)",
        (
            "stemwijzer/questionnaire/steps.py",
            "stemwijzer/questionnaire/fragments.py",
            "django/core/cache/",
            "django_htmx/http.py",
        ),
    ),  # fmt: skip
    (
        "response and its headers",
        (
            "django/http/response.py",
            "django/http/cookie.py",
            "http/cookies.py",
            "django/utils/cache.py",
            "django/views/decorators/",
        ),
    ),  # fmt: skip
    (
        "request parsing",
        (
            "django/core/handlers/wsgi.py",
            "django/http/request.py",
            "django/http/multipartparser.py",
            "django/utils/datastructures.py",
            "urllib/parse.py",
        ),
    ),  # fmt: skip
    ("URL resolving", ("django/urls/",)),
    ("request signals (database connection checks)", ("django/dispatch/", "django/db/")),
    ("lazy objects (request.user, settings)", ("django/utils/functional.py",)),
    ("the benchmark's own WSGI call", ("bench/run.py",)),
    (
        "other middleware",
        (
            "django/middleware/",
            "django/contrib/",
            "whitenoise/",
            "csp/",
            "django_htmx/",
            "simple_history/",
            "axes/",
            "stemwijzer/middleware.py",
            "django/utils/translation/",
        ),
    ),  # fmt: skip
]


def profile(snapshot, report, steps=3000):
    """Where an answer step's time goes: pyinstrument's samples, grouped into the parts above."""
    from pyinstrument import Profiler

    answer_steps(snapshot, 50)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    answer_steps(snapshot, steps)
    profiler.stop()
    totals = {}

    def walk(frame, part):
        path = (frame.file_path or "").replace("\\", "/")
        own = next((name for name, paths in PROFILE_PARTS if any(p in path for p in paths)), None)
        if own is None and ("site-packages" in path or str(ROOT) in path):
            own = "Django's handler and the rest"
        part = own or part  # the standard library and C code count for whoever called them
        totals[part] = totals.get(part, 0) + (frame.time - sum(child.time for child in frame.children))
        for child in frame.children:
            walk(child, part)

    walk(profiler.last_session.root_frame(), "Django's handler and the rest")
    whole = sum(totals.values())
    parts = ", ".join(
        f"{name} {100 * t / whole:.0f}%" for name, t in sorted(totals.items(), key=lambda i: -i[1])
    )
    report.info("answer step profile (share of its time)", parts)


def instructions(report):
    """callgrind's instruction counts: 200 answer steps and one whole questionnaire, in process."""
    if not VALGRIND:
        report.info("callgrind", "valgrind is not installed: skipped")
        return
    runs = {}
    for workload in ("none", "steps", "questionnaire"):
        command = [VALGRIND, "--tool=callgrind", "--callgrind-out-file=/dev/null", PYTHON, str(Path(__file__).resolve()),
                   "--callgrind-workload", workload]  # fmt: skip
        runs[workload] = subprocess.Popen(
            command, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    counts = {}
    for workload, process in runs.items():
        stderr = process.communicate()[1]
        found = re.search(r"Collected : (\d+)", stderr)
        if process.returncode or not found:
            raise SystemExit(f"callgrind ({workload}) failed:\n{stderr[-2000:]}")
        counts[workload] = int(found[1])
    steps, whole = counts["steps"] - counts["none"], counts["questionnaire"] - counts["none"]
    report.info(
        "callgrind: 200 answer steps (instructions)",
        f"{steps / 1e6:.1f} M ({steps / 200 / 1e3:.0f} k per step)",
    )
    report.info("callgrind: one whole questionnaire", f"{whole / 1e6:.1f} M")


def callgrind_workload(workload):
    """Run under valgrind: the same warm-up each time, then the workload (`none` is the baseline)."""
    django_setup()
    from positions import published

    snapshot = published.get("tk2025")
    questionnaire(snapshot)
    answer_steps(snapshot, len(snapshot.statements))
    if workload == "steps":
        answer_steps(snapshot, 200)
    elif workload == "questionnaire":
        questionnaire(snapshot)


GROWTH_SIZES = [(3, 30), (10, 20), (15, 40), (30, 20), (30, 40)]  # parties x statements


def phase_size(args, report):
    """The shipped election beside a generated 30 x 40 one; the result page's growth with size."""
    from positions import published

    add_elections([(f"gen-{p}x{s}", p, s) for p, s in GROWTH_SIZES if (p, s) != (3, 30)])
    med = statistics.median
    results = {}
    for label, slug, rate in (
        ("shipped 3x30", "tk2025", args.rate),
        ("generated 30x40", "gen-30x40", args.big_rate),
    ):
        snapshot = published.get(slug)
        questionnaire(snapshot)
        timings = {}
        for _ in range(args.questionnaires):
            questionnaire(snapshot, timings=timings)
        per_endpoint = {name: 1000 * med(values) for name, values in timings.items()}
        whole = sum(1000 * sum(values) for values in timings.values()) / args.questionnaires
        results[label] = whole
        report.info(f"{label}: CPU per questionnaire, in process", f"{whole:.1f} ms")
        report.info(f"{label}: CPU per endpoint (ms, median)",
                    ", ".join(f"{name} {ms:.2f}" for name, ms in sorted(per_endpoint.items())))  # fmt: skip
        with Servers() as servers:
            runs = []
            for _ in range(args.runs):
                before = cpu_seconds(servers.workers())
                run = loadgen("sessions", BASE, rate, args.seconds, config=sessions_config(snapshot, PORT))
                run["cpu_ms"] = 1000 * (cpu_seconds(servers.workers()) - before) / max(run["completed"], 1)
                runs.append(run)
        completed = med(r["completed_per_s"] for r in runs)
        report.info(f"{label}: gunicorn CPU per questionnaire", f"{med(r['cpu_ms'] for r in runs):.1f} ms "
                    f"(open loop at {rate}/s, both instances' workers)")  # fmt: skip
        print_endpoints(runs)
        answer_p99 = med(r["endpoints"]["answer_step"]["p99_ms"] for r in runs)
        report.check(f"{label}: questionnaires per second", f"{completed} (offered {rate})", f">= {rate}, no backlog",
                     completed >= rate and all(r["kept_up"] for r in runs))  # fmt: skip
        report.check(f"{label}: answer step p99 (ms)", answer_p99, f"< {BUDGETS['answer_p99_ms']}",
                     answer_p99 < BUDGETS["answer_p99_ms"])  # fmt: skip
        errors = sum(e["errors"] for r in runs for e in r["endpoints"].values())
        report.check(f"{label}: errors", errors, "= 0", errors == 0)

    # The result page for each size: CPU ms and ms per party x statement.
    browser, points = Browser(), []
    for parties, statements in GROWTH_SIZES:
        snapshot = published.get(
            "tk2025" if (parties, statements) == (3, 30) else f"gen-{parties}x{statements}"
        )
        browser.jar[cookie_name(snapshot)] = signed_answers(snapshot)
        page = f"/{snapshot.slug}/uitslag/"
        browser.request("GET", page)
        ms = med(cpu_ms(lambda page=page: browser.request("GET", page), 5) for _ in range(5))
        points.append((len(snapshot.parties) * statements, ms, f"{len(snapshot.parties)}x{statements}"))
    report.info(
        "result page CPU by parties x statements",
        ", ".join(f"{label} {ms:.1f} ms" for _, ms, label in points),
    )
    (small_cells, small_ms, _), (big_cells, big_ms, _) = points[0], points[-1]
    slope = (big_ms - small_ms) / (big_cells - small_cells)
    middle = [(cells, ms) for cells, ms, _ in points[1:-1]]
    # At most linear: the cost per extra party x statement, from the smallest to the largest, is
    # no higher than from the smallest to any size between.
    worst = max((ms - small_ms) / (cells - small_cells) for cells, ms in middle)
    report.check("result page grows at most linearly", f"{big_ms / small_ms:.1f}x for {big_cells / small_cells:.1f}x "
                 f"the cells ({1000 * slope:.1f} us per cell)", "slope to 30x40 <= 1.25 x the steepest below",
                 slope <= 1.25 * worst)  # fmt: skip
    report.info(
        "CPU per questionnaire, 30x40 / shipped",
        f"{results['generated 30x40'] / results['shipped 3x30']:.1f}x",
    )


def print_endpoints(runs):
    med = statistics.median
    names = sorted({n for r in runs for n in r["endpoints"]})
    print(f"      {'endpoint':18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name in names:
        rows = [r["endpoints"][name] for r in runs if name in r["endpoints"]]
        print(f"      {name:18} {med(r['rps'] for r in rows):8.1f} {med(r['p50_ms'] for r in rows):8.2f} "
              f"{med(r['p95_ms'] for r in rows):8.2f} {med(r['p99_ms'] for r in rows):8.2f} "
              f"{med(r['errors'] for r in rows):7}", flush=True)  # fmt: skip


def phase_elections(args, report):
    """A municipal round: 350 elections of 30 x 15 published at once."""
    from positions import published

    slugs = [f"gemeente-{n:03d}" for n in range(1, args.elections + 1)]
    began = time.perf_counter()
    add_elections([(slug, 30, 15) for slug in slugs])
    report.info(
        "elections published",
        f"{len(slugs)} of 30 x 15 (+ the shipped one) in {time.perf_counter() - began:.0f} s",
    )

    cold = []
    for slug in slugs[:: max(1, len(slugs) // 25)]:
        published.forget()
        browser = Browser()
        began = time.process_time()
        browser.request("GET", f"/{slug}/stelling/1/")
        cold.append(1000 * (time.process_time() - began))
    cold_ms = statistics.median(cold)
    report.check("first request of a cold election (CPU ms)", f"{cold_ms:.1f} (max {max(cold):.1f}, n={len(cold)})",
                 f"<= {BUDGETS['cold_election_ms']}", cold_ms <= BUDGETS["cold_election_ms"])  # fmt: skip
    published.forget()
    began = time.process_time()
    published.refresh()
    report.info(
        "a cold worker's first refresh() (all elections)",
        f"{1000 * (time.process_time() - began):.0f} ms CPU",
    )
    for slug in slugs:  # every election's first statement page, as a worker that served them all
        Browser().request("GET", f"/{slug}/stelling/1/")
    report.info("this process's RSS, every election loaded", f"{rss_mb(os.getpid()):.0f} MB")

    with Servers() as servers:
        rss_start = [rss_mb(pid) for pid in servers.workers()]
        from concurrent.futures import ThreadPoolExecutor

        def visit(slug):
            for path in (f"/{slug}/stelling/1/", f"/{slug}/stelling/2/", f"/{slug}/uitslag/partij-01/", "/"):
                for port in (PORT, SECOND_PORT):
                    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers(port))
                    urllib.request.urlopen(request, timeout=30).read()

        try:
            with ThreadPoolExecutor(4) as pool:
                for _ in range(2):  # twice: each worker of each instance sees every election
                    list(pool.map(visit, slugs))
        except OSError as error:  # e.g. gunicorn killed a worker that exceeded its timeout
            report.check("every worker serves every election", f"no: {error}", "no errors", False)
        rss = [rss_mb(pid) for pid in servers.workers()]
    report.info("worker RSS before the elections were visited", ", ".join(f"{mb:.0f} MB" for mb in rss_start))
    report.check("resident memory per worker (MB)", f"max {max(rss):.0f} ({', '.join(f'{mb:.0f}' for mb in rss)})",
                 f"<= {BUDGETS['worker_rss_mb']}", max(rss) <= BUDGETS["worker_rss_mb"])  # fmt: skip


CHANGED = (3, 7)  # the statements the editor rewords


def phase_publish(args, report):
    """While questionnaires run, an editor publishes a version with two statements reworded."""
    from positions import content, published
    from positions.models import Election, Statement

    snapshot = published.get("tk2025")
    half = len(snapshot.statements) // 2
    watch = f"/{snapshot.slug}/stelling/{CHANGED[0]}/"
    marker = f"herzien {int(time.time())}"
    seen = {PORT: [], SECOND_PORT: []}  # (time, new version?) per instance
    watch_errors = [0]
    stop = threading.Event()

    def watcher(port):
        while not stop.is_set():
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}{watch}", headers=headers(port))
                page = urllib.request.urlopen(request, timeout=10).read().decode()
                seen[port].append((time.monotonic(), marker in page))
            except OSError:
                watch_errors[0] += 1
            time.sleep(0.02)

    with Servers():
        citizen = HalfwayCitizen(snapshot, half)
        rate = args.rate / 2
        load = [loadgen("sessions", f"http://127.0.0.1:{port}", rate, args.publish_seconds,
                        config=sessions_config(snapshot, port), background=True) for port in (PORT, SECOND_PORT)]  # fmt: skip
        threads = [
            threading.Thread(target=watcher, args=(port,), daemon=True) for port in (PORT, SECOND_PORT)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.publish_seconds / 2)
        election = Election.objects.get(slug="tk2025")
        for number in CHANGED:
            statement = Statement.objects.get(election=election, slug=snapshot.statement(number).slug)
            Statement.objects.filter(pk=statement.pk).update(
                text_nl=f"{statement.text_nl} ({marker})", text_en=f"{statement.text_en} ({marker})"
            )
        content.publish(election, by="bench")
        published_at = time.monotonic()
        time.sleep(2.5)
        outcome = citizen.continue_after_publication()
        results = [json.loads(process.stdout.read()) for process in load]
        for process in load:
            process.wait()
        stop.set()
        for thread in threads:
            thread.join()

    errors = sum(e["errors"] for r in results for e in r["endpoints"].values()) + watch_errors[0]
    completed = sum(r["completed"] for r in results)
    report.check("publication under load: errors", f"{errors} ({completed} questionnaires at {args.rate}/s)", "= 0",
                 errors == 0)  # fmt: skip
    lags = []
    for samples in seen.values():
        stale = [t for t, new in samples if t > published_at and not new]
        lags.append(max(stale) - published_at if stale else 0.0)
        if not any(new for _, new in samples):
            lags[-1] = float("inf")
    report.check("every instance serves the new version within (s)", ", ".join(f"{lag:.2f}" for lag in lags),
                 f"<= {BUDGETS['publication_s']}", max(lags) <= BUDGETS["publication_s"])  # fmt: skip
    report.check(
        "half-way citizen: old cookie accepted", outcome["status"], "200, never 400", outcome["status"] == 200
    )
    report.check(
        "half-way citizen: answers kept on unchanged statements",
        outcome["kept"],
        "all",
        outcome["kept"] == "all",
    )
    report.check("half-way citizen: changed statements asked again", outcome["asked_again"], "both",
                 outcome["asked_again"] == "both")  # fmt: skip
    report.check(
        "half-way citizen: told which statements changed",
        outcome["told"],
        "both named",
        outcome["told"] == "both named",
    )


class HalfwayCitizen:
    """A synthetic citizen who answered half the statements before the publication (urllib)."""

    def __init__(self, snapshot, half):
        self.snapshot, self.half = snapshot, half
        self.given = [("agree", "disagree", "neutral")[n % 3] for n in range(1, half + 1)]
        self.jar = {"__Host-csrftoken": CSRF_SECRET}
        for number, answer in enumerate(self.given, 1):
            self.post(PORT, number, answer)

    def post(self, port, number, answer):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/{self.snapshot.slug}/stelling/{number}/", data=f"answer={answer}".encode(),
            headers={**headers(port), "Content-Type": FORM, "HX-Request": "true", "X-CSRFToken": CSRF_SECRET,
                     "Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())},
        )  # fmt: skip
        try:
            response = urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        for value in response.headers.get_all("Set-Cookie") or []:
            key, _, rest = value.partition("=")
            self.jar[key] = rest.split(";", 1)[0]
        return response.status, response.read().decode()

    def continue_after_publication(self):
        from positions import published

        published.forget()
        snapshot = published.get(self.snapshot.slug)
        status, page = self.post(SECOND_PORT, self.half + 1, "agree")
        if status != 200:
            return {"status": status, "kept": "not read", "asked_again": "not read", "told": "no"}
        state = read_answers(snapshot, self.jar[cookie_name(snapshot)])
        answers = state.answers if state else [None] * len(snapshot.statements)
        unchanged = [n for n in range(1, self.half + 1) if n not in CHANGED]
        kept = sum(answers[n - 1] == self.given[n - 1] for n in unchanged)
        asked = sum(answers[n - 1] is None for n in CHANGED)
        told = sum(snapshot.statement(n).text in page for n in CHANGED)
        return {"status": status, "kept": "all" if kept == len(unchanged) else f"{kept} of {len(unchanged)}",
                "asked_again": {2: "both", 1: "one", 0: "neither (old answers kept)"}[asked],
                "told": {2: "both named", 1: "one named", 0: "not told"}[told]}  # fmt: skip


def classroom_sessions(port, n, snapshot):
    """Open n classes over HTTP, as teachers would."""
    import http.cookiejar

    sessions = []
    for _ in range(n):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = list(headers(port).items())
        page = opener.open(f"http://127.0.0.1:{port}/klas/nieuw/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        data = f"csrfmiddlewaretoken={token}&election={snapshot.slug}".encode()
        # __Host- cookies are "secure"; the jar will not send them over http, so set the header.
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/klas/nieuw/", data=data,
                                         headers={**headers(port), "Cookie": cookie})  # fmt: skip
        created = urllib.request.urlopen(request).read().decode()
        code = re.search(r'class="join-code">[^<]*<strong>([A-Z0-9]{6})</strong>', created)[1]
        secret = re.search(r"/klas/leraar/([^/]+)/", created)[1]
        sessions.append((code, secret, len(snapshot.statements)))
    return sessions


def phase_classroom(args, report):
    """Classes of 30 students at a student's pace while every teacher's dashboard polls."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from positions import published
    from stemwijzer.classroom.models import ClassAnswer

    snapshot = published.get("tk2025")
    runs = []
    with Servers():
        classes = classroom_sessions(PORT, args.classes, snapshot)
        stored_before = ClassAnswer.objects.count()
        for _ in range(args.class_runs):
            # Both instances take students and dashboards, as nginx would spread them.
            half = len(classes) // 2
            load = [loadgen("classes", f"http://127.0.0.1:{port}", len(part), args.class_seconds, background=True,
                            config={"headers": headers(port), "sessions": part})
                    for port, part in ((PORT, classes[:half]), (SECOND_PORT, classes[half:]))]  # fmt: skip
            runs += [json.loads(process.stdout.read()) for process in load]
            for process in load:
                process.wait()
    stored = ClassAnswer.objects.count() - stored_before
    acknowledged = sum(sum(r["acknowledged_answers"].values()) for r in runs)
    errors = sum(r["endpoints"].get("class_answer", {}).get("errors", 0) for r in runs)
    poll_p99 = max(r["endpoints"]["dashboard_poll"]["p99_ms"] for r in runs)
    print_endpoints(runs)
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    live = f"/klas/leraar/{classes[0][1]}/stand/"
    client.get(live, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as queries:
        client.get(live, HTTP_HX_REQUEST="true")
    report.check(f"{args.classes} classes x 30: answers lost", f"{acknowledged - min(stored, acknowledged)} "
                 f"(acknowledged {acknowledged}, stored {stored}, errors {errors})", "= 0",
                 stored == acknowledged and errors == 0)  # fmt: skip
    report.check("dashboard poll p99 (ms)", f"{poll_p99} (worst instance)", f"< {BUDGETS['poll_p99_ms']}",
                 poll_p99 < BUDGETS["poll_p99_ms"])  # fmt: skip
    report.info("database queries per dashboard poll", len(queries))


ANSWER_ENDPOINTS = ("statement_page", "answer_step", "importance", "parties", "result", "party_detail")


def phase_cache(args, report):
    """nginx in front: public pages from its cache, never a page with answers; no affinity needed."""
    if not NGINX:
        report.info("cache", "nginx is not installed: skipped")
        return
    from positions import published

    snapshot = published.get("tk2025")
    nginx = f"http://127.0.0.1:{NGINX_PORT}"
    pages = [["start", "/"], ["method", "/methode/"], ["privacy", "/privacy/"],
             ["source", f"/bron/{snapshot.documents[0].slug}/"], ["open_data", f"/data/{snapshot.slug}.json"],
             *[["party_page", f"/{snapshot.slug}/uitslag/{p.slug}/"] for p in snapshot.parties],
             ["english_start", "/en/"]]  # fmt: skip
    with Servers(nginx=True) as servers:
        visitors = loadgen(
            "pages", nginx, 16, args.seconds, config={"headers": headers(NGINX_PORT), "pages": pages}
        )
        citizens = loadgen("sessions", nginx, 10, args.seconds, config=sessions_config(snapshot, NGINX_PORT))
        shared = share_link_status(snapshot)
        alternating = loadgen("sessions", BASE, 1, 1, config={**sessions_config(snapshot, PORT),
                              "headers": {**headers(PORT), "X-Bench-Alternate": str(SECOND_PORT)}})  # fmt: skip
        cached = cache_files(Path(servers.workdir) / "cache")
    public = visitors["endpoints"]
    hits = sum(e["cache"].get("HIT", 0) for e in public.values())
    total = sum(e["requests"] for e in public.values())
    report.check("nginx hit ratio, public pages", f"{hits / total:.3f} ({hits} of {total}; "
                 f"{visitors['endpoints']['start']['rps']:.0f} start pages/s)", ">= 0.9",
                 hits / total >= 0.9)  # fmt: skip
    from_cache = {n: e["cache"] for n, e in citizens["endpoints"].items() if n in ANSWER_ENDPOINTS}
    answered_hits = sum(
        c.get("HIT", 0) + c.get("STALE", 0) + c.get("UPDATING", 0) for c in from_cache.values()
    )
    report.check("pages with answers served from the cache", f"{answered_hits} of "
                 f"{sum(citizens['endpoints'][n]['requests'] for n in from_cache)}", "= 0", answered_hits == 0)  # fmt: skip
    report.check("share link through nginx", shared, "BYPASS", shared == "BYPASS")
    stored_with_answers = [f for f in cached if "antwoorden" in f["key"] or f["private"] or f["cookie"]]
    report.check("cached files holding answers or cookies", f"{len(stored_with_answers)} of {len(cached)} files",
                 "= 0", not stored_with_answers and bool(cached))  # fmt: skip
    served = citizens["served_by"]
    errors = sum(e["errors"] for e in {**public, **citizens["endpoints"]}.values())
    report.check("through nginx, any instance serves any step", f"{citizens['completed']} completed, by "
                 f"{', '.join(served)}; {errors} errors", "2 instances, 0 errors",
                 len(served) >= 2 and citizens["completed"] >= 1 and not errors)  # fmt: skip
    report.check("two instances, no affinity: alternating", f"{alternating['completed']} completed", ">= 1",
                 alternating["completed"] >= 1)  # fmt: skip


def share_link_status(snapshot):
    """The X-Cache-Status of a party page asked twice with a share link (must bypass the cache)."""
    from stemwijzer.citizen import cookie
    from stemwijzer.questionnaire.state import CitizenState

    query = cookie.share_query(snapshot, CitizenState(["agree"] * len(snapshot.statements)))
    url = f"http://127.0.0.1:{NGINX_PORT}/{snapshot.slug}/uitslag/{snapshot.parties[0].slug}/{query}"
    statuses = set()
    for _ in range(2):
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers(NGINX_PORT)))
        statuses.add(response.headers.get("X-Cache-Status"))
    return ", ".join(sorted(map(str, statuses)))


def cache_files(directory):
    """What nginx stored: each file's key and whether its headers are private or set a cookie."""
    files = []
    for path in directory.rglob("*"):
        if path.is_file():
            head = path.read_bytes().split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
            key = re.search(r"\nkey: ([^\n]*)", head)
            files.append({"key": key[1] if key else "", "private": "private" in head or "no-store" in head,
                          "cookie": "\nset-cookie:" in head})  # fmt: skip
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--phase",
        choices=(*PHASES, "all"),
        action="append",
        dest="phases",
        help="a phase to run (repeatable); default all",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="repetitions within a phase; medians are reported"
    )
    parser.add_argument("--seconds", type=float, default=8, help="length of each load run")
    parser.add_argument(
        "--rate", type=float, default=50, help="offered questionnaires per second, shipped election"
    )
    parser.add_argument(
        "--big-rate", type=float, default=15, help="offered questionnaires per second, 30 x 40"
    )
    parser.add_argument("--questionnaires", type=int, default=20, help="in-process questionnaires per size")
    parser.add_argument("--elections", type=int, default=350)
    parser.add_argument("--publish-seconds", type=float, default=12)
    parser.add_argument("--classes", type=int, default=300)
    parser.add_argument("--class-seconds", type=float, default=60, help="length of each classroom run")
    parser.add_argument("--class-runs", type=int, default=1)
    parser.add_argument("--skip-prepare", action="store_true", help="keep the database of the last run")
    parser.add_argument("--callgrind-workload", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.callgrind_workload:
        return callgrind_workload(args.callgrind_workload)
    everything = not args.phases or "all" in args.phases
    chosen = [p for p in PHASES if everything or p in args.phases]

    if not args.skip_prepare:
        prepare()
    django_setup()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at start; "
          f"gunicorn x2 instances; PostgreSQL; python {sys.version.split()[0]}; closed loops with "
          f"{'wrk' if WRK else 'the Python load generator (install wrk for truer figures)'}", flush=True)  # fmt: skip
    report = Report()
    # The municipal round last: 350 more elections would change what the other phases measure.
    for phase in sorted(chosen, key=lambda p: p == "elections"):
        print(f"\n== {phase}", flush=True)
        globals()[f"phase_{phase}"](args, report)
    checks = report.checks
    print(
        f"\n{sum(ok for *_, ok in checks)} passed, {sum(not ok for *_, ok in checks)} failed "
        f"(load average at the end {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
