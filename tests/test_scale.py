"""Issue 12's machinery, on real papers: pages read by a process pool give the same records as one
process; a reopened index reads its snapshot, not every record; answers are safe to make concurrently.
Speed itself is measured by evals/bench_ingest.py, evals/bench_scale.py and evals/load.py, never here."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.settings import Settings
from evals.pdf_factory import text_pdf
from ingest import parallel
from ingest.pipeline import ingest_paths
from retrieval.answer import Assistant
from retrieval.hybrid import HybridSearcher
from retrieval.words import holds
from store.index import PanelIndex

REPO = Path(__file__).resolve().parent.parent
PACKS = [REPO / "corpus" / "kent-cpp-2017-02-01-appendix.pdf", REPO / "corpus" / "kent-cpp-2018-09-19-agenda-pack.pdf"]


def _records(index: PanelIndex) -> tuple[list, list, list]:
    chunks = [(c.document, c.text, c.page_start, c.page_end, c.page_label, c.kind, c.minute)
              for c in index.all_chunks()]
    decisions = [(d.document, d.text, d.page) for d in index.all_decisions()]
    rows = [(r.indicator, r.value, r.period) for r in index.all_rows()]
    return chunks, decisions, rows


@pytest.fixture(scope="module")
def pooled(tmp_path_factory, embeddings):
    """The packs read by two worker processes, in ranges of 8 pages (each pack split across both)."""
    folder = tmp_path_factory.mktemp("pooled")
    settings = Settings.build(index_dir=folder / "index", corpus_dir=REPO / "corpus", workers=2, range_pages=8,
                              lookahead_pages=24, parallel_min_pages=1)
    index = PanelIndex(settings.store, embeddings)
    taken: list[Path] = []
    original = parallel.ParallelReader.take

    def take(self, path):
        taken.append(path)
        return original(self, path)

    parallel.ParallelReader.take = take
    try:
        report = ingest_paths(PACKS, settings.ingest, index, progress=False)
    finally:
        parallel.ParallelReader.take = original
    assert report.ok, report.failed
    assert taken == PACKS, "the pool read every pack, in order"
    return settings, index


def test_pages_read_by_the_pool_make_the_same_records_as_one_process(pooled, tmp_path, embeddings):
    _, pooled_index = pooled
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus", workers=1)
    single = PanelIndex(settings.store, embeddings)
    assert ingest_paths(PACKS, settings.ingest, single, progress=False).ok
    assert _records(pooled_index) == _records(single)
    assert len(_records(single)[0]) > 50


def test_a_bad_file_among_good_ones_fails_alone_in_the_pool(tmp_path, embeddings):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(PACKS[0].read_bytes()[:20_000])  # truncated: no page tree, no xref
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus", workers=2, range_pages=8,
                              parallel_min_pages=1)
    report = ingest_paths([broken, PACKS[0]], settings.ingest, PanelIndex(settings.store, embeddings),
                          progress=False)
    assert report.ingested == [PACKS[0].name]
    assert [name for name, _ in report.failed] == ["broken.pdf"]
    assert "corrupt PDF" in report.failed[0][1] and "\n" not in report.failed[0][1]


def test_page_ranges_cover_every_page_once():
    for pages in (1, 7, 8, 9, 100):
        ranges = parallel.page_ranges(pages, 8)
        covered = [n for first, last in ranges for n in range(first, last + 1)]
        assert covered == list(range(1, pages + 1))
    assert parallel.page_ranges(0, 8) == [(1, None)], "an unknown count is read whole"


def test_a_reopened_index_reads_its_snapshot_not_every_record(pooled, monkeypatch):
    settings, index = pooled
    first = Assistant.open(settings, index)
    question = "What did the panel resolve about the scorecard?"
    before = first.ask(question)
    history = first.history()
    first.meetings()
    first.figures.indicators()
    first.ask("How many children were in care?")  # a figure question: the rows' meanings
    folders = [p for p in (Path(settings.store.index_dir) / "snapshot").iterdir()]
    assert len(folders) == 1 and (folders[0] / "complete").is_file() and not folders[0].name.startswith(".")
    derived = [p.name for p in folders[0].glob("derived-*.pkl")]
    for name in ("glossary", "history", "meetings", "figure-units", "row-meanings"):
        assert any(d.startswith(f"derived-{name}") for d in derived), (name, derived)

    def scanned(*args, **kwargs):
        raise AssertionError("opening again scanned every record")

    for name in ("all_chunks", "all_rows", "sentence_vectors", "all_decisions"):
        monkeypatch.setattr(PanelIndex, name, scanned)
    again = Assistant.open(settings, index)
    after = again.ask(question)
    assert (after.text, [asdict(c) for c in after.citations]) == (before.text, [asdict(c) for c in before.citations])
    assert [e.title for e in again.history().entries] == [e.title for e in history.entries]
    assert again.history().timeline("scorecard") == history.timeline("scorecard"), "the history works read back"


def test_a_damaged_snapshot_is_built_again(pooled):
    settings, index = pooled
    searcher = HybridSearcher(index)
    records = searcher.snapshot.folder(searcher.signature) / "records.pkl"
    records.write_bytes(records.read_bytes()[:100])
    again = HybridSearcher(index)
    assert again.ids == searcher.ids
    with records.open("rb") as fh:
        assert len(pickle.load(fh)[0]) == len(searcher.ids), "and saved whole again"


def test_concurrent_answers_are_the_answers_one_at_a_time(pooled, tmp_path):
    """Answers made on eight threads at once, while this process adds and removes an unrelated paper (the
    searcher reloads meanwhile), are the ones made one at a time."""
    settings, index = pooled
    assistant = Assistant.open(settings, index)
    questions = ["What was the % of care leavers in education, employment or training?",
                 "Who was elected vice chair?", "What did the panel resolve about the scorecard?",
                 "How many children were in care?", "What is Mind Of My Own?",
                 "What did the panel decide about the minutes of the last meeting?"] * 4
    alone = {q: assistant.ask(q).text for q in set(questions)}
    extra = text_pdf(tmp_path / "heron.pdf", ["Heron Observatory Board\nIt was RESOLVED that the heron "
                                              "telescope report be noted."])
    stop = threading.Event()
    reloads: list[str] = []

    def churn() -> None:  # the paper added then removed, again and again, through the same index object
        while not stop.is_set():
            assert ingest_paths([extra], settings.ingest, index, progress=False).ok
            assistant.searcher.ensure_fresh()
            reloads.append(assistant.searcher.signature)
            assert index.remove(extra.name)

    churner = threading.Thread(target=churn)
    churner.start()
    try:
        with ThreadPoolExecutor(8) as pool:
            together = list(pool.map(lambda q: (q, assistant.ask(q)), questions))
    finally:
        stop.set()
        churner.join()
    assert reloads, "the searcher reloaded while answers were made"
    assert [(q, answer.text) for q, answer in together] == [(q, alone[q]) for q in questions]


def test_a_write_through_the_same_index_is_seen_at_once(tmp_path, embeddings):
    settings = Settings.build(index_dir=tmp_path / "index", corpus_dir=REPO / "corpus", workers=1)
    index = PanelIndex(settings.store, embeddings)
    assert ingest_paths(PACKS[:1], settings.ingest, index, progress=False).ok
    searcher = HybridSearcher(index)
    before = len(searcher.ids)
    assert ingest_paths(PACKS[1:], settings.ingest, index, progress=False).ok
    searcher.ensure_fresh()  # within recheck_seconds of the last look, but this process wrote
    assert len(searcher.ids) > before


@given(st.sets(st.text(alphabet="abces", min_size=1, max_size=8), max_size=8), st.text(alphabet="abces", max_size=9))
def test_the_fast_stem_match_is_the_plain_rule(have, term):
    """``holds`` finds stems by set lookups and a binary search; it must agree with the rule it replaced (and a
    short word's plural or singular: "male" / "males")."""
    plain = term in have or f"{term}s" in have or (len(term) > 3 and term.endswith("s") and term[:-1] in have) or (
        len(term) >= 5 and term.isalpha() and any(
            len(word) >= 5 and (word.startswith(term) or term.startswith(word)) for word in have))
    assert holds(have, term) == plain


def test_page_reading_workers_end_with_a_killed_ingest(tmp_path):
    """A SIGKILLed ingest never shuts its pool down: its workers notice and end instead of waiting for ever."""
    env = {**os.environ, "PANEL_INDEX_DIR": str(tmp_path / "index"), "PANEL_WORKERS": "2", "PANEL_RANGE_PAGES": "4",
           "PANEL_PARALLEL_MIN_PAGES": "1"}
    ingest = subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", "--quiet", str(REPO / "corpus")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        deadline = time.time() + 120
        while not _children(ingest.pid) and time.time() < deadline:
            time.sleep(0.2)
        workers = _children(ingest.pid)
        assert workers, "the ingest started its page-reading workers"
    finally:
        ingest.kill()
        ingest.wait()
    deadline = time.time() + 15
    while any(_running(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _running(pid)], "workers outlived the killed ingest"


def _children(pid: int) -> list[int]:
    """The spawned worker processes of ``pid`` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text and "spawn_main" in (status.parent / "cmdline").read_text(errors="ignore"):
            found.append(int(status.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"
