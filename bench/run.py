"""The benchmark: `.venv/bin/python bench/run.py` (see README, "Benchmark").

Starts the app with gunicorn and production settings on PostgreSQL, drives it from a separate
load-generator process on loopback (bench/loadgen.py) and prints, as medians of several runs:
req/s and p50/p95/p99 per endpoint, completed questionnaires per second, the answer step's
throughput as a ratio of a bare Django view's in the same run, classroom load, transfer sizes and
the query budgets, each with PASS/FAIL against its budget. Two instances serve one session turn by
turn to show that no session affinity is needed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
WRK = shutil.which("wrk")
DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stemwijzer_bench")
ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "BEHIND_PROXY": "true",
    "DATABASE_URL": DB,
    "DJANGO_SETTINGS_MODULE": "stemwijzer.settings",
}
BUDGETS = {
    "answer_queries": 0,
    "result_queries": 2,
    "answer_ratio": 0.60,
    "sessions_per_s": 50,
    "answer_p99_ms": 100,
    "statement_page_kb": 50,
    "answer_swap_kb": 3,
    "poll_p99_ms": 200,
}


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


def start_nginx(port, upstream_ports, workdir):
    """nginx with the repo's configuration (deploy/nginx.conf), pointed at the benchmark's instances."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    for default, actual in zip(("127.0.0.1:8001", "127.0.0.1:8002"), upstream_ports, strict=True):
        conf = conf.replace(default, f"127.0.0.1:{actual}")
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("/srv/stemwijzer/staticfiles/", f"{ROOT}/staticfiles/")
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


def loadgen(mode, base, *args, config=None):
    result = subprocess.run([PYTHON, str(ROOT / "bench" / "loadgen.py"), mode, base, *map(str, args)],
                            input=json.dumps(config or {}), capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(result.stdout)


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
        output = subprocess.run([WRK, "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name,
                                 BASE + spec["path"]], capture_output=True, text=True, check=True).stdout  # fmt: skip
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = round(report["requests"] / report["seconds"], 1)
    return report


def django_setup():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def signed_state(snapshot):
    """A citizen's cookie with every statement answered, and a CSRF secret, for the closed loop."""
    from stemwijzer.citizen import cookie
    from stemwijzer.questionnaire.state import CitizenState

    citizen = CitizenState(["agree"] * len(snapshot.statements))
    value = cookie._signer(snapshot).sign(citizen.encode(snapshot))
    return f"{cookie.cookie_name(snapshot)}={value}; __Host-csrftoken={'b' * 32}"


def budgets_in_process(snapshot):
    """Query counts (answer step, result page) and transfer sizes, measured with Django's client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from positions import published

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    published.get(snapshot.slug)
    slug = snapshot.slug
    first = client.get(f"/{slug}/stelling/1/")
    with CaptureQueriesContext(connection) as answer_queries:
        client.post(f"/{slug}/stelling/1/", {"answer": "agree"})
        swap = client.post(f"/{slug}/stelling/2/", {"answer": "agree"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as result_queries:
        client.get(f"/{slug}/uitslag/")
    html = first.content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    sizes = {"html": len(gzip.compress(html))}
    for asset in assets:
        request = urllib.request.Request(
            BASE + asset.decode(), headers={"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}
        )
        sizes[asset.decode().rsplit("/", 1)[1]] = len(urllib.request.urlopen(request).read())
    return {
        "answer_queries": len(answer_queries),
        "result_queries": len(result_queries),
        "statement_page_kb": round(sum(sizes.values()) / 1024, 1),
        "statement_page_parts_bytes": sizes,
        "answer_swap_kb": round(len(gzip.compress(swap.content)) / 1024, 2),
        "answer_swap_raw_kb": round(len(swap.content) / 1024, 2),
    }


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


def verdict(ok):
    return "PASS" if ok else "FAIL"


def main():
    global BASE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    parser.add_argument("--seconds", type=float, default=8, help="length of each load phase")
    parser.add_argument("--rate", type=float, default=50, help="offered citizen sessions per second")
    parser.add_argument("--classes", type=int, default=100)
    parser.add_argument("--class-seconds", type=float, default=60, help="length of each classroom phase")
    args = parser.parse_args()

    prepare()
    port, second_port = 8123, 8124
    BASE = f"http://127.0.0.1:{port}"
    servers = [start_gunicorn(port), start_gunicorn(second_port)]
    try:
        django_setup()
        from positions import published

        snapshot = published.get("tk2025")
        parties = [p.slug for p in snapshot.parties]
        extra = headers(port)
        cookie = signed_state(snapshot)
        answer_spec = {"name": "answer_step", "method": "POST", "path": f"/{snapshot.slug}/stelling/{len(snapshot.statements) // 2}/",
                       "headers": {"HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded",
                                   "X-CSRFToken": "b" * 32, "Cookie": cookie},
                       "body": "answer=agree"}  # fmt: skip
        bare_spec = {"name": "bare_view", "method": "GET", "path": "/gezond/"}

        print(f"machine: {os.cpu_count()} cores; gunicorn x2 instances; PostgreSQL; python {sys.version.split()[0]}; "
              f"throughput measured with {'wrk' if WRK else 'the Python load generator (install wrk for truer figures)'}")  # fmt: skip
        budgets = budgets_in_process(snapshot)

        ratios, bare, answer, session_runs, class_runs = [], [], [], [], []
        for run in range(args.runs):
            bare_run = closed_loop(bare_spec, extra, args.seconds)
            answer_run = closed_loop(answer_spec, extra, args.seconds)
            bare.append(bare_run)
            answer.append(answer_run)
            ratios.append(answer_run["rps"] / bare_run["rps"] if bare_run["rps"] else 0)
            session_runs.append(
                loadgen(
                    "sessions",
                    BASE,
                    args.rate,
                    args.seconds,
                    config={
                        "headers": extra,
                        "statements": len(snapshot.statements),
                        "parties": parties,
                        "slug": snapshot.slug,
                    },
                )
            )
            # Throughput figures only: the load is synthetic, and no answer is ever printed.
            print(f"run {run + 1}: bare {bare_run['rps']} req/s, answer step {answer_run['rps']} req/s, "
                  f"{session_runs[-1]['completed_per_s']} questionnaires/s", flush=True)  # fmt: skip

        classes = classroom_sessions(port, args.classes, snapshot)
        for _ in range(args.runs):
            class_runs.append(loadgen("classes", BASE, args.classes, args.class_seconds,
                                      config={"headers": extra, "sessions": classes}))  # fmt: skip
        from stemwijzer.classroom.models import ClassAnswer

        stored = ClassAnswer.objects.count()
        acknowledged = sum(sum(r["acknowledged_answers"].values()) for r in class_runs)

        # Any instance serves any step: one citizen, every request to the other instance …
        affinity = loadgen("sessions", BASE, 1, 1, config={"headers": {**extra, "X-Bench-Alternate": str(second_port)},
                           "statements": len(snapshot.statements), "parties": parties, "slug": snapshot.slug})  # fmt: skip
        # … and the same through nginx with the repo's configuration, when nginx is installed.
        via_nginx = None
        if NGINX:
            nginx_port = 8125
            servers.append(
                start_nginx(nginx_port, (port, second_port), tempfile.mkdtemp(prefix="bench-nginx-"))
            )
            via_nginx = loadgen("sessions", f"http://127.0.0.1:{nginx_port}", 4, 2, config={
                "headers": headers(nginx_port), "statements": len(snapshot.statements), "parties": parties,
                "slug": snapshot.slug})  # fmt: skip
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    med = statistics.median
    print("\n== Per endpoint, citizen sessions (median of runs)")
    names = sorted({n for r in session_runs for n in r["endpoints"]})
    print(f"{'endpoint':18} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name in names:
        rows = [r["endpoints"][name] for r in session_runs if name in r["endpoints"]]
        print(f"{name:18} {med(r['rps'] for r in rows):8.1f} {med(r['p50_ms'] for r in rows):8.2f} "
              f"{med(r['p95_ms'] for r in rows):8.2f} {med(r['p99_ms'] for r in rows):8.2f} "
              f"{med(r['errors'] for r in rows):7}")  # fmt: skip
    print("\n== Classroom load (median of runs)")
    for name in sorted({n for r in class_runs for n in r["endpoints"]}):
        rows = [r["endpoints"][name] for r in class_runs if name in r["endpoints"]]
        print(f"{name:18} {med(r['rps'] for r in rows):8.1f} {med(r['p50_ms'] for r in rows):8.2f} "
              f"{med(r['p95_ms'] for r in rows):8.2f} {med(r['p99_ms'] for r in rows):8.2f} "
              f"{med(r['errors'] for r in rows):7}")  # fmt: skip

    ratio = med(ratios)
    completed = med(r["completed_per_s"] for r in session_runs)
    session_s = med(r["median_session_s"] for r in session_runs)
    drain_s = med(r["drain_s"] for r in session_runs)
    answer_p99 = med(r["endpoints"]["answer_step"]["p99_ms"] for r in session_runs)
    poll_p99 = med(r["endpoints"]["dashboard_poll"]["p99_ms"] for r in class_runs)
    class_errors = sum(r["endpoints"].get("class_answer", {}).get("errors", 0) for r in class_runs)
    print("\n== Budgets")
    checks = [
        ("answer step database queries", budgets["answer_queries"], f"= {BUDGETS['answer_queries']}",
         budgets["answer_queries"] == BUDGETS["answer_queries"]),
        ("result page database queries", budgets["result_queries"], f"<= {BUDGETS['result_queries']}",
         budgets["result_queries"] <= BUDGETS["result_queries"]),
        ("answer step / bare view throughput", f"{ratio:.2f} ({med(a['rps'] for a in answer):.0f} / "
         f"{med(b['rps'] for b in bare):.0f} req/s)", f">= {BUDGETS['answer_ratio']}, no errors",
         ratio >= BUDGETS["answer_ratio"] and not any(r["errors"] for r in answer + bare)),
        ("completed questionnaires per second", f"{completed} (offered {args.rate}; session {session_s} s, "
         f"drain {drain_s} s)", f">= {BUDGETS['sessions_per_s']}, no backlog",
         completed >= BUDGETS["sessions_per_s"] and all(r["kept_up"] for r in session_runs)),
        ("answer step p99 at that load (ms)", answer_p99, f"< {BUDGETS['answer_p99_ms']}",
         answer_p99 < BUDGETS["answer_p99_ms"]),
        ("statement page, first load (KB, gzip)", budgets["statement_page_kb"], f"<= {BUDGETS['statement_page_kb']}",
         budgets["statement_page_kb"] <= BUDGETS["statement_page_kb"]),
        ("answer swap (KB, gzip)", f"{budgets['answer_swap_kb']} (raw {budgets['answer_swap_raw_kb']})",
         f"<= {BUDGETS['answer_swap_kb']}", budgets["answer_swap_kb"] <= BUDGETS["answer_swap_kb"]),
        (f"{args.classes} classes x 30: answers lost", f"{acknowledged - min(stored, acknowledged)} "
         f"(acknowledged {acknowledged}, stored {stored}, errors {class_errors})", "= 0",
         stored == acknowledged and class_errors == 0),
        ("dashboard poll p99 (ms)", poll_p99, f"< {BUDGETS['poll_p99_ms']}", poll_p99 < BUDGETS["poll_p99_ms"]),
        ("two instances, no affinity: alternating", f"{affinity['completed']} questionnaire(s) completed", ">= 1",
         affinity["completed"] >= 1),
    ]  # fmt: skip
    if via_nginx is None:
        print("(nginx is not installed: the check through nginx was skipped)")
    else:
        served = via_nginx["served_by"]
        checks.append(("through nginx, any instance serves any step",
                       f"{via_nginx['completed']} completed, by {', '.join(served)}", "2 instances, 0 errors",
                       len(served) >= 2 and via_nginx["completed"] >= 1
                       and not any(e["errors"] for e in via_nginx["endpoints"].values())))  # fmt: skip
    for name, value, budget, ok in checks:
        print(f"{verdict(ok)}  {name:42} {value!s:32} budget {budget}")
    print(f"\n{sum(ok for *_, ok in checks)} passed, {sum(not ok for *_, ok in checks)} failed")


if __name__ == "__main__":
    main()
