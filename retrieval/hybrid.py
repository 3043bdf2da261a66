"""Hybrid search: lexical (BM25, bm25s), the passages' vectors and the sentences' vectors (a passage ranks
by its best sentence) fused by reciprocal rank, then nudged by what the question asks for (a month, a
decision, a list, the latest meeting). A question of several parts is searched part by part.

The searcher reads one ``SearchState`` per index version: every live chunk, scorecard row, sentence and
passage vector (typed records from the store), built once and kept on disk as a ``Snapshot`` so that any
later open, in any process, reads files instead of every record. It reloads when the index changed
(``ensure_fresh``), swapping the new state in whole; answers and the Figures tab read rows here."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import threadpoolctl

from core.dates import find_month
from core.periods import month_within, names_month, names_period, within_period
from core.records import ChunkKind, Filters, StoredChunk, StoredScorecardRow
from retrieval.query import AnswerType, Intent, Query
from retrieval.ranker import RANKED_DEPTH, Ranker, RankFeatures
from retrieval.terms import defines, says_where
from retrieval.words import QuestionTerms, tokenize
from store import codec
from store.index import PanelIndex

RRF_K = 60
FUSED_KEPT = 2  # the fused ranking's first passages the ranker may reorder but never drop from the k returned
# Up to this many passage (or sentence) vectors, a question is compared with each (an einsum: 7-10 ms per
# 100,000 on one core); beyond, with the nearest that Chroma's vector index finds (SENTENCE_DEPTH sentences).
EXACT_VECTORS = 150_000
SENTENCE_DEPTH = 200
DAY_MEETING_BOOST = 2.0  # a question naming a meeting by its full date, on that meeting's minutes (1.4 for its month)
# "What is the Reserves Policy (appendix G) actually for?": the opening pages of the paper the question names by
# its title say what it is for. A title names the paper when at least two of its own words are asked and those
# are most of them; words any paper's title may hold name none.
NAMED_PAPER_BOOST = 1.8
NAMED_PAPER_SHARE = 0.75
NAMED_PAPER_PAGES = 2  # its opening pages: what it is and what it is for
TITLE_WORDS_OF_ANY_PAPER = frozenset(
    "appendix annex report statement annual draft final update item supplementary agenda pack frontsheet minutes "
    "meeting county council cabinet committee panel decision record prod proposed pages page".split())
LIST_ITEM = re.compile(r"^\s*(?:[-•▪●*]|\(?[a-z0-9]{1,2}[).])\s+\S", re.M)


def similarities(matrix: np.ndarray, vector) -> np.ndarray:
    """Each row's dot product with the vector (cosine, for unit vectors), by BLAS on this thread alone: OpenBLAS's
    own threads, left spinning after a call, slowed the next query's embedding about threefold on two cores
    (ask p50 78 ms against 27 ms), and a server answers several questions at once anyway. One BLAS thread is
    twice as fast as numpy's einsum loop here (12,000 sentence vectors: 1.6 against 3.1 ms)."""
    _one_blas_thread()
    return matrix @ np.asarray(vector, dtype=matrix.dtype)


@functools.cache
def _one_blas_thread() -> None:
    """numpy's BLAS uses one thread in this process from now on (see ``similarities``)."""
    threadpoolctl.threadpool_limits(limits=1, user_api="blas")


def digest(value: Any) -> str:
    """A short stable name for what a structure built from the index depends on besides it (settings, the
    model): part of its name in the snapshot."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:12]


@dataclass
class Candidate:
    """A chunk the search found, with how it scored."""

    chunk: StoredChunk
    dense: float = 0.0  # cosine similarity, 0 when dense search did not return it
    lexical: float = 0.0  # BM25 score
    fused: float = 0.0
    # each of the chunk's sentences' cosine similarity to the question (``core.sentences`` order)
    sentence_meanings: list[float] = field(default_factory=list)
    features: RankFeatures | None = None  # what the ranker read of it (None: beyond the ranked depth)

    @property
    def id(self) -> str:
        return self.chunk.id

    @property
    def text(self) -> str:
        return self.chunk.text


@dataclass(frozen=True)
class SearchState:
    """Everything a search reads, for one index version: built from the store once, then kept on disk
    (``Snapshot``) so that opening the index again reads files instead of every record. A search takes
    the state once and reads only it, so a reload (a new state swapped in) never mixes two versions."""

    signature: str
    chunks: list[StoredChunk]
    rows: list[StoredScorecardRow]
    document_frequency: dict[str, int]
    bm25: bm25s.BM25 | None
    sentence_matrix: np.ndarray  # unit vectors of the chunks' sentences, in (chunk, position) order
    sentence_owner: np.ndarray  # the position in ``chunks`` of each row's chunk
    chunk_matrix: np.ndarray  # each chunk's unit vector, row n for ``chunks[n]``
    ids: list[str] = field(init=False)
    meeting_keys: list[int] = field(init=False)
    texts: list[str] = field(init=False)
    position: dict[str, int] = field(init=False)
    rows_by_chunk: dict[str, list[StoredScorecardRow]] = field(init=False)
    sentence_span: np.ndarray = field(init=False)  # per chunk: [first row, end row) of its sentences
    # each passage's text as ``_distinct`` compares it, made when a search first meets the passage
    runs: dict[int, tuple[str, set[int]]] = field(init=False, default_factory=dict, compare=False, repr=False)
    # per paper, its passages' count and each word's passage count (``HybridSearcher.idf_among``), made when
    # an answer first asks
    paper_frequency: dict[str, tuple[int, dict[str, int]]] = field(init=False, default_factory=dict, compare=False,
                                                                   repr=False)

    def __post_init__(self) -> None:
        put = object.__setattr__  # derived fields of a frozen record, computed once here
        put(self, "ids", [c.id for c in self.chunks])
        put(self, "meeting_keys", [c.meeting_key for c in self.chunks])  # read on every query
        put(self, "texts", [c.text for c in self.chunks])
        put(self, "position", {chunk_id: n for n, chunk_id in enumerate(self.ids)})
        rows_by_chunk: dict[str, list[StoredScorecardRow]] = {}
        for row in self.rows:
            rows_by_chunk.setdefault(row.chunk_id, []).append(row)
        put(self, "rows_by_chunk", rows_by_chunk)
        span = np.zeros((len(self.chunks), 2), dtype=np.int64)
        if len(self.sentence_owner):
            owners, first, counts = np.unique(self.sentence_owner, return_index=True, return_counts=True)
            span[owners, 0] = first
            span[owners, 1] = first + counts
        put(self, "sentence_span", span)

    def following(self, chunk: StoredChunk) -> StoredChunk | None:
        """The passage ingest made next after ``chunk`` in its paper. ``chunks`` is in id order, where ":30"
        sorts before ":4", so the next is found by its id, not by position."""
        version, _, number = chunk.id.rpartition(":")
        n = self.position.get(codec.chunk_id(version, int(number) + 1)) if number.isdigit() else None
        return self.chunks[n] if n is not None else None

    def preceding(self, chunk: StoredChunk) -> StoredChunk | None:
        """The passage ingest made just before ``chunk`` in its paper."""
        version, _, number = chunk.id.rpartition(":")
        n = (self.position.get(codec.chunk_id(version, int(number) - 1))
             if number.isdigit() and int(number) > 0 else None)
        return self.chunks[n] if n is not None else None


def _code_version() -> str:
    """The records and structures a snapshot pickles are defined in core/ and retrieval/: a snapshot made
    by other code than this is not read (a changed record class would unpickle without its new fields)."""
    digest = hashlib.sha256()
    for folder in (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "core"):
        for source in sorted(folder.rglob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()[:8]


CODE_VERSION = _code_version()


def _alive(pid: str) -> bool:
    """Whether the process that names a temporary snapshot folder still runs."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


class Snapshot:
    """A search state on disk, one folder per index signature (and version of this code) beside the index:
    the records pickled, the sentence and passage matrices as .npy (memory-mapped when read), bm25s's own
    files, and what others build from the whole index (``derived``: the glossary, the calendar, the
    history, the figure series). A folder is written under a temporary name and renamed when whole, so a
    reader never meets half of one; older signatures' folders are removed then. The pickles are the
    index's own files, as trusted as the Chroma store beside them."""

    def __init__(self, root: Path):
        self.root = root

    def folder(self, signature: str) -> Path:
        return self.root / f"{signature}-{CODE_VERSION}"

    def load(self, signature: str) -> SearchState | None:
        folder = self.folder(signature)
        if not (folder / "complete").is_file():
            return None
        try:
            with (folder / "records.pkl").open("rb") as fh:
                chunks, rows, document_frequency = pickle.load(fh)
            bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False) \
                if (folder / "bm25").is_dir() else None
            return SearchState(signature, chunks, rows, document_frequency, bm25,
                               np.load(folder / "sentences.npy", mmap_mode="r"),
                               np.load(folder / "owners.npy"), np.load(folder / "chunks.npy", mmap_mode="r"))
        except Exception:  # a damaged snapshot is set aside, to be built again from the store
            shutil.rmtree(folder, ignore_errors=True)
            return None

    def save(self, state: SearchState) -> None:
        folder = self.folder(state.signature)
        if (folder / "complete").is_file():
            return
        work = self.root / f".{state.signature}-{os.getpid()}-{threading.get_ident()}"
        try:
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            with (work / "records.pkl").open("wb") as fh:
                pickle.dump((state.chunks, state.rows, state.document_frequency), fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            np.save(work / "sentences.npy", np.ascontiguousarray(state.sentence_matrix, dtype=np.float32))
            np.save(work / "owners.npy", state.sentence_owner)
            np.save(work / "chunks.npy", np.ascontiguousarray(state.chunk_matrix, dtype=np.float32))
            if state.bm25 is not None:
                state.bm25.save(str(work / "bm25"))
            (work / "complete").write_text(state.signature)
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(work, folder)
            for old in self.root.iterdir():  # older versions are dead weight, and so is what a killed
                if old.name == folder.name:  # process left half written
                    continue
                if not old.name.startswith(".") or not _alive(old.name.split("-")[-2]):
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            shutil.rmtree(work, ignore_errors=True)  # a read-only or full disk costs only the snapshot

    def derived(self, signature: str, name: str, build: Callable[[], Any]) -> Any:
        """What ``build`` makes from this index version, read from the snapshot when it is there."""
        path = self.folder(signature) / f"derived-{name}.pkl"
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # absent or unreadable: build it
            pass
        value = build()
        if (self.folder(signature) / "complete").is_file():
            temporary = path.with_name(f".{path.name}-{os.getpid()}-{threading.get_ident()}")
            try:
                with temporary.open("wb") as fh:
                    pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            except Exception:  # unpicklable or unwritable: it is simply built next time too
                temporary.unlink(missing_ok=True)
        return value


class HybridSearcher:
    """Searches one ``SearchState`` (loaded from its snapshot, or built from the store's typed records and
    saved), fusing BM25 with Chroma's dense search and the sentences' vectors. Safe for concurrent
    searches: the state is read-only, and a reload swaps a new one in whole."""

    def __init__(self, index: PanelIndex, cache_dir: Path | None = None):
        self.index = index
        self.ranker = Ranker.load()  # None (no model fitted, or set so by evals.fit_ranker): the fused order stands
        self.snapshot = Snapshot(Path(cache_dir or Path(index.settings.index_dir) / "snapshot"))
        self._reload_lock = threading.Lock()
        self._seen = (index.generation, time.monotonic())  # when the registry was last read
        self.state = self._load(self._signature())

    # What the rest of the answer layer reads, from the current state.
    signature = property(lambda self: self.state.signature)
    chunks = property(lambda self: self.state.chunks)
    rows = property(lambda self: self.state.rows)
    ids = property(lambda self: self.state.ids)
    texts = property(lambda self: self.state.texts)
    position = property(lambda self: self.state.position)
    rows_by_chunk = property(lambda self: self.state.rows_by_chunk)
    document_frequency = property(lambda self: self.state.document_frequency)

    def _load(self, signature: str) -> SearchState:
        state = self.snapshot.load(signature)
        if state is None:
            state = self._build(signature)
            self.snapshot.save(state)
        return state

    def _build(self, signature: str) -> SearchState:
        chunks = self.index.all_chunks()
        document_frequency: dict[str, int] = {}
        corpus = []
        for chunk in chunks:
            tokens = tokenize(f"{chunk.header}\n{chunk.text}")
            corpus.append(tokens or ["_"])
            for token in set(tokens):
                document_frequency[token] = document_frequency.get(token, 0) + 1
        bm25 = None
        if chunks:
            bm25 = bm25s.BM25()
            bm25.index(corpus, show_progress=False)
        position = {c.id: n for n, c in enumerate(chunks)}
        found = self.index.sentence_vectors()
        keep = [n for n, chunk_id in enumerate(found.chunk_ids) if chunk_id in position]
        matrix = found.vectors[keep] if keep else np.zeros((0, 1), dtype=np.float32)
        owner = np.asarray([position[found.chunk_ids[n]] for n in keep], dtype=np.int64)
        return SearchState(signature, chunks, self.index.all_rows(), document_frequency, bm25, matrix, owner,
                           self.index.chunk_vectors([c.id for c in chunks]))

    def refresh(self) -> None:
        with self._reload_lock:
            self.state = self._load(self._signature())

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """What ``build`` makes from the whole index, kept with this version's snapshot (``name`` must say
        everything the result depends on besides the index: settings, the model)."""
        return self.snapshot.derived(self.signature, name, build)

    def chunk_by_id(self, chunk_id: str) -> StoredChunk | None:
        state = self.state
        n = state.position.get(chunk_id)
        return None if n is None else state.chunks[n]

    def ensure_fresh(self, force: bool = False) -> None:
        """Reload when another process (or this one) changed the index since the last load; one thread
        reloads while the others go on with the state they have. Reading the registry costs a few
        milliseconds, so it is read again only after this process wrote (``PanelIndex.generation``) or
        the store's ``recheck_seconds`` after the last look: another process's paper shows within that time.
        ``force``: look now (an answer worker told that the server wrote, ``app.answer_workers``)."""
        now = time.monotonic()
        generation = self.index.generation
        if not force and generation == self._seen[0] and now - self._seen[1] < self.index.settings.recheck_seconds:
            return
        self._seen = (generation, now)
        signature = self._signature()
        if signature == self.state.signature or not self._reload_lock.acquire(blocking=False):
            return
        try:
            if signature != self.state.signature:
                self.state = self._load(signature)
        finally:
            self._reload_lock.release()

    def idf(self, token: str) -> float:
        """Rarer words weigh more when judging how well a sentence covers a question."""
        state = self.state
        n = len(state.ids) or 1
        return float(np.log(1 + n / (1 + state.document_frequency.get(token, 0))))

    def idf_among(self, papers: Iterable[str]) -> Callable[[str], float]:
        """``idf`` over the passages of ``papers`` alone: how rare a word is among the papers an answer is drawn
        from, whatever else the index holds. Among a budget's papers "care" is rare, among the panel's it is
        not; an answer from the panel's papers should weigh its question's words as it would in an index of
        the panel's papers only."""
        state = self.state
        if not state.paper_frequency and state.chunks:
            frequency: dict[str, tuple[int, dict[str, int]]] = {}
            for chunk in state.chunks:
                count, words = frequency.get(chunk.document, (0, {}))
                for token in set(tokenize(f"{chunk.header}\n{chunk.text}")):
                    words[token] = words.get(token, 0) + 1
                frequency[chunk.document] = (count + 1, words)
            state.paper_frequency.update(frequency)
        tables = [state.paper_frequency[name] for name in set(papers) if name in state.paper_frequency]
        if not tables:
            return self.idf
        n = sum(count for count, _ in tables)

        def idf(token: str) -> float:
            return float(np.log(1 + n / (1 + sum(words.get(token, 0) for _, words in tables))))
        return idf

    def lexical_ceiling(self, tokens: list[str]) -> float:
        """The BM25 score of a passage of average length holding each of the tokens once: the sum of their BM25
        idf, log(1 + (N - df + 0.5) / (df + 0.5)) (bm25s's default). A score over it says how much of the
        question a passage holds whatever the index's size: in an index of one paper every idf is 0.29."""
        state = self.state
        n = len(state.ids)
        return float(sum(np.log(1 + (n - df + 0.5) / (df + 0.5))
                         for df in (state.document_frequency.get(t, 0) for t in set(tokens)) if df))

    def _signature(self) -> str:
        """The index version: each live document's version, when it was written and by which model (a paper
        embedded again by another model keeps its version)."""
        live = sorted((name, record.version, record.ingested_at, getattr(record, "embedder", ""))
                      for name, record in self.index.documents().items())
        return hashlib.sha256(json.dumps(live).encode()).hexdigest()[:16]

    def is_stale(self) -> bool:
        return self._signature() != self.state.signature

    def lexical_scores(self, query_text: str, state: SearchState | None = None) -> np.ndarray:
        state = state or self.state
        if state.bm25 is None:
            return np.zeros(0)
        tokens = [t for t in tokenize(query_text) if t in state.bm25.vocab_dict]
        if not tokens:
            return np.zeros(len(state.ids))
        return np.asarray(state.bm25.get_scores(tokens))

    def _acronym_lexical(self, query: Query, state: SearchState) -> np.ndarray:
        """BM25 of the question with each acronym it writes either as written or spelt out, whichever a passage
        matches better (``acronym_renderings``)."""
        scores = [self.lexical_scores(text, state) for text in acronym_renderings(query)]
        return np.maximum.reduce(scores) if len(scores) > 1 else scores[0]

    def search(self, query: Query, k: int = 8, filters: Filters | None = None, depth: int = 40) -> list[Candidate]:
        """The best ``k`` chunks for the question; a question of several parts (two periods, two questions)
        gets the whole question's best chunk first, then each part's best in turn, so every part is found."""
        self.ensure_fresh()
        state = self.state
        if not state.ids:
            return []
        whole = self._search_one(state, query, k, filters, depth)
        if not query.parts:
            return whole
        lists = [self._search_one(state, part, k, filters, depth) for part in query.parts]
        for part, found in zip(query.parts, lists, strict=True):
            part.found = found
        merged: dict[str, Candidate] = {c.id: c for c in whole[:1]}
        for position in range(k):
            for found in lists:
                if position < len(found):
                    merged.setdefault(found[position].id, found[position])
        for candidate in whole[1:]:
            merged.setdefault(candidate.id, candidate)
        return list(merged.values())[:k]

    def _search_one(self, state: SearchState, query: Query, k: int, filters: Filters | None,
                    depth: int) -> list[Candidate]:
        chunks, meeting_keys = state.chunks, state.meeting_keys
        if filters:
            allowed = np.array([filters.admits(c.document, c.committee, c.kind, key)
                                for c, key in zip(chunks, meeting_keys, strict=True)])
        else:
            allowed = np.ones(len(chunks), dtype=bool)
        lexical = self._acronym_lexical(query, state)
        lexical = np.where(allowed, lexical, -1.0)
        lex_order = [int(i) for i in np.argsort(-lexical)[:depth] if lexical[i] > 0]

        vector = query.vector = self.index.embeddings.embed_query(query.expanded)
        dense_order: list[int] = []
        dense_sim: dict[int, float] = {}
        dense_all = None
        if len(chunks) <= EXACT_VECTORS and state.chunk_matrix.shape[0] == len(chunks):
            # Every passage compared (exact, and no call into Chroma, local or a server away)
            dense_all = similarities(state.chunk_matrix, vector)
            sims = np.where(allowed, dense_all, -2.0)
            top = np.argpartition(-sims, min(depth, len(sims) - 1))[:depth]
            dense_order = [int(n) for n in sorted(top, key=lambda n: -sims[n]) if sims[n] > -2.0]
            dense_sim = {n: float(sims[n]) for n in dense_order}
        else:
            for chunk_id, similarity in self.index.dense_search(vector, min(depth, len(chunks)), filters):
                n = state.position.get(chunk_id)  # only chunks of live versions were loaded
                if n is not None:
                    dense_order.append(n)
                    dense_sim[n] = similarity

        # The best-matching sentence of each chunk: a third ranking, fused like the other two. Every sentence
        # is compared while that is cheap; past EXACT_SENTENCES, Chroma's vector index finds the nearest
        # sentences (unless filters narrow the search, which its sentence records cannot express).
        sentence_order: list[int] = []
        if len(state.sentence_owner) > EXACT_VECTORS and not filters:
            best_of: dict[int, float] = {}
            for chunk_id, similarity in self.index.sentence_search(vector, SENTENCE_DEPTH):
                n = state.position.get(chunk_id)
                if n is not None and similarity > best_of.get(n, -1.0):
                    best_of[n] = similarity
            sentence_order = sorted(best_of, key=lambda n: -best_of[n])[:depth]
        elif len(state.sentence_owner):
            sentence_sims = similarities(state.sentence_matrix, vector)
            best = np.full(len(chunks), -1.0, dtype=np.float32)
            np.maximum.at(best, state.sentence_owner, sentence_sims)
            best = np.where(allowed, best, -1.0)
            sentence_order = [int(n) for n in np.argsort(-best)[:depth] if best[n] > -1.0]

        fused: dict[int, float] = {}
        for ranking in (lex_order, dense_order, sentence_order):
            for rank, n in enumerate(ranking):
                fused[n] = fused.get(n, 0.0) + 1.0 / (RRF_K + rank)
        defined = query.defined_terms
        for n in fused:
            fused[n] *= self._boost(query, chunks[n], meeting_keys[n], defined)

        order = _distinct(sorted(fused, key=lambda n: -fused[n]), chunks, state.runs)
        head = order[:RANKED_DEPTH]
        meanings = {n: self._meanings(state, n, vector) for n in head}
        features = self._rank_features(state, query, head, meanings, lexical, dense_sim, dense_all)
        if self.ranker is not None:
            nudges = [query.committee_boost if query.committee and chunks[n].committee == query.committee else 1.0
                      for n in head]
            ranked = [head[n] for n in self.ranker.order([features[n] for n in head], nudges)]
            # The fused ranking's first passages stay among the k returned: the ranker learnt from which
            # passages hold an answer's facts, and a passage nearest the question in meaning but sharing few
            # of its words ("when will the panel meet?": "Meeting Dates 2019/20 ...") is what it ranks lowest.
            protected = head[:FUSED_KEPT]
            kept = [n for n in protected if n not in ranked[:k]]
            first = [n for n in ranked[:k] if n in protected] + [n for n in ranked[:k] if n not in protected]
            chosen = sorted(first[: max(0, k - len(kept))] + kept, key=ranked.index)
            order = chosen + [n for n in ranked if n not in chosen] + order[len(head):]
        if query.latest:
            head = order[: max(k, 10)]
            head.sort(key=lambda n: -meeting_keys[n])
            order = head + order[len(head):]
        return [Candidate(chunk=chunks[n], dense=dense_sim.get(n, 0.0), lexical=float(max(lexical[n], 0.0)),
                          fused=fused[n], features=features.get(n),
                          sentence_meanings=meanings[n] if n in meanings else self._meanings(state, n, vector))
                for n in order[:k]]

    def _rank_features(self, state: SearchState, query: Query, head: list[int], meanings: dict[int, list[float]],
                       lexical: np.ndarray, dense_sim: dict[int, float],
                       dense_all: np.ndarray | None) -> dict[int, RankFeatures]:
        """What the ranker reads of each of the fused ranking's first passages (``head``, in that order)."""
        terms = QuestionTerms.of(query, self.idf)
        best_lexical = max((float(lexical[n]) for n in head), default=0.0)
        # A passage's true cosine where every passage was compared; past EXACT_VECTORS, Chroma's nearest only,
        # and the least of those (an upper bound) for the rest.
        floor = min(dense_sim.values(), default=0.0)
        features = {}
        for place, n in enumerate(head):
            chunk = state.chunks[n]
            features[n] = RankFeatures(
                fused_rank=RankFeatures.place(place),
                lexical=max(0.0, float(lexical[n])) / best_lexical if best_lexical > 0 else 0.0,
                dense=float(dense_all[n]) if dense_all is not None else dense_sim.get(n, floor),
                sentence_best=max(meanings[n], default=0.0),
                coverage=terms.coverage(f"{chunk.header} {chunk.text}"))
        return features

    @staticmethod
    def _meanings(state: SearchState, n: int, vector) -> list[float]:
        """Chunk n's sentences' similarities to the question, in sentence order."""
        start, end = state.sentence_span[n]
        if end <= start:
            return []
        return similarities(state.sentence_matrix[start:end], vector).tolist()

    @staticmethod
    def _boost(query: Query, chunk: StoredChunk, meeting_key: int, defined: list[str]) -> float:
        """Multiplicative nudges for what the question asks; never a filter, so nothing is hidden. ``defined``: the
        term a "what is X?" question asks about (``Query.defined_terms``)."""
        boost = 1.0
        if query.committee and chunk.committee == query.committee:
            boost *= query.committee_boost
        if query.answer_type == AnswerType.LIST and len(LIST_ITEM.findall(chunk.text)) >= 3:
            boost *= 1.5  # "what are my duties": a passage that lists them
        if query.intent == Intent.DECISION and chunk.kind == ChunkKind.DECISION:
            boost *= 1.6
        if query.intent == Intent.FIGURE and chunk.kind == ChunkKind.TABLE:
            boost *= 1.3
        if (query.answer_type == AnswerType.DEFINITION and chunk.page_start <= NAMED_PAPER_PAGES
                and names_paper(query.expanded, chunk.title)):
            boost *= NAMED_PAPER_BOOST
        if defined and defines(defined, chunk.text):
            boost *= DEFINES_BOOST  # "what is the virtual school?": a passage saying what it is ("... acts as ...")
        if query.answer_type == AnswerType.PLACE and says_where(chunk.text, query.text):
            boost *= PLACE_BOOST  # "where is the 18+ service based?": a passage naming a place
        period = chunk.period or ""
        if query.month:
            year, month = query.month
            if find_month(period) == (year, month) or month_within(period, year, month):
                boost *= 1.8
            elif period and query.intent == Intent.FIGURE:
                boost *= 0.6  # figures of another period
            if query.day and meeting_key == query.day and (chunk.minute or chunk.kind == ChunkKind.DECISION):
                boost *= DAY_MEETING_BOOST  # "at the 1 November 2018 panel": that meeting's own minutes
            elif meeting_key // 100 == year * 100 + month:
                boost *= 1.4
            elif not period and not query.day and names_month(chunk.text, year, month, as_date=True):
                # a report's prose or table dated in the month asked ("supported ... as at 17/08/18"), in a pack
                # of a later meeting (not where a day is asked: that is a meeting's, and a passage of another
                # meeting naming it, "referred to full Council on 13 March 2025", is not of it)
                boost *= TEXT_MONTH_BOOST
        elif query.year:
            # of a meeting that year, with figures of it, or a paper whose title names it ("Annual Report
            # (September 2018 - September 2019)", presented in 2020)
            if meeting_key // 10000 == query.year or str(query.year) in period or str(query.year) in chunk.title:
                boost *= 1.4
        if (query.financial_year and (query.intent == Intent.FIGURE or query.answer_type == AnswerType.NUMBER)
                and (within_period(period, query.financial_year)
                     or names_period(f"{chunk.title} {chunk.text}", query.financial_year))):
            # "adoption orders granted in 2018/19": a passage of that year gives its figures (what was resolved on
            # "the 2025-26 budget" is in the minutes, while every budget paper names the year)
            boost *= FINANCIAL_YEAR_BOOST
        return boost


DEFINES_BOOST = 1.4  # a passage saying what the term asked about is (dev: 1.8 no better)
PLACE_BOOST = 1.4  # a passage naming a place, for "where ...?"
TEXT_MONTH_BOOST = 1.4  # a passage without a period of its own whose text names the month asked
FINANCIAL_YEAR_BOOST = 1.4  # a passage of the financial year asked, by its period or its words

NEAR_COPY = 0.9  # a passage with this share of its three-word runs in one ranked above it is a copy of it
NEAR_COPY_DEPTH = RANKED_DEPTH  # the passages the ranker reads are made distinct; the rest are left as they come
RUNS_KEPT = 4000  # passages whose text and three-word runs (hashed) a search state keeps: about 30 MB at most


def _distinct(order: list[int], chunks: list[StoredChunk], runs: dict[int, tuple[str, set[int]]]) -> list[int]:
    """The ranking with each passage's text once: an archive holds one report several times (in the agenda pack,
    as its own PDF, republished as a supplementary item), and its copies took three of the eight places a
    question's candidates have, crowding out the passages that held the answer. The first copy stands for all;
    a near copy in another paper (the same report wrapped or cut at other places: nine in ten of its three-word
    runs are in a passage ranked above it) goes too, while a passage that holds another's words and more of its
    own stays. Within one paper near copies are kept: a council's amendments each quote the whole motion, and
    the few words one changes are what a question about it asks."""
    seen: set[str] = set()
    kept: list[int] = []
    shingles: list[tuple[str, set[int]]] = []  # (paper, runs) of each passage kept
    for position, n in enumerate(order):
        if len(kept) >= NEAR_COPY_DEPTH:  # the ranker reads no further: the rest as they come
            return kept + order[position:]
        known = runs.get(n)
        if known is None:
            key = " ".join(chunks[n].text.split())
            words = key.lower().split()
            runs_of = zip(words, words[1:], words[2:], strict=False)  # (its three-word runs: shorter lists end it)
            known = (key, set(map(hash, runs_of)) or {hash(tuple(words))})
            if len(runs) >= RUNS_KEPT:  # a bound on what a long-running server keeps
                runs.clear()
            runs[n] = known
        key, own = known
        if key in seen:
            continue
        paper = chunks[n].document
        least = NEAR_COPY * len(own)
        if any(other_paper != paper and len(own & other) >= least for other_paper, other in shingles):
            continue
        seen.add(key)
        kept.append(n)
        shingles.append((paper, own))
    return kept


@functools.lru_cache(maxsize=1 << 12)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(w for w in tokenize(title) if len(w) > 1 and not w.isdigit() and w not in TITLE_WORDS_OF_ANY_PAPER)


@functools.lru_cache(maxsize=256)
def _asked_words(question: str) -> frozenset[str]:
    return frozenset(tokenize(question))  # once per question, not once per passage the boost weighs


def acronym_renderings(query: Query) -> tuple[str, ...]:
    """What BM25 scores for a question: its expanded text; or, where it writes an acronym, that text with the
    acronym as written and again with it spelt out, a passage scoring the better of the two. Searched with both at
    once, a passage spelling out "CYPE" and "ASCH" matched eight words to one and outranked the passage writing
    them that answered."""
    written = query.written_acronyms
    if not written:
        return (query.expanded,)
    plain = query.expanded
    for name, full in written.items():
        plain = plain.replace(f"({name}: {full})", " ")
    spelt = plain
    for name, full in written.items():
        spelt = re.sub(rf"\b{re.escape(name)}s?\b", f" {full} ", spelt, flags=re.I)
    return plain, spelt


def names_paper(question: str, title: str) -> bool:
    """The question names the paper of this title: two or more of the title's own words are asked, and they are
    at least ``NAMED_PAPER_SHARE`` of them ("the investment strategy (appx M)": "Investment Strategy")."""
    own = _title_words(title)
    if len(own) < 2:
        return False
    asked = own & _asked_words(question)
    return len(asked) >= 2 and len(asked) >= NAMED_PAPER_SHARE * len(own)
