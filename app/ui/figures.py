"""The Figures tab: a scorecard indicator over its reporting periods, as a chart and a table whose rows
open the scorecard page they were printed on."""

from __future__ import annotations

import gradio as gr
import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402

from app.service import PanelService, ServiceError  # noqa: E402
from app.ui.shared import row_opener  # noqa: E402
from retrieval.answer.citations import Citation  # noqa: E402
from retrieval.answer.figures import Figure  # noqa: E402

FIGURE_HEADERS = ["Period", "Value", "Target", "Previous", "RAG", "Document", "Printed page", "PDF page"]


def figure_chart(figures: list[Figure], indicator: str):
    """The indicator over its reporting periods, with the target where the scorecards give one."""
    points = [(f.period, f.number, f.target_number) for f in figures if f.number is not None]
    figure, axes = plt.subplots(figsize=(8, 3.6), dpi=100)
    if points:
        labels = [p[0] for p in points]
        axes.plot(labels, [p[1] for p in points], marker="o", linewidth=2, color="#1f5fa8", label="value")
        for label, value in zip(labels, [p[1] for p in points], strict=True):
            axes.annotate(f"{value:g}", (label, value), textcoords="offset points", xytext=(0, 7), ha="center",
                          fontsize=9)
        targets = [(p[0], p[2]) for p in points if p[2] is not None]
        if targets:
            axes.plot([t[0] for t in targets], [t[1] for t in targets], linestyle="--", marker="_", color="#c0392b",
                      label="target")
        axes.legend(loc="best", fontsize=8)
    else:
        axes.text(0.5, 0.5, "No numeric values to chart", ha="center", va="center", transform=axes.transAxes)
    axes.set_title(indicator[:90], fontsize=10)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def figure_table(figures: list[Figure]) -> list[list]:
    return [[f.period, f.value, f.target or "", f.previous or "", f.rag or "",
             f.citation.title or f.citation.document, f.citation.page_label or "", f.citation.page] for f in figures]


def citation_place(citation: Citation):
    return citation.document, citation.page, citation.page_label, citation.quote


def figures_tab(service: PanelService) -> None:
    shown = gr.State([])  # the Citation of each table row, in its order
    indicator = gr.Dropdown(label="Indicator (from the scorecards)", choices=indicator_names(service), value=None,
                            elem_id="indicator", filterable=True)
    plot = gr.Plot(label="Over the reporting periods", elem_id="figure-chart")
    table = gr.Dataframe(headers=FIGURE_HEADERS, interactive=False, wrap=True, elem_id="figure-table")
    link = gr.HTML()
    image = gr.Image(label="The scorecard page", type="pil", interactive=False, format="png", height=620)

    def show(name):
        if not name:
            return None, [], []
        try:
            figures = service.series(name)
        except ServiceError as exc:
            gr.Warning(str(exc))
            return None, [], []
        chart = figure_chart(figures, name)
        plt.close(chart)  # Gradio keeps the Figure object; pyplot need not
        return chart, figure_table(figures), [f.citation for f in figures]

    indicator.change(show, [indicator], [plot, table, shown], api_visibility="private")
    table.select(row_opener(service, citation_place), [shown], [image, link], api_visibility="private")


def indicator_names(service: PanelService) -> list[str]:
    try:
        return [name for name, _ in service.indicators()]
    except ServiceError:
        return []
