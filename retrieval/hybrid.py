"""Hybrid search: dense (Chroma) and lexical (BM25, bm25s) fused by reciprocal rank, then nudged by
what the question asks for (a month, a decision, the latest meeting)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from ingest.index import PanelIndex
from retrieval.query import STOPWORDS, Query
from retrieval.search import Passage

RRF_K = 60
TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*%?")


# Scorecards abbreviate what people write in full.
SYNONYMS = {"ave": "average", "avg": "average", "nos": "number", "percentage": "percent", "caseloads": "caseload"}


def tokenize(text: str) -> list[str]:
    tokens = []
    for token in TOKEN.findall(text.lower()):
        if token in STOPWORDS:
            continue
        token = SYNONYMS.get(token, token)
        # A light plural fold: "leavers" finds "leaver", "placements" finds "placement".
        if len(token) > 4 and token.endswith("s") and not token.endswith("ss") and token.isalpha():
            token = token[:-1]
        tokens.append(token)
    return tokens


def matches(meta: dict, where: dict | None) -> bool:
    """Chroma's where-filter semantics, for the filters ``build_where`` makes, on plain metadata."""
    if not where:
        return True
    if "$and" in where:
        return all(matches(meta, clause) for clause in where["$and"])
    for key, condition in where.items():
        value = meta.get(key)
        if isinstance(condition, dict):
            for op, bound in condition.items():
                if value is None:
                    return False
                if (op == "$gte" and not value >= bound) or (op == "$lte" and not value <= bound) \
                        or (op == "$eq" and value != bound) or (op == "$ne" and value == bound):
                    return False
        elif value != condition:
            return False
    return True


@dataclass
class Candidate:
    id: str
    text: str
    meta: dict
    dense: float = 0.0  # cosine similarity, 0 when dense search did not return it
    lexical: float = 0.0  # BM25 score
    fused: float = 0.0


class HybridSearcher:
    """Loads every live chunk once (text and metadata), keeps a BM25 index of them on disk beside the
    Chroma index, and answers queries by fusing BM25 with Chroma's dense search."""

    def __init__(self, index: PanelIndex, cache_dir: Path | None = None):
        self.index = index
        self.cache_dir = Path(cache_dir or Path(index.settings.index_dir) / "bm25")
        self.refresh()

    def refresh(self) -> None:
        self.signature = self._signature()
        got = self.index.get_all(self.index.chunks._collection)
        live = self.index.live_versions()
        rows = [(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
                if live.get(m.get("document")) == m.get("version")]
        rows.sort(key=lambda r: r[0])
        self.ids = [r[0] for r in rows]
        self.texts = [r[1] for r in rows]
        self.metas = [r[2] for r in rows]
        self.position = {chunk_id: n for n, chunk_id in enumerate(self.ids)}
        self.document_frequency: dict[str, int] = {}
        for text, meta in zip(self.texts, self.metas, strict=True):
            for token in set(tokenize(f"{meta.get('header', '')}\n{text}")):
                self.document_frequency[token] = self.document_frequency.get(token, 0) + 1
        self.bm25 = self._load_or_build_bm25()

    def idf(self, token: str) -> float:
        """Rarer words weigh more when judging how well a sentence covers a question."""
        n = len(self.ids) or 1
        return float(np.log(1 + n / (1 + self.document_frequency.get(token, 0))))

    def _signature(self) -> str:
        live = sorted(self.index.live_versions().items())
        return hashlib.sha256(json.dumps(live).encode()).hexdigest()[:16]

    def is_stale(self) -> bool:
        return self._signature() != self.signature

    def _load_or_build_bm25(self) -> bm25s.BM25 | None:
        if not self.ids:
            return None
        folder = self.cache_dir / self.signature
        if (folder / "ids.json").is_file():
            try:
                if json.loads((folder / "ids.json").read_text()) == self.ids:
                    return bm25s.BM25.load(str(folder))
            except Exception:
                pass  # a damaged cache is rebuilt below
        bm25 = bm25s.BM25()
        corpus = [tokenize(f"{m.get('header', '')}\n{t}") or ["_"] for t, m in zip(self.texts, self.metas, strict=True)]
        bm25.index(corpus, show_progress=False)
        try:
            if self.cache_dir.is_dir():
                shutil.rmtree(self.cache_dir, ignore_errors=True)  # old signatures are dead weight
            folder.mkdir(parents=True, exist_ok=True)
            bm25.save(str(folder))
            (folder / "ids.json").write_text(json.dumps(self.ids))
        except OSError:
            pass  # a read-only disk costs only the cache
        return bm25

    def lexical_scores(self, query_text: str) -> np.ndarray:
        if self.bm25 is None:
            return np.zeros(0)
        tokens = [t for t in tokenize(query_text) if t in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(self.ids))
        return np.asarray(self.bm25.get_scores(tokens))

    def search(self, query: Query, k: int = 8, where: dict | None = None, depth: int = 40) -> list[Candidate]:
        if self.is_stale():
            self.refresh()
        if not self.ids:
            return []
        allowed = np.array([matches(m, where) for m in self.metas])
        lexical = self.lexical_scores(query.expanded)
        lexical = np.where(allowed, lexical, -1.0)
        lex_order = [int(i) for i in np.argsort(-lexical)[:depth] if lexical[i] > 0]

        vector = self.index.embeddings.embed_query(query.expanded)
        dense_hits = self.index.chunks._collection.query(
            query_embeddings=[vector], n_results=min(depth, len(self.ids)), where=where,
            include=["distances"])
        dense_order: list[int] = []
        dense_sim: dict[int, float] = {}
        for chunk_id, distance in zip(dense_hits["ids"][0], dense_hits["distances"][0], strict=True):
            n = self.position.get(chunk_id)
            if n is not None:
                dense_order.append(n)
                dense_sim[n] = 1.0 - float(distance)

        fused: dict[int, float] = {}
        for rank, n in enumerate(lex_order):
            fused[n] = fused.get(n, 0.0) + 1.0 / (RRF_K + rank)
        for rank, n in enumerate(dense_order):
            fused[n] = fused.get(n, 0.0) + 1.0 / (RRF_K + rank)
        for n in fused:
            fused[n] *= self._boost(query, self.metas[n])

        order = sorted(fused, key=lambda n: -fused[n])
        if query.latest:
            head = order[: max(k, 10)]
            head.sort(key=lambda n: -int(self.metas[n].get("meeting_key", 0)))
            order = head + order[len(head):]
        return [Candidate(id=self.ids[n], text=self.texts[n], meta=self.metas[n], dense=dense_sim.get(n, 0.0),
                          lexical=float(max(lexical[n], 0.0)), fused=fused[n]) for n in order[:k]]

    @staticmethod
    def _boost(query: Query, meta: dict) -> float:
        """Multiplicative nudges for what the question asks; never a filter, so nothing is hidden."""
        boost = 1.0
        kind = meta.get("kind")
        if query.intent == "decision" and kind == "decision":
            boost *= 1.6
        if query.intent == "figure" and kind == "table":
            boost *= 1.3
        period = str(meta.get("period") or "")
        meeting_key = int(meta.get("meeting_key", 0))
        if query.month:
            year, month = query.month
            period_month = _period_month(period)
            if period_month == (year, month):
                boost *= 1.8
            elif period and query.intent == "figure":
                boost *= 0.6  # figures of another period
            if meeting_key // 100 == year * 100 + month:
                boost *= 1.4
        elif query.year:
            if meeting_key // 10000 == query.year or str(query.year) in period:
                boost *= 1.4
        return boost


def _period_month(period: str) -> tuple[int, int] | None:
    from ingest.dates import find_month

    return find_month(period) if period else None


def to_passage(candidate: Candidate) -> Passage:
    return Passage.from_hit(candidate.text, candidate.meta, candidate.fused, candidate.id)
