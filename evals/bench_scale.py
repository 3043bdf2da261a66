"""Scale benchmark: how the index and the queries grow with the corpus.

    python -m evals.bench_scale [--factors 1 10 100] [--json FILE] [--base INDEX_DIR]

The sample corpus is ingested once into a temporary index (or ``--base`` names one already made
from corpus/). Each factor F then gets a fresh temporary index holding F copies of every document:
copy c is named ``copy{c:03d}-<file>`` and its meeting dates are moved back by 2*c calendar months
(``meeting_date``, ``meeting_key``, the document's date, the decisions' dates and the dates the
title and chunk headers print). A scorecard ``period`` ("Nov 2018", "2015-16 Q2") and the chunk
texts stay as printed, so every copy holds the same figures for the same months.

No model runs while building: replicated chunks reuse their originals' vectors, put into the
index's content-hash embedding cache beforehand under the key ``PanelEmbeddings`` gives the copy's
``embed_text``; ``PanelIndex.write_document`` then writes each copy exactly as an ingest would
(pending marker, chunks, decisions, registry). The build checks that nothing was embedded.

Each factor runs in a fresh process (``--one F``), and its serving half in another fresh process
(``--serve DIR``), so the resident memory is that of a process that only opened the index and
answered: open an ``Assistant`` (all live chunks loaded, BM25 built and saved), one warm-up
question, then ``retrieve`` and ``ask`` over the gold questions, then RSS, then a second open that
finds BM25 on disk.

The sample corpus has 951 chunks, so 100 copies would stay under 100,000 chunks; when the largest
factor is 100 or more it is given enough whole copies to reach ``--min-top-chunks`` (default
100,000: 106 copies). The table has a ``copies`` column and every ratio is shown beside the chunk
ratio, so this is never hidden.

Two things the figures showed (chromadb 1.5.9, 2 shared cores):

* chromadb's SQLite store fails any ``get`` returning the metadata of more than 32,766 records
  ("too many SQL variables"), so an Assistant that reads every chunk with one unpaged ``get``
  cannot open past ~34 copies of the corpus. The index now reads in pages (``PanelIndex.get_all``);
  should an opening still fail that way, the serving process records the error and measures again
  with the collection's ``get`` read in pages by the benchmark (``page_gets``); such rows are marked *.
* On a machine whose cores are busy with other work, torch's two threads make one query embedding
  take ~0.5 s instead of ~20 ms, whatever the index size. The "w/o query embedding" columns leave
  that out; ``--torch-threads 1`` measures with one torch thread.
"""

from __future__ import annotations

import argparse
import calendar
import gc
import hashlib
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

# Nothing below may ask the Hugging Face hub (nor Chroma's telemetry) for anything.
for _name, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("HF_HUB_DISABLE_TELEMETRY", "1"),
                      ("ANONYMIZED_TELEMETRY", "False"), ("TOKENIZERS_PARALLELISM", "false")):
    os.environ.setdefault(_name, _value)

from core.dates import human_date  # noqa: E402
from core.records import Chunk, Decision, DocumentInfo  # noqa: E402
from core.settings import Settings  # noqa: E402
from evals.check_gold import load_gold  # noqa: E402
from ingest.chunker import text_hash  # noqa: E402
from ingest.scorecard import scorecard_rows  # noqa: E402
from store import codec  # noqa: E402
from store.embeddings import EmbeddingCache, PanelEmbeddings  # noqa: E402
from store.index import PanelIndex  # noqa: E402

MONTHS_PER_COPY = 2
MIN_TOP_CHUNKS = 100_000
CACHE_FILE = "embedding-cache.sqlite"  # where PanelIndex looks for its embedding cache
CHUNK_FIELDS = [f.name for f in fields(Chunk)]
DECISION_FIELDS = [f.name for f in fields(Decision)]
INFO_FIELDS = [f.name for f in fields(DocumentInfo)]


# -- small measures ------------------------------------------------------------------------------
def proc_status_mb(field: str) -> float:
    """VmRSS / VmHWM of this process from /proc/self/status, in MB (0 where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def disk_mb(path: Path) -> float:
    """What ``du`` counts: allocated blocks of every file under ``path``, in MB."""
    if path.is_file():
        return path.stat().st_blocks * 512 / 2**20
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total / 2**20


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def index_settings(index_dir: Path) -> Settings:
    # Always an embedded store in the temporary folder, whatever PANEL_CHROMA_HOST says.
    return Settings.load().override(index_dir=str(index_dir), chroma_host="")


# -- the originals -------------------------------------------------------------------------------
@dataclass
class Original:
    info: DocumentInfo
    chunks: list[tuple[Chunk, list[float]]]
    decisions: list[tuple[Decision, list[float]]]


def decision_text(decision: Decision) -> str:
    return f"{decision.minute_title or ''}\n{decision.text}".strip()  # as PanelIndex.write_document embeds it


def _order(chunk_id: str) -> int:
    return int(chunk_id.rsplit(":", 1)[1].lstrip("d"))


def load_originals(index: PanelIndex) -> list[Original]:
    """Every live document of the base index with its chunks, decisions and their stored vectors."""
    records = index.documents()
    originals = {name: Original(DocumentInfo(**{f: getattr(rec, f) for f in INFO_FIELDS}), [], [])
                 for name, rec in sorted(records.items())}
    live = {name: rec.version for name, rec in records.items()}
    def live_rows(collection):
        got = index.get_all(collection, include=["documents", "metadatas", "embeddings"])
        rows = sorted(zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True),
                      key=lambda r: (r[2]["document"], _order(r[0])))
        return [r for r in rows if live.get(r[2]["document"]) == r[2]["version"]]

    for _id, text, meta, vector in live_rows(index.chunks):
        stored = codec.decode_chunk(_id, text, meta)
        chunk = Chunk(**{f: getattr(stored, f) for f in CHUNK_FIELDS})
        if text_hash(chunk.embed_text) != meta["content_hash"]:
            raise RuntimeError(f"chunk {_id} does not read back as it was written")
        originals[meta["document"]].chunks.append((chunk, [float(x) for x in vector]))
    for _id, text, meta, vector in live_rows(index.decisions):
        stored = codec.decode_decision(_id, text, meta)
        decision = Decision(**{f: getattr(stored, f) for f in DECISION_FIELDS})
        originals[meta["document"]].decisions.append((decision, [float(x) for x in vector]))
    return list(originals.values())


# -- copies --------------------------------------------------------------------------------------
def shift_iso(iso: str | None, months: int) -> str | None:
    """An ISO date moved back by whole calendar months (the day clamped to the month's end)."""
    if not iso:
        return iso
    day = date.fromisoformat(iso)
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1])).isoformat()


def _date_rewriter(dates: set[str | None], months: int):
    """A function replacing each printed form ("8 December 2015") of ``dates`` by its shifted form."""
    mapping = {human_date(d): human_date(shift_iso(d, months)) for d in dates if d}
    if not months or not mapping:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    return lambda text: pattern.sub(lambda m: mapping[m.group(0)], text) if text else text


def make_copy(original: Original, copy: int, key) -> tuple[DocumentInfo, list[Chunk], list[Decision], dict]:
    """Copy ``copy`` of a document, and the cache entries (key → original vector) its texts need."""
    months = copy * MONTHS_PER_COPY
    info = original.info
    dates = {info.meeting_date} | {c.meeting_date for c, _ in original.chunks} \
        | {d.meeting_date for d, _ in original.decisions}
    rewrite = _date_rewriter(dates, months)
    name = f"copy{copy:03d}-{info.document}"
    new_info = DocumentInfo(
        document=name, title=rewrite(info.title), committee=info.committee,
        meeting_date=shift_iso(info.meeting_date, months), kind=info.kind, pages=info.pages,
        content_hash=hashlib.sha256(f"{info.content_hash}:{name}".encode()).hexdigest())
    entries: dict[str, list[float]] = {}
    chunks = []
    for chunk, vector in original.chunks:
        values = {f: getattr(chunk, f) for f in CHUNK_FIELDS}
        values.update(document=name, header=rewrite(chunk.header), meeting_date=shift_iso(chunk.meeting_date, months))
        new = Chunk(**values)
        new.content_hash = text_hash(new.embed_text)
        entries[key(new.embed_text)] = vector
        chunks.append(new)
    decisions = []
    for decision, vector in original.decisions:
        values = {f: getattr(decision, f) for f in DECISION_FIELDS}
        values.update(document=name, meeting_date=shift_iso(decision.meeting_date, months))
        new = Decision(**values)
        entries[key(decision_text(new))] = vector
        decisions.append(new)
    return new_info, chunks, decisions, entries


def copies_for(factor: int, top: int, base_chunks: int, min_top_chunks: int) -> int:
    if factor == top and factor >= 100 and base_chunks and factor * base_chunks < min_top_chunks:
        return math.ceil(min_top_chunks / base_chunks)
    return factor


# -- one factor: build ---------------------------------------------------------------------------
def ingest_base(base_dir: Path) -> dict:
    from ingest.pipeline import ingest_paths

    settings = index_settings(base_dir)
    index = PanelIndex(settings.store)
    report = ingest_paths([settings.ingest.corpus_dir], settings.ingest, index, progress=False)
    if not report.ok:
        raise SystemExit(f"ingest of the corpus failed: {report.failed}")
    return {"documents": len(report.ingested), "pages": report.pages, "chunks": report.chunks,
            "decisions": report.decisions, "seconds": round(report.seconds, 1),
            "embedded": index.embeddings.computed}


def build(base_dir: Path, index_dir: Path, copies: int, progress) -> dict:
    base_index = PanelIndex(index_settings(base_dir).store)
    originals = load_originals(base_index)
    del base_index
    settings = index_settings(index_dir)
    cache = EmbeddingCache(index_dir / CACHE_FILE)
    embeddings = PanelEmbeddings(settings.store.embedding_model, cache, settings.store.embed_batch_size)
    index = PanelIndex(settings.store, embeddings)
    prefill = write = 0.0
    written = 0
    started = time.perf_counter()
    for copy in range(copies):
        t0 = time.perf_counter()
        made = [make_copy(original, copy, embeddings._key) for original in originals]
        for _info, _chunks, _decisions, entries in made:
            cache.put_many(entries)
        t1 = time.perf_counter()
        for info, chunks, decisions, _entries in made:
            index.write_document(info, chunks, decisions, scorecard_rows(chunks),
                                 source=f"bench_scale copy {copy} of {info.document}")
            written += len(chunks)
        t2 = time.perf_counter()
        prefill += t1 - t0
        write += t2 - t1
        if progress and (copy + 1) % max(1, copies // 10) == 0:
            rate = written / write if write else 0.0
            progress(f"  copy {copy + 1}/{copies}: {written} chunks, {t2 - started:.0f} s "
                     f"({rate:.0f} chunks/s written, last copy {t2 - t1:.2f} s)")
    build_seconds = time.perf_counter() - started
    stats = index.stats()
    figures = {
        "copies": copies, "documents": stats["documents"], "chunks": stats["chunks"],
        "stored_chunks": stats["stored_chunks"], "decisions": stats["decisions"],
        "build_s": round(build_seconds, 1), "prefill_cache_s": round(prefill, 1),
        "write_s": round(write, 1), "embedded_while_building": embeddings.computed,
        "build_rss_mb": round(proc_status_mb("VmRSS"), 1),
        "disk_after_build_mb": round(disk_mb(index_dir), 1),
    }
    if embeddings.computed:
        raise SystemExit(f"the build embedded {embeddings.computed} texts: the cache was not used")
    if stats["chunks"] != stats["stored_chunks"] or stats["chunks"] != copies * sum(len(o.chunks) for o in originals):
        raise SystemExit(f"registry and store disagree: {stats}")
    cache.close()
    release_chroma()
    return figures


def release_chroma() -> None:
    """Let go of every embedded Chroma store this process opened, before another process opens it."""
    from chromadb.api.client import SharedSystemClient

    gc.collect()
    SharedSystemClient.clear_system_cache()


# -- one factor: serve ---------------------------------------------------------------------------
def timed(owner, name: str, spent: dict) -> None:
    """Wrap ``owner.name`` so the seconds spent inside it add up in ``spent[name]``."""
    inner = getattr(owner, name)
    spent[name] = 0.0

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - t0

    setattr(owner, name, wrapper)


def machine_load() -> dict:
    """How busy the (shared) machine is: 1-minute load average and CPU pressure (share of time stalled)."""
    load = {"loadavg_1m": float(Path("/proc/loadavg").read_text().split()[0])}
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0].split()
        load["cpu_pressure_avg60"] = float(dict(part.split("=") for part in some[1:])["avg60"])
    except (OSError, KeyError, IndexError, ValueError):
        pass
    return load


GET_PAGE = 10_000  # records per page of the paged get (SQLite binds at most 32,766 variables a statement)


def page_gets(collection) -> None:
    """Make ``collection.get()`` without ids or limit read in pages of ``GET_PAGE`` records.

    chromadb 1.5.9's embedded store fails any ``get`` that returns metadatas of more than 32,766
    records ("too many SQL variables"). This shim, applied only inside the benchmark's serving
    process and only after the unpatched open failed, stands in for the paged read the index
    would need, so the queries can still be measured at that size.
    """
    inner = collection.get

    def get(ids=None, where=None, limit=None, offset=None, where_document=None, include=None, **kwargs):
        if include is not None:
            kwargs["include"] = include
        if ids is not None or limit is not None or offset is not None:
            return inner(ids=ids, where=where, limit=limit, offset=offset, where_document=where_document, **kwargs)
        merged = None
        start = 0
        while True:
            page = inner(where=where, limit=GET_PAGE, offset=start, where_document=where_document, **kwargs)
            if merged is None:
                merged = {k: (list(v) if isinstance(v, list) else v) for k, v in page.items()}
            else:
                for key, value in page.items():
                    if isinstance(value, list) and isinstance(merged.get(key), list):
                        merged[key].extend(value)
            if len(page["ids"]) < GET_PAGE:
                return merged
            start += GET_PAGE

    collection.get = get


def open_assistant(settings: Settings) -> tuple:
    """Open an Assistant as the app does; when that fails for too many SQL variables, again with paged gets.

    Returns the assistant, the seconds the opening that worked took, and what failed first (or None).
    """
    from retrieval.answer import Assistant

    started = time.perf_counter()
    try:
        return Assistant.open(settings, PanelIndex(settings.store)), time.perf_counter() - started, None
    except Exception as exc:
        if "too many SQL variables" not in str(exc):
            raise
        failed = {"error": f"{type(exc).__name__}: {exc}", "after_s": round(time.perf_counter() - started, 2)}
        print(f"  the Assistant cannot open this index as shipped ({failed['error']}); "
              f"measuring with paged gets of {GET_PAGE:,} records", file=sys.stderr, flush=True)
    gc.collect()
    started = time.perf_counter()
    index = PanelIndex(settings.store)
    page_gets(index.chunks)
    page_gets(index.decisions)
    return Assistant.open(settings, index), time.perf_counter() - started, failed


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def serve(index_dir: Path, repeat: int, torch_threads: int | None = None) -> dict:
    import retrieval.answer.assistant
    from retrieval.hybrid import HybridSearcher

    settings = index_settings(index_dir)
    if torch_threads:
        import torch

        torch.set_num_threads(torch_threads)
    load_before = machine_load()
    spent: dict[str, float] = {}
    timed(HybridSearcher, "_load_or_build_bm25", spent)
    timed(retrieval.answer.assistant, "build_glossary", spent)
    rss_before = proc_status_mb("VmRSS")
    assistant, open_s, open_failed = open_assistant(settings)
    opened = dict(spent)
    rss_open = proc_status_mb("VmRSS")
    timed(assistant.index.embeddings, "embed_query", spent)  # the model's share of each query
    questions = [q["question"] for q in load_gold()]
    t0 = time.perf_counter()
    assistant.ask(questions[0])  # warm-up: loads the embedding model
    first_s = time.perf_counter() - t0
    times: dict[str, list[float]] = {"retrieve": [], "ask": [], "retrieve_noembed": [], "ask_noembed": []}
    answered = 0
    for question in questions * repeat:
        e0, t0 = spent["embed_query"], time.perf_counter()
        assistant.retrieve(question)
        e1, t1 = spent["embed_query"], time.perf_counter()
        answer = assistant.ask(question)
        e2, t2 = spent["embed_query"], time.perf_counter()
        times["retrieve"].append(t1 - t0)
        times["retrieve_noembed"].append(t1 - t0 - (e1 - e0))
        times["ask"].append(t2 - t1)
        times["ask_noembed"].append(t2 - t1 - (e2 - e1))
        answered += bool(answer.answered)
    figures = {
        "live_chunks": len(assistant.searcher.ids), "questions": len(times["ask"]),
        "answered": answered, "open_s": round(open_s, 2),
        "open_bm25_s": round(opened["_load_or_build_bm25"], 2),
        "open_glossary_s": round(opened["build_glossary"], 2),
        "open_load_and_count_s": round(open_s - opened["_load_or_build_bm25"] - opened["build_glossary"], 2),
        "first_answer_s": round(first_s, 2),
        "embedded_while_serving": assistant.index.embeddings.computed,
        "rss_start_mb": round(rss_before, 1), "rss_after_open_mb": round(rss_open, 1),
        "rss_mb": round(proc_status_mb("VmRSS"), 1),
        "peak_rss_mb": round(max(proc_status_mb("VmHWM"), peak_rss_mb()), 1),
        "load_before": load_before, "load_after": machine_load(),
        "open_failed": open_failed, "paged_get_shim": open_failed is not None,
        "torch_threads": _torch_threads(),
    }
    for name, values in times.items():
        p50, p95 = percentiles(values)
        figures[f"{name}_p50_ms"] = round(p50 * 1000, 1)
        figures[f"{name}_p95_ms"] = round(p95 * 1000, 1)
    del assistant
    gc.collect()
    _again, reopen_s, _failed = open_assistant(settings)  # BM25 now comes from its cache beside the index
    figures["reopen_s"] = round(reopen_s, 2)
    figures["reopen_bm25_s"] = round(spent["_load_or_build_bm25"] - opened["_load_or_build_bm25"], 2)
    figures["disk_mb"] = round(disk_mb(index_dir), 1)
    figures["disk_bm25_mb"] = round(disk_mb(index_dir / "bm25"), 1)
    figures["disk_embedding_cache_mb"] = round(sum(disk_mb(p) for p in index_dir.glob(CACHE_FILE + "*")), 1)
    figures["disk_chroma_mb"] = round(disk_mb(index_dir / "chroma"), 1)
    return figures


class ChildFailed(RuntimeError):
    pass


def run_child(args: list[str], out: Path) -> dict:
    """``python -m evals.bench_scale ARGS --json OUT`` in a fresh process; its figures."""
    command = [sys.executable, "-m", "evals.bench_scale", *args, "--json", str(out)]
    done = subprocess.run(command, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode != 0 or not out.is_file():
        raise ChildFailed(f"{' '.join(command[2:])} failed with exit code {done.returncode} (its error is above)")
    return json.loads(out.read_text())


def one_factor(factor: int, copies: int, base_dir: Path | None, serve_args: list[str], work: Path) -> dict:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    figures: dict = {"factor": factor}
    if base_dir is None:
        base_dir = work / "base"
        say(f"[{factor}x] ingesting the corpus into {base_dir}")
        figures["base"] = ingest_base(base_dir)
    index_dir = work / f"index-{factor}x"
    say(f"[{factor}x] building {copies} copies in {index_dir}")
    figures.update(build(base_dir, index_dir, copies, say))
    gc.collect()
    say(f"[{factor}x] {figures['chunks']} chunks in {figures['build_s']} s; serving in a fresh process")
    try:
        figures.update(run_child(["--serve", str(index_dir), *serve_args], work / f"serve-{factor}x.json"))
    except ChildFailed as exc:
        figures["error"] = f"serving: {exc}"
        figures["disk_mb"] = round(disk_mb(index_dir), 1)
    return figures


# -- the table -----------------------------------------------------------------------------------
def _pair(row: dict, name: str) -> str:
    return f"{row[name + '_p50_ms']:.0f} / {row[name + '_p95_ms']:.0f}"


COLUMNS = [
    ("factor", lambda r: f"{r['factor']}x" + ("*" if r.get("paged_get_shim") else "")),
    ("copies", lambda r: str(r["copies"])),
    ("chunks", lambda r: f"{r['chunks']:,}"), ("build s", lambda r: f"{r['build_s']:.1f}"),
    ("disk MB", lambda r: f"{r['disk_mb']:.0f}"), ("open s", lambda r: f"{r['open_s']:.1f}"),
    ("reopen s", lambda r: f"{r['reopen_s']:.1f}"),
    ("retrieve p50 / p95 ms", lambda r: _pair(r, "retrieve")), ("ask p50 / p95 ms", lambda r: _pair(r, "ask")),
    ("retrieve w/o query embedding", lambda r: _pair(r, "retrieve_noembed")),
    ("ask w/o query embedding", lambda r: _pair(r, "ask_noembed")),
    ("RSS MB open / end / peak",
     lambda r: f"{r['rss_after_open_mb']:.0f} / {r['rss_mb']:.0f} / {r['peak_rss_mb']:.0f}"),
    ("answered", lambda r: f"{r['answered']}/{r['questions']}"),
]
RATIOS = [("build_s", "build"), ("disk_mb", "disk"), ("open_s", "open"), ("retrieve_p50_ms", "retrieve p50"),
          ("retrieve_p95_ms", "retrieve p95"), ("retrieve_noembed_p95_ms", "retrieve p95 w/o emb."),
          ("ask_p50_ms", "ask p50"), ("ask_p95_ms", "ask p95"), ("ask_noembed_p95_ms", "ask p95 w/o emb."),
          ("rss_after_open_mb", "RSS open"), ("rss_mb", "RSS end")]


def _ratio(row: dict, first: dict, key: str) -> str:
    return f"x{row[key] / first[key]:.1f}" if first.get(key) else "-"


def table(all_rows: list[dict]) -> str:
    rows = [r for r in all_rows if "open_s" in r]
    lines = ["| " + " | ".join(title for title, _ in COLUMNS) + " |", "|" + "|".join("---:" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(cell(row) for _, cell in COLUMNS) + " |" for row in rows]
    for row in all_rows:
        if "open_s" not in row:
            lines.append(f"\n{row['factor']}x: not measured: {row.get('error')}")
    for row in rows:
        if row.get("paged_get_shim"):
            failed = row["open_failed"]
            lines += ["", f"{row['factor']}x* ({row['chunks']:,} chunks): the Assistant as shipped does not open: "
                      f"{failed['error']} (after {failed['after_s']} s: an unpaged Chroma get of every chunk's "
                      "metadata, and chromadb's SQLite store binds one variable a record, at most 32,766). "
                      f"Its figures were measured with that get paged by the benchmark ({GET_PAGE:,} records a page)."]
    if not rows:
        return "\n".join(lines)
    first = rows[0]
    if len(rows) > 1:
        lines += ["", f"Growth against {first['factor']}x ({first['chunks']:,} chunks):", "",
                  "| factor | chunks | " + " | ".join(title for _, title in RATIOS) + " |",
                  "|" + "|".join("---:" for _ in range(len(RATIOS) + 2)) + "|"]
        for row in rows[1:]:
            cells = [f"{row['factor']}x", f"x{row['chunks'] / first['chunks']:.1f}"]
            lines.append("| " + " | ".join(cells + [_ratio(row, first, key) for key, _ in RATIOS]) + " |")
        top = rows[-1]
        lines += ["", f"{top['factor']}x ({top['chunks'] / first['chunks']:.0f}x the chunks): "
                  f"retrieve p95 {_ratio(top, first, 'retrieve_p95_ms')}, ask p95 {_ratio(top, first, 'ask_p95_ms')}, "
                  f"open {_ratio(top, first, 'open_s')}, RSS {_ratio(top, first, 'rss_mb')}, "
                  f"disk {_ratio(top, first, 'disk_mb')}."]
    lines += ["", "Where the time goes:"]
    for row in rows:
        rate = row["chunks"] / row["write_s"] if row["write_s"] else 0
        before, after = row["load_before"], row["load_after"]
        pressure = f", CPU pressure {after['cpu_pressure_avg60']:.0f}%" if "cpu_pressure_avg60" in after else ""
        lines.append(
            f"- {row['factor']}x: build {row['build_s']:.1f} s = cache prefill {row['prefill_cache_s']:.1f} s + "
            f"write_document {row['write_s']:.1f} s ({rate:.0f} chunks/s), {row['embedded_while_building']} texts "
            f"embedded; open {row['open_s']:.1f} s = load chunks and count words {row['open_load_and_count_s']:.1f} s"
            f" + BM25 build {row['open_bm25_s']:.1f} s + glossary {row['open_glossary_s']:.1f} s (reopen with BM25 "
            f"from disk {row['reopen_s']:.1f} s, BM25 load {row['reopen_bm25_s']:.1f} s); disk {row['disk_mb']:.0f} MB"
            f" = Chroma {row['disk_chroma_mb']:.0f} + embedding cache {row['disk_embedding_cache_mb']:.0f} + BM25 "
            f"{row['disk_bm25_mb']:.0f}; load average {before['loadavg_1m']:.1f} -> {after['loadavg_1m']:.1f}"
            f" on {os.cpu_count()} CPUs while serving{pressure}, torch threads {row.get('torch_threads')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--base", type=Path, help="an index already made from corpus/ (default: ingest it now)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the gold questions (default 1)")
    parser.add_argument("--torch-threads", type=int, help="torch threads while serving (default: torch's own choice)")
    parser.add_argument("--min-top-chunks", type=int, default=MIN_TOP_CHUNKS,
                        help="whole copies added to a largest factor of 100 or more to reach this many chunks")
    parser.add_argument("--one", type=int, metavar="F", help=argparse.SUPPRESS)  # one factor, in this process
    parser.add_argument("--copies", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=Path, metavar="DIR", help=argparse.SUPPRESS)  # the serving half
    args = parser.parse_args(argv)

    if args.serve:
        figures = serve(args.serve, args.repeat, args.torch_threads)
    elif args.one:
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{args.one}x-") as work:
            figures = one_factor(args.one, args.copies or args.one, args.base, serve_options(args), Path(work))
    else:
        figures = drive(args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


def serve_options(args) -> list[str]:
    return ["--repeat", str(args.repeat)] + (["--torch-threads", str(args.torch_threads)] if args.torch_threads else [])


def drive(args) -> dict:
    started = time.perf_counter()
    factors = sorted(set(args.factors))
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as work_dir:
        work = Path(work_dir)
        base_dir, base = args.base, None
        if base_dir is None:
            base_dir = work / "base"
            print(f"ingesting {Settings.load().corpus_dir} once (embeds every chunk: about 2 minutes on 2 cores)",
                  file=sys.stderr, flush=True)
            base = ingest_base(base_dir)
            print(f"  {base['chunks']} chunks, {base['decisions']} decisions in {base['seconds']} s",
                  file=sys.stderr, flush=True)
        base_chunks = base["chunks"] if base else PanelIndex(index_settings(base_dir).store).stats()["chunks"]
        release_chroma()
        for factor in factors:
            copies = copies_for(factor, factors[-1], base_chunks, args.min_top_chunks)
            child = ["--one", str(factor), "--copies", str(copies), "--base", str(base_dir),
                     *serve_options(args)]
            try:
                row = run_child(child, work / f"{factor}x.json")
            except ChildFailed as exc:
                row = {"factor": factor, "copies": copies, "error": str(exc)}
            rows.append(row)
            done = f"open {row['open_s']} s, ask p95 {row['ask_p95_ms']} ms" if "open_s" in row else row["error"]
            print(f"{factor}x done: {row.get('chunks', 0):,} chunks, build {row.get('build_s')} s, {done} "
                  f"({time.perf_counter() - started:.0f} s so far)", file=sys.stderr, flush=True)
    print(table(rows))
    print(f"\nbase ingest: {base or f'reused {base_dir}'}; total {time.perf_counter() - started:.0f} s")
    return {"base": base, "factors": rows, "total_s": round(time.perf_counter() - started, 1)}


if __name__ == "__main__":
    main()
