"""The Gradio app: Chat (with sources and page pictures), Decisions (with a topic's history), Follow-ups,
Figures, Library.

Layout only: every action calls ``app.service.PanelService``. One module a tab (``chat``, ``decisions``,
``followups``, ``figures``, ``library``), the endpoints for scripts in ``api`` (``/ask``, ``/chat``,
``/decisions``, ``/timeline``, ``/register``, ``/indicators``, ``/series``, ``/library``), and what is
written into the page, escaped, in ``format``.
"""

from __future__ import annotations

import os

import gradio as gr

from app.service import PanelService
from app.ui.api import api_endpoints
from app.ui.chat import chat_tab
from app.ui.decisions import DECISIONS_CSS, decisions_tab
from app.ui.figures import figures_tab
from app.ui.followups import FOLLOWUPS_CSS, followups_tab
from app.ui.format import CSS, JS, theme
from app.ui.library import library_tab

__all__ = ["build_app", "launch"]

# Five tabs fit a phone's width (390 px) with narrower padding; otherwise Gradio folds the last ones into a
# "More tabs" menu, a step further away.
TABS_CSS = """
@media (max-width: 480px) {.tab-wrapper .tab-container > button {padding: 0 var(--size-2);}}
"""


def build_app(service: PanelService) -> gr.Blocks:
    with gr.Blocks(title="Panel Papers Assistant", analytics_enabled=False) as app:
        gr.Markdown("## Panel Papers Assistant\nAnswers from the committee papers, each with its document and page.")
        status = gr.Markdown(service.status(), elem_id="status")
        with gr.Tab("Chat"):
            chat_tab(service)
        with gr.Tab("Decisions"):
            decisions_tab(service)
        with gr.Tab("Follow-ups"):
            followups_tab(service)
        with gr.Tab("Figures"):
            figures_tab(service)
        with gr.Tab("Library"):
            library_tab(service, status)
        api_endpoints(service)
    return app


def launch(service: PanelService, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           block: bool = True):
    """Start the app. Only the index's own copies of the papers are served as files."""
    settings = service.settings
    app = build_app(service)
    # Answers at once: one per core, or, with answer workers, two per worker (a question is read and its answer
    # sent while the worker makes another).
    workers = service.answer_processes
    app.queue(default_concurrency_limit=settings.app.concurrency or (2 * workers if workers else os.cpu_count() or 1))
    folder = settings.store.papers_dir
    folder.mkdir(parents=True, exist_ok=True)
    app.launch(server_name=host, server_port=port, auth=auth, allowed_paths=[str(folder)],
               max_file_size=f"{settings.ingest.max_file_mb}mb", css=CSS + TABS_CSS + DECISIONS_CSS + FOLLOWUPS_CSS,
               js=JS, theme=theme(), show_error=False,
               footer_links=["api"], prevent_thread_lock=not block, quiet=not block,
               auth_message="Panel Papers Assistant: sign in with the login your administrator set.")
    return app
