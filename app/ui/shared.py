"""What more than one tab uses: filling a tab when the page opens, the filter choices, opening the page of a
table row or card (Decisions, Follow-ups, Figures), and the small scripts and styles of card lists."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import gradio as gr

from app.pages import page_alt_text
from app.service import PanelService, ServiceError
from app.ui.format import pdf_link, pdf_url

# Where a table row's page is: (document, PDF page, printed page label or None, text to highlight).
PagePlace = tuple[str, int, str | None, str]


def on_load(fn, inputs, outputs) -> None:
    """Fill a tab each time the page opens: the index may have changed since the app started."""
    blocks = gr.context.Context.root_block
    blocks.load(fn, inputs, outputs, api_visibility="private")


def committees(service: PanelService) -> list[str]:
    try:
        return sorted({r.committee for r in service.documents().values() if r.committee})
    except ServiceError:
        return []


def documents(service: PanelService) -> list[str]:
    try:
        return sorted(service.documents())
    except ServiceError:
        return []


def row_opener(service: PanelService, place: Callable[[Any], PagePlace]):
    """A table-row click handler (Decisions, Figures): the row's page with its text highlighted, and a link
    to the PDF at that page. The rows are the records the table shows (in a ``gr.State``); ``place`` says
    where one of them is printed."""

    def open_row(rows, event: gr.SelectData):
        index = event.index[0] if isinstance(event.index, list | tuple) else event.index
        if not rows or index is None or index >= len(rows):
            return None, ""
        document, page, page_label, quote = place(rows[index])
        try:
            picture = service.page_image(document, page, quote)
            url = pdf_url(service.source_pdf(document), page)
        except (ServiceError, ValueError) as exc:
            return None, html.escape(str(exc))
        return (gr.update(value=picture, alt_text=page_alt_text(document, page, quote, page_label)),
                pdf_link(url, f"Open the PDF at page {page_label or page} (new tab)"))

    return open_row


def click_download(holder_id: str) -> str:
    """The JS run after an export: click the hidden ``gr.DownloadButton`` with this id, which now holds the
    new CSV. (A DownloadButton downloads the file it holds when clicked, before any handler runs, so it
    cannot make its own file; Gradio issue #9230.)"""
    return f"""
() => {{
  const holder = document.querySelector('#{holder_id}');
  const button = holder && (holder.tagName === 'BUTTON' ? holder : holder.querySelector('button'));
  if (button) button.click();
}}
"""


def select_on_click(attribute: str, picture_id: str, before: str = "", after: str = "") -> str:
    """A card list's ``js_on_load``: a button carrying ``data-<attribute>="N"`` (mouse, Enter or Space) selects
    card N, and on a phone, where the page picture is below the cards, brings the picture into view. One
    listener on the list, which stays while the cards inside it are replaced. ``before`` runs first inside
    the listener (for the list's other buttons); ``after`` follows it."""
    return f"""
element.addEventListener('click', (event) => {{{before}
  const button = event.target.closest('button[data-{attribute}]');
  if (!button) return;
  const index = parseInt(button.dataset.{attribute}, 10);
  trigger('select', {{index: index, value: index, selected: true}});
  const picture = document.getElementById('{picture_id}');
  if (picture && picture.getBoundingClientRect().top > window.innerHeight) {{
    picture.scrollIntoView({{block: 'start'}});
  }}
}});{after}
"""


def link_buttons_css(selectors: str) -> str:
    """A card's buttons, drawn as outlined links in the theme's link colour (its contrast is checked in
    app/ui/format.py); ``selectors``: a CSS selector list."""
    hover = ", ".join(f"{s.strip()}:hover" for s in selectors.split(","))
    return (f"{selectors} {{padding: 4px 10px; min-height: 32px; cursor: pointer; border-radius: 6px;\n"
            f"  border: 1px solid var(--link-text-color); background: transparent; color: var(--link-text-color);"
            f" font: inherit;}}\n{hover} {{background: var(--color-accent-soft);}}\n")
