"""20 users at once through gradio_client, each with its own conversation, while papers are uploaded and
removed: no errors, no mixed-up conversations, answers unchanged. ``python -m evals.load`` is the longer
benchmark; this run is bounded (PANEL_TEST_LOAD_SECONDS, default 45 s) to fit CI."""

from __future__ import annotations

import json
import os
from dataclasses import asdict

import pytest

from app.service import Upload
from evals.load import run_load
from evals.pdf_factory import text_pdf

FIXED = "What did the panel resolve about Mind Of My Own?"


def _cited(answer) -> list[tuple[str, int]]:
    return [(c.document, c.page) for c in answer.citations]


@pytest.mark.slow
def test_twenty_users_with_uploads_meanwhile(app_server, tmp_path):
    service = app_server["service"]
    before = service.ask(FIXED)
    uploaded: list[int] = []

    def uploads(deadline: float) -> None:
        import time

        n = 0
        while time.time() < deadline - 5:
            paper = text_pdf(tmp_path / f"load-{n}.pdf", [f"Corporate Parenting Panel\nIt was RESOLVED that the "
                                                          f"heron project report number {n} be noted."])
            report = service.upload([Upload(paper, f"load paper {n}.pdf")])
            assert report.ingested == [f"load paper {n}.pdf"], report.failed
            assert service.remove(f"load paper {n}.pdf")
            uploaded.append(n)
            n += 1

    result = run_load(app_server["url"], users=20, seconds=float(os.environ.get("PANEL_TEST_LOAD_SECONDS", 45)),
                      background=uploads)
    summary = result.summary()
    print("\nload:", json.dumps(summary))
    assert summary["errors"] == 0, summary["first_errors"]
    assert summary["mixed_conversations"] == 0, summary["first_mixed"]
    assert summary["requests"] >= 40 and uploaded, summary
    after = service.ask(FIXED)
    assert after.text == before.text and _cited(after) == _cited(before)
    assert "heron" not in json.dumps([asdict(record) for record in service.library()], default=str)
