"""Records ↔ Chroma metadata: the one place that knows how a record is flattened for Chroma.

Chroma keeps str, int, float and bool values only, so ``None`` is left out, page breaks become
"offset:page,offset:page" and meeting dates also go in as a YYYYMMDD number (``meeting_key``) for range
filters. Decoding tolerates keys an older index lacks.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from core.records import (
    Chunk,
    ChunkKind,
    Decision,
    DocumentInfo,
    DocumentRecord,
    DocumentStatus,
    Filters,
    PageBreaks,
    Provenance,
    ScorecardRow,
    StoredChunk,
    StoredDecision,
    StoredScorecardRow,
)

# The index format. A document written in an older one is re-ingested (``PanelIndex.is_current``).
# 2: chunks carry minute_title; scorecard rows are records of their own.
# 3: every chunk's sentences have vectors of their own (the "sentences" collection).
# 4: scorecard context rows (no polarity) and rows of scorecard pages read as prose are figures too.
# 5: scorecard columns read from the figures (numerator / denominator, a second measurement such as
#    "excluding UASC", national figures), district breakdowns named, monthly rows without polarity kept.
# 6: minutes numbered without "(Item N)", and unnumbered minutes with a title line, keep number and title.
# 7: a version is the document's content and name (the same file under two names collided).
# 8: minutes kept as an action log ("1. Welcome", "2. UASC Service Update", ...) are numbered minutes.
# 9: ... but not the numbered paragraphs of a minute that has a title and no number.
# 10: council structure (recorded votes, records of decision, resolution parts), KPI tables with period
#     columns, and pages read by OCR (issue 13).
# 11: a report "as at" a month on its cover has that period on every page; a KPI table's figure in a
#     column whose units row says "%" is a percentage ("4.33%").
# 12: a numbered heading's title starts with a word (a finance table's row "3.8 3.1 -0.7" is no section).
# 13: a paper the PDF leaves untitled (or titles "THE REPORT") is named by its file's name, not "Council report".
# 14, 15: a committee named on a line of its own only ("Accounting Panel (LAAP) Bulletin ..." names none), and
#     "To: All Members of the County Council" is the County Council.
# 16: a document's registry record is replaced whole (Chroma's upsert had kept fields a re-ingest no longer
#     read, such as a committee schema 14 stopped reading), so every record is written again.
# 17: minutes numbered by a committee reference ("CYP/24/4  Title"), and decisions written "RESOLVED: That ..."
#     or "RESOLVED – that ..." (the trigger had wanted a word straight after the colon).
# 18: minutes end at the page after their "Next Meetings" minute (an appended report is not that minute).
# 19: minutes numbered by their number in the year ("12/25  PERFORMANCE DASHBOARD", "Minute 12/25 ...").
# 20: minute headings "14.  Title" over "(Agenda Item 6)", and numbered titles in capitals ("34. APOLOGIES").
# 21: minutes numbered by the committee's letters and a number ("LACC.12  FOSTERING RECRUITMENT"); a committee
#     named with "and" in it ("meeting of the Looked After Children and Care Leavers Committee").
# 22: a list of clauses one a line, each ending in a semicolon, is cut into sentences (``core.sentences``).
# 23: ... but not a list of bulleted or lettered items, which an answer quotes whole.
# 24: a numbered heading set off by a bar ("3a | Adult Social Care & Health") starts a section.
# 25-28: a board's "NOTES OF MEETING" are minutes; "Item 5: TITLE" over "Minute CPB/21/5" heads a minute; decisions
#     recorded "AGREED", "DECIDED", "DECISION:" or as a scrutiny "Outcome:"; "MINUTES of the remote meeting";
#     the meeting's date under the heading is no minute's title.
# 29-32: "MINUTE of MEETING", "Minutes of our meeting", "Item 6 Title", "CPB 4/23  TITLE", "3   TITLE IN CAPITALS",
#     "The Sub-Committee resolved:-"; a committee named "... Sub-Committee of Glenarlow Council" is the
#     sub-committee, and a letterhead "GLENARLOW COUNCIL" names no committee.
# 40: an officers' group's "NOTES of the meeting held on ..." opens minutes.
# 41: pages read through pdfium's characters and lines (the page_reader setting), laid out by pdfplumber; a table
#     passage's vector is the mean of its rows' and its header's.
# 42: a table carried over a page keeps its header. 43: a page number printed alone at a page's foot is no text.
# 44: a ruled row of stacked labels and stacked figures is one row per label; a row split off under a spanning
#     cell is the rest of the row above. 45: a stacked label's word broken at its hyphen is one word again.
# 46-48: a ruled table whose first row of two filled cells holds only figures has no header row (its headings
#     were in a caption above it: figures run together, as many in each row, are columns named by its last
#     words), and at a page's top carries on the table before.
# 49-50: a page's first or last line that is only "Page N" or "Page N of M" (a pack's own numbering of an embedded
#     report) is no text of it.
# 51: a table's section and minute are those of the text just above it, not of its page's first line.
# 52: a table's numbered title above it ("Table 3: Total Spend on ...") is in its passages' header.
# 53: a table carried on to the next page keeps its caption there (its unit: "£s per pupil").
# 54: a line numbered from 0 ("0.0 Demand & Cost Drivers ...") is no section heading.
# 55: a row labelled by a bare code under its column's name is written with it ("Band D; ...", was "D; ...").
# 56: (measured and dropped: section-numbered table titles) 57: the code of 55 again, under a number no index has.
# 58: a period column whose aside names a change ("2025-26 (incl. increase in ASCL) £p") is the period's value.
# 59: a KPI table's change or variance column is kept beside its latest period's value.
# 60: a paper's running head and foot (a line near the top or foot of half its pages or more) is no text of it.
# 65: a header ruled as one box over the columns is split into them; a table's rows are named by the column
#     that tells them apart where the first only groups them (a budget template's "Income").
# 66: a table's bare "Total" row is named by the table's title on its page ("Total (Dedicated Schools Grant ...)").
# 67: minutes whose paragraphs are numbered on across items under unnumbered titles in capitals ("BASIC INCOME
#     PILOT FOR CARE LEAVERS" over "61. Consideration was given to ...") are read as minutes, each its first
#     paragraph's number.
# 68: ...and so are such minutes whose titles are in ordinary case ("Foster Carer Allowances and Fees (Item 8)" over
#     "85. ..."), where the item's first paragraph carries the minutes' numbering on.
# 69: minutes headed only by the committee, the meeting's time and date and "Present", as Scottish councils print them,
#     are read as minutes; a "Decision" label's lines are the minute's decision; "Motion", "Amendment" and "Voting"
#     are parts of a minute, not minutes.
# 71: a table's header of groups over a row of the columns' own names ("2025-26 Provisional" over "Kent £'m" and
#     "England £'m") is one header of both, so each figure keeps its unit and what it counts.
# 72: a list of names under "Apologies:" or "Present:" is no minute's title over a "1." below it (a group's notes
#     numbered "1. Introductions and apologies", "2. ...", are read as minutes numbered so); nor is the line above
#     a numbered heading "18.  Title (Item 7)" part of its title.
SCHEMA = 72


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, ChunkKind | DocumentStatus) else v)
            for k, v in values.items() if v is not None and not isinstance(v, list | dict | tuple)}


def encode_page_breaks(breaks: PageBreaks) -> str:
    return ",".join(f"{offset}:{page}" for offset, page in breaks)


def decode_page_breaks(text: str) -> PageBreaks:
    pairs = []
    for part in filter(None, str(text or "").split(",")):
        offset, page = part.split(":")
        pairs.append((int(offset), int(page)))
    return tuple(pairs)


def _take(cls: type, meta: dict[str, Any], **given: Any) -> Any:
    """A record of ``cls`` from metadata: its fields that the metadata holds, plus ``given``."""
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in meta.items() if k in names}
    values.update(given)
    return cls(**values)


# -- chunks ---------------------------------------------------------------------------------------
def encode_chunk(chunk: Chunk, version: str, title: str) -> dict[str, Any]:
    meta = asdict(chunk)
    meta.pop("text")
    meta.update(version=version, title=title, meeting_key=chunk.meeting_key,
                page_breaks=encode_page_breaks(chunk.page_breaks))
    return _clean(meta)


def decode_chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> StoredChunk:
    return _take(StoredChunk, meta, id=chunk_id, text=text, kind=ChunkKind(meta.get("kind", ChunkKind.NARRATIVE)),
                 page_start=int(meta.get("page_start", 0)), page_end=int(meta.get("page_end", 0)),
                 page_breaks=decode_page_breaks(meta.get("page_breaks", "")),
                 document=meta.get("document", ""), header=meta.get("header", ""))


# -- decisions ------------------------------------------------------------------------------------
# A decision's lists (its parts, the names under For / Against / Abstain) are kept as one string, one
# entry a line (no entry holds a line break: ingest collapses whitespace).
DECISION_LISTS = tuple(f.name for f in fields(Decision) if str(f.type).startswith("tuple"))


def encode_decision(decision: Decision, version: str, title: str) -> dict[str, Any]:
    meta = asdict(decision)
    meta.pop("text")
    for name in DECISION_LISTS:
        meta[name] = "\n".join(meta[name]) if meta[name] else None
    meta["kind"] = str(decision.kind)
    return _clean({**meta, "version": version, "title": title, "meeting_key": decision.meeting_key})


def decode_decision(decision_id: str, text: str, meta: dict[str, Any]) -> StoredDecision:
    defaults = {"meeting_date": None, "committee": None, "minute": None, "minute_title": None, "item": None,
                "page_label": None}
    lists = {name: tuple(filter(None, str(meta.get(name) or "").split("\n"))) for name in DECISION_LISTS}
    return _take(StoredDecision, {**defaults, **meta, **lists}, id=decision_id, text=text,
                 page=int(meta.get("page", 0)), document=meta.get("document", ""))


# -- scorecard rows -------------------------------------------------------------------------------
def encode_row(row: ScorecardRow, version: str, title: str) -> dict[str, Any]:
    meta = asdict(row)
    meta.pop("text")
    return _clean({**meta, "version": version, "title": title, "chunk_id": chunk_id(version, row.chunk)})


def decode_row(row_id: str, text: str, meta: dict[str, Any]) -> StoredScorecardRow:
    defaults = {f.name: None for f in fields(ScorecardRow)}
    return _take(StoredScorecardRow, {**defaults, **meta}, id=row_id, text=text,
                 chunk=int(meta.get("chunk", 0)), page=int(meta.get("page", 0)),
                 period_key=int(meta.get("period_key", 0)))


# -- the registry ---------------------------------------------------------------------------------
# A fetched paper's provenance is kept as flat "provenance_*" keys (Chroma's metadata holds no nesting).
PROVENANCE_PREFIX = "provenance_"


def encode_document(info: DocumentInfo, **record: Any) -> dict[str, Any]:
    meta = asdict(info)
    meta.pop("provenance")
    if info.provenance is not None:
        meta.update({PROVENANCE_PREFIX + name: value for name, value in asdict(info.provenance).items()})
    return _clean({**meta, **record, "meeting_key": info.meeting_key})


def decode_document(meta: dict[str, Any]) -> DocumentRecord:
    # A record written before the index kept ``embedder`` decodes with "" (so it is written again).
    defaults = {"title": meta.get("document", ""), "committee": None, "meeting_date": None, "kind": "",
                "content_hash": "", "pages": 0, "embedder": ""}
    status = DocumentStatus(meta.get("status", DocumentStatus.COMPLETE))
    provenance = None
    if meta.get(PROVENANCE_PREFIX + "url"):
        provenance = _take(Provenance, {name[len(PROVENANCE_PREFIX):]: value for name, value in meta.items()
                                        if name.startswith(PROVENANCE_PREFIX)})
    return _take(DocumentRecord, {**defaults, **meta}, status=status, provenance=provenance)


# -- ids and filters ------------------------------------------------------------------------------
def chunk_id(version: str, position: int) -> str:
    return f"{version}:{position}"


def where(filters: Filters | None) -> dict | None:
    """The Chroma where-filter for ``filters`` (the same rule as ``Filters.admits``)."""
    if not filters:
        return None
    clauses: list[dict] = []
    if filters.document:
        clauses.append({"document": filters.document})
    if filters.committee:
        clauses.append({"committee": filters.committee})
    if filters.kind:
        clauses.append({"kind": str(filters.kind)})
    if filters.date_from:
        clauses.append({"meeting_key": {"$gte": int(filters.date_from)}})
    if filters.date_to:
        clauses.append({"meeting_key": {"$lte": int(filters.date_to)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
