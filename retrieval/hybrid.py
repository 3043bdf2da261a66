"""Hybrid search: lexical (BM25, bm25s), the passages' vectors (the store's dense search) and the
sentences' vectors (a passage ranks by its best sentence) fused by reciprocal rank, then nudged by what
the question asks for (a month, a decision, a list, the latest meeting). A question of several parts is
searched part by part.

The searcher loads every live chunk, sentence vector and scorecard row once per index version (typed
records from the store) and reloads when the index changed (``is_stale``): answers and the Figures tab
read rows here."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from core.dates import find_month
from core.records import ChunkKind, Filters, StoredChunk, StoredScorecardRow
from retrieval.query import STOPWORDS, AnswerType, Intent, Query
from store.index import PanelIndex

RRF_K = 60
LIST_ITEM = re.compile(r"^\s*(?:[-•▪●*]|\(?[a-z0-9]{1,2}[).])\s+\S", re.M)
TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*%?")


# Scorecards abbreviate what people write in full.
SYNONYMS = {"ave": "average", "avg": "average", "nos": "number", "percentage": "percent", "caseloads": "caseload"}


def similarities(matrix: np.ndarray, vector) -> np.ndarray:
    """Each row's dot product with the vector (cosine, for unit vectors). einsum runs its own single-threaded
    loop: a BLAS call here leaves OpenBLAS's threads spinning, and on two cores they then slow the next query's
    embedding (the model's own threads) about threefold (measured: ask p50 78 ms against 27 ms)."""
    return np.einsum("ij,j->i", matrix, np.asarray(vector, dtype=np.float32))


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


@dataclass
class Candidate:
    """A chunk the search found, with how it scored."""

    chunk: StoredChunk
    dense: float = 0.0  # cosine similarity, 0 when dense search did not return it
    lexical: float = 0.0  # BM25 score
    fused: float = 0.0
    # each of the chunk's sentences' cosine similarity to the question (``core.sentences`` order)
    sentence_meanings: list[float] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.chunk.id

    @property
    def text(self) -> str:
        return self.chunk.text


class HybridSearcher:
    """Loads every live chunk once (text and metadata), keeps a BM25 index of them on disk beside the
    Chroma index, and answers queries by fusing BM25 with Chroma's dense search."""

    def __init__(self, index: PanelIndex, cache_dir: Path | None = None):
        self.index = index
        self.cache_dir = Path(cache_dir or Path(index.settings.index_dir) / "bm25")
        self.refresh()

    def refresh(self) -> None:
        self.signature = self._signature()
        self.chunks: list[StoredChunk] = self.index.all_chunks()
        self.rows: list[StoredScorecardRow] = self.index.all_rows()
        self.ids = [c.id for c in self.chunks]
        self.meeting_keys = [c.meeting_key for c in self.chunks]  # read on every query: computed once
        self.texts = [c.text for c in self.chunks]
        self.position = {chunk_id: n for n, chunk_id in enumerate(self.ids)}
        self.rows_by_chunk: dict[str, list[StoredScorecardRow]] = {}
        for row in self.rows:
            self.rows_by_chunk.setdefault(row.chunk_id, []).append(row)
        self.document_frequency: dict[str, int] = {}
        for chunk in self.chunks:
            for token in set(tokenize(f"{chunk.header}\n{chunk.text}")):
                self.document_frequency[token] = self.document_frequency.get(token, 0) + 1
        self.bm25 = self._load_or_build_bm25()
        self._load_sentences()

    def _load_sentences(self) -> None:
        """The sentence vectors of the loaded chunks, as one matrix, and which chunk owns each row."""
        found = self.index.sentence_vectors()
        keep = [n for n, chunk_id in enumerate(found.chunk_ids) if chunk_id in self.position]
        self.sentence_matrix = found.vectors[keep] if keep else np.zeros((0, 1), dtype=np.float32)
        self.sentence_owner = np.asarray([self.position[found.chunk_ids[n]] for n in keep], dtype=np.int64)
        # Sentences are stored in (chunk, position) order: a chunk's rows start here.
        self.sentence_start: dict[int, int] = {}
        for row, owner in enumerate(self.sentence_owner.tolist()):
            self.sentence_start.setdefault(owner, row)

    def chunk_by_id(self, chunk_id: str) -> StoredChunk | None:
        n = self.position.get(chunk_id)
        return None if n is None else self.chunks[n]

    def ensure_fresh(self) -> None:
        """Reload when another process (or this one) changed the index since the last load."""
        if self.is_stale():
            self.refresh()

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
        corpus = [tokenize(f"{c.header}\n{c.text}") or ["_"] for c in self.chunks]
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

    def search(self, query: Query, k: int = 8, filters: Filters | None = None, depth: int = 40) -> list[Candidate]:
        """The best ``k`` chunks for the question; a question of several parts (two periods, two questions)
        gets the whole question's best chunk first, then each part's best in turn, so every part is found."""
        self.ensure_fresh()
        if not self.ids:
            return []
        whole = self._search_one(query, k, filters, depth)
        if not query.parts:
            return whole
        lists = [self._search_one(part, k, filters, depth) for part in query.parts]
        merged: dict[str, Candidate] = {c.id: c for c in whole[:1]}
        for position in range(k):
            for found in lists:
                if position < len(found):
                    merged.setdefault(found[position].id, found[position])
        for candidate in whole[1:]:
            merged.setdefault(candidate.id, candidate)
        return list(merged.values())[:k]

    def _search_one(self, query: Query, k: int, filters: Filters | None, depth: int) -> list[Candidate]:
        if filters:
            allowed = np.array([filters.admits(c.document, c.committee, c.kind, key)
                                for c, key in zip(self.chunks, self.meeting_keys, strict=True)])
        else:
            allowed = np.ones(len(self.chunks), dtype=bool)
        lexical = self.lexical_scores(query.expanded)
        lexical = np.where(allowed, lexical, -1.0)
        lex_order = [int(i) for i in np.argsort(-lexical)[:depth] if lexical[i] > 0]

        vector = query.vector = self.index.embeddings.embed_query(query.expanded)
        dense_order: list[int] = []
        dense_sim: dict[int, float] = {}
        for chunk_id, similarity in self.index.dense_search(vector, min(depth, len(self.ids)), filters):
            n = self.position.get(chunk_id)  # only chunks of live versions were loaded
            if n is not None:
                dense_order.append(n)
                dense_sim[n] = similarity

        # The best-matching sentence of each chunk: a third ranking, fused like the other two.
        sentence_sims = np.zeros(0, dtype=np.float32)
        sentence_order: list[int] = []
        if len(self.sentence_owner):
            sentence_sims = similarities(self.sentence_matrix, vector)
            best = np.full(len(self.chunks), -1.0, dtype=np.float32)
            np.maximum.at(best, self.sentence_owner, sentence_sims)
            best = np.where(allowed, best, -1.0)
            sentence_order = [int(n) for n in np.argsort(-best)[:depth] if best[n] > -1.0]

        fused: dict[int, float] = {}
        for ranking in (lex_order, dense_order, sentence_order):
            for rank, n in enumerate(ranking):
                fused[n] = fused.get(n, 0.0) + 1.0 / (RRF_K + rank)
        for n in fused:
            fused[n] *= self._boost(query, self.chunks[n], self.meeting_keys[n])

        order = sorted(fused, key=lambda n: -fused[n])
        if query.latest:
            head = order[: max(k, 10)]
            head.sort(key=lambda n: -self.meeting_keys[n])
            order = head + order[len(head):]
        return [Candidate(chunk=self.chunks[n], dense=dense_sim.get(n, 0.0), lexical=float(max(lexical[n], 0.0)),
                          fused=fused[n], sentence_meanings=self._meanings(n, sentence_sims)) for n in order[:k]]

    def _meanings(self, n: int, sentence_sims: np.ndarray) -> list[float]:
        """Chunk n's sentences' similarities to the question, in sentence order."""
        start = self.sentence_start.get(n)
        if start is None or not len(sentence_sims):
            return []
        end = start
        while end < len(self.sentence_owner) and self.sentence_owner[end] == n:
            end += 1
        return sentence_sims[start:end].tolist()

    @staticmethod
    def _boost(query: Query, chunk: StoredChunk, meeting_key: int) -> float:
        """Multiplicative nudges for what the question asks; never a filter, so nothing is hidden."""
        boost = 1.0
        if query.answer_type == AnswerType.LIST and len(LIST_ITEM.findall(chunk.text)) >= 3:
            boost *= 1.5  # "what are my duties": a passage that lists them
        if query.intent == Intent.DECISION and chunk.kind == ChunkKind.DECISION:
            boost *= 1.6
        if query.intent == Intent.FIGURE and chunk.kind == ChunkKind.TABLE:
            boost *= 1.3
        period = chunk.period or ""
        if query.month:
            year, month = query.month
            if find_month(period) == (year, month):
                boost *= 1.8
            elif period and query.intent == Intent.FIGURE:
                boost *= 0.6  # figures of another period
            if meeting_key // 100 == year * 100 + month:
                boost *= 1.4
        elif query.year:
            if meeting_key // 10000 == query.year or str(query.year) in period:
                boost *= 1.4
        return boost
