"""Many users at once against a running app, through gradio_client: each user holds its own conversation
(the /chat endpoint keeps it in the user's session), asks a question and then a follow-up that only makes
sense against its own history, for a bounded time. Optionally papers are uploaded and removed meanwhile.

    python -m evals.load --url http://127.0.0.1:7860/ --users 20 --seconds 120

Prints requests, errors, mixed-up conversations and latency percentiles; ``run_load`` is what the test
(tests/test_load.py) calls.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from dataclasses import dataclass, field

from gradio_client import Client

# Each user's opening question names a distinct topic; the follow-up ("and in June 2018?") names none, so
# a follow-up resolved against another user's history shows up as the wrong topic in its rewritten query.
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
                "errors": len(self.errors), "mixed_conversations": len(self.mixed),
                "p50_ms": round(self.percentile(50) * 1000), "p95_ms": round(self.percentile(95) * 1000),
                "max_ms": round(max(self.latencies, default=0) * 1000),
                "mean_ms": round(statistics.mean(self.latencies) * 1000) if self.latencies else 0,
                "first_errors": self.errors[:3], "first_mixed": self.mixed[:3]}


def _user(url: str, number: int, deadline: float, result: LoadResult, lock: threading.Lock,
          auth: tuple[str, str] | None) -> None:
    topic, keyword = TOPICS[number % len(TOPICS)]
    others = {k for _, k in TOPICS if k != keyword}
    try:
        client = Client(url, verbose=False, auth=auth)
    except Exception as exc:  # noqa: BLE001 (any failure to connect is a load error to report)
        with lock:
            result.errors.append(f"user {number}: connect: {exc}")
        return
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
             background=None) -> LoadResult:
    """``background``: an optional callable run in its own thread for the same time (e.g. uploads)."""
    result = LoadResult(users=users, seconds=seconds)
    lock = threading.Lock()
    started = time.time()
    deadline = started + seconds
    threads = [threading.Thread(target=_user, args=(url, n, deadline, result, lock, auth)) for n in range(users)]
    if background is not None:
        threads.append(threading.Thread(target=background, args=(deadline,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.time() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    print(json.dumps(run_load(args.url, args.users, args.seconds).summary(), indent=2))


if __name__ == "__main__":
    main()
