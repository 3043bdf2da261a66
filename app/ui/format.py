"""What the app writes into the page: escaped PDF text, answers with [n] links, the sources panel, and the
page's CSS and JS.

Text that comes from a PDF is escaped before it reaches the page (a paper holding ``<script>`` shows it as
text); the only links are the ones made here.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from app.service import PanelService
from retrieval.answer.citations import Answer

MARKER = re.compile(r"\[(\d+)\]")

CSS = """
#sources .source {border:1px solid var(--border-color-primary); border-radius:8px; padding:8px 10px; margin:6px 0;}
#sources .source .where {font-weight:600;}
#sources .source blockquote {margin:4px 0 0 0; padding-left:8px; border-left:3px solid #f2c200; font-size:0.92em;}
#sources .refused {background:#fff4e5; border:1px solid #f0a020; border-radius:8px; padding:8px 10px;}
#sources .answered {background:#eef7ee; border:1px solid #5aa05a; border-radius:8px; padding:8px 10px;}
#sources .closest {background:#fff8e5; border:1px solid #b07d00; border-radius:8px; padding:8px 10px;}
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


def linked_markdown(text: str) -> str:
    """Answer text for the chat: escaped, each [n] a link that picks source n. Also used for the part of
    an answer streamed so far."""
    return MARKER.sub(lambda m: f"[[{m.group(1)}]](#source-{m.group(1)})", escape_text(text))


def answer_markdown(answer: Answer) -> str:
    """The whole answer for the chat: linked as above; a refusal is marked."""
    body = linked_markdown(answer.text)
    if not answer.answered:
        body = "⚠️ **Not in the papers.** " + body
    elif not answer.sure:
        body = "**Closest match in the papers; check the page.** " + body
    return body


def warning_markdown(message: str) -> str:
    """A one-line error for the chat (a bad question, a bad date, the index unreachable)."""
    return f"⚠️ {escape_text(message)}"


def pdf_url(path: Path | None, page: int) -> str | None:
    return f"/gradio_api/file={path}#page={page}" if path else None


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
        link = pdf_link(pdf_url(service.source_pdf(citation.document, records), citation.page),
                        "open the PDF at this page ↗")
        blocks.append(
            f'<div class="source" id="source-{citation.n}"><span class="where">[{citation.n}] '
            f"{html.escape(citation.where())}</span>{' · ' + link if link else ''}"
            f"<blockquote>{html.escape(citation.quote[:600])}</blockquote></div>")
    return "\n".join(blocks)


def source_choices(answer: Answer | None) -> list[tuple[str, int]]:
    if answer is None:
        return []
    return [(f"[{c.n}] {c.where()}"[:90], c.n) for c in answer.citations]
