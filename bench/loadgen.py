"""Load generator for the benchmark: runs in its own process and talks HTTP/1.1 over loopback.

Modes (JSON on stdout):
  closed  URL-SPEC CONCURRENCY SECONDS    hammer one request as fast as possible (throughput)
  sessions BASE RATE SECONDS              open loop: RATE new citizen sessions per second, each a
                                          full questionnaire with htmx headers
  classes BASE CLASSES SECONDS            classes of 30 students answering while dashboards poll
  pages BASE CONCURRENCY SECONDS          visitors without answers: GET the configured public pages
                                          in turn (for a cache's hit ratio)

Only loopback addresses are accepted; every loop is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections import defaultdict
from urllib.parse import urlencode, urlparse

LOOPBACK = ("127.", "localhost", "[::1]")
POLL_SECONDS = 3.0  # the dashboard's hx-trigger="every 3s"


class Conn:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host, port, extra_headers):
        self.host, self.port, self.extra = host, port, extra_headers
        self.reader = self.writer = None

    async def request(self, method, path, headers=None, body=b""):
        for attempt in range(2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                host = self.extra.get("Host", f"{self.host}:{self.port}")
                lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive",
                         f"Content-Length: {len(body)}"]  # fmt: skip
                lines += [f"{k}: {v}" for k, v in {**self.extra, **(headers or {})}.items() if k != "Host"]
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
                # The whole head in one read, not line by line: with uvloop, this took the load
                # generator from 7.2 to 4.0 ms of CPU per questionnaire, CPU the server now has.
                head = await self.reader.readuntil(b"\r\n\r\n")
                status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
                status = int(status_line.split()[1])
                response_headers = []
                length, close = 0, False
                for line in header_lines:
                    name, _, value = line.partition(":")
                    name, value = name.strip().lower(), value.strip()
                    response_headers.append((name, value))
                    if name == "content-length":
                        length = int(value)
                    elif name == "connection" and "close" in value.lower():
                        close = True
                content = await self.reader.readexactly(length) if length else b""
                if close:
                    await self.close()
                return status, response_headers, content
            except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
                await self.close()
                if attempt:
                    raise
        raise RuntimeError("unreachable")

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class Recorder:
    def __init__(self):
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.served_by = set()  # upstream instances named by a proxy's X-Served-By header
        self.cache_status = defaultdict(lambda: defaultdict(int))  # endpoint -> X-Cache-Status -> n

    async def timed(self, name, conn, *args, ok=(200, 204, 302, 303), **kwargs):
        start = time.perf_counter()
        try:
            status, headers, body = await conn.request(*args, **kwargs)
        except Exception:  # noqa: BLE001 - counted as an error
            self.errors[name] += 1
            return None, [], b""
        self.latencies[name].append(time.perf_counter() - start)
        self.served_by.update(value for key, value in headers if key == "x-served-by")
        for key, value in headers:
            if key == "x-cache-status":
                self.cache_status[name][value] += 1
        if status not in ok:
            self.errors[name] += 1
        return status, headers, body

    def report(self, seconds):
        out = {}
        for name, values in sorted(self.latencies.items()):
            values.sort()
            out[name] = {"requests": len(values), "rps": round(len(values) / seconds, 1),
                         "p50_ms": _pick(values, 0.50), "p95_ms": _pick(values, 0.95), "p99_ms": _pick(values, 0.99),
                         "errors": self.errors.get(name, 0), "cache": dict(self.cache_status.get(name, {}))}  # fmt: skip
        return out


def _pick(ordered, q):
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def cookies_from(headers, jar):
    for name, value in headers:
        if name == "set-cookie":
            key, _, rest = value.partition("=")
            val = rest.split(";", 1)[0]
            if "max-age=0" in value.lower() or not val:
                jar.pop(key, None)
            else:
                jar[key] = val
    return jar


def cookie_header(jar):
    return "; ".join(f"{k}={v}" for k, v in jar.items())


FORM = "application/x-www-form-urlencoded"


async def citizen_session(base, host, port, extra, rec, statements, parties, slug):
    """One citizen: start, every answer with htmx headers, importance, parties, result, two parties.

    With an "X-Bench-Alternate" port in the headers, consecutive requests alternate between two
    app instances: the session must work without affinity.
    """
    extra = dict(extra)
    other = extra.pop("X-Bench-Alternate", None)
    conns = [Conn(host, port, extra)] + ([Conn(host, int(other), extra)] if other else [])
    turn, jar = [0], {}

    def conn():
        turn[0] += 1
        return conns[turn[0] % len(conns)]

    try:
        await rec.timed("start", conn(), "GET", "/")
        status, headers, body = await rec.timed("statement_page", conn(), "GET", f"/{slug}/stelling/1/")
        cookies_from(headers, jar)
        csrf = next((v for k, v in jar.items() if k.endswith("csrftoken")), "")
        htmx = {"HX-Request": "true", "HX-Current-URL": base, "Content-Type": FORM, "X-CSRFToken": csrf}
        ok = True
        for number in range(1, statements + 1):
            answer = ("agree", "neutral", "disagree", "skip")[(number * 7 + id(jar)) % 4]
            status, headers, body = await rec.timed(
                "answer_step", conn(), "POST", f"/{slug}/stelling/{number}/",
                headers={**htmx, "Cookie": cookie_header(jar)}, body=urlencode({"answer": answer}).encode(),
            )  # fmt: skip
            ok = ok and status == 200
            cookies_from(headers, jar)
        body = urlencode([("important", 1), ("important", 2)]).encode()
        status, headers, _ = await rec.timed("importance", conn(), "POST", f"/{slug}/belangrijk/",
                                             headers={**htmx, "Cookie": cookie_header(jar)}, body=body)  # fmt: skip
        cookies_from(headers, jar)
        body = urlencode([("parties", p) for p in parties]).encode()
        status, headers, _ = await rec.timed("parties", conn(), "POST", f"/{slug}/partijen/",
                                             headers={**htmx, "Cookie": cookie_header(jar)}, body=body)  # fmt: skip
        cookies_from(headers, jar)
        status, _, _ = await rec.timed(
            "result", conn(), "GET", f"/{slug}/uitslag/", headers={"Cookie": cookie_header(jar)}
        )
        ok = ok and status == 200
        for party in parties[:2]:
            status, _, _ = await rec.timed("party_detail", conn(), "GET", f"/{slug}/uitslag/{party}/",
                                           headers={"Cookie": cookie_header(jar)})  # fmt: skip
            ok = ok and status == 200
        return ok
    finally:
        for c in conns:
            await c.close()


async def run_sessions(base, rate, seconds, extra, statements, parties, slug):
    """Open loop: RATE new sessions per second for SECONDS; then wait until all have finished.

    A server that keeps up completes sessions as fast as they arrive and finishes the last ones
    about one session-length after arrivals stop; one that falls behind builds a backlog, which
    shows as a long drain and a lower completion rate.
    """
    url = urlparse(base)
    rec, durations, tasks = Recorder(), [], []
    start = time.perf_counter()

    async def one():
        began = time.perf_counter()
        if await citizen_session(base, url.hostname, url.port, extra, rec, statements, parties, slug):
            durations.append(time.perf_counter() - began)

    n = 0
    while (elapsed := time.perf_counter() - start) < seconds:
        while n < elapsed * rate:
            tasks.append(asyncio.create_task(one()))
            n += 1
        await asyncio.sleep(0.005)
    arrivals = time.perf_counter() - start
    try:
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=120)
    except TimeoutError:  # a server far behind: report what finished, as not kept up
        pass
    total = time.perf_counter() - start
    durations.sort()
    session_s = durations[len(durations) // 2] if durations else 0
    kept_up = len(durations) == n and total - arrivals <= 2 * session_s + 0.5
    return {"offered_sessions_per_s": rate, "offered": n, "completed": len(durations),
            "completed_per_s": round(len(durations) / (arrivals if kept_up else total), 1),
            "median_session_s": round(session_s, 2), "drain_s": round(total - arrivals, 2), "kept_up": kept_up,
            "endpoints": rec.report(total), "served_by": sorted(rec.served_by)}  # fmt: skip


async def run_closed(base, spec, concurrency, seconds, extra):
    url = urlparse(base)
    rec = Recorder()
    deadline = time.perf_counter() + seconds

    async def worker():
        conn = Conn(url.hostname, url.port, extra)
        while time.perf_counter() < deadline:
            await rec.timed(spec["name"], conn, spec["method"], spec["path"], headers=spec.get("headers"),
                            body=spec.get("body", "").encode())  # fmt: skip
        await conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return rec.report(seconds)[spec["name"]]


async def run_pages(base, concurrency, seconds, extra, pages):
    """Closed loop of visitors without cookies, each worker GETting the [name, path] pages in turn."""
    url = urlparse(base)
    rec = Recorder()
    deadline = time.perf_counter() + seconds

    async def worker(offset):
        conn = Conn(url.hostname, url.port, extra)
        turn = offset
        while time.perf_counter() < deadline:
            name, path = pages[turn % len(pages)]
            await rec.timed(name, conn, "GET", path)
            turn += 1
        await conn.close()

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return {"endpoints": rec.report(seconds)}


async def run_classes(base, classes, seconds, extra, sessions):
    """Each class: 30 students answer the statements at a student's pace; the teacher polls."""
    url = urlparse(base)
    rec = Recorder()
    deadline = time.perf_counter() + seconds
    acknowledged = defaultdict(int)

    async def student(code, n_statements):
        # Students arrive over the first half of the run and read each statement 10-30 s; a
        # phone reconnects for each request.
        await asyncio.sleep(random.uniform(0, seconds / 2))
        jar = {}
        conn = Conn(url.hostname, url.port, extra)
        status, headers, _ = await rec.timed("class_join_page", conn, "GET", f"/klas/{code}/")
        cookies_from(headers, jar)
        csrf = next((v for k, v in jar.items() if k.endswith("csrftoken")), "")
        form = {"Content-Type": FORM, "X-CSRFToken": csrf}
        status, headers, _ = await rec.timed("class_join", conn, "POST", f"/klas/{code}/",
                                             headers={**form, "Cookie": cookie_header(jar)})  # fmt: skip
        cookies_from(headers, jar)
        await conn.close()
        for place in range(1, n_statements + 1):
            await asyncio.sleep(random.uniform(10, 30))
            if time.perf_counter() > deadline:
                break
            status, headers, _ = await rec.timed(
                "class_answer", conn, "POST", f"/klas/{code}/stelling/{place}/",
                headers={**form, "HX-Request": "true", "Cookie": cookie_header(jar)}, body=b"answer=agree",
            )  # fmt: skip
            await conn.close()
            if status in (200, 204):
                acknowledged[code] += 1

    async def teacher(token):
        # Teachers open their dashboards at different moments, so their polls are not in step.
        await asyncio.sleep(random.uniform(0, POLL_SECONDS))
        conn = Conn(url.hostname, url.port, extra)
        while time.perf_counter() < deadline:
            await rec.timed("dashboard_poll", conn, "GET", f"/klas/leraar/{token}/stand/",
                            headers={"HX-Request": "true"})  # fmt: skip
            await asyncio.sleep(POLL_SECONDS)
        await conn.close()

    jobs = []
    for code, token, n_statements in sessions[:classes]:
        jobs.append(teacher(token))
        jobs += [student(code, n_statements) for _ in range(30)]
    await asyncio.gather(*jobs)
    return {"classes": classes, "acknowledged_answers": dict(acknowledged), "endpoints": rec.report(seconds)}


def main():
    try:  # uvloop, when installed (the bench extra): a faster event loop for the load generator
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    mode, base = sys.argv[1], sys.argv[2]
    if not urlparse(base).hostname.startswith(LOOPBACK):
        raise SystemExit("the load generator only talks to loopback addresses")
    config = json.loads(sys.stdin.read() or "{}")
    extra = config.get("headers", {})
    if mode == "closed":
        result = asyncio.run(run_closed(base, config["spec"], int(sys.argv[3]), float(sys.argv[4]), extra))
    elif mode == "sessions":
        result = asyncio.run(run_sessions(base, float(sys.argv[3]), float(sys.argv[4]), extra,
                                          config["statements"], config["parties"], config["slug"]))  # fmt: skip
    elif mode == "classes":
        result = asyncio.run(
            run_classes(base, int(sys.argv[3]), float(sys.argv[4]), extra, config["sessions"])
        )
    elif mode == "pages":
        result = asyncio.run(run_pages(base, int(sys.argv[3]), float(sys.argv[4]), extra, config["pages"]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
