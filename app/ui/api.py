"""API endpoints for scripts (``gradio_client``): ``/ask``, ``/chat``, ``/decisions``, ``/timeline`` (a topic's
minutes and agenda papers, oldest first), ``/register`` (the follow-ups the minutes record, open or answered),
``/indicators``, ``/series``, ``/library``. The service's records become JSON here, and only here. A bad
input to ``/ask``, ``/decisions``, ``/timeline`` or ``/register`` is answered with ``{"error": "one line"}``."""

from __future__ import annotations

import gradio as gr

from app.service import PanelService, ServiceError, decision_row, request_row, timeline_row
from app.ui.format import site_url
from app.ui.library import library_row
from core.errors import BadQuestion
from retrieval.answer.figures import Figure

KEPT_TURNS = 20

def series_row(figure: Figure) -> dict:
    """One point of an indicator's series, with the page it was printed on. ``date``: the period's last day
    (ISO), so a script can place quarters and months on one time axis; ``from_previous``: the value is the
    previous-period column of the next period's row."""
    return {"period": figure.period, "date": figure.date, "value": figure.value, "target": figure.target,
            "previous": figure.previous, "rag": figure.rag, "document": figure.citation.document,
            "page": figure.citation.page, "page_label": figure.citation.page_label, "indicator": figure.indicator,
            "from_previous": figure.from_previous}


def with_site_urls(answer: dict, records: dict) -> dict:
    """Each citation with its page on the council's site ("" for a paper not fetched by a sync)."""
    for citation in answer.get("citations", []):
        citation["site_url"] = site_url(records.get(citation["document"]), citation["page"]) or ""
    return answer


def api_endpoints(service: PanelService) -> None:
    def ask(question: str, history: list | None = None, date_from: str = "", date_to: str = "",
            committee: str = "", document: str = "") -> dict:
        """Answer a question; history is a list of earlier [question, answer] pairs of this conversation."""
        try:
            filters = service.filters(date_from, date_to, committee, document)
            answer = service.ask(question, history=[tuple(h) for h in history or []], filters=filters)
        except (BadQuestion, ServiceError) as exc:
            return {"error": str(exc)}
        return with_site_urls(answer.to_dict(), service.documents() if answer.citations else {})

    def decisions(search: str = "", date_from: str = "", date_to: str = "", committee: str = "") -> list[dict] | dict:
        """Every decision in the index matching the search words and filters."""
        try:
            return [decision_row(d) for d in service.decisions(search, date_from, date_to, committee)]
        except ServiceError as exc:
            return {"error": str(exc)}

    def timeline(topic: str, committee: str = "") -> list[dict] | dict:
        """Every minute and agenda paper on a topic, oldest first, each with its page; ``updated_by`` names a
        later decision that replaced this one."""
        try:
            return [timeline_row(t) for t in service.timeline(topic, committee)]
        except ServiceError as exc:
            return {"error": str(exc)}

    def register(committee: str = "", date_from: str = "", date_to: str = "", status: str = "") -> list[dict] | dict:
        """The follow-ups the minutes record, oldest meeting first, each with its page and, where a later item
        brought it back, that item; status: "open", "answered", or "" / "all"."""
        try:
            return [request_row(r) for r in service.register(committee, date_from, date_to, status)]
        except ServiceError as exc:
            return {"error": str(exc)}

    def indicators() -> list[list]:
        """Scorecard indicators with the number of periods reporting each."""
        return [[name, n] for name, n in service.indicators()]

    def series(indicator: str) -> list[dict]:
        """One indicator's values over the reporting periods, each with its page."""
        return [series_row(f) for f in service.series(indicator)]

    def library() -> list[dict]:
        """The indexed papers."""
        return [library_row(r) for r in service.library()]

    for fn in (ask, decisions, timeline, register, indicators, series, library):
        gr.api(fn, api_name=fn.__name__)

    # /chat: like /ask, but the conversation is kept server-side in this client's session (gr.State is
    # per session), as the Chat tab keeps it per browser tab; its last KEPT_TURNS turns (follow-ups look
    # back a few turns, and Gradio copies the state on every event: an endless one slows every answer).
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
        return (with_site_urls(answer.to_dict(), service.documents() if answer.citations else {}),
                [*turns, (text, answer.text)][-KEPT_TURNS:])

    send.click(chat, [question, conversation], [reply, conversation], api_name="chat")
