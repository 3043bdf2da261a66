"""The Decisions tab: the register of decisions, searchable and filtered, each opening its page; the
decisions shown can be exported as CSV.

The register is a list of cards (meeting, committee, minute, title, decision, pages, a "Show page" button),
not a table: cards wrap to any width, so the decision text stays readable on a phone (a table of eight
columns at 390 px stacks its headers letter by letter). Every text from a paper is escaped here: the cards
are HTML. A card's button sends the card's index to ``row_opener`` as a select event (``js_on_load``).

The CSV is written only when "Export these as CSV" is clicked: the click writes it and puts it in a
hidden ``gr.DownloadButton``, then a line of JS clicks that button, which downloads it. (A
``DownloadButton`` downloads the file it holds at the moment it is clicked, before any handler runs, so
it cannot make its own file; Gradio issue #9230.)
"""

from __future__ import annotations

import html
import tempfile
from datetime import date
from pathlib import Path

import gradio as gr

from app.service import PanelService, ServiceError
from app.ui.shared import committees, on_load, row_opener
from core.records import StoredDecision

NO_MINUTE = "no minute number"
NO_TITLE = "untitled in the minutes"

# After the export: click the hidden download button, which now holds the new CSV.
CLICK_DOWNLOAD = """
() => {
  const holder = document.querySelector('#decisions-csv-file');
  const button = holder && (holder.tagName === 'BUTTON' ? holder : holder.querySelector('button'));
  if (button) button.click();
}
"""

# A card's "Show page" button (mouse, Enter or Space) selects that card. One listener on the register,
# which stays while the cards inside it are replaced.
OPEN_CARD = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-card]');
  if (!button) return;
  const index = parseInt(button.dataset.card, 10);
  trigger('select', {index: index, value: index, selected: true});
  // On a phone the page picture is below the cards: bring it into view.
  const picture = document.getElementById('decision-page');
  if (picture && picture.getBoundingClientRect().top > window.innerHeight) {
    picture.scrollIntoView({block: 'start'});
  }
});
"""

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
.decision-open {margin-left: 8px; padding: 4px 10px; min-height: 32px; cursor: pointer; border-radius: 6px;
  border: 1px solid var(--link-text-color); background: transparent; color: var(--link-text-color); font: inherit;}
.decision-open:hover {background: var(--color-accent-soft);}
"""

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
    count = gr.Markdown()
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=300):
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
        f'<p class="decision-text">{e(" ".join(decision.text.split()))}</p>'
        f'<p class="decision-place">{pages} · {e(decision.document)}'
        f'<button type="button" class="decision-open" data-card="{index}" aria-label="Show {e(name)}">'
        f"Show page {e(printed)}</button></p>"
        f"</li>"
    )


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
