"""Sync benchmark: `panel-papers sync` of a real council archive served as modern.gov serves it.

    python -m evals.bench_sync [--meetings council|cabinet|both] [--interval SECONDS] [--json FILE]

The 46 papers of ../shared/real-archive/ (two Kent meetings, as published on democracy.kent.gov.uk) are
served on 127.0.0.1 by ``evals.modgov_site`` in modern.gov's recorded shape: each meeting's agenda front
sheet and printed minutes on its page, every other paper an item paper (no public reports pack, as these
meetings published none). Measured, each in a fresh index with a cold embedding cache:

* ``plain``: ``ingest_paths`` of the same PDFs from disk: the work a sync cannot avoid;
* ``sync``: ``sync_committee`` with the polite defaults (one request at a time, at most one a second):
  requests made, the most at once, the request rate and the shortest gap between two requests as the server
  saw them, seconds, and the ratio to ``plain``;
* ``again``: the same sync re-run: PDFs downloaded (none expected) and seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from core.settings import Settings
from evals.modgov_site import FakeMeeting, FakeModernGovSite
from ingest.pipeline import ingest_paths
from ingest.sync import sync_committee
from store.index import PanelIndex

ARCHIVE = Path(__file__).resolve().parent.parent.parent / "shared" / "real-archive"
# The site's ids for the two bodies (Kent's own: the Cabinet is committee 115, the County Council 114).
BODIES = {"cabinet": (115, "Cabinet", date(2025, 1, 30)), "council": (114, "County Council", date(2025, 1, 9))}


def archive_meeting(prefix: str, meeting_id: int, day: date, files: list[Path]) -> FakeMeeting:
    """A meeting as its page and GetMeeting list it: the front sheet and minutes on the page, the rest items."""
    pdfs: dict[str, Path] = {}
    items: list = []
    for number, path in enumerate(sorted(files), start=1):
        title = path.stem.removeprefix(prefix).replace("_", " ").strip()
        if title.lower().startswith("agenda frontsheet"):
            pdfs["Agenda frontsheet"] = path
        elif title.lower().startswith("printed minutes"):
            pdfs["minutes"] = path
        else:
            items.append((str(number), title[:80], {re.sub(r"[^\w .-]", "", title)[:80]: path}, False))
    return FakeMeeting(meeting_id, day, pdfs=pdfs, items=items)


def measure(bodies: list[str], interval: float) -> dict:
    results: dict = {"bodies": bodies, "interval_seconds": interval}
    committees, meetings, files = {}, {}, []
    for name in bodies:
        committee_id, title, day = BODIES[name]
        prefix = f"{'full_council' if name == 'council' else name}_{day.isoformat()}_"
        own = sorted(ARCHIVE.glob(f"{prefix}*.pdf"))
        files += own
        committees[committee_id] = title
        meetings[committee_id] = [archive_meeting(prefix, 9000 + committee_id, day, own)]
    results["papers"] = len(files)

    with tempfile.TemporaryDirectory() as scratch:
        plain = Settings.build(index_dir=Path(scratch) / "plain")
        started = time.perf_counter()
        report = ingest_paths(files, plain.ingest, PanelIndex(plain.store), progress=False)
        results["plain"] = {"seconds": round(time.perf_counter() - started, 1), "pages": report.pages,
                            "documents": len(report.ingested), "failed": len(report.failed)}

        settings = Settings.build(index_dir=Path(scratch) / "synced", sync_interval_seconds=interval)
        with FakeModernGovSite(committees, meetings) as site:
            stamps: list[float] = []
            site_answer = site._answer

            def stamped(handler, answer=site_answer):
                stamps.append(time.monotonic())
                return answer(handler)

            site._answer = stamped
            runs = []
            for committee_id in committees:
                index = PanelIndex(settings.store)
                runs.append(sync_committee(site.url, str(committee_id), settings.sync, settings.ingest, index,
                                           progress=False))
            seconds = sum(r.seconds for r in runs)
            gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
            span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
            results["sync"] = {
                "seconds": round(seconds, 1), "new": sum(len(r.new) for r in runs),
                "failed": sum(len(r.failed) for r in runs), "pages": sum(r.pages for r in runs),
                "requests": len(stamps), "pdf_requests": len(site.pdf_requests()),
                "most_at_once": site.max_in_flight,
                "requests_per_second": round((len(stamps) - 1) / span, 3) if span else None,
                "shortest_gap_seconds": round(min(gaps), 3) if gaps else None,
                "ratio_to_plain": round(seconds / max(results["plain"]["seconds"], 1e-9), 2)}
            before = len(site.pdf_requests())
            again = [sync_committee(site.url, str(committee_id), replace(settings.sync), settings.ingest,
                                    PanelIndex(settings.store), progress=False) for committee_id in committees]
            results["again"] = {"seconds": round(sum(r.seconds for r in again), 1),
                                "pdf_requests": len(site.pdf_requests()) - before,
                                "unchanged": sum(r.unchanged for r in again), "new": sum(len(r.new) for r in again)}
    return results


def table(results: dict) -> str:
    plain, sync, again = results["plain"], results["sync"], results["again"]
    return "\n".join([
        f"sync of {results['papers']} real papers ({', '.join(results['bodies'])}), "
        f"interval {results['interval_seconds']} s",
        "| run | seconds | papers | pages | requests | figures |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| plain ingest from disk | {plain['seconds']} | {plain['documents']} | {plain['pages']} | - | "
        f"{plain['failed']} failed |",
        f"| sync | {sync['seconds']} | {sync['new']} new | {sync['pages']} | {sync['requests']} "
        f"({sync['pdf_requests']} PDFs) | ratio to plain {sync['ratio_to_plain']}; at most {sync['most_at_once']} "
        f"at once; {sync['requests_per_second']} requests/s; shortest gap {sync['shortest_gap_seconds']} s "
        f"(as the server saw them); "
        f"{sync['failed']} failed |",
        f"| sync again | {again['seconds']} | {again['new']} new, {again['unchanged']} unchanged | - | "
        f"{again['pdf_requests']} PDFs | |"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meetings", choices=["council", "cabinet", "both"], default="both")
    parser.add_argument("--interval", type=float, default=Settings().sync.interval_seconds,
                        help="seconds between requests (default: the polite default)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not ARCHIVE.is_dir():
        print(f"no real archive at {ARCHIVE}: nothing to measure", file=sys.stderr)
        return 2
    bodies = ["council", "cabinet"] if args.meetings == "both" else [args.meetings]
    results = measure(bodies, args.interval)
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
