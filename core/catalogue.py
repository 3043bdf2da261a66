"""The corpus catalogue (``<corpus>/papers.toml``): what the council says of its own papers.

``[[paper]]`` entries give a PDF's title, committee, meeting date and kind (they win over what ingest
reads from the text); ``[council]`` names the council and ``[glossary]`` its own acronyms ("VSK" =
"Virtual School Kent"), so nothing council-specific is written into the code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from core.errors import SettingsError
from core.records import Provenance


@dataclass(frozen=True)
class PaperEntry:
    file: str
    title: str | None = None
    committee: str | None = None
    meeting_date: str | None = None  # ISO date of the meeting the paper is for
    kind: str | None = None  # agenda pack, minutes, report, annual report, appendix
    source: str | None = None  # the text it was built from (corpus/build.py)
    page_offset: int = 0  # PDF pages before printed page 1 (corpus/build.py)
    # Where a fetched paper came from (``ingest.sync`` makes such entries; papers.toml cannot give one).
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Catalogue:
    council: str | None = None
    papers: dict[str, PaperEntry] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, corpus_dir: Path | str) -> Catalogue:
        path = Path(corpus_dir) / "papers.toml"
        if not path.is_file():
            return cls()
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        known = {f.name for f in fields(PaperEntry)} - {"provenance"}
        papers = {}
        for raw in data.get("paper", []):
            unknown = set(raw) - known
            if unknown or "file" not in raw:
                raise SettingsError(f"{path}: a [[paper]] entry has unknown keys {sorted(unknown)} or no 'file'")
            papers[raw["file"]] = PaperEntry(**raw)
        return cls(council=data.get("council", {}).get("name"), papers=papers,
                   glossary={str(k): str(v) for k, v in data.get("glossary", {}).items()})
