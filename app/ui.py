"""The Gradio app: Chat (with sources and page pictures), Decisions, Figures, Library.

Layout only: every action calls ``app.service.PanelService``. Text that comes from a PDF is escaped before
it reaches the page (a paper holding ``<script>`` shows it as text). API endpoints for scripts and
``gradio_client``: ``/ask``, ``/decisions``, ``/indicators``, ``/series``, ``/library``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import gradio as gr
import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402

from app.service import PanelService, ServiceError, Upload  # noqa: E402
from ingest.chunker import human_date  # noqa: E402
from retrieval.assistant import BadQuestion  # noqa: E402
from retrieval.compose import Answer  # noqa: E402

EXAMPLES = [
    ("A panel member", "What did the panel resolve about Mind Of My Own?"),
    ("A new councillor", "What are my duties as a corporate parent?"),
    ("An officer", "What was the % of care leavers in EET in November 2018?"),
]
MARKER = re.compile(r"\[(\d+)\]")

CSS = """
#sources .source {border:1px solid var(--border-color-primary); border-radius:8px; padding:8px 10px; margin:6px 0;}
#sources .source .where {font-weight:600;}
#sources .source blockquote {margin:4px 0 0 0; padding-left:8px; border-left:3px solid #f2c200; font-size:0.92em;}
#sources .refused {background:#fff4e5; border:1px solid #f0a020; border-radius:8px; padding:8px 10px;}
#sources .answered {background:#eef7ee; border:1px solid #5aa05a; border-radius:8px; padding:8px 10px;}
#status {font-size:0.9em; opacity:0.8;}
"""

# Clicking an [n] in the chat picks source n in the sources panel (and so shows its page).
JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('#chat a');
    if (!link) return;
    const match = (link.getAttribute('href') || '').match(/#source-(\\d+)$/);
    if (!match) return;
    event.preventDefault();
    const options = document.querySelectorAll('#source-pick input[type=radio]');
    const option = options[parseInt(match[1], 10) - 1];
    if (option) option.click();
  }, true);
}
"""


def escape_text(text: str) -> str:
    """PDF text as inert markdown: no HTML, no link syntax (links are only the ones we add)."""
    text = html.escape(text, quote=False)
    return text.replace("](", "]\\(")


def answer_markdown(answer: Answer) -> str:
    """The answer for the chat: escaped, each [n] a link that picks source n; a refusal is marked."""
    body = MARKER.sub(lambda m: f"[[{m.group(1)}]](#source-{m.group(1)})", escape_text(answer.text))
    if not answer.answered:
        body = "⚠️ **Not in the papers.** " + body
    return body


def pdf_url(path: Path | None, page: int) -> str | None:
    return f"/gradio_api/file={path}#page={page}" if path else None


def where_label(citation) -> str:
    page = f"page {citation.page_label}" if citation.page_label else f"PDF page {citation.page}"
    meeting = f"meeting of {human_date(citation.meeting_date)}" if citation.meeting_date else ""
    parts = [citation.title or citation.document, meeting, page, citation.item or ""]
    return ", ".join(p for p in parts if p)


def sources_html(answer: Answer | None, service: PanelService) -> str:
    if answer is None:
        return "<p>Sources of the answer appear here, with a picture of each cited page.</p>"
    banner = ('<div class="answered">Answered from the papers; every [n] is a page below.</div>' if answer.answered
              else '<div class="refused">The papers do not answer this. Closest passages, for reading on:</div>')
    blocks = [banner]
    records = service.documents() if answer.citations else {}
    for citation in answer.citations:
        url = pdf_url(service.source_pdf(citation.document, records), citation.page)
        link = (f' · <a href="{html.escape(url)}" target="_blank" rel="noopener">open the PDF at this page ↗</a>'
                if url else "")
        blocks.append(
            f'<div class="source" id="source-{citation.n}"><span class="where">[{citation.n}] '
            f"{html.escape(where_label(citation))}</span>{link}"
            f"<blockquote>{html.escape(citation.quote[:600])}</blockquote></div>")
    return "\n".join(blocks)


def source_choices(answer: Answer | None) -> list[tuple[str, int]]:
    if answer is None:
        return []
    return [(f"[{c.n}] {where_label(c)}"[:90], c.n) for c in answer.citations]


def build_app(service: PanelService) -> gr.Blocks:
    with gr.Blocks(title="Panel Papers Assistant", analytics_enabled=False) as app:
        gr.Markdown("## Panel Papers Assistant\nAnswers from the committee papers, each with its document and page.")
        status = gr.Markdown(service.status(), elem_id="status")
        with gr.Tab("Chat"):
            _chat_tab(service)
        with gr.Tab("Decisions"):
            _decisions_tab(service)
        with gr.Tab("Figures"):
            _figures_tab(service)
        with gr.Tab("Library"):
            _library_tab(service, status)
        _api_endpoints(service)
    return app


# -- Chat ------------------------------------------------------------------------------------------
def _chat_tab(service: PanelService) -> None:
    answers = gr.State({})  # chat message index → the answer shown there (for feedback and sources)
    current = gr.State(None)  # the answer whose sources are shown
    with gr.Row():
        with gr.Column(scale=3):
            chat = gr.Chatbot(elem_id="chat", height=520, label="Conversation", feedback_options=("Like", "Dislike"),
                              placeholder="Ask about decisions, duties or figures in the papers.")
            with gr.Row():
                question = gr.Textbox(elem_id="question", show_label=False, scale=5, max_lines=3,
                                      placeholder="e.g. What did the panel resolve about Mind Of My Own?")
                ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                clear = gr.Button("Clear conversation", elem_id="clear", scale=1)
            with gr.Accordion("Filters", open=False):
                with gr.Row():
                    date_from = gr.Textbox(label="Meetings from (YYYY-MM-DD)", max_lines=1)
                    date_to = gr.Textbox(label="Meetings to (YYYY-MM-DD)", max_lines=1)
                    committee = gr.Dropdown(label="Committee", choices=[""] + _committees(service), value="")
                    document = gr.Dropdown(label="Document", choices=[""] + _documents(service), value="")
            gr.Markdown("**Try asking** (one for each kind of user):")
            with gr.Row():
                example_buttons = [gr.Button(f"{who}: {text}", size="sm") for who, text in EXAMPLES]
        with gr.Column(scale=2):
            sources = gr.HTML(sources_html(None, service), elem_id="sources")
            pick = gr.Radio(label="Show the page of source", choices=[], elem_id="source-pick")
            page_image = gr.Image(label="Cited page (passage highlighted)", type="pil", interactive=False,
                                  elem_id="page-image", format="png", height=620)

    def respond(text, messages, shown, d_from, d_to, comm, doc):
        messages = list(messages or [])
        shown = dict(shown or {})
        messages.append({"role": "user", "content": escape_text(text or "")})
        history = [(a["question"], a["text"]) for _, a in sorted(shown.items())]
        try:
            filters = service.filters(d_from, d_to, comm, doc)
            answer = service.ask(text, history=history, filters=filters)
        except (BadQuestion, ServiceError) as exc:
            messages.append({"role": "assistant", "content": f"⚠️ {escape_text(str(exc))}"})
            yield messages, shown, None, sources_html(None, service), gr.update(choices=[], value=None), None, ""
            return
        final = answer_markdown(answer)
        messages.append({"role": "assistant", "content": ""})
        # The extractive answer is ready at once; it is shown growing sentence by sentence, as a chat does.
        pieces = re.split(r"(?<=\n)|(?<=\. )", final)
        built = ""
        for piece in pieces[:-1]:
            built += piece
            messages[-1] = {"role": "assistant", "content": built}
            yield messages, shown, None, gr.update(), gr.update(), gr.update(), ""
        messages[-1] = {"role": "assistant", "content": final}
        shown[len(messages) - 1] = answer.to_dict()
        image = _first_page(service, answer)
        first = answer.citations[0].n if answer.citations else None
        yield (messages, shown, answer.to_dict(), sources_html(answer, service),
               gr.update(choices=source_choices(answer), value=first), image, "")

    outputs = [chat, answers, current, sources, pick, page_image, question]
    inputs = [question, chat, answers, date_from, date_to, committee, document]
    ask.click(respond, inputs, outputs, api_visibility="private")
    question.submit(respond, inputs, outputs, api_visibility="private")
    for button, (_who, text) in zip(example_buttons, EXAMPLES, strict=True):
        button.click(lambda t=text: t, None, question, api_visibility="private").then(
            respond, inputs, outputs, api_visibility="private")

    def clear_all():
        return [], {}, None, sources_html(None, service), gr.update(choices=[], value=None), None, ""

    clear.click(clear_all, None, outputs, api_visibility="private")

    def show_source(n, shown_answer):
        if not n or not shown_answer:
            return None
        citation = next((c for c in shown_answer["citations"] if c["n"] == n), None)
        if citation is None:
            return None
        try:
            return service.page_image(citation["document"], citation["page"], citation["quote"])
        except (ServiceError, ValueError) as exc:
            gr.Warning(str(exc))
            return None

    pick.input(show_source, [pick, current], page_image, api_visibility="private")

    def feedback(shown, data: gr.LikeData):
        index = data.index if isinstance(data.index, int) else data.index[0]
        answer = (shown or {}).get(index)
        if answer is None:
            return
        service.add_feedback(bool(data.liked), answer)
        gr.Info("Thank you: your feedback is stored with the question, answer and sources.")

    chat.like(feedback, [answers], None, api_visibility="private")


def _first_page(service: PanelService, answer: Answer):
    if not answer.citations:
        return None
    c = answer.citations[0]
    try:
        return service.page_image(c.document, c.page, c.quote)
    except (ServiceError, ValueError):
        return None


def _committees(service: PanelService) -> list[str]:
    try:
        return sorted({r.get("committee") for r in service.documents().values() if r.get("committee")})
    except ServiceError:
        return []


def _documents(service: PanelService) -> list[str]:
    try:
        return sorted(service.documents())
    except ServiceError:
        return []


# -- Decisions -------------------------------------------------------------------------------------
DECISION_COLUMNS = ["meeting_date", "committee", "minute", "title", "decision", "page_label", "page", "document"]
DECISION_HEADERS = ["Meeting", "Committee", "Minute", "Title", "Decision", "Printed page", "PDF page", "Document"]


def _decisions_tab(service: PanelService) -> None:
    rows_state = gr.State([])
    with gr.Row():
        search = gr.Textbox(label="Search the decisions", placeholder="e.g. Mind Of My Own", scale=3)
        d_from = gr.Textbox(label="From (YYYY-MM-DD)", scale=1)
        d_to = gr.Textbox(label="To (YYYY-MM-DD)", scale=1)
        committee = gr.Dropdown(label="Committee", choices=[""] + _committees(service), value="", scale=2)
    with gr.Row():
        apply = gr.Button("Show decisions", variant="primary")
        export = gr.DownloadButton("Export these as CSV", elem_id="decisions-csv")
    count = gr.Markdown()
    table = gr.Dataframe(headers=DECISION_HEADERS, interactive=False, wrap=True, elem_id="decisions",
                         column_widths=["9%", "12%", "6%", "15%", "40%", "6%", "5%", "7%"])
    with gr.Row():
        link = gr.HTML()
    image = gr.Image(label="The decision's page", type="pil", interactive=False, format="png", height=620)

    def load(text, low, high, comm):
        try:
            rows = service.decisions(text, low, high, comm)
        except ServiceError as exc:
            return [], [], f"⚠️ {html.escape(str(exc))}", gr.update()
        csv_path = service.decisions_csv(rows, _export_dir())
        table_rows = [[r[c] for c in DECISION_COLUMNS] for r in rows]
        return table_rows, rows, f"{len(rows)} decisions", gr.update(value=str(csv_path))

    apply.click(load, [search, d_from, d_to, committee], [table, rows_state, count, export], api_visibility="private")
    search.submit(load, [search, d_from, d_to, committee], [table, rows_state, count, export],
                  api_visibility="private")

    table.select(_row_opener(service, "decision"), [rows_state], [image, link], api_visibility="private")
    _on_load(load, [search, d_from, d_to, committee], [table, rows_state, count, export])


def _row_opener(service: PanelService, quote_key: str):
    """A table-row click handler (Decisions, Figures): the row's page with ``row[quote_key]`` highlighted,
    and a link to the PDF at that page."""

    def open_row(rows, event: gr.SelectData):
        index = event.index[0] if isinstance(event.index, list | tuple) else event.index
        if not rows or index is None or index >= len(rows):
            return None, ""
        row = rows[index]
        try:
            picture = service.page_image(row["document"], row["page"], row[quote_key])
        except (ServiceError, ValueError) as exc:
            return None, html.escape(str(exc))
        url = pdf_url(service.source_pdf(row["document"]), row["page"])
        return picture, (f'<a href="{html.escape(url)}" target="_blank" rel="noopener">Open the PDF at page '
                         f'{row.get("page_label") or row["page"]} ↗</a>' if url else "")

    return open_row


# -- Figures ---------------------------------------------------------------------------------------
FIGURE_HEADERS = ["Period", "Value", "Target", "Previous", "RAG", "Document", "Printed page", "PDF page"]


def figure_chart(figures, indicator: str):
    """The indicator over its reporting periods, with the target where the scorecards give one."""
    points = [(f.period, f.number, f.target_number) for f in figures if f.number is not None]
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=100)
    if points:
        labels = [p[0] for p in points]
        axes.plot(labels, [p[1] for p in points], marker="o", linewidth=2, color="#1f5fa8", label="value")
        for label, value in zip(labels, [p[1] for p in points], strict=True):
            axes.annotate(f"{value:g}", (label, value), textcoords="offset points", xytext=(0, 7), ha="center",
                          fontsize=9)
        targets = [(p[0], p[2]) for p in points if p[2] is not None]
        if targets:
            axes.plot([t[0] for t in targets], [t[1] for t in targets], linestyle="--", marker="_", color="#c0392b",
                      label="target")
        axes.legend(loc="best", fontsize=8)
    else:
        axes.text(0.5, 0.5, "No numeric values to chart", ha="center", va="center", transform=axes.transAxes)
    axes.set_title(indicator[:90], fontsize=10)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def _figures_tab(service: PanelService) -> None:
    figures_state = gr.State([])
    names = _indicator_names(service)
    indicator = gr.Dropdown(label="Indicator (from the scorecards)", choices=names, value=None, elem_id="indicator",
                            filterable=True)
    plot = gr.Plot(label="Over the reporting periods", elem_id="figure-chart")
    table = gr.Dataframe(headers=FIGURE_HEADERS, interactive=False, wrap=True, elem_id="figure-table")
    link = gr.HTML()
    image = gr.Image(label="The scorecard page", type="pil", interactive=False, format="png", height=620)

    def show(name):
        if not name:
            return None, [], []
        try:
            figures = service.series(name)
        except ServiceError as exc:
            gr.Warning(str(exc))
            return None, [], []
        rows = [[f.period, f.value, f.target or "", f.previous or "", f.rag or "", f.citation.title or
                 f.citation.document, f.citation.page_label or "", f.citation.page] for f in figures]
        chart = figure_chart(figures, name)
        plt.close(chart)
        return chart, rows, [{"document": f.citation.document, "page": f.citation.page, "quote": f.citation.quote,
                              "page_label": f.citation.page_label} for f in figures]

    indicator.change(show, [indicator], [plot, table, figures_state], api_visibility="private")

    table.select(_row_opener(service, "quote"), [figures_state], [image, link], api_visibility="private")


def _indicator_names(service: PanelService) -> list[str]:
    try:
        return [name for name, _ in service.indicators()]
    except ServiceError:
        return []


# -- Library ---------------------------------------------------------------------------------------
LIBRARY_COLUMNS = ["title", "meeting_date", "committee", "pages", "chunks", "decisions", "ingested_at", "document"]
LIBRARY_HEADERS = ["Title", "Meeting", "Committee", "Pages", "Passages", "Decisions", "Ingested", "Document"]


def _library_tab(service: PanelService, status) -> None:
    table = gr.Dataframe(headers=LIBRARY_HEADERS, interactive=False, wrap=True, elem_id="library")
    with gr.Row():
        with gr.Column():
            files = gr.File(label="Add papers (PDF)", file_count="multiple", file_types=[".pdf"], elem_id="upload")
            password = gr.Textbox(label="Password (only for encrypted PDFs; not stored)", type="password",
                                  elem_id="upload-password")
            ingest = gr.Button("Ingest", variant="primary", elem_id="ingest")
            result = gr.Markdown(elem_id="ingest-result")
        with gr.Column():
            to_remove = gr.Dropdown(label="Remove a paper", choices=_documents(service), value=None)
            confirm = gr.Checkbox(label="Yes, remove it from the index (its PDF copy goes too)")
            remove = gr.Button("Remove", variant="stop")
            removed = gr.Markdown()

    def listing():
        try:
            rows = service.library()
        except ServiceError as exc:
            gr.Warning(str(exc))
            return [], gr.update(), service.status()
        return ([[r[c] for c in LIBRARY_COLUMNS] for r in rows], gr.update(choices=[r["document"] for r in rows]),
                service.status())

    def run_ingest(uploaded, password, progress=gr.Progress(track_tqdm=True)):  # noqa: B008 (Gradio injects it)
        if not uploaded:
            return "Choose one or more PDF files first."
        uploads = [Upload(path=Path(f), name=Path(f).name) for f in uploaded]
        progress(0, desc=f"Ingesting {len(uploads)} file(s)")
        try:
            report = service.upload(uploads, progress=True, password=password or "")
        except ServiceError as exc:
            return f"⚠️ {escape_text(str(exc))}"
        lines = [escape_text(report.summary())]
        lines += [f"- ✅ {escape_text(name)}" for name in report.ingested]
        lines += [f"- ⏭️ {escape_text(name)}: already indexed, unchanged" for name in report.skipped]
        lines += [f"- 🔁 {escape_text(name)}: rebuilt from the index's copy" for name in report.rebuilt]
        lines += [f"- ❌ {escape_text(name)}: {escape_text(reason)}" for name, reason in report.failed]
        return "\n".join(lines)

    ingest.click(run_ingest, [files, password], [result], api_visibility="private").then(
        listing, None, [table, to_remove, status], api_visibility="private")

    def run_remove(name, sure):
        if not name:
            return "Choose a paper to remove."
        if not sure:
            return "Tick the box to confirm the removal."
        try:
            done = service.remove(name)
        except ServiceError as exc:
            return f"⚠️ {escape_text(str(exc))}"
        return f"Removed {escape_text(name)}." if done else f"{escape_text(name)} was not in the index."

    remove.click(run_remove, [to_remove, confirm], [removed], api_visibility="private").then(
        listing, None, [table, to_remove, status], api_visibility="private")
    _on_load(listing, None, [table, to_remove, status])


# -- API endpoints for scripts (gradio_client) -------------------------------------------------------
def _api_endpoints(service: PanelService) -> None:
    def ask(question: str, history: list | None = None, date_from: str = "", date_to: str = "",
            committee: str = "", document: str = "") -> dict:
        """Answer a question; history is a list of earlier [question, answer] pairs of this conversation."""
        try:
            filters = service.filters(date_from, date_to, committee, document)
            answer = service.ask(question, history=[tuple(h) for h in history or []], filters=filters)
        except (BadQuestion, ServiceError) as exc:
            return {"error": str(exc)}
        return answer.to_dict()

    def decisions(search: str = "", date_from: str = "", date_to: str = "", committee: str = "") -> list[dict]:
        """Every decision in the index matching the search words and filters."""
        return service.decisions(search, date_from, date_to, committee)

    def indicators() -> list[list]:
        """Scorecard indicators with the number of periods reporting each."""
        return [[name, n] for name, n in service.indicators()]

    def series(indicator: str) -> list[dict]:
        """One indicator's values over the reporting periods, each with its page."""
        return [{"period": f.period, "value": f.value, "target": f.target, "previous": f.previous, "rag": f.rag,
                 "document": f.citation.document, "page": f.citation.page, "page_label": f.citation.page_label}
                for f in service.series(indicator)]

    def library() -> list[dict]:
        """The indexed papers."""
        return service.library()

    for fn in (ask, decisions, indicators, series, library):
        gr.api(fn, api_name=fn.__name__)

    # /chat: like /ask, but the conversation is kept server-side in this client's session (gr.State is
    # per session), as the Chat tab keeps it per browser tab.
    with gr.Row(visible=False):
        question = gr.Textbox()
        reply = gr.JSON()
        conversation = gr.State([])
        send = gr.Button()

    def chat(text: str, turns: list) -> tuple[dict, list]:
        try:
            answer = service.ask(text, history=[tuple(t) for t in turns])
        except (BadQuestion, ServiceError) as exc:
            return {"error": str(exc)}, turns
        return answer.to_dict(), [*turns, (text, answer.text)]

    send.click(chat, [question, conversation], [reply, conversation], api_name="chat")


def _on_load(fn, inputs, outputs) -> None:
    """Fill a tab each time the page opens: the index may have changed since the app started."""
    blocks = gr.context.Context.root_block
    blocks.load(fn, inputs, outputs, api_visibility="private")


def _export_dir() -> Path:
    import tempfile

    folder = Path(tempfile.gettempdir()) / "panel-papers-exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def launch(service: PanelService, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           block: bool = True):
    """Start the app. Only the index's own copies of the papers are served as files."""
    from ingest.pipeline import papers_dir

    app = build_app(service)
    app.queue(default_concurrency_limit=service.settings.app_concurrency)
    folder = papers_dir(service.settings)
    folder.mkdir(parents=True, exist_ok=True)
    app.launch(server_name=host, server_port=port, auth=auth, allowed_paths=[str(folder)],
                      max_file_size=f"{service.settings.max_file_mb}mb", css=CSS, js=JS, show_error=False,
                      footer_links=["api"], prevent_thread_lock=not block, quiet=not block,
                      auth_message="Panel Papers Assistant: sign in with the login your administrator set.")
    return app
