"""The Decisions tab: the register of decisions, searchable and filtered, each opening its page; the
decisions shown can be exported as CSV; a topic's history (every minute and agenda paper on it, oldest
first) traced from a card or from words typed in.

The register is a list of cards (meeting, committee, minute, title, decision, pages, a "Show page" button),
not a table: cards wrap to any width, so the decision text stays readable on a phone (a table of eight
columns at 390 px stacks its headers letter by letter). Every text from a paper is escaped here: the cards
are HTML. A card's button sends the card's index to ``row_opener`` as a select event (``js_on_load``).

The CSV is written only when "Export these as CSV" is clicked: the click writes it and puts it in a
hidden ``gr.DownloadButton``, then a line of JS clicks that button, which downloads it. (A
``DownloadButton`` downloads the file it holds at the moment it is clicked, before any handler runs, so
it cannot make its own file; Gradio issue #9230.)

A card's "History of this topic" button sends the card's index as a custom ``history`` event; the history
panel above the cards is HTML of its own, whose "Show page" buttons select its entries the same way.
"""

from __future__ import annotations

import html
import tempfile
from datetime import date
from pathlib import Path

import gradio as gr

from app.service import PanelService, ServiceError, vote_counts
from app.ui.shared import click_download, committees, link_buttons_css, on_load, row_opener, select_on_click
from core.records import DecisionKind, StoredDecision
from retrieval.history import EntryKind, HistoryEntry, TimelineEntry

NO_MINUTE = "no minute number"
NO_TITLE = "untitled in the minutes"
AGENDA_PAPER = "a paper on the agenda"
NO_DECISION = "discussed; no decision recorded"
TOPIC_WORDS = 30  # an untitled decision's topic: its opening words (the service takes at most 300 characters)

CLICK_DOWNLOAD = click_download("decisions-csv-file")  # after the export: download the new CSV

# A card's "Show page" button (mouse, Enter or Space) selects that card; its "History of this topic" button
# asks for the card's history. One listener on the register, which stays while the cards inside it are replaced.
OPEN_CARD = select_on_click("card", "decision-page", before="""
  const history = event.target.closest('button[data-history]');
  if (history) {
    trigger('history', {index: parseInt(history.dataset.history, 10)});
    return;
  }""")

# The cards' look, scoped by Gradio to the register (``gr.HTML(css_template=...)``), so the register reads
# well whatever the page's stylesheet holds. Colours are the theme's (contrast checked in app/ui/format.py).
CARDS_CSS = """
.decision-cards {list-style: none; margin: 0; padding: 0; display: grid; gap: 10px;}
.decision-card {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
  margin: 0; min-width: 0; overflow-wrap: anywhere;}
.decision-meta, .decision-place {display: block; margin: 0; font-size: 0.9em; color: var(--body-text-color-subdued);}
.decision-title {margin: 4px 0; font-size: 1.05em; font-weight: 600; line-height: 1.3;}
.decision-text {display: block; margin: 4px 0 6px 0; line-height: 1.45;}
.decision-missing {font-style: italic;}
.decision-open, .decision-history {margin-left: 8px;}
.decision-kind p {margin: 2px 0;}
.decision-kind summary {cursor: pointer;}
""" + link_buttons_css(".decision-open, .decision-history")

# A history's "Show page" buttons select their entry; a new history comes into view (its card's button may
# be far below it) with the focus on its heading, so a keyboard or screen reader user lands on it.
OPEN_HISTORY = select_on_click("entry", "decision-page", before="""
  if (event.target.closest('button[data-close]')) {
    trigger('close_history', {});
    return;
  }""", after="""
watch('value', () => {
  const heading = element.querySelector('.history-heading');
  if (!heading) return;
  const top = heading.getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight) heading.scrollIntoView({block: 'start'});
  heading.focus({preventScroll: true});
});""")

HISTORY_CSS = """
.history {border: 2px solid var(--link-text-color); border-radius: 8px; padding: 10px 12px; margin: 0 0 12px 0;
  min-width: 0; overflow-wrap: anywhere;}
.history-top {display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px;}
.history-heading {margin: 0; font-size: 1.15em; font-weight: 700;}
.history-count, .history-meta, .history-place, .history-updated {display: block; margin: 2px 0;
  font-size: 0.9em; color: var(--body-text-color-subdued);}
.history-cards {list-style: none; margin: 8px 0 0 0; padding: 0; display: grid; gap: 8px;}
.history-card {border-left: 3px solid var(--border-color-primary); padding: 2px 0 2px 10px; margin: 0;}
.history-title {margin: 2px 0; font-size: 1em; font-weight: 600; line-height: 1.3;}
.history-text {display: block; margin: 2px 0 4px 0; line-height: 1.45;}
.history-missing {font-style: italic;}
.history-open {margin-left: 8px;}
""" + link_buttons_css(".history-open, .history-close")

# For the page's stylesheet (app/ui/format.py includes it): beside the cards on a wide screen, the page
# picture stays in view while the cards scroll.
DECISIONS_CSS = """
@media (min-width: 769px) {#decision-page {position: sticky; top: 8px; align-self: flex-start;}}
"""


def decisions_tab(service: PanelService) -> None:
    shown = gr.State([])  # the StoredDecisions on the cards, in their order
    with gr.Row():
        search = gr.Textbox(label="Search the decisions", placeholder="e.g. Mind Of My Own", scale=3, min_width=200)
        d_from = gr.Textbox(label="From (YYYY-MM-DD)", scale=1, min_width=140)
        d_to = gr.Textbox(label="To (YYYY-MM-DD)", scale=1, min_width=140)
        committee = gr.Dropdown(label="Committee", choices=["", *committees(service)], value="", scale=2,
                                min_width=200)
    with gr.Row():
        apply = gr.Button("Show decisions", variant="primary")
        export = gr.Button("Export these as CSV", elem_id="decisions-csv")
        download = gr.DownloadButton("Download the CSV", elem_id="decisions-csv-file", visible="hidden")
    with gr.Row(equal_height=True):
        topic = gr.Textbox(label="Trace a topic through the meetings", placeholder="e.g. Lifelong Links", scale=3,
                           min_width=200, elem_id="trace-topic")
        trace = gr.Button("Trace a topic", elem_id="trace", scale=1, min_width=140)
    count = gr.Markdown()
    traced = gr.State([])  # the TimelineEntries on the history panel, in their order
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=300):
            history = gr.HTML(elem_id="topic-history", js_on_load=OPEN_HISTORY, css_template=HISTORY_CSS,
                              padding=False)
            cards = gr.HTML(elem_id="decisions", js_on_load=OPEN_CARD, css_template=CARDS_CSS, padding=False)
        with gr.Column(scale=1, min_width=300, elem_id="decision-page"):
            link = gr.HTML()
            image = gr.Image(label="The decision's page", type="pil", interactive=False, format="png",
                             elem_classes=["page-picture"], buttons=["fullscreen"])

    def load(text, low, high, comm):
        try:
            decisions = service.decisions(text, low, high, comm)
        except ServiceError as exc:
            return "", [], f"**Warning:** {html.escape(str(exc))}"
        noun = "decision" if len(decisions) == 1 else "decisions"
        return decision_cards(decisions), decisions, f"{len(decisions)} {noun}"

    filters = [search, d_from, d_to, committee]
    apply.click(load, filters, [cards, shown, count], api_visibility="private")
    search.submit(load, filters, [cards, shown, count], api_visibility="private")
    on_load(load, filters, [cards, shown, count])

    def export_csv(decisions: list[StoredDecision]):
        if not decisions:
            gr.Warning("No decisions are shown, so there is nothing to export.")
            return None
        return str(write_csv(service, decisions))

    export.click(export_csv, [shown], [download], api_visibility="private").success(
        None, None, None, js=CLICK_DOWNLOAD, api_visibility="private")

    cards.select(row_opener(service, decision_place), [shown], [image, link], api_visibility="private")

    def trace_history(topic_words: str, comm: str):
        return topic_history(service, topic_words, comm)

    def card_history(decisions: list[StoredDecision], event: gr.EventData):
        index = event._data.get("index") if isinstance(event._data, dict) else None  # what OPEN_CARD sent
        if not isinstance(index, int) or not 0 <= index < len(decisions):
            return gr.skip(), gr.skip()
        decision = decisions[index]
        return topic_history(service, decision_topic(decision), decision.committee or "")

    trace.click(trace_history, [topic, committee], [history, traced], api_visibility="private")
    topic.submit(trace_history, [topic, committee], [history, traced], api_visibility="private")
    cards.history(card_history, [shown], [history, traced], api_visibility="private")
    history.close_history(lambda: ("", []), None, [history, traced], api_visibility="private")
    history.select(row_opener(service, timeline_place), [traced], [image, link], api_visibility="private")


def meeting_day(value: str | None) -> str:
    """"2018-07-19" as "19 July 2018" (what a member reads); anything else as it is."""
    try:
        return f"{date.fromisoformat(value or ''):%-d %B %Y}"
    except ValueError:
        return value or "meeting date not found"


def decision_card(index: int, decision: StoredDecision) -> str:
    """One decision as a card; every text from the paper escaped. A decision whose minute carries no
    number or title says so rather than leaving a blank."""
    e = html.escape
    minute = f"Minute {e(decision.minute)}" if decision.minute else f'<span class="decision-missing">{NO_MINUTE}</span>'
    if decision.kind == DecisionKind.RECORD:  # a decision form has a number, not a minute
        minute = f"Decision {e(decision.number)}" if decision.number else ""
    title = e(decision.minute_title) if decision.minute_title else f'<span class="decision-missing">{NO_TITLE}</span>'
    meta = " · ".join(part for part in (e(meeting_day(decision.meeting_date)), e(decision.committee or ""), minute)
                      if part)
    printed = decision.page_label or str(decision.page)
    pages = f"Page {e(printed)}" + (f" (PDF page {decision.page})" if printed != str(decision.page) else "")
    name = f"page {printed} of {decision.document}" + (f", minute {decision.minute}" if decision.minute else "")
    return (
        f'<li class="decision-card">'
        f'<p class="decision-meta">{meta}</p>'
        f'<h3 class="decision-title">{title}</h3>'
        f"{decision_kind(decision)}"
        f'<p class="decision-text">{e(" ".join(decision.text.split()))}</p>'
        f'<p class="decision-place">{pages} · {e(decision.document)}'
        f'<button type="button" class="decision-open" data-card="{index}" aria-label="Show {e(name)}">'
        f"Show page {e(printed)}</button>"
        f'<button type="button" class="decision-history" data-history="{index}" '
        f'aria-label="History of this topic: {e(decision_topic(decision))}">History of this topic</button></p>'
        f"</li>"
    )


def decision_kind(decision: StoredDecision) -> str:
    """What a vote or a record of decision adds to its card: the motion, its movers, outcome and counts, and
    the members on each side (folded); the decision's number, maker and reasons."""
    e = html.escape
    if decision.kind == DecisionKind.VOTE:
        movers = " and ".join(x for x in (f"proposed by {decision.proposer}" if decision.proposer else "",
                                          f"seconded by {decision.seconder}" if decision.seconder else "") if x)
        where = f"paragraph {decision.paragraph}" if decision.paragraph else ""
        about = ", ".join(x for x in (where, movers) if x)
        said = f"Vote on the {decision.motion or 'motion'}{f' ({about})' if about else ''}"
        said += f": {decision.outcome}" if decision.outcome else ""
        counts = vote_counts(decision)
        said += f"; {counts}" if counts else (" (no recorded vote)" if decision.outcome else "")
        sides = [(side, names) for side, names in (("For", decision.votes_for), ("Against", decision.votes_against),
                                                   ("Abstain", decision.votes_abstain)) if names]
        listed = "".join(f"<p><strong>{side}:</strong> {e(', '.join(names))}</p>" for side, names in sides)
        names = f"<details><summary>How each member voted</summary>{listed}</details>" if sides else ""
        return f'<div class="decision-kind"><p>{e(said)}.</p>{names}</div>'
    if decision.kind == DecisionKind.RECORD:
        said = "Record of decision" + (f" {decision.number}" if decision.number else "")
        said += f"; decision maker: {decision.maker}" if decision.maker else ""
        reasons = (f"<details><summary>Reasons for the decision</summary><p>{e(decision.reasons)}</p></details>"
                   if decision.reasons else "")
        return f'<div class="decision-kind"><p>{e(said)}.</p>{reasons}</div>'
    if decision.number:
        return f'<div class="decision-kind"><p>Decision {e(decision.number)}.</p></div>'
    return ""


def decision_cards(decisions: list[StoredDecision]) -> str:
    if not decisions:
        return '<p class="decision-none">No decisions match.</p>'
    return ('<ol class="decision-cards">' + "".join(decision_card(i, d) for i, d in enumerate(decisions))
            + "</ol>")


def decision_place(decision: StoredDecision):
    return decision.document, decision.page, decision.page_label, decision.text


def write_csv(service: PanelService, decisions: list[StoredDecision]) -> Path:
    """The decisions as a CSV in a folder of its own (two users exporting in the same second do not
    overwrite each other's file), under the temp folder Gradio may serve files from."""
    base = Path(tempfile.gettempdir()) / "panel-papers-exports"
    base.mkdir(parents=True, exist_ok=True)
    return service.decisions_csv(decisions, Path(tempfile.mkdtemp(dir=base)))


# -- a topic's history ------------------------------------------------------------------------------------
def decision_topic(decision: StoredDecision) -> str:
    """What a card's history traces: its minute's title, or the decision's opening words if untitled."""
    if decision.minute_title:
        topic = " ".join(decision.minute_title.split())
    else:
        topic = " ".join(decision.text.split()[:TOPIC_WORDS])
    return topic if len(topic) <= 300 else topic[:300].rsplit(" ", 1)[0]


def topic_history(service: PanelService, topic: str, committee: str = "") -> tuple[str, list[TimelineEntry]]:
    """The history panel for a topic and the entries it shows (its buttons' indexes); an error is one line."""
    try:
        found = service.timeline(topic, committee)
    except ServiceError as exc:
        return history_warning(str(exc)), []
    return history_panel(" ".join(topic.split()), committee, found), found


def history_warning(message: str) -> str:
    return f'<section class="history"><p><strong>Warning:</strong> {html.escape(message)}</p></section>'


def entry_name(entry: HistoryEntry) -> str:
    """"minute 115 Challenge Card Update": where a member finds it in that meeting's papers."""
    if entry.minute:
        place = f"minute {entry.minute}"
    else:
        place = f"item {entry.item}" if entry.item else "the paper"
    return f"{place} {entry.title}".strip()


def timeline_card(index: int, found: TimelineEntry) -> str:
    """One entry of a topic's history; every text from the paper escaped."""
    e = html.escape
    entry = found.entry
    meta = " · ".join(e(part) for part in (meeting_day(entry.meeting_date), entry.committee,
                                           entry.label[:1].upper() + entry.label[1:]) if part)
    title = e(entry.title) if entry.title else f'<span class="history-missing">{NO_TITLE}</span>'
    if entry.decision:
        text = e(entry.decision)
    else:
        text = f'<span class="history-missing">{AGENDA_PAPER if entry.kind == EntryKind.ITEM else NO_DECISION}</span>'
    later = found.updated_by
    updated = (f'<p class="history-updated">Updated by the decision of {e(meeting_day(later.meeting_date))}, '
               f"{e(entry_name(later))}</p>" if later else "")
    printed = entry.page_label or str(entry.page)
    return (
        f'<li class="history-card">'
        f'<p class="history-meta">{meta}</p>'
        f'<h4 class="history-title">{title}</h4>'
        f'<p class="history-text">{text}</p>'
        f"{updated}"
        f'<p class="history-place">Page {e(printed)} · {e(entry.document)}'
        f'<button type="button" class="history-open" data-entry="{index}" '
        f'aria-label="Show page {e(printed)} of {e(entry.document)}">Show page {e(printed)}</button></p>'
        f"</li>"
    )


def history_panel(topic: str, committee: str, found: list[TimelineEntry]) -> str:
    """"History: <topic>", then every minute and paper on it, oldest first (as the service orders them)."""
    e = html.escape
    noun = "entry" if len(found) == 1 else "entries"
    scope = f" · {e(committee)}" if committee else ""
    head = (f'<div class="history-top"><h3 class="history-heading" tabindex="-1">History: {e(topic)}</h3>'
            f'<button type="button" class="history-close" data-close="1">Close the history</button></div>')
    if not found:
        return (f'<section class="history" aria-label="History: {e(topic)}">{head}'
                f'<p class="history-count">Nothing in the papers indexed is on this topic{scope}.</p></section>')
    return (f'<section class="history" aria-label="History: {e(topic)}">{head}'
            f'<p class="history-count">{len(found)} {noun}, oldest first{scope}</p>'
            '<ol class="history-cards">' + "".join(timeline_card(i, t) for i, t in enumerate(found))
            + "</ol></section>")


def timeline_place(found: TimelineEntry):
    entry = found.entry
    return entry.document, entry.page, entry.page_label, entry.quote
