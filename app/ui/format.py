"""What the app writes into the page: escaped PDF text, answers with [n] links, the sources panel, and the
page's CSS and JS.

Text that comes from a PDF is escaped before it reaches the page (a paper holding ``<script>`` shows it as
text); the only links are the ones made here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import gradio as gr

from app.service import PanelService
from core.records import DocumentRecord
from retrieval.answer.citations import Answer

MARKER = re.compile(r"\[(\d+)\]")

# WCAG 2.2 AA colours (contrast >= 4.5:1 for text): Gradio's default orange with white text is 2.8:1 and
# its subdued grey 1.9:1. Light and dark modes alike.
BLUE, DARK_BLUE, RED, DARK_RED, GREY = "#1d4ed8", "#1e3a8a", "#b91c1c", "#7f1d1d", "#4b5563"


def theme() -> gr.themes.Base:
    return gr.themes.Default(primary_hue="blue").set(
        color_accent=BLUE, color_accent_soft="#dbeafe", color_accent_soft_dark="#1e3a8a",
        border_color_accent=BLUE, link_text_color=BLUE, link_text_color_visited="#6d28d9",
        link_text_color_dark="#93c5fd", link_text_color_visited_dark="#c4b5fd",
        body_text_color_subdued=GREY, body_text_color_subdued_dark="#d1d5db",
        button_primary_background_fill=BLUE, button_primary_background_fill_hover=DARK_BLUE,
        button_primary_background_fill_dark=BLUE, button_primary_background_fill_hover_dark=DARK_BLUE,
        button_primary_border_color=BLUE, button_primary_border_color_dark=BLUE,
        button_primary_text_color="#ffffff", button_primary_text_color_dark="#ffffff",
        button_cancel_background_fill=RED, button_cancel_background_fill_hover=DARK_RED,
        button_cancel_background_fill_dark=RED, button_cancel_background_fill_hover_dark=DARK_RED,
        button_cancel_border_color=RED, button_cancel_border_color_dark=RED,
        button_cancel_text_color="#ffffff", button_cancel_text_color_dark="#ffffff",
        button_cancel_text_color_hover="#ffffff", button_cancel_text_color_hover_dark="#ffffff",
    )


CSS = """
/* Read by screen readers, not shown (a chart's text summary). */
.visually-hidden {position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;}
/* A visible keyboard focus on everything that takes it (WCAG 2.4.7, 2.4.11). */
:focus-visible {outline: 3px solid #1d4ed8 !important; outline-offset: 2px;}
button[role=tab][aria-selected=true] {color: #1d4ed8 !important;}
.show-api, footer a, footer button {color: #4b5563 !important;}
/* A file list's "add more files" icon is a button nested in a button (WCAG 4.1.2): hidden; more files are
   chosen together in one dialog, and the box empties after each ingest. */
.icon-button:has(.upload-container) {display: none !important;}
/* Icon buttons at least 24 x 24 px (WCAG 2.5.8). */
.icon-button {min-width: 24px; min-height: 24px;}
/* The page picture fits its column's width: the text stays readable; fullscreen zooms. */
#page-image img, .page-picture img {width: 100%; height: auto; max-height: none; object-fit: contain;}
#page-image .image-container, .page-picture .image-container {height: auto !important;}
/* On a phone the chat's two columns become one list: the answer, the question box, then the sources and
   the cited page, then the filters and examples (app/ui/chat.py). */
@media (max-width: 768px) {
  #chat-layout {flex-direction: column; flex-wrap: nowrap;}
  #chat-main, #chat-side {display: contents;}
  #chat {order: 1;} #question-row {order: 2;} #sources {order: 3;} .form:has(> #source-pick) {order: 4;}
  #page-image {order: 5;} #filters {order: 6;} #try-asking {order: 7;} #examples {order: 8;}
  #chat-layout > * {width: 100%; min-width: 0 !important;}
}
#sources .source {border:1px solid var(--border-color-primary); border-radius:8px; padding:8px 10px; margin:6px 0;}
#sources .source .where {font-weight:600;}
#sources .source blockquote {margin:4px 0 0 0; padding-left:8px; border-left:3px solid #f2c200; font-size:0.92em;}
#sources .refused {background:#fff4e5; border:1px solid #f0a020; border-radius:8px; padding:8px 10px;}
#sources .answered {background:#eef7ee; border:1px solid #5aa05a; border-radius:8px; padding:8px 10px;}
#sources .closest {background:#fff8e5; border:1px solid #b07d00; border-radius:8px; padding:8px 10px;}
#status {font-size:0.9em; opacity:0.8;}
"""

# Clicking an [n] in the chat (or pressing Enter on it) picks source n in the sources panel, and so
# shows its page.
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
  // Gradio's own markup fails WCAG checks (axe-core): an empty component's placeholder carries an
  // aria-label on a plain div, the upload area's aria-label differs from its visible text, and an icon
  // button may have an empty name. Mend them as they appear. (A file list's "add more" icon, a button in
  // a button, is hidden by the CSS.)
  const mend = () => {
    document.querySelectorAll('div.empty[aria-label]:not([role])').forEach((el) => el.setAttribute('role', 'img'));
    document.querySelectorAll('button.upload-container[aria-label]').forEach((el) => {
      const visible = el.innerText.replace(/\\s+/g, ' ').trim();
      if (visible) el.setAttribute('aria-label', visible);
    });
    document.querySelectorAll('button[aria-label=""]').forEach((el) => {
      const name = el.getAttribute('title') || el.closest('[aria-label]')?.getAttribute('aria-label') || 'More';
      el.setAttribute('aria-label', name);
    });
  };
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; mend(); });
  }).observe(document.body, {childList: true, subtree: true});
  mend();
}
"""


def escape_text(text: str) -> str:
    """PDF text as inert markdown: no HTML, no link syntax (links are only the ones we add)."""
    text = html.escape(text, quote=False)
    return text.replace("](", "]\\(")


def linked_markdown(text: str) -> str:
    """Answer text for the chat: escaped, each [n] a link that picks source n. Also used for the part of
    an answer streamed so far."""
    return MARKER.sub(lambda m: f"[[{m.group(1)}]](#source-{m.group(1)})", escape_text(text))


def answer_markdown(answer: Answer) -> str:
    """The whole answer for the chat: linked as above; a refusal is marked."""
    body = linked_markdown(answer.text)
    if not answer.answered:
        body = "**Not in the papers.** " + body
    elif not answer.sure:
        body = "**Closest match in the papers; check the page.** " + body
    return body


def warning_markdown(message: str) -> str:
    """A one-line error for the chat (a bad question, a bad date, the index unreachable)."""
    return f"**Warning:** {escape_text(message)}"


def pdf_url(path: Path | None, page: int) -> str | None:
    return f"/gradio_api/file={path}#page={page}" if path else None


def site_url(record: DocumentRecord | None, page: int | None = None) -> str | None:
    """The paper's own address on the council's site, when a sync fetched it (at the page, where given)."""
    if record is None or record.provenance is None or not record.provenance.url.startswith(("http://", "https://")):
        return None
    return record.provenance.url + (f"#page={page}" if page else "")


def pdf_link(url: str | None, text: str) -> str:
    """An HTML link opening the PDF in a new tab ('' when there is no PDF to open)."""
    if not url:
        return ""
    return f'<a href="{html.escape(url)}" target="_blank" rel="noopener">{html.escape(text)}</a>'


def sources_html(answer: Answer | None, service: PanelService) -> str:
    if answer is None:
        return "<p>Sources of the answer appear here, with a picture of each cited page.</p>"
    if not answer.answered:
        banner = '<div class="refused">The papers do not answer this. Closest passages, for reading on:</div>'
    elif not answer.sure:  # answered, but the refusal model is not sure: green would overclaim
        banner = ('<div class="closest">Closest match in the papers; check the page. '
                  'Every [n] is a page below.</div>')
    else:
        banner = '<div class="answered">Answered from the papers; every [n] is a page below.</div>'
    blocks = [banner]
    records = service.documents() if answer.citations else {}
    for citation in answer.citations:
        links = [pdf_link(pdf_url(service.source_pdf(citation.document, records), citation.page),
                          "open the PDF at this page (new tab)"),
                 pdf_link(site_url(records.get(citation.document), citation.page), "on the council's site")]
        shown = " · ".join(link for link in links if link)
        blocks.append(
            f'<div class="source" id="source-{citation.n}"><span class="where">[{citation.n}] '
            f"{html.escape(citation.where())}</span>{' · ' + shown if shown else ''}"
            f"<blockquote>{html.escape(citation.quote[:600])}</blockquote></div>")
    return "\n".join(blocks)


def source_choices(answer: Answer | None) -> list[tuple[str, int]]:
    if answer is None:
        return []
    return [(_choice_label(c), c.n) for c in answer.citations]


def _choice_label(citation, width: int = 90) -> str:
    """A source's name in the page chooser, cut to ``width``; a page read by OCR keeps saying so."""
    label = f"[{citation.n}] {citation.where()}"
    if len(label) > width and citation.ocr:
        return label[: width - len(" (read by OCR)")].rstrip(", ") + " (read by OCR)"
    return label[:width]
