"""The Follow-ups tab: the register of what the minutes asked to come back (an update report, figures to be
circulated), and whether a later paper or minute brought it back. Filtered by committee, meeting dates and
status; exported as CSV the way the Decisions tab exports its decisions.

Each request is a card, like a decision's (cards read at any width; every text from a paper is escaped).
The status is said in words ("Answered: ...", "Open: ..."), so it never rests on a colour. A card's two
buttons open the request's page and the answer's page in the picture beside the cards: each button names a
place in ``places`` (request and answer alternate), which ``row_opener`` opens as a select event.
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import gradio as gr

from app.service import PanelService, ServiceError
from app.ui.decisions import NO_TITLE, meeting_day
from app.ui.shared import PagePlace, click_download, committees, link_buttons_css, on_load, row_opener, select_on_click
from retrieval.history import FollowUpRequest, HistoryEntry

STATUSES = ["All", "Open", "Answered"]
OPEN_WORDS = "not yet seen in the papers indexed"

CLICK_DOWNLOAD = click_download("followups-csv-file")  # after the export: download the new CSV

# A card's page buttons (mouse, Enter or Space) select their place. One listener on the register, which
# stays while the cards inside it are replaced.
OPEN_PLACE = select_on_click("place", "followup-page")

# Scoped to the register by Gradio; colours are the theme's. The status's colour only repeats its word.
CARDS_CSS = """
.followup-cards {list-style: none; margin: 0; padding: 0; display: grid; gap: 10px;}
.followup-card {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
  margin: 0; min-width: 0; overflow-wrap: anywhere;}
.followup-meta, .followup-place, .followup-due {display: block; margin: 0; font-size: 0.9em;
  color: var(--body-text-color-subdued);}
.followup-title {margin: 4px 0; font-size: 1.05em; font-weight: 600; line-height: 1.3;}
.followup-words {margin: 4px 0 6px 0; padding-left: 10px; border-left: 3px solid #f2c200; line-height: 1.45;}
.followup-status {margin: 6px 0 2px 0; padding-left: 10px; border-left: 4px solid; line-height: 1.4;}
.followup-answered {border-left-color: #1e7b34;}
.followup-open {border-left-color: #b35c00;}
.followup-missing {font-style: italic;}
.followup-actions {display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 0 0;}
""" + link_buttons_css(".followup-show")

# For the page's stylesheet: beside the cards on a wide screen, the page picture stays in view.
FOLLOWUPS_CSS = """
@media (min-width: 769px) {#followup-page {position: sticky; top: 8px; align-self: flex-start;}}
"""


def followups_tab(service: PanelService) -> None:
    shown = gr.State([])  # the FollowUpRequests on the cards, in their order (the CSV exports these)
    places = gr.State([])  # where each card's buttons point: request, answer, request, answer, ...
    with gr.Row():
        committee = gr.Dropdown(label="Committee", choices=["", *committees(service)], value="", scale=2,
                                min_width=200)
        d_from = gr.Textbox(label="From (YYYY-MM-DD)", scale=1, min_width=140)
        d_to = gr.Textbox(label="To (YYYY-MM-DD)", scale=1, min_width=140)
        status = gr.Radio(STATUSES, value="All", label="Status", scale=2, min_width=200)
    with gr.Row():
        apply = gr.Button("Show follow-ups", variant="primary")
        export = gr.Button("Export these as CSV", elem_id="followups-csv")
        download = gr.DownloadButton("Download the CSV", elem_id="followups-csv-file", visible="hidden")
    count = gr.Markdown(elem_id="followups-count")
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=300):
            cards = gr.HTML(elem_id="followups", js_on_load=OPEN_PLACE, css_template=CARDS_CSS, padding=False)
        with gr.Column(scale=1, min_width=300, elem_id="followup-page"):
            link = gr.HTML()
            image = gr.Image(label="The follow-up's page", type="pil", interactive=False, format="png",
                             elem_classes=["page-picture"], buttons=["fullscreen"])

    def load(comm, low, high, wanted):
        try:
            requests = service.register(comm, low, high, (wanted or "all").lower())
        except ServiceError as exc:
            return "", [], [], f"**Warning:** {html.escape(str(exc))}"
        return followup_cards(requests), requests, followup_places(requests), count_line(requests)

    filters = [committee, d_from, d_to, status]
    outputs = [cards, shown, places, count]
    apply.click(load, filters, outputs, api_visibility="private")
    for box in (d_from, d_to):
        box.submit(load, filters, outputs, api_visibility="private")
    on_load(load, filters, outputs)

    def export_csv(requests: list[FollowUpRequest]):
        if not requests:
            gr.Warning("No follow-ups are shown, so there is nothing to export.")
            return None
        return str(write_csv(service, requests))

    export.click(export_csv, [shown], [download], api_visibility="private").success(
        None, None, None, js=CLICK_DOWNLOAD, api_visibility="private")

    cards.select(row_opener(service, lambda place: place), [places], [image, link], api_visibility="private")


def count_line(requests: list[FollowUpRequest]) -> str:
    """"3 follow-ups: 1 open, 2 answered"."""
    if not requests:
        return "No follow-ups match."
    answered = sum(r.answered for r in requests)
    noun = "follow-up" if len(requests) == 1 else "follow-ups"
    return f"{len(requests)} {noun}: {len(requests) - answered} open, {answered} answered"


def minute_name(entry: HistoryEntry) -> str:
    """"minute 115" or "item 8", as a member would name where a paper was taken."""
    if entry.minute:
        return f"minute {entry.minute}"
    return f"item {entry.item}" if entry.item else "the paper"


def status_words(request: FollowUpRequest) -> str:
    """The status in words (escaped HTML): "Answered: came back at the meeting of 1 November 2018, minute
    115 Challenge Card Update", or "Open: not yet seen in the papers indexed"."""
    e = html.escape
    answer = request.answer
    if answer is None:
        return f"<strong>Open:</strong> {OPEN_WORDS}"
    # A request may come back to another committee it named ("reported to the Corporate Parenting Panel").
    elsewhere = f" of the {answer.committee}" if answer.committee != request.committee else ""
    return (f"<strong>Answered:</strong> came back at the meeting{e(elsewhere)} of "
            f"{e(meeting_day(answer.meeting_date))}, {e(minute_name(answer))} {e(answer.title)}").rstrip()


def followup_card(index: int, request: FollowUpRequest) -> str:
    """One request as a card; every text from the paper escaped."""
    e = html.escape
    entry = request.entry
    meta = " · ".join(e(part) for part in (meeting_day(entry.meeting_date), entry.committee,
                                           request.label[:1].upper() + request.label[1:]) if part)
    title = e(entry.title) if entry.title else f'<span class="followup-missing">{NO_TITLE}</span>'
    printed = request.page_label or str(request.page)
    source = "the resolution" if str(request.source) == "resolution" else "the discussion"
    kind = "followup-answered" if request.answered else "followup-open"
    due = f'<p class="followup-due">Due by {e(meeting_day(request.due))}</p>' if request.due else ""
    where = f"page {printed} of {entry.document}"
    buttons = (f'<button type="button" class="followup-show" data-place="{2 * index}" '
               f'aria-label="Show the request&#x27;s page: {e(where)}">Show the request&#x27;s page</button>')
    if request.answer is not None:
        answer = request.answer
        there = f"page {answer.page_label or answer.page} of {answer.document}"
        buttons += (f'<button type="button" class="followup-show" data-place="{2 * index + 1}" '
                    f'aria-label="Show the answer&#x27;s page: {e(there)}">Show the answer&#x27;s page</button>')
    return (
        f'<li class="followup-card">'
        f'<p class="followup-meta">{meta}</p>'
        f'<h3 class="followup-title">{title}</h3>'
        f'<blockquote class="followup-words">“{e(" ".join(request.words.split()))}”</blockquote>'
        f'<p class="followup-place">Asked in {source} · Page {e(printed)} · {e(entry.document)}</p>'
        f'<p class="followup-status {kind}">{status_words(request)}</p>'
        f"{due}"
        f'<p class="followup-actions">{buttons}</p>'
        f"</li>"
    )


def followup_cards(requests: list[FollowUpRequest]) -> str:
    if not requests:
        return '<p class="followup-none">No follow-ups match.</p>'
    return ('<ol class="followup-cards">' + "".join(followup_card(i, r) for i, r in enumerate(requests))
            + "</ol>")


def followup_places(requests: list[FollowUpRequest]) -> list[PagePlace | None]:
    """Two places a card (its buttons' ``data-place``): the request's page with its words highlighted, then
    the answer's page with the answer's quote (None where nothing answered it)."""
    places: list[PagePlace | None] = []
    for request in requests:
        places.append((request.entry.document, request.page, request.page_label, request.words))
        answer = request.answer
        places.append((answer.document, answer.page, answer.page_label, answer.quote) if answer else None)
    return places


def write_csv(service: PanelService, requests: list[FollowUpRequest]) -> Path:
    """The requests as a CSV in a folder of its own (two users exporting at once keep their own files),
    under the temp folder Gradio may serve files from."""
    base = Path(tempfile.gettempdir()) / "panel-papers-exports"
    base.mkdir(parents=True, exist_ok=True)
    return service.register_csv(requests, Path(tempfile.mkdtemp(dir=base)))
