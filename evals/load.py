"""Many users at once against a running app, through gradio_client: each user holds its own conversation
(the /chat endpoint keeps it in the user's session), asks a question and then a follow-up that only makes
sense against its own history, for a bounded time. Optionally papers are uploaded and removed meanwhile.

    python -m evals.load --url http://127.0.0.1:7860/ --users 20 --seconds 120
    python -m evals.load --serve INDEX_DIR --users 20 --seconds 60   # starts `panel-papers serve` itself
    python -m evals.load --serve INDEX_DIR --users 20 --seconds 60 --client direct

``--client``: ``raw`` (the default) speaks Gradio's queue protocol by hand, as the browser does (join the
queue, then read the answer from a server-sent event stream); ``direct`` posts each question to Gradio's
direct route (``/run/chat``: one request, one response, the conversation kept in the same session), as a
script or another council system would; ``gradio`` uses gradio_client.

Every user connects first; the clock starts when all have (a barrier), so connecting is not counted as
serving. Prints requests, answers per second, errors, mixed-up conversations and latency percentiles, and
with ``--serve`` the server's CPU seconds per answer and the load generator's own (gradio_client runs
in this process and takes its share of the same cores); ``run_load`` is what the test (tests/test_load.py)
calls.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gradio_client import Client

from evals.servers import free_port, stop

# Each user's opening question names a distinct topic; the follow-up ("and in June 2018?") names none, so
# a follow-up resolved against another user's history shows up as the wrong topic in its rewritten query.
# Every client waits as long as this for an answer: a slow answer is measured (p95, max), and only one the
# server never gives is an error. gradio_client's own default (20 s) was reached on CI's slow machine with 20
# users and uploads at once, while every answer did come.
CLIENT_TIMEOUT_SECONDS = 120

TOPICS = [
    ("care leavers in education, employment or training", "leaver"),
    ("children in care with a dental check", "dental"),
    ("initial health assessments within 20 working days", "health"),
    ("children who participated at CIC reviews", "review"),
    ("care leavers in suitable accommodation", "accommodation"),
    ("children in care placed with in-house foster carers", "foster"),
    ("care leavers with a pathway plan", "pathway"),
    ("children in care open to youth offending services", "offending"),
    ("average caseload of social workers", "caseload"),
    ("children becoming looked after within 24 months of a previous episode", "episode"),
]
FOLLOW_UPS = ["and in June 2018?", "and in November 2018?"]


@dataclass
class LoadResult:
    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mixed: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def summary(self) -> dict:
        return {"users": self.users, "seconds": round(self.seconds, 1), "requests": len(self.latencies),
                "answers_per_s": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0.0,
                "errors": len(self.errors), "mixed_conversations": len(self.mixed),
                "p50_ms": round(self.percentile(50) * 1000), "p95_ms": round(self.percentile(95) * 1000),
                "max_ms": round(max(self.latencies, default=0) * 1000),
                "mean_ms": round(statistics.mean(self.latencies) * 1000) if self.latencies else 0,
                "first_errors": self.errors[:3], "first_mixed": self.mixed[:3]}


class RawClient:
    """The browser's protocol with nothing around it: POST ``queue/join`` with the question and the user's
    session, then read ``queue/data`` (server-sent events) until the answer. gradio_client does the same
    with threads, a heartbeat and httpx, and measured 71 ms of CPU per answer against the server's 33:
    on a machine whose cores the server needs, the load generator must cost little. One user's session
    keeps its conversation server-side, as gradio_client's does."""

    def __init__(self, url: str, auth: tuple[str, str] | None = None, direct: bool = False):
        self.direct = direct  # one POST to /run/<api_name> per answer, the queue bypassed (see ``predict``)
        if auth is not None:
            raise ValueError("the raw client does not log in: use --client gradio with a login")
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        config = json.loads(self._request("GET", "/config"))
        self.prefix = config.get("api_prefix", "")
        states = {c["id"] for c in config["components"] if c.get("type") == "state"}
        self.endpoints = {d["api_name"]: (n, [i in states for i in d["inputs"]])
                          for n, d in enumerate(config["dependencies"]) if d.get("api_name")}
        self.session = str(uuid.uuid4())

    def _request(self, method: str, path: str, body: str | None = None) -> bytes:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=CLIENT_TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body, {"Content-Type": "application/json"} if body else {})
            return connection.getresponse().read()
        finally:
            connection.close()

    def predict(self, *data, api_name: str):
        fn_index, is_state = self.endpoints[api_name.lstrip("/")]
        values = iter(data)
        payload = [None if state else next(values) for state in is_state]
        if self.direct:
            # Gradio's direct route: one request, one response, the session's state kept as by the queue.
            # What a script or another council system calls; the browser's Chat tab uses the queue.
            reply = json.loads(self._request("POST", f"{self.prefix}/run/{api_name.lstrip('/')}", json.dumps(
                {"data": payload, "session_hash": self.session})))
            if "data" not in reply:
                raise RuntimeError(str(reply.get("error", reply))[:200])
            return reply["data"][0]
        event = json.loads(self._request("POST", f"{self.prefix}/queue/join", json.dumps(
            {"data": payload, "fn_index": fn_index, "session_hash": self.session, "event_data": None,
             "trigger_id": None})))["event_id"]
        connection = http.client.HTTPConnection(self.host, self.port, timeout=CLIENT_TIMEOUT_SECONDS)
        try:
            connection.request("GET", f"{self.prefix}/queue/data?session_hash={self.session}")
            stream = connection.getresponse()
            while line := stream.fp.readline():
                if not line.startswith(b"data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") == event and message.get("msg") == "process_completed":
                    if not message.get("success", True):
                        raise RuntimeError(str(message.get("output", {}).get("error", "the event failed")))
                    return message["output"]["data"][0]
            raise RuntimeError("the answer stream ended without the answer")
        finally:
            connection.close()


def _user(url: str, number: int, start: threading.Barrier, seconds: float, result: LoadResult,
          lock: threading.Lock, auth: tuple[str, str] | None, client_kind: str = "gradio") -> None:
    topic, keyword = TOPICS[number % len(TOPICS)]
    others = {k for _, k in TOPICS if k != keyword}
    try:
        client = (RawClient(url, auth, direct=client_kind == "direct") if client_kind in ("raw", "direct")
                  else Client(url, verbose=False, auth=auth, httpx_kwargs={"timeout": CLIENT_TIMEOUT_SECONDS}))
    except Exception as exc:  # noqa: BLE001 (any failure to connect is a load error to report)
        with lock:
            result.errors.append(f"user {number}: connect: {exc}")
        start.abort()  # the others must not wait for a user who never comes
        return
    try:
        start.wait()
    except threading.BrokenBarrierError:
        return
    deadline = time.time() + seconds
    turn = 0
    while time.time() < deadline:
        question = f"What was the % of {topic} in November 2018?" if turn % 2 == 0 else FOLLOW_UPS[turn // 2 % 2]
        started = time.perf_counter()
        try:
            reply = client.predict(question, api_name="/chat")
        except Exception as exc:  # noqa: BLE001
            with lock:
                result.errors.append(f"user {number}: {type(exc).__name__}: {exc}")
            turn += 1
            continue
        elapsed = time.perf_counter() - started
        with lock:
            result.latencies.append(elapsed)
            if "error" in reply:
                result.errors.append(f"user {number}: {reply['error']}")
            elif turn % 2 == 1:
                query = reply.get("query", "").lower()
                if keyword not in query or any(k in query for k in others if k not in topic):
                    result.mixed.append(f"user {number} ({keyword}): {query}")
        turn += 1


def run_load(url: str, users: int = 20, seconds: float = 120, auth: tuple[str, str] | None = None,
             background=None, client: str = "gradio") -> LoadResult:
    """``background``: an optional callable run in its own thread for the same time (e.g. uploads); it is
    given the deadline. ``client``: "gradio" (gradio_client), "raw" (``RawClient``, Gradio's queue) or
    "direct" (``RawClient`` on Gradio's direct route, no queue)."""
    result = LoadResult(users=users, seconds=seconds)
    lock = threading.Lock()
    window: dict[str, float] = {}

    def open_window() -> None:  # run by one thread when every user has connected
        window["start"] = time.time()

    start = threading.Barrier(users, action=open_window)
    threads = [threading.Thread(target=_user, args=(url, n, start, seconds, result, lock, auth, client))
               for n in range(users)]
    for thread in threads:
        thread.start()
    if background is not None:
        while "start" not in window and any(t.is_alive() for t in threads):
            time.sleep(0.05)
        helper = threading.Thread(target=background, args=(window.get("start", time.time()) + seconds,))
        helper.start()
        threads.append(helper)
    for thread in threads:
        thread.join()
    result.seconds = time.time() - window.get("start", time.time())
    return result


def cpu_seconds(pid: int) -> float:
    """A process's user + system CPU time so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def served(index_dir: Path, port: int, wait_seconds: float = 600) -> Iterator[subprocess.Popen]:
    """``panel-papers serve`` over ``index_dir`` on a loopback port, until it says it is ready."""
    env = {**os.environ, "PANEL_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + wait_seconds
    try:
        for line in process.stdout:
            if line.startswith("Ready in"):
                print(line.strip(), file=sys.stderr)
                break
            if time.time() > deadline:
                raise RuntimeError("the server did not say it was ready in time")
        else:
            raise RuntimeError(f"the server stopped before it was ready (exit {process.wait()})")
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # keep the pipe drained
        yield process
    finally:
        stop(process, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--serve", type=Path, metavar="INDEX_DIR",
                        help="start `panel-papers serve` over this index on a free port and load it")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--client", choices=("raw", "direct", "gradio"), default="raw",
                        help="raw: the queue protocol by hand (light); direct: Gradio's direct POST route, no "
                             "queue; gradio: gradio_client (default: raw)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.serve is None:
        summary = run_load(args.url, args.users, args.seconds, client=args.client).summary()
    else:
        port = free_port()
        with served(args.serve, port) as server:
            server_cpu, own_cpu = cpu_seconds(server.pid), time.process_time()
            result = run_load(f"http://127.0.0.1:{port}/", args.users, args.seconds, client=args.client)
            server_cpu, own_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - own_cpu
        summary = result.summary()
        answers = max(1, len(result.latencies))
        summary.update(index=str(args.serve), cores=os.cpu_count(), client=args.client,
                       server_cpu_ms_per_answer=round(server_cpu / answers * 1000, 1),
                       load_generator_cpu_ms_per_answer=round(own_cpu / answers * 1000, 1))
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
