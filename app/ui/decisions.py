"""The Decisions tab: the register of decisions, searchable and filtered, each row opening its page; the
rows shown can be exported as CSV.

The CSV is written only when "Export these as CSV" is clicked: the click writes it and puts it in a
hidden ``gr.DownloadButton``, then a line of JS clicks that button, which downloads it. (A
``DownloadButton`` downloads the file it holds at the moment it is clicked, before any handler runs, so
it cannot make its own file; Gradio issue #9230.)
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import gradio as gr

from app.service import PanelService, ServiceError, decision_row
from app.ui.shared import committees, on_load, row_opener
from core.records import StoredDecision

DECISION_COLUMNS = ["meeting_date", "committee", "minute", "title", "decision", "page_label", "page", "document"]
DECISION_HEADERS = ["Meeting", "Committee", "Minute", "Title", "Decision", "Printed page", "PDF page", "Document"]

# After the export: click the hidden download button, which now holds the new CSV.
CLICK_DOWNLOAD = """
() => {
  const holder = document.querySelector('#decisions-csv-file');
  const button = holder && (holder.tagName === 'BUTTON' ? holder : holder.querySelector('button'));
  if (button) button.click();
}
"""


def decisions_tab(service: PanelService) -> None:
    shown = gr.State([])  # the StoredDecisions in the table, in its order
    with gr.Row():
        search = gr.Textbox(label="Search the decisions", placeholder="e.g. Mind Of My Own", scale=3)
        d_from = gr.Textbox(label="From (YYYY-MM-DD)", scale=1)
        d_to = gr.Textbox(label="To (YYYY-MM-DD)", scale=1)
        committee = gr.Dropdown(label="Committee", choices=["", *committees(service)], value="", scale=2)
    with gr.Row():
        apply = gr.Button("Show decisions", variant="primary")
        export = gr.Button("Export these as CSV", elem_id="decisions-csv")
        download = gr.DownloadButton("Download the CSV", elem_id="decisions-csv-file", visible="hidden")
    count = gr.Markdown()
    table = gr.Dataframe(headers=DECISION_HEADERS, interactive=False, wrap=True, elem_id="decisions",
                         column_widths=["9%", "12%", "6%", "15%", "40%", "6%", "5%", "7%"])
    with gr.Row():
        link = gr.HTML()
    image = gr.Image(label="The decision's page", type="pil", interactive=False, format="png", height=620)

    def load(text, low, high, comm):
        try:
            decisions = service.decisions(text, low, high, comm)
        except ServiceError as exc:
            return [], [], f"⚠️ {html.escape(str(exc))}"
        return decision_table(decisions), decisions, f"{len(decisions)} decisions"

    filters = [search, d_from, d_to, committee]
    apply.click(load, filters, [table, shown, count], api_visibility="private")
    search.submit(load, filters, [table, shown, count], api_visibility="private")
    on_load(load, filters, [table, shown, count])

    def export_csv(decisions: list[StoredDecision]):
        if not decisions:
            gr.Warning("No decisions are shown, so there is nothing to export.")
            return None
        return str(write_csv(service, decisions))

    export.click(export_csv, [shown], [download], api_visibility="private").success(
        None, None, None, js=CLICK_DOWNLOAD, api_visibility="private")

    table.select(row_opener(service, decision_place), [shown], [image, link], api_visibility="private")


def decision_table(decisions: list[StoredDecision]) -> list[list]:
    rows = [decision_row(d) for d in decisions]
    return [[row[c] for c in DECISION_COLUMNS] for row in rows]


def decision_place(decision: StoredDecision):
    return decision.document, decision.page, decision.page_label, decision.text


def write_csv(service: PanelService, decisions: list[StoredDecision]) -> Path:
    """The decisions as a CSV in a folder of its own (two users exporting in the same second do not
    overwrite each other's file), under the temp folder Gradio may serve files from."""
    base = Path(tempfile.gettempdir()) / "panel-papers-exports"
    base.mkdir(parents=True, exist_ok=True)
    return service.decisions_csv(decisions, Path(tempfile.mkdtemp(dir=base)))
