"""The first answer after `serve` says it is ready, against the median of the next ten (issue 14's goal: a
ratio of at most 2). A real `panel-papers serve` is started on the index of the settings, the script waits
for its "Ready" line, then asks eleven different gold questions through `gradio_client`, one after another,
and the first once more at the end (questions differ in cost: that ratio compares like with like).

    python -m evals.bench_first_answer [--index-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings
from evals.check_gold import load_gold

READY = "Ready in "


@dataclass
class FirstAnswers:
    ready_seconds: float  # from starting `serve` to its "Ready" line
    first_seconds: float  # the first answer after "Ready"
    next_seconds: list[float]  # the ten after it
    again_seconds: float  # the first question asked once more at the end (questions differ in cost)
    first_answer: dict  # the first answer as /ask returned it

    @property
    def next_median(self) -> float:
        return statistics.median(self.next_seconds)

    @property
    def ratio(self) -> float:
        return self.first_seconds / self.next_median


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(index_dir: Path, questions: list[str], timeout: float = 300.0) -> FirstAnswers:
    """Start `serve` on ``index_dir``, wait for "Ready", ask ``questions`` in turn (the first is the one
    measured as first), stop the server."""
    from gradio_client import Client

    port = free_port()
    env = {**os.environ, "PANEL_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:  # keep draining the server's output so it never blocks on a full pipe
        for line in server.stdout:  # type: ignore[union-attr]
            lines.append(line)
            if line.startswith(READY):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout):
            raise RuntimeError(f"serve did not say it was ready within {timeout:.0f} s:\n{''.join(lines)[-2000:]}")
        ready_seconds = time.perf_counter() - started
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        timings, answers = [], []
        for question in [*questions, questions[0]]:
            t0 = time.perf_counter()
            answers.append(client.predict(question, api_name="/ask"))
            timings.append(time.perf_counter() - t0)
        return FirstAnswers(ready_seconds, timings[0], timings[1:-1], timings[-1], answers[0])
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


def gold_questions(n: int = 11) -> list[str]:
    """``n`` different answerable questions of the gold set's dev part, spread over its kinds."""
    questions = [q for q in load_gold() if q["split"] == "dev" and q["kind"] != "unanswerable"]
    step = max(1, len(questions) // n)
    return [q["question"] for q in questions[::step][:n]]


def main(argv: list[str] | None = None) -> FirstAnswers:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", help="the index to serve (default: the settings' index_dir)")
    args = parser.parse_args(argv)
    index_dir = Path(args.index_dir or Settings.load().store.index_dir).resolve()
    result = measure(index_dir, gold_questions())
    print(f"{'serve to ready':<28} {result.ready_seconds:.1f} s")
    print(f"{'first answer after ready':<28} {result.first_seconds * 1000:.0f} ms")
    print(f"{'median of the next ten':<28} {result.next_median * 1000:.0f} ms")
    print(f"{'ratio first / median':<28} {result.ratio:.2f} (goal <= 2)")
    print(f"{'first question again':<28} {result.again_seconds * 1000:.0f} ms "
          f"(ratio {result.first_seconds / result.again_seconds:.2f})")
    return result


if __name__ == "__main__":
    main()
