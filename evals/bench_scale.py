"""Scale benchmark: how the index and the queries grow with the papers, embedded and through a Chroma server.

    python -m evals.bench_scale [--source corpus|archive|both] [--factors 1 10 100] [--server]
                                [--base INDEX_DIR] [--json FILE] [--repeat N] [--torch-threads N]

The base is the sample corpus (``corpus/``), the real Kent archive (``../shared/real-archive/``: 46
Cabinet and Council papers, 574 pages) or both (the default). It is ingested once into a temporary
index, or ``--base`` names an index already holding those papers (other documents in it are left
out; the base is only read). Each factor F then gets a fresh temporary index holding F copies of
every base document: copy c is named ``copy{c:03d}-<file>`` and its meeting dates are moved back by
2*c calendar months (``meeting_date``, ``meeting_key``, the document's date, the decisions' dates
and the dates the title and chunk headers print). A scorecard ``period`` ("Nov 2018", "2015-16 Q2")
and the chunk texts stay as printed, so every copy holds the same figures for the same months.

No model runs while building: every vector a copy needs (its chunks' ``embed_text``, their
sentences, its decisions, its scorecard rows' indicators, its table passages' headers) is put into the new
index's content-hash embedding cache beforehand, taken from the base's stored vectors (a header's from the
base's embedding cache, read before the build) under the key ``PanelEmbeddings`` gives the text;
``PanelIndex.write_document`` then writes each copy exactly as an ingest would (pending marker, chunks,
sentences, decisions, rows, registry flip). The build fails if anything was embedded.

Each factor runs in a fresh process (``--one F``), and each serving half in another fresh process
(``--serve DIR``), so the resident memory is that of a process that only opened the index and
answered. Serving does what ``panel-papers serve`` with ``PANEL_APP_ANSWER_PROCESSES=1`` does before it says
"Ready": ``PanelService.warm``
(open the ``Assistant``: every live chunk, row and sentence vector loaded, BM25 built and saved,
glossary; the model; the figure series, calendar and history; two throwaway answers). Then the
first ten gold questions are asked one after another (the first answer against the tenth), then
``retrieve`` and ``ask`` over every timing question, then RSS, then a second open that finds BM25
on disk, then ``serve`` as it is by default: answer processes (one per core) started first and warmed up beside
the server's own warm-up, the first ten questions answered by them, the RSS of every process. With
``--server`` the same serving half runs again against ``chroma run --path
INDEX/chroma`` (a real Chroma server over the very folder the embedded run read; BM25's cache is
removed first so both opens build it), and the server process's own RSS is read as well.

Timing questions: ``evals/gold.jsonl`` when the corpus is in the base, and the questions of
``evals/gold_real.jsonl`` whose quotes all lie in real-archive papers (or that have none: the
unanswerable ones) when the archive is.

Factors are whole copies, except that a largest factor of 100 or more means "council scale": as
many whole copies as reach ``--min-top-chunks`` (default 100,000; 36 copies of corpus + archive,
109 of the corpus alone). The table has a ``copies`` column and every time ratio is shown beside
the chunk ratio, so this is never hidden.

Time: with ``--base`` and ``--server``, factors 1 10 100 of corpus + archive took 65 minutes on 2 shared
cores (1x 2.4, 10x 14, 100x 48 of which building 32); docs/scaling.md has the figures.

On a machine whose cores are busy with other work, torch's threads make one query embedding take
~0.5 s instead of ~20 ms, whatever the index size. The "w/o query embedding" columns leave that
out; ``--torch-threads 1`` measures with one torch thread; the load average and CPU pressure while
serving are printed under the table.
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
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

# Nothing below may ask the Hugging Face hub (nor Chroma's telemetry, nor Gradio's) for anything.
for _name, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("HF_HUB_DISABLE_TELEMETRY", "1"),
                      ("ANONYMIZED_TELEMETRY", "False"), ("TOKENIZERS_PARALLELISM", "false"),
                      ("GRADIO_ANALYTICS_ENABLED", "False")):
    os.environ.setdefault(_name, _value)

from core.dates import human_date  # noqa: E402
from core.records import Chunk, ChunkKind, Decision, DocumentInfo  # noqa: E402
from core.sentences import sentences  # noqa: E402
from core.settings import Settings  # noqa: E402
from evals.check_gold import GOLD, GOLD_REAL, SHARED, load_gold  # noqa: E402
from evals.servers import free_port, stop, wait_for_port  # noqa: E402
from ingest.chunker import text_hash  # noqa: E402
from ingest.kpi import figure_rows  # noqa: E402
from store import codec  # noqa: E402
from store.embeddings import EmbeddingCache, PanelEmbeddings  # noqa: E402
from store.index import PanelIndex  # noqa: E402

MONTHS_PER_COPY = 2
MIN_TOP_CHUNKS = 100_000
ARCHIVE = SHARED / "real-archive"
SOURCES = ("corpus", "archive", "both")
CACHE_FILE = "embedding-cache.sqlite"  # where PanelIndex looks for its embedding cache
CHUNK_FIELDS = [f.name for f in fields(Chunk)]
DECISION_FIELDS = [f.name for f in fields(Decision)]
INFO_FIELDS = [f.name for f in fields(DocumentInfo)]
MODES = ("embedded", "server")
FIRST_N = 10  # the first answer is compared with the FIRST_N-th


# -- small measures ------------------------------------------------------------------------------
def proc_status_mb(field_name: str, pid: int | str = "self") -> float:
    """VmRSS / VmHWM of a process from /proc/PID/status, in MB (0 where there is no /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
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


def index_settings(index_dir: Path, chroma_port: int | None = None) -> Settings:
    """An embedded store in ``index_dir`` (whatever PANEL_CHROMA_HOST says), or the Chroma server on
    this machine's ``chroma_port`` with ``index_dir`` for the local parts (embedding cache, BM25)."""
    if chroma_port:
        return Settings.load().override(index_dir=str(index_dir), chroma_host="127.0.0.1", chroma_port=chroma_port)
    return Settings.load().override(index_dir=str(index_dir), chroma_host="")


def machine_load() -> dict:
    """How busy the (shared) machine is: 1-minute load average and CPU pressure (share of time stalled)."""
    load = {"loadavg_1m": float(Path("/proc/loadavg").read_text().split()[0])}
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0].split()
        load["cpu_pressure_avg60"] = float(dict(part.split("=") for part in some[1:])["avg60"])
    except (OSError, KeyError, IndexError, ValueError):
        pass
    return load


# -- the base ------------------------------------------------------------------------------------
def source_folders(source: str) -> list[Path]:
    """The folders of papers a ``--source`` names; a missing archive stops with the reason."""
    folders = []
    if source in ("corpus", "both"):
        folders.append(Path(Settings.load().ingest.corpus_dir))
    if source in ("archive", "both"):
        if not ARCHIVE.is_dir():
            raise SystemExit(f"--source {source} needs the real archive at {ARCHIVE}, which is not there "
                             "(use --source corpus)")
        folders.append(ARCHIVE)
    return folders


def source_documents(source: str) -> set[str]:
    """The document names (file names, as ingest keeps them) of a source's papers."""
    return {p.name for folder in source_folders(source) for p in folder.rglob("*") if p.suffix.lower() == ".pdf"}


def archive_only(question: dict) -> bool:
    """A real question whose quotes all lie in real-archive papers (or that has none: unanswerable)."""
    pdfs = [question.get("source_pdf")] + [s.get("source_pdf") for s in question.get("source_quotes") or []
                                           if isinstance(s, dict)]
    return all(pdf.startswith("real-archive/") for pdf in pdfs if pdf)


def timing_questions(source: str) -> list[str]:
    questions = []
    if source in ("corpus", "both"):
        questions += [q["question"] for q in load_gold(GOLD)]
    if source in ("archive", "both"):
        questions += [q["question"] for q in load_gold(GOLD_REAL) if archive_only(q)]
    return questions


def ingest_base(base_dir: Path, source: str) -> dict:
    from ingest.pipeline import ingest_paths

    settings = index_settings(base_dir)
    index = PanelIndex(settings.store)
    report = ingest_paths(source_folders(source), settings.ingest, index, progress=False)
    if not report.ok:
        raise SystemExit(f"ingest of the base failed: {report.failed}")
    return {"documents": len(report.ingested), "pages": report.pages, "chunks": report.chunks,
            "decisions": report.decisions, "seconds": round(report.seconds, 1),
            "embedded": index.embeddings.computed}


def base_chunk_count(base_dir: Path, source: str) -> tuple[int, int, int]:
    """(chunks, documents, pages) of the base documents a source takes."""
    names = source_documents(source)
    records = [r for name, r in PanelIndex(index_settings(base_dir).store).documents().items() if name in names]
    return sum(r.chunks for r in records), len(records), sum(r.pages for r in records)


# -- the originals -------------------------------------------------------------------------------
@dataclass
class Original:
    info: DocumentInfo
    chunks: list[tuple[Chunk, list[float]]]
    decisions: list[tuple[Decision, list[float]]]
    # texts whose vectors every copy reuses as they are (sentences, row indicators): text -> vector
    fixed: dict[str, list[float]] = field(default_factory=dict)
    # the headers of its table passages, whose vectors go into those passages' (``store.index.passage_vectors``)
    headers: dict[str, list[float]] = field(default_factory=dict)


def decision_text(decision: Decision) -> str:
    return f"{decision.minute_title or ''}\n{decision.text}".strip()  # as PanelIndex.write_document embeds it


def _order(chunk_id: str) -> int:
    return int(chunk_id.rsplit(":", 1)[1].lstrip("d"))


def load_originals(index: PanelIndex, names: set[str] | None = None) -> list[Original]:
    """Every live document of the base index (of ``names`` only, when given) with its chunks, decisions
    and the stored vectors of everything ``write_document`` embeds (chunks, sentences, decisions, rows)."""
    records = {name: rec for name, rec in index.documents().items() if names is None or name in names}
    originals = {name: Original(DocumentInfo(**{f: getattr(rec, f) for f in INFO_FIELDS}), [], [])
                 for name, rec in sorted(records.items())}
    live = {name: rec.version for name, rec in records.items()}

    def live_rows(collection, include=("documents", "metadatas", "embeddings")):
        """(id, *include) of the collection's records whose (document, version) is live."""
        got = index.get_all(collection, include=list(include))
        metas = got["metadatas"]
        return [(got["ids"][n], *(got[key][n] for key in include)) for n, meta in enumerate(metas)
                if live.get(meta["document"]) == meta["version"]]

    sentence_vectors = {(meta["chunk_id"], int(meta["position"])): vector
                        for _id, meta, vector in live_rows(index.sentences, ("metadatas", "embeddings"))}
    for _id, text, meta, vector in sorted(live_rows(index.chunks), key=lambda r: (r[2]["document"], _order(r[0]))):
        stored = codec.decode_chunk(_id, text, meta)
        chunk = Chunk(**{f: getattr(stored, f) for f in CHUNK_FIELDS})
        if text_hash(chunk.embed_text) != meta["content_hash"]:
            raise RuntimeError(f"chunk {_id} does not read back as it was written")
        original = originals[meta["document"]]
        original.chunks.append((chunk, [float(x) for x in vector]))
        for position, (_offset, sentence) in enumerate(sentences(chunk.text, chunk.kind)):
            found = sentence_vectors.get((_id, position))
            if found is None:
                raise RuntimeError(f"chunk {_id} has no stored vector for its sentence {position}")
            original.fixed[sentence] = [float(x) for x in found]
    for original in originals.values():  # made here, before any build (the base index's cache holds them)
        headers = sorted({c.header for c, _ in original.chunks if c.kind == ChunkKind.TABLE and c.header
                          and sentences(c.text, c.kind)})
        original.headers = dict(zip(headers, ([float(x) for x in v] for v in index.embeddings.embed_documents(headers))
                                    if headers else [], strict=True))
    for _id, text, meta, vector in sorted(live_rows(index.decisions), key=lambda r: (r[2]["document"], _order(r[0]))):
        stored = codec.decode_decision(_id, text, meta)
        decision = Decision(**{f: getattr(stored, f) for f in DECISION_FIELDS})
        originals[meta["document"]].decisions.append((decision, [float(x) for x in vector]))
    for _id, text, meta, vector in live_rows(index.rows):
        originals[meta["document"]].fixed[codec.decode_row(_id, text, meta).indicator] = [float(x) for x in vector]
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
        if chunk.header in original.headers:  # a table passage's vector is made with its header's
            entries[key(new.header)] = original.headers[chunk.header]
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
    """Whole copies for a factor: the factor itself, except a largest factor of 100 or more, which is as many
    copies as reach ``min_top_chunks`` ("council scale", whatever the base's size)."""
    if factor == top and factor >= 100 and base_chunks:
        return math.ceil(min_top_chunks / base_chunks)
    return factor


# -- one factor: build ---------------------------------------------------------------------------
def build(base_dir: Path, index_dir: Path, copies: int, source: str, progress) -> dict:
    base_index = PanelIndex(index_settings(base_dir).store)
    originals = load_originals(base_index, source_documents(source))
    del base_index
    if not originals:
        raise SystemExit(f"the base {base_dir} holds none of the papers of --source {source}")
    settings = index_settings(index_dir)
    cache = EmbeddingCache(index_dir / CACHE_FILE)
    embeddings = PanelEmbeddings(settings.store.embedding_model, cache, settings.store.embed_batch_size)
    index = PanelIndex(settings.store, embeddings)
    started = time.perf_counter()
    cache.put_many({embeddings._key(text): vector for o in originals for text, vector in o.fixed.items()})
    prefill = time.perf_counter() - started
    write = 0.0
    written = 0
    per_copy: list[float] = []
    for copy in range(copies):
        t0 = time.perf_counter()
        made = [make_copy(original, copy, embeddings._key) for original in originals]
        for _info, _chunks, _decisions, entries in made:
            cache.put_many(entries)
        t1 = time.perf_counter()
        for original, (info, chunks, decisions, _entries) in zip(originals, made, strict=True):
            # A copy's meeting moves by months, which can turn a table of future years (a plan: no figures)
            # into past ones: a copy keeps the base's figures only, so the copies are the base repeated.
            rows = [row for row in figure_rows(chunks) if row.indicator in original.fixed]
            index.write_document(info, chunks, decisions, rows, source=f"bench_scale copy {copy} of {info.document}")
            written += len(chunks)
        t2 = time.perf_counter()
        prefill += t1 - t0
        write += t2 - t1
        per_copy.append(round(t2 - t0, 2))
        if progress and (copy + 1) % max(1, copies // 10) == 0:
            rate = written / write if write else 0.0
            progress(f"  copy {copy + 1}/{copies}: {written} chunks, {t2 - started:.0f} s "
                     f"({rate:.0f} chunks/s written, last copy {t2 - t1:.2f} s)")
    build_seconds = time.perf_counter() - started
    stats = index.stats()
    figures = {
        "copies": copies, "base_documents": len(originals), "documents": stats["documents"],
        "chunks": stats["chunks"], "stored_chunks": stats["stored_chunks"],
        "stored_sentences": stats.get("stored_sentences"), "decisions": stats["decisions"],
        "build_s": round(build_seconds, 1), "prefill_cache_s": round(prefill, 1),
        "write_s": round(write, 1), "copy_s_first_last": [per_copy[0], per_copy[-1]],
        "embedded_while_building": embeddings.computed,
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

    from store.index import release_stores

    gc.collect()
    release_stores()
    SharedSystemClient.clear_system_cache()


# -- one factor: serve ---------------------------------------------------------------------------
def timed(owner, name: str, spent: dict, after=None) -> None:
    """Wrap ``owner.name`` (where it exists) so the seconds spent inside it add up in ``spent[name]``;
    ``after()`` runs each time it returns."""
    inner = getattr(owner, name, None)
    if inner is None:
        return
    spent[name] = 0.0

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - t0
            if after:
                after()

    setattr(owner, name, wrapper)


# The parts of opening an Assistant, timed where they exist (the open path is being reworked).
OPEN_PARTS = [("store.index", "PanelIndex", "__init__"), ("store.index", "PanelIndex", "all_chunks"),
              ("store.index", "PanelIndex", "all_rows"), ("store.index", "PanelIndex", "sentence_vectors"),
              ("retrieval.hybrid", "HybridSearcher", "_load_or_build_bm25"),
              ("retrieval.hybrid", "HybridSearcher", "_load_sentences"),
              ("retrieval.answer.assistant", None, "build_glossary"),
              ("retrieval.answer.assistant", "Assistant", "open")]


def _time_open_parts(spent: dict, opened: dict) -> None:
    """Time the parts of opening; ``opened`` gets what they had taken when the first ``Assistant.open`` returned
    (the same functions run again later: the figure series, the history and reopening call some of them)."""
    import importlib

    def snapshot():
        if not opened:
            opened.update(spent)

    for module_name, owner_name, name in OPEN_PARTS:
        owner = importlib.import_module(module_name)
        if owner_name:
            owner = getattr(owner, owner_name, None)
        if owner is not None:
            timed(owner, name, spent, snapshot if name == "open" else None)


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def serve(index_dir: Path, repeat: int, source: str, torch_threads: int | None = None,
          chroma_port: int | None = None) -> dict:
    from app.service import PanelService

    settings = index_settings(index_dir, chroma_port)
    if torch_threads:
        import torch

        torch.set_num_threads(torch_threads)
    load_before = machine_load()
    spent: dict[str, float] = {}
    opened: dict[str, float] = {}
    _time_open_parts(spent, opened)
    queries = {"calls": 0}  # questions embedded (never cached); the rest of ``computed`` is derived texts
    timed(PanelEmbeddings, "embed_query", spent, lambda: queries.__setitem__("calls", queries["calls"] + 1))
    rss_before = proc_status_mb("VmRSS")
    started = time.perf_counter()
    service = PanelService(settings)
    ready_s = service.warm()  # what `panel-papers serve` does before "Ready" (bar launching the web app)
    assistant = service.assistant()  # raises the opening's error, if warm met one
    warm_derived = assistant.index.embeddings.computed - queries["calls"]
    rss_ready = proc_status_mb("VmRSS")
    questions = timing_questions(source)
    first: list[float] = []
    for question in questions[:FIRST_N]:  # the first answers after "Ready", one after another
        t0 = time.perf_counter()
        assistant.ask(question)
        first.append(time.perf_counter() - t0)
        if len(first) == 1:
            to_first_s = time.perf_counter() - started
    t0 = time.perf_counter()
    assistant.ask(questions[0])  # the first question once more: questions differ in cost
    first_again = time.perf_counter() - t0
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
    open_parts = {f"open_{name}_s": round(opened[name], 2) for _m, _o, name in OPEN_PARTS
                  if name in opened and name != "open"}
    figures = {
        "mode": "server" if chroma_port else "embedded",
        "live_chunks": len(assistant.searcher.ids), "questions": len(times["ask"]),
        "answered": answered, "open_s": round(opened.get("open", 0.0), 2), **open_parts,
        "ready_s": round(ready_s, 2), "warm_derived_embedded": warm_derived,
        "to_first_answer_s": round(to_first_s, 2),
        "first_answer_ms": round(first[0] * 1000, 1), "tenth_answer_ms": round(first[-1] * 1000, 1),
        "first_answers_ms": [round(t * 1000, 1) for t in first], "first_again_ms": round(first_again * 1000, 1),
        "first_tenth_ratio": round(first[0] / first[-1], 2) if first[-1] else None,
        "embedded_while_serving": assistant.index.embeddings.computed - queries["calls"],
        "rss_start_mb": round(rss_before, 1), "rss_after_open_mb": round(rss_ready, 1),
        "rss_mb": round(proc_status_mb("VmRSS"), 1),
        "peak_rss_mb": round(max(proc_status_mb("VmHWM"), peak_rss_mb()), 1),
        "load_before": load_before, "load_after": machine_load(),
        "torch_threads": _torch_threads(),
    }
    for name, values in times.items():
        p50, p95 = percentiles(values)
        figures[f"{name}_p50_ms"] = round(p50 * 1000, 1)
        figures[f"{name}_p95_ms"] = round(p95 * 1000, 1)
    del assistant, service, answer
    gc.collect()
    # A restart: a new service (its own store client and model) over an index whose BM25 is on disk and
    # whose derived texts are in the embedding cache, as `serve` finds it the second time.
    before = dict(spent)
    figures["restart_ready_s"] = round(PanelService(settings).warm(), 2)
    figures["reopen_s"] = round(spent["open"] - before["open"], 2)
    figures["reopen_bm25_s"] = round(spent.get("_load_or_build_bm25", 0.0) - before.get("_load_or_build_bm25", 0.0), 2)
    figures.update(_with_answer_workers(settings, questions))
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


def chroma_executable() -> str:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.is_file() else (shutil.which("chroma") or "chroma")


def serve_through_server(index_dir: Path, serve_args: list[str], work: Path, tag: str) -> dict:
    """The serving half against ``chroma run`` over ``index_dir/chroma``, and that server's own figures."""
    shutil.rmtree(index_dir / "bm25", ignore_errors=True)  # the server's open builds BM25, as the embedded one did
    port = free_port()
    log = work / f"chroma-{tag}.log"
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen([chroma_executable(), "run", "--path", str(index_dir / "chroma"),
                                    "--host", "127.0.0.1", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    try:
        if not wait_for_port(port, 120):
            raise ChildFailed(f"chroma run did not start: {log.read_text()[-500:]}")
        up_s = time.perf_counter() - started
        figures = run_child(["--serve", str(index_dir), "--chroma-port", str(port), *serve_args],
                            work / f"serve-{tag}.json")
        figures.update(server_up_s=round(up_s, 2), server_rss_mb=round(proc_status_mb("VmRSS", process.pid), 1),
                       server_peak_rss_mb=round(proc_status_mb("VmHWM", process.pid), 1))
        return figures
    finally:
        stop(process)


def one_factor(factor: int, copies: int, base_dir: Path | None, source: str, server: bool,
               serve_args: list[str], work: Path) -> dict:
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    figures: dict = {"factor": factor, "source": source}
    if base_dir is None:
        base_dir = work / "base"
        say(f"[{factor}x] ingesting {source} into {base_dir}")
        figures["base"] = ingest_base(base_dir, source)
    index_dir = work / f"index-{factor}x"
    say(f"[{factor}x] building {copies} copies in {index_dir}")
    figures.update(build(base_dir, index_dir, copies, source, say))
    gc.collect()
    say(f"[{factor}x] {figures['chunks']} chunks in {figures['build_s']} s; serving in a fresh process")
    figures["serving"] = {}
    # The serving halves start from the cache the build left (the first `serve` after an ingest embeds derived
    # texts: history entries, figure names), so the server's run is not spared what the embedded one paid.
    cache_after_build = work / "cache-after-build"
    cache_after_build.mkdir()
    for path in index_dir.glob(CACHE_FILE + "*"):
        shutil.copy2(path, cache_after_build / path.name)
    for mode in MODES if server else MODES[:1]:
        for path in index_dir.glob(CACHE_FILE + "*"):
            path.unlink()
        for path in cache_after_build.iterdir():
            shutil.copy2(path, index_dir / path.name)
        t0 = time.perf_counter()
        try:
            if mode == "embedded":
                served = run_child(["--serve", str(index_dir), *serve_args], work / f"serve-{factor}x.json")
            else:
                say(f"[{factor}x] serving again through `chroma run` over {index_dir / 'chroma'}")
                served = serve_through_server(index_dir, serve_args, work, f"{factor}x")
        except ChildFailed as exc:
            served = {"mode": mode, "error": f"serving ({mode}): {exc}"}
        served["serve_run_s"] = round(time.perf_counter() - t0, 1)
        figures["serving"][mode] = served
    figures["disk_mb"] = round(disk_mb(index_dir), 1)
    return figures


# -- the table -----------------------------------------------------------------------------------
def flat_rows(factors: list[dict]) -> list[dict]:
    """One row per factor and serving mode: the build's figures with that mode's serving figures."""
    rows = []
    for factor in factors:
        build_part = {k: v for k, v in factor.items() if k != "serving"}
        for mode, served in (factor.get("serving") or {"embedded": {"error": factor.get("error")}}).items():
            rows.append({**build_part, **served, "mode": mode, "disk_mb": served.get("disk_mb", factor.get("disk_mb"))})
    return rows


def _pair(row: dict, name: str) -> str:
    return f"{row[name + '_p50_ms']:.0f} / {row[name + '_p95_ms']:.0f}"


def _with_answer_workers(settings, questions: list[str]) -> dict:
    """``panel-papers serve`` as it is by default: answer processes started first, warming up beside the server's
    own warm-up, "Ready" once they are; then the first ten questions, answered by them, and every process's RSS."""
    from app.service import PanelService

    started = time.perf_counter()
    service = PanelService(settings)
    workers = service.start_answer_workers()
    if not workers:
        return {"workers": 0}
    service.warm()
    ready = service.wait_for_answer_workers(600)
    ready_s = time.perf_counter() - started
    first = []
    for question in questions[:FIRST_N]:
        t0 = time.perf_counter()
        service.ask(question)
        first.append(time.perf_counter() - t0)
    pids = service.answer_worker_pids()
    figures = {"workers": ready, "workers_ready_s": round(ready_s, 2),
               "workers_first_answer_ms": round(first[0] * 1000, 1),
               "workers_tenth_answer_ms": round(first[-1] * 1000, 1),
               "workers_rss_mb": [round(proc_status_mb("VmRSS", pid), 1) for pid in pids],
               "workers_server_rss_mb": round(proc_status_mb("VmRSS"), 1)}
    service.stop_answer_workers()
    return figures


def _workers(row: dict) -> str:
    """The serve-as-default figures: ready s; 1st / 10th answer ms; RSS of the server + each worker."""
    if not row.get("workers"):
        return "-"
    rss = " + ".join(f"{mb:.0f}" for mb in row["workers_rss_mb"])
    return (f"{row['workers_ready_s']:.1f} s; {row['workers_first_answer_ms']:.0f} / "
            f"{row['workers_tenth_answer_ms']:.0f} ms; {row['workers_server_rss_mb']:.0f} + {rss} MB")


def _rss(row: dict) -> str:
    text = f"{row['rss_after_open_mb']:.0f} / {row['rss_mb']:.0f} / {row['peak_rss_mb']:.0f}"
    return text + (f" + server {row['server_rss_mb']:.0f}" if "server_rss_mb" in row else "")


COLUMNS = [
    ("factor", lambda r: f"{r['factor']}x"), ("mode", lambda r: r["mode"]),
    ("copies", lambda r: str(r["copies"])),
    ("chunks", lambda r: f"{r['chunks']:,}"), ("build s", lambda r: f"{r['build_s']:.1f}"),
    ("disk MB", lambda r: f"{r['disk_mb']:.0f}"), ("open s", lambda r: f"{r['open_s']:.1f}"),
    ("ready s", lambda r: f"{r['ready_s']:.1f}"), ("restart ready s", lambda r: f"{r['restart_ready_s']:.1f}"),
    ("1st / 10th answer ms", lambda r: f"{r['first_answer_ms']:.0f} / {r['tenth_answer_ms']:.0f}"),
    ("1st/10th", lambda r: f"{r['first_tenth_ratio']:.1f}"),
    ("retrieve p50 / p95 ms", lambda r: _pair(r, "retrieve")), ("ask p50 / p95 ms", lambda r: _pair(r, "ask")),
    ("retrieve w/o query embedding", lambda r: _pair(r, "retrieve_noembed")),
    ("ask w/o query embedding", lambda r: _pair(r, "ask_noembed")),
    ("RSS MB ready / end / peak", _rss),
    ("answered", lambda r: f"{r['answered']}/{r['questions']}"),
    ("with answer processes: ready; 1st / 10th answer; RSS", _workers),
]
RATIOS = [("build_s", "build"), ("disk_mb", "disk"), ("open_s", "open"), ("ready_s", "ready"),
          ("restart_ready_s", "restart ready"),
          ("retrieve_p50_ms", "retrieve p50"), ("retrieve_p95_ms", "retrieve p95"),
          ("retrieve_noembed_p95_ms", "retrieve p95 w/o emb."), ("ask_p50_ms", "ask p50"),
          ("ask_p95_ms", "ask p95"), ("ask_noembed_p95_ms", "ask p95 w/o emb."),
          ("rss_after_open_mb", "RSS ready"), ("rss_mb", "RSS end")]
VERSUS = [("open_s", "open"), ("ready_s", "ready"), ("restart_ready_s", "restart ready"),
          ("first_answer_ms", "1st answer"),
          ("retrieve_p95_ms", "retrieve p95"), ("ask_p50_ms", "ask p50"), ("ask_p95_ms", "ask p95"),
          ("ask_noembed_p95_ms", "ask p95 w/o emb."), ("rss_mb", "app RSS end")]


def _ratio(row: dict, first: dict, key: str) -> str:
    return f"x{row[key] / first[key]:.1f}" if first.get(key) and row.get(key) is not None else "-"


def _open_parts(row: dict) -> str:
    names = {"PanelIndex.__init__": "__init__", "all_chunks": "all_chunks", "all_rows": "all_rows",
             "sentence_vectors": "sentence_vectors", "BM25 build": "_load_or_build_bm25",
             "_load_sentences (incl. sentence_vectors)": "_load_sentences", "glossary": "build_glossary"}
    parts = [f"{label} {row[f'open_{name}_s']:.1f}" for label, name in names.items() if f"open_{name}_s" in row]
    return " + ".join(parts)


def table(all_rows: list[dict]) -> str:
    rows = [r for r in all_rows if "open_s" in r]
    lines = ["| " + " | ".join(title for title, _ in COLUMNS) + " |", "|" + "|".join("---:" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(cell(row) for _, cell in COLUMNS) + " |" for row in rows]
    for row in all_rows:
        if "open_s" not in row:
            lines.append(f"\n{row['factor']}x {row.get('mode', '')}: not measured: {row.get('error')}")
    if not rows:
        return "\n".join(lines)
    for mode in MODES:
        of_mode = [r for r in rows if r["mode"] == mode]
        if len(of_mode) < 2:
            continue
        first = of_mode[0]
        lines += ["", f"Growth against {first['factor']}x ({first['chunks']:,} chunks), {mode}:", "",
                  "| factor | chunks | " + " | ".join(title for _, title in RATIOS) + " |",
                  "|" + "|".join("---:" for _ in range(len(RATIOS) + 2)) + "|"]
        for row in of_mode[1:]:
            cells = [f"{row['factor']}x", f"x{row['chunks'] / first['chunks']:.1f}"]
            lines.append("| " + " | ".join(cells + [_ratio(row, first, key) for key, _ in RATIOS]) + " |")
        top = of_mode[-1]
        lines += ["", f"{mode}, {top['factor']}x ({top['chunks'] / first['chunks']:.0f}x the chunks): "
                  f"retrieve p95 {_ratio(top, first, 'retrieve_p95_ms')}, ask p95 {_ratio(top, first, 'ask_p95_ms')}, "
                  f"open {_ratio(top, first, 'open_s')}, RSS {_ratio(top, first, 'rss_mb')}, "
                  f"disk {_ratio(top, first, 'disk_mb')}."]
    pairs = [(e, s) for e in rows for s in rows
             if e["mode"] == "embedded" and s["mode"] == "server" and s["factor"] == e["factor"]]
    if pairs:
        lines += ["", "Server against embedded, same index (server / embedded):", "",
                  "| factor | chunks | " + " | ".join(title for _, title in VERSUS) + " |",
                  "|" + "|".join("---:" for _ in range(len(VERSUS) + 2)) + "|"]
        for embedded, server in pairs:
            cells = [f"{embedded['factor']}x", f"{embedded['chunks']:,}"]
            lines.append("| " + " | ".join(cells + [_ratio(server, embedded, key) for key, _ in VERSUS]) + " |")
    lines += ["", "Where the time goes:"]
    for row in rows:
        rate = row["chunks"] / row["write_s"] if row["write_s"] else 0
        before, after = row["load_before"], row["load_after"]
        pressure = f", CPU pressure {after['cpu_pressure_avg60']:.0f}%" if "cpu_pressure_avg60" in after else ""
        server = (f"; chroma run up in {row['server_up_s']:.1f} s, its RSS {row['server_rss_mb']:.0f} MB "
                  f"(peak {row['server_peak_rss_mb']:.0f})" if "server_up_s" in row else "")
        lines.append(
            f"- {row['factor']}x {row['mode']}: build {row['build_s']:.1f} s = cache prefill "
            f"{row['prefill_cache_s']:.1f} s + write_document {row['write_s']:.1f} s ({rate:.0f} chunks/s), "
            f"{row['embedded_while_building']} texts embedded; ready {row['ready_s']:.1f} s (embedding "
            f"{row['warm_derived_embedded']} derived texts) of which open "
            f"{row['open_s']:.1f} s = {_open_parts(row)} (+ the rest: counting words, dicts); restart ready "
            f"{row['restart_ready_s']:.1f} s, its open {row['reopen_s']:.1f} s with BM25 from disk (load "
            f"{row['reopen_bm25_s']:.1f} s); to the first answer "
            f"{row['to_first_answer_s']:.1f} s; first {FIRST_N} answers "
            f"{', '.join(f'{t:.0f}' for t in row['first_answers_ms'])} ms, the first again {row['first_again_ms']:.0f}"
            f" ms; disk {row['disk_mb']:.0f} MB = Chroma {row['disk_chroma_mb']:.0f} + embedding cache "
            f"{row['disk_embedding_cache_mb']:.0f} + BM25 {row['disk_bm25_mb']:.0f}{server}; load average "
            f"{before['loadavg_1m']:.1f} -> {after['loadavg_1m']:.1f} on {os.cpu_count()} CPUs while serving"
            f"{pressure}, torch threads {row.get('torch_threads')}, {row['embedded_while_serving']} texts "
            f"other than questions embedded while serving")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--source", choices=SOURCES, default="both",
                        help="the base: corpus/, ../shared/real-archive/ or both (default both)")
    parser.add_argument("--server", action="store_true",
                        help="serve each factor through a `chroma run` server as well as embedded")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--base", type=Path,
                        help="an index already holding the source's papers, only read (default: ingest them now)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the timing questions (default 1)")
    parser.add_argument("--torch-threads", type=int, help="torch threads while serving (default: torch's own choice)")
    parser.add_argument("--min-top-chunks", type=int, default=MIN_TOP_CHUNKS,
                        help="a largest factor of 100 or more is as many whole copies as reach this many chunks")
    parser.add_argument("--one", type=int, metavar="F", help=argparse.SUPPRESS)  # one factor, in this process
    parser.add_argument("--copies", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=Path, metavar="DIR", help=argparse.SUPPRESS)  # the serving half
    parser.add_argument("--chroma-port", type=int, help=argparse.SUPPRESS)  # ... through this Chroma server
    args = parser.parse_args(argv)

    if args.serve:
        figures = serve(args.serve, args.repeat, args.source, args.torch_threads, args.chroma_port)
    elif args.one:
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{args.one}x-") as work:
            figures = one_factor(args.one, args.copies or args.one, args.base, args.source, args.server,
                                 serve_options(args), Path(work))
    else:
        figures = drive(args)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


def serve_options(args) -> list[str]:
    return ["--repeat", str(args.repeat), "--source", args.source] + (
        ["--torch-threads", str(args.torch_threads)] if args.torch_threads else [])


def drive(args) -> dict:
    started = time.perf_counter()
    factors = sorted(set(args.factors))
    results: list[dict] = []
    source_folders(args.source)  # a missing archive stops here, before anything is built
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as work_dir:
        work = Path(work_dir)
        base_dir, base = args.base, None
        if base_dir is None:
            base_dir = work / "base"
            print(f"ingesting {', '.join(str(f) for f in source_folders(args.source))} once (embeds every chunk: "
                  "about 1 minute for corpus/, 4-5 minutes for the archive, on 2 cores)", file=sys.stderr, flush=True)
            base = ingest_base(base_dir, args.source)
            print(f"  {base['chunks']} chunks, {base['decisions']} decisions in {base['seconds']} s",
                  file=sys.stderr, flush=True)
        base_chunks, base_documents, base_pages = base_chunk_count(base_dir, args.source)
        release_chroma()
        if not base_chunks:
            raise SystemExit(f"the base {base_dir} holds none of the papers of --source {args.source}")
        for factor in factors:
            copies = copies_for(factor, factors[-1], base_chunks, args.min_top_chunks)
            child = ["--one", str(factor), "--copies", str(copies), "--base", str(base_dir),
                     *(["--server"] if args.server else []), *serve_options(args)]
            t0 = time.perf_counter()
            try:
                result = run_child(child, work / f"{factor}x.json")
            except ChildFailed as exc:
                result = {"factor": factor, "copies": copies, "error": str(exc)}
            result["run_s"] = round(time.perf_counter() - t0, 1)
            results.append(result)
            done = "; ".join(f"{mode}: open {s['open_s']} s, ask p95 {s['ask_p95_ms']} ms" if "open_s" in s
                             else f"{mode}: {s.get('error')}" for mode, s in (result.get("serving") or {}).items())
            print(f"{factor}x done: {result.get('chunks', 0):,} chunks, build {result.get('build_s')} s, "
                  f"{done or result.get('error')} ({result['run_s']} s; {time.perf_counter() - started:.0f} s so far)",
                  file=sys.stderr, flush=True)
    print(table(flat_rows(results)))
    runs = ", ".join(f"{r['factor']}x {r['run_s']:.0f} s" for r in results)
    print(f"\nsource {args.source}: {base_documents} documents, {base_pages} pages, {base_chunks:,} chunks a copy; "
          f"timing questions {len(timing_questions(args.source))}; base ingest: {base or f'reused {base_dir}'}; "
          f"runs {runs}; "
          f"total {time.perf_counter() - started:.0f} s")
    return {"source": args.source, "base": base, "base_chunks": base_chunks, "factors": results,
            "total_s": round(time.perf_counter() - started, 1)}


if __name__ == "__main__":
    main()
