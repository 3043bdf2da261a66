"""Structure → chunks: a minute, a report section or a run of table rows, never crossing a document.

Each chunk carries the pages it comes from and a short header (document, meeting, item, minute,
section, period) that is embedded with it, so "the scorecard for Nov 2018" finds Nov 2018's rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable

from core.dates import human_date
from core.records import Chunk, ChunkKind
from ingest.structure import Context, Line, PaperStructure


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_header(structure: PaperStructure, ctx: Context) -> str:
    info = structure.info
    parts = [info.title]
    if ctx.committee or ctx.meeting_date:
        parts.append(" ".join(x for x in (ctx.committee, "meeting of", human_date(ctx.meeting_date)) if x))
    if ctx.item:
        parts.append(f"Item {ctx.item}: {ctx.report or ctx.item_title or ''}".strip().rstrip(":"))
    elif ctx.report:
        parts.append(ctx.report)
    if ctx.minute or ctx.minute_title:
        parts.append(" ".join(x for x in ("Minute", ctx.minute, ctx.minute_title) if x))
    if ctx.section:
        parts.append(f"Section {ctx.section}")
    if ctx.table_title:
        parts.append(ctx.table_title)
    if ctx.period and not ctx.period_from_cover:
        parts.append(f"Period {ctx.period}")
    return " | ".join(parts)


def _chunk(structure: PaperStructure, ctx: Context, kind: ChunkKind, lines: list[tuple[str, int]],
           ocr_pages: Collection[int] = ()) -> Chunk:
    """One chunk from (line text, page) pairs, remembering where each page's text starts; OCR text when
    any of its pages was read by OCR."""
    header = make_header(structure, ctx)
    text = "\n".join(t for t, _ in lines)
    breaks: list[tuple[int, int]] = []
    offset, last_page = 0, None
    for line_text, page in lines:
        if page != last_page:
            breaks.append((offset, page))
            last_page = page
        offset += len(line_text) + 1
    pages = [p for _, p in lines]
    chunk = Chunk(
        document=structure.info.document, text=text, header=header, kind=kind,
        page_start=min(pages), page_end=max(pages), page_label=structure.page_labels.get(min(pages)),
        meeting_date=ctx.meeting_date, committee=ctx.committee, item=ctx.item, minute=ctx.minute,
        minute_title=ctx.minute_title, section=ctx.section, period=ctx.period, page_breaks=tuple(breaks),
        ocr=any(page in ocr_pages for page in pages),
    )
    chunk.content_hash = text_hash(chunk.embed_text)
    return chunk


def _group_key(line: Line) -> tuple:
    c = line.context
    kind = ChunkKind.TABLE if line.kind == ChunkKind.TABLE else ChunkKind.NARRATIVE
    return (kind, c.meeting_date, c.item, c.minute, c.minute_title, c.report, c.section, c.period)


def _windows(lines: list[Line], max_words: int, overlap_words: int) -> Iterable[list[Line]]:
    """Split a run of lines into windows of at most ``max_words``, overlapping by whole lines."""
    window: list[Line] = []
    words = 0
    for line in lines:
        n = len(line.text.split())
        if window and words + n > max_words:
            yield window
            carry: list[Line] = []
            carried = 0
            for previous in reversed(window):
                carried += len(previous.text.split())
                if carried > overlap_words:
                    break
                carry.insert(0, previous)
            window, words = carry, sum(len(x.text.split()) for x in carry)
        window.append(line)
        words += n
    if window:
        yield window


def make_chunks(structure: PaperStructure, max_words: int = 170, overlap_words: int = 30,
                ocr_pages: Collection[int] = ()) -> list[Chunk]:
    chunks: list[Chunk] = []
    for decision in structure.decisions:
        ctx = next((ln.context for ln in structure.lines
                    if ln.page == decision.page and ln.kind == ChunkKind.DECISION
                    and ln.context.minute == decision.minute), None)
        ctx = ctx or Context(meeting_date=decision.meeting_date, committee=decision.committee,
                             item=decision.item, minute=decision.minute, minute_title=decision.minute_title,
                             in_minutes=True)
        chunks.append(_chunk(structure, ctx, ChunkKind.DECISION, [(decision.text, decision.page)], ocr_pages))

    run: list[Line] = []
    for line in structure.lines + [None]:  # type: ignore[list-item]
        if line is not None and not line.text.strip():
            continue
        if run and (line is None or _group_key(line) != _group_key(run[0])):
            kind = ChunkKind.TABLE if run[0].kind == ChunkKind.TABLE else ChunkKind.NARRATIVE
            overlap = 0 if kind == ChunkKind.TABLE else overlap_words
            for window in _windows(run, max_words, overlap):
                pairs = [(ln.text.strip(), ln.page) for ln in window]
                if sum(len(t.split()) for t, _ in pairs) >= 3:
                    chunks.append(_chunk(structure, window[0].context, kind, pairs, ocr_pages))
            run = []
        if line is not None:
            run.append(line)

    for page, ctx, rows in structure.tables:
        fake = [Line(text=row, page=page, context=ctx, kind=ChunkKind.TABLE) for row in rows]
        for window in _windows(fake, max_words, 0):
            chunks.append(_chunk(structure, ctx, ChunkKind.TABLE, [(ln.text, page) for ln in window], ocr_pages))
    return chunks
