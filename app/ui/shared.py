"""What more than one tab uses: filling a tab when the page opens, the filter choices, and opening the page
of a table row (Decisions, Figures)."""

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
