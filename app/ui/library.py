"""The Library tab: the indexed papers, uploading more (with a password for encrypted ones), removing one."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from app.service import PanelService, ServiceError, Upload
from app.ui.format import escape_text, site_url, warning_markdown
from app.ui.shared import documents, on_load
from core.records import DocumentRecord

LIBRARY_COLUMNS = ["title", "meeting_date", "committee", "pages", "chunks", "decisions", "ingested_at", "document",
                   "site_url"]
LIBRARY_HEADERS = ["Title", "Meeting", "Committee", "Pages", "Passages", "Decisions", "Ingested", "Document",
                   "On the council's site"]


def library_row(record: DocumentRecord) -> dict[str, str | int]:
    """A paper as a row of the library (the table and the ``/library`` API)."""
    provenance = record.provenance
    return {"title": record.title or record.document, "meeting_date": record.meeting_date or "",
            "committee": record.committee or "", "pages": int(record.pages or 0), "chunks": int(record.chunks or 0),
            "decisions": int(record.decisions or 0), "ingested_at": record.ingested_at or "",
            "document": record.document, "site_url": site_url(record) or "",
            "fetched_at": provenance.fetched_at if provenance else ""}


def site_cell(url: str) -> str:
    """The table's link to a paper on the council's site (Markdown; empty for an uploaded paper)."""
    return f"[open]({url})" if url else ""


def library_tab(service: PanelService, status: gr.Markdown) -> None:
    table = gr.Dataframe(headers=LIBRARY_HEADERS, interactive=False, wrap=True, elem_id="library",
                         datatype=["str"] * (len(LIBRARY_HEADERS) - 1) + ["markdown"],
                         column_widths=["23%", "9%", "13%", "6%", "7%", "8%", "11%", "16%", "7%"])
    with gr.Row():
        with gr.Column():
            files = gr.File(label="Add papers (PDF)", file_count="multiple", file_types=[".pdf"], elem_id="upload")
            password = gr.Textbox(label="Password (only for encrypted PDFs; not stored)", type="password",
                                  elem_id="upload-password")
            ingest = gr.Button("Ingest", variant="primary", elem_id="ingest")
            # Never empty: Gradio draws the progress bar over this box, and an empty one has no height.
            result = gr.Markdown("No papers uploaded in this session yet.", elem_id="ingest-result", min_height=60)
        with gr.Column():
            to_remove = gr.Dropdown(label="Remove a paper", choices=documents(service), value=None)
            confirm = gr.Checkbox(label="Yes, remove it from the index (its PDF copy goes too)")
            remove = gr.Button("Remove", variant="stop")
            removed = gr.Markdown()
    configured = service.sync_configured()
    with gr.Row(), gr.Column():
        if configured:
            site, committee = configured
            gr.Markdown(f"**From the council's site.** Fetch the new papers of committee "
                        f"{escape_text(committee)} from {escape_text(site)} (its modern.gov web service) and index "
                        f"them. Papers already here are not fetched again; one request a second at most.")
        else:
            gr.Markdown("**From the council's site.** To fetch a committee's papers from the council's modern.gov "
                        "site, set `sync_site` and `sync_committee` (in panel-papers.toml or the environment), "
                        "or run `panel-papers sync SITE_URL --committee NAME`.")
        sync = gr.Button("Fetch new papers from the council's site", interactive=bool(configured), elem_id="sync")
        synced = gr.Markdown("No sync in this session yet.", elem_id="sync-result", min_height=60)

    def listing():
        try:
            records = service.library()
        except ServiceError as exc:
            gr.Warning(str(exc))
            return [], gr.update(), service.status()
        rows = [library_row(r) for r in records]
        return ([[site_cell(row[c]) if c == "site_url" else row[c] for c in LIBRARY_COLUMNS] for row in rows],
                gr.update(choices=[r.document for r in records]), service.status())

    def run_ingest(uploaded, password, progress=gr.Progress(track_tqdm=True)):  # noqa: B008 (Gradio injects it)
        """The outcome, and the file box: emptied when every file went in, kept when one did not (to try
        again, say with a password)."""
        if not uploaded:
            return "Choose one or more PDF files first.", gr.update()
        uploads = [Upload(path=Path(f), name=Path(f).name) for f in uploaded]
        progress(0, desc=f"Ingesting {len(uploads)} file(s)")
        try:
            report = service.upload(uploads, progress=True, password=password or "")
        except ServiceError as exc:
            return warning_markdown(str(exc)), gr.update()
        lines = [escape_text(report.summary())]
        lines += [f"- Ingested: {escape_text(name)}" for name in report.ingested]
        lines += [f"- Unchanged (already indexed): {escape_text(name)}" for name in report.skipped]
        lines += [f"- Rebuilt from the index's copy: {escape_text(name)}" for name in report.rebuilt]
        lines += [f"- Failed: {escape_text(name)}: {escape_text(reason)}" for name, reason in report.failed]
        return "\n".join(lines), (gr.update() if report.failed else None)

    ingest.click(run_ingest, [files, password], [result, files], api_visibility="private",
                 show_progress="full").then(listing, None, [table, to_remove, status], api_visibility="private")

    def run_sync(progress=gr.Progress(track_tqdm=True)):  # noqa: B008 (Gradio injects it)
        """The summary of a sync of the configured committee, with each failed paper on a line of its own."""
        progress(0, desc="Asking the council's site for the committee's meetings")
        try:
            report = service.sync(progress=True)
        except ServiceError as exc:
            return warning_markdown(str(exc))
        lines = [escape_text(report.summary())]
        lines += [f"- New: {escape_text(name)}" for name in report.new]
        lines += [f"- Failed: {escape_text(where)}: {escape_text(reason)}" for where, reason in report.failed]
        return "\n".join(lines)

    sync.click(run_sync, None, synced, api_visibility="private", show_progress="full").then(
        listing, None, [table, to_remove, status], api_visibility="private")

    def run_remove(name, sure):
        """The outcome, and the confirm box cleared: a tick is consent for one removal, not the next."""
        if not name:
            return "Choose a paper to remove.", False
        if not sure:
            return "Tick the box to confirm the removal.", False
        try:
            done = service.remove(name)
        except ServiceError as exc:
            return warning_markdown(str(exc)), False
        return (f"Removed {escape_text(name)}." if done else f"{escape_text(name)} was not in the index."), False

    remove.click(run_remove, [to_remove, confirm], [removed, confirm], api_visibility="private").then(
        listing, None, [table, to_remove, status], api_visibility="private")
    on_load(listing, None, [table, to_remove, status])
