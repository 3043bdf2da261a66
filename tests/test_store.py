"""The store's boundary: records go into Chroma's metadata and come back as the same typed records, and
scorecard rows are records ingest made (nothing above the store parses table text)."""

from __future__ import annotations

from dataclasses import asdict, fields

from core.records import (
    Chunk,
    ChunkKind,
    Decision,
    DocumentInfo,
    DocumentStatus,
    Filters,
    ScorecardRow,
    StoredChunk,
    StoredDecision,
    StoredScorecardRow,
)
from store import codec

CHUNK = Chunk(document="pack.pdf", text="Line one\nLine two on page 28", header="Pack | Minute 118 Title",
              kind=ChunkKind.DECISION, page_start=27, page_end=28, page_label="25", meeting_date="2018-11-01",
              committee="Corporate Parenting Panel", item="12", minute="118", minute_title="Title",
              content_hash="ab" * 32, page_breaks=((0, 27), (9, 28)))


def test_a_chunk_comes_back_as_it_went_in():
    meta = codec.encode_chunk(CHUNK, "v1", "The pack")
    assert all(isinstance(v, str | int | float | bool) for v in meta.values()), "Chroma takes scalars only"
    assert meta["meeting_key"] == 20181101 and meta["page_breaks"] == "0:27,9:28"
    back = codec.decode_chunk("v1:3", CHUNK.text, meta)
    assert isinstance(back, StoredChunk) and back.kind is ChunkKind.DECISION
    assert {f.name: getattr(back, f.name) for f in fields(Chunk)} == asdict(CHUNK) | {"page_breaks": ((0, 27), (9, 28))}
    assert (back.id, back.version, back.title) == ("v1:3", "v1", "The pack")
    assert back.page_at(0) == 27 and back.page_at(12) == 28 and back.printed_page == "25"


def test_decisions_rows_and_documents_come_back_typed():
    decision = Decision(document="pack.pdf", meeting_date=None, committee=None, minute="7", minute_title=None,
                        item=None, text="RESOLVED that it be noted.", page=4, page_label=None)
    back = codec.decode_decision("v1:d0", decision.text, codec.encode_decision(decision, "v1", "t"))
    assert isinstance(back, StoredDecision) and back.minute == "7" and back.meeting_date is None
    assert back.meeting_key == 0 and back.page == 4

    row = ScorecardRow(document="pack.pdf", chunk=5, text="% of Care Leavers in EET H SS 64.9% A 65.0%",
                       header="h", page=30, page_label="28", meeting_date="2019-01-29", item="9", minute=None,
                       period="Nov 2018", period_key=201811, indicator="% of Care Leavers in EET", value="64.9%",
                       rag="A", target="65.0%")
    meta = codec.encode_row(row, "v1", "t")
    assert meta["chunk_id"] == "v1:5"
    stored = codec.decode_row("v1:r0", row.text, meta)
    assert isinstance(stored, StoredScorecardRow) and stored.chunk_id == "v1:5" and stored.previous is None
    assert (stored.value, stored.target, stored.period_key) == ("64.9%", "65.0%", 201811)

    info = DocumentInfo(document="pack.pdf", title="t", committee=None, meeting_date="2019-01-29", kind="agenda pack",
                        content_hash="c", pages=3)
    record = codec.decode_document(codec.encode_document(info, status="complete", version="v1", chunks=9))
    assert record.status is DocumentStatus.COMPLETE and record.chunks == 9 and record.meeting_key == 20190129
    assert record.figures == 0 and record.schema == 0  # keys an older index lacks take their defaults


def test_filters_mean_the_same_to_chroma_and_to_python():
    filters = Filters.parse(committee="Corporate Parenting Panel", kind="table", date_from="2018-01-01",
                            date_to="20181231")
    assert codec.where(filters) == {"$and": [{"committee": "Corporate Parenting Panel"}, {"kind": "table"},
                                             {"meeting_key": {"$gte": 20180101}}, {"meeting_key": {"$lte": 20181231}}]}
    assert filters.admits("a.pdf", "Corporate Parenting Panel", "table", 20180601)
    assert not filters.admits("a.pdf", "Corporate Parenting Panel", "table", 20190101)
    assert not filters.admits("a.pdf", "Cabinet", "table", 20180601)
    assert codec.where(Filters()) is None and not Filters()


def test_scorecard_rows_are_stored_records_of_the_corpus(corpus_index):
    rows = corpus_index.all_rows()
    chunks = {chunk.id: chunk for chunk in corpus_index.all_chunks()}
    assert len(rows) > 50
    # a row comes from a table passage, or from a passage of a scorecard's period the reader did not see as a table,
    # or from a KPI table's line of figures under its period columns (``row.column``)
    assert all(row.chunk_id in chunks and (chunks[row.chunk_id].kind == ChunkKind.TABLE or chunks[row.chunk_id].period
                                           or row.column) for row in rows)
    context = [r for r in rows if r.indicator == "Number of Kent CIC" and r.period == "Nov 2018"]
    assert context and context[0].value == "1,620" and context[0].polarity is None  # a context row: no polarity
    assert all(row.text in chunks[row.chunk_id].text for row in rows), "a row is a line of its chunk"
    eet = [r for r in rows if r.period == "Nov 2018" and r.indicator.startswith("% of Care Leavers in employment")]
    assert eet and eet[0].value == "64.9%" and eet[0].period_key == 201811
    assert sum(r.figures for r in corpus_index.documents().values()) == len(rows)
