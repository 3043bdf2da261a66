"""The Chat tab: a question, its answer streamed as it is made, the sources with a picture of each cited
page, filters, examples, feedback.

``service.ask`` runs in a worker thread and hands each checked piece of the answer to ``on_token``; the
pieces go through a queue to the chat, which shows the answer growing. When the answer is done it replaces
what was streamed (the final answer always wins: a refusal shows the refusal).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import gradio as gr

from app.pages import page_alt_text
from app.service import PanelService, ServiceError
from app.ui.format import (
    answer_markdown,
    escape_text,
    linked_markdown,
    source_choices,
    sources_html,
    warning_markdown,
)
from app.ui.shared import committees, documents, on_load
from core.errors import BadQuestion
from core.records import Filters
from retrieval.answer.citations import Answer, Citation

ALL_COMMITTEES = "All committees"
EXAMPLES = [
    ("A panel member", "What did the panel resolve about Mind Of My Own?"),
    ("A new councillor", "What are my duties as a corporate parent?"),
    ("An officer", "What was the % of care leavers in EET in November 2018?"),
]
_DONE = object()  # the worker's last word on the queue


def stream_answer(service: PanelService, question: str, history: list[tuple[str, str]] | None = None,
                  filters: Filters | None = None) -> Iterator[str | Answer]:
    """Each piece of checked text ``service.ask`` streams (``str``), as it comes, then the final ``Answer``.
    An error of the worker (``BadQuestion``, ``ServiceError``, anything) is raised here, in the caller."""
    pieces: queue.Queue = queue.Queue()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["answer"] = service.ask(question, history=history, filters=filters, on_token=pieces.put)
        except Exception as exc:  # handed to the caller's thread, raised there
            outcome["error"] = exc
        finally:
            pieces.put(_DONE)

    worker = threading.Thread(target=work, name="panel-answer", daemon=True)
    worker.start()
    while (piece := pieces.get()) is not _DONE:
        if piece:
            yield piece
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    if "answer" not in outcome:  # the worker died of something that is not an Exception
        raise ServiceError("The answer could not be made; try again.")
    yield outcome["answer"]  # type: ignore[misc]


def chat_tab(service: PanelService) -> None:
    answers = gr.State({})  # chat message index → the Answer shown there (for feedback and history)
    current = gr.State(None)  # the Answer whose sources are shown
    # On a phone the two columns dissolve into one list ordered by CSS (format.CSS): the sources come
    # straight under the answer, the filters and examples after them.
    with gr.Row(elem_id="chat-layout"):
        with gr.Column(scale=3, elem_id="chat-main"):
            chat = gr.Chatbot(elem_id="chat", height=520, label="Conversation", feedback_options=("Like", "Dislike"),
                              placeholder="Ask about decisions, duties or figures in the papers.",
                              buttons=["copy", "copy_all"])  # not "share": it calls out, and has no name
            with gr.Row(elem_id="question-row"):
                question = gr.Textbox(elem_id="question", show_label=False, scale=5, max_lines=3,
                                      placeholder="e.g. What did the panel resolve about Mind Of My Own?")
                ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                clear = gr.Button("Clear conversation", elem_id="clear", scale=1)
            # In an archive of every committee's papers, narrowing to one is a single click, not a menu.
            committee = gr.Radio(label="Search the papers of", choices=[ALL_COMMITTEES, *committees(service)],
                                 value=ALL_COMMITTEES, elem_id="committee-pick")
            with gr.Accordion("Filters", open=False, elem_id="filters"):
                with gr.Row():
                    date_from = gr.Textbox(label="Meetings from (YYYY-MM-DD)", max_lines=1)
                    date_to = gr.Textbox(label="Meetings to (YYYY-MM-DD)", max_lines=1)
                    document = gr.Dropdown(label="Document", choices=["", *documents(service)], value="")
            gr.Markdown("**Try asking** (one for each kind of user):", elem_id="try-asking")
            with gr.Row(elem_id="examples"):
                example_buttons = [gr.Button(f"{who}: {text}", size="sm") for who, text in EXAMPLES]
        with gr.Column(scale=2, elem_id="chat-side"):
            sources = gr.HTML(sources_html(None, service), elem_id="sources")
            pick = gr.Radio(label="Show the page of source", choices=[], elem_id="source-pick")
            # Fit to the column's width (format.CSS); "fullscreen" is the zoom.
            page_image = gr.Image(label="Cited page (passage highlighted)", type="pil", interactive=False,
                                  elem_id="page-image", format="png", buttons=["fullscreen"])

    def respond(text, messages, shown, d_from, d_to, comm, doc):
        messages = list(messages or [])
        shown = dict(shown or {})
        messages.append({"role": "user", "content": escape_text(text or "")})
        asked = len(messages)  # the assistant's message goes here
        history = [(a.question, a.text) for _, a in sorted(shown.items())]
        answer = None
        try:
            filters = service.filters(d_from, d_to, "" if comm == ALL_COMMITTEES else comm, doc)
            streamed = ""
            for item in stream_answer(service, text, history=history, filters=filters):
                if isinstance(item, Answer):
                    answer = item
                    break
                streamed += item
                messages[asked:] = [{"role": "assistant", "content": linked_markdown(streamed)}]
                yield messages, shown, None, gr.update(), gr.update(), gr.update(), ""
        except (BadQuestion, ServiceError) as exc:
            messages[asked:] = [{"role": "assistant", "content": warning_markdown(str(exc))}]
            yield messages, shown, None, sources_html(None, service), gr.update(choices=[], value=None), None, ""
            return
        messages[asked:] = [{"role": "assistant", "content": answer_markdown(answer)}]
        shown[asked] = answer
        first = answer.citations[0].n if answer.citations else None
        yield (messages, shown, answer, sources_html(answer, service),
               gr.update(choices=source_choices(answer), value=first), first_page(service, answer), "")

    outputs = [chat, answers, current, sources, pick, page_image, question]
    inputs = [question, chat, answers, date_from, date_to, committee, document]
    # Papers added since the app started bring their committees.
    on_load(lambda chosen: gr.update(choices=[ALL_COMMITTEES, *committees(service)]), [committee], committee)
    ask.click(respond, inputs, outputs, api_visibility="private")
    question.submit(respond, inputs, outputs, api_visibility="private")
    for button, (_who, text) in zip(example_buttons, EXAMPLES, strict=True):
        button.click(lambda t=text: t, None, question, api_visibility="private").then(
            respond, inputs, outputs, api_visibility="private")

    def clear_all():
        return [], {}, None, sources_html(None, service), gr.update(choices=[], value=None), None, ""

    clear.click(clear_all, None, outputs, api_visibility="private")

    def show_source(n, answer: Answer | None):
        if not n or answer is None:
            return None
        citation = next((c for c in answer.citations if c.n == n), None)
        if citation is None:
            return None
        try:
            return cited_page(service, citation)
        except (ServiceError, ValueError) as exc:
            gr.Warning(str(exc))
            return None

    pick.input(show_source, [pick, current], page_image, api_visibility="private")

    def feedback(shown, data: gr.LikeData):
        index = data.index if isinstance(data.index, int) else data.index[0]
        answer = (shown or {}).get(index)
        if answer is None:
            return
        service.add_feedback(bool(data.liked), answer.to_dict())
        gr.Info("Thank you: your feedback is stored with the question, answer and sources.")

    chat.like(feedback, [answers], None, api_visibility="private")


def cited_page(service: PanelService, citation: Citation):
    """The picture of a cited page with its text alternative (the place and the cited passage)."""
    picture = service.page_image(citation.document, citation.page, citation.quote)
    alt = page_alt_text(citation.title or citation.document, citation.page, citation.quote, citation.page_label)
    return gr.update(value=picture, alt_text=alt)


def first_page(service: PanelService, answer: Answer):
    """The picture of the first cited page, or None (no citation, or its PDF is gone)."""
    if not answer.citations:
        return None
    try:
        return cited_page(service, answer.citations[0])
    except (ServiceError, ValueError):
        return None
