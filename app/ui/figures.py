"""The Figures tab: a scorecard indicator over its reporting periods, as a chart on a time axis and a table
whose rows open the scorecard page they were printed on.

The chart is Plotly (Gradio's frontend bundles plotly.js: nothing is fetched): periods at their dates
(quarters and months spaced by the time between them), percentages and counts from zero unless the user
zooms, the target as a dashed line, each point coloured by its RAG rating, values on hover. The table
beside it is the chart's text alternative, and a visually hidden summary states the trend in words.
"""

from __future__ import annotations

import html

import gradio as gr
import plotly.graph_objects as go

from app.service import PanelService, ServiceError
from app.ui.shared import row_opener
from retrieval.answer.citations import Citation
from retrieval.answer.figures import Figure

FIGURE_HEADERS = ["Period", "Date", "Value", "Target", "Previous", "RAG", "Document", "Printed page", "PDF page"]
# RAG colours that keep 3:1 contrast on white (WCAG 1.4.11 non-text contrast); grey: no rating.
RAG_COLOURS = {"G": "#1e7b34", "A": "#b35c00", "R": "#c0392b"}
NO_RAG_COLOUR = "#4a4a4a"
RAG_NAMES = {"G": "green", "A": "amber", "R": "red"}
LINE_COLOUR = "#1f5fa8"
TARGET_COLOUR = "#6b2c91"


def figure_chart(figures: list[Figure]) -> go.Figure:
    """The indicator over time, with the target where the scorecards give one."""
    points = [f for f in figures if f.number is not None and f.date]
    chart = go.Figure()
    if points:
        chart.add_trace(go.Scatter(
            x=[f.date for f in points], y=[f.number for f in points], mode="lines+markers", name="value",
            line={"color": LINE_COLOUR, "width": 2},
            marker={"size": 11, "color": [RAG_COLOURS.get(f.rag or "", NO_RAG_COLOUR) for f in points],
                    "symbol": ["circle-open" if f.from_previous else "circle" for f in points],
                    "line": {"width": 2, "color": [RAG_COLOURS.get(f.rag or "", NO_RAG_COLOUR) for f in points]}},
            customdata=[[f.period, f.value, point_note(f)] for f in points],
            hovertemplate="%{customdata[0]}: <b>%{customdata[1]}</b>%{customdata[2]}<extra></extra>"))
        targets = [f for f in points if f.target_number is not None]
        if targets:
            chart.add_trace(go.Scatter(
                x=[f.date for f in targets], y=[f.target_number for f in targets], mode="lines+markers",
                name="target", line={"color": TARGET_COLOUR, "dash": "dash", "width": 2, "shape": "hv"},
                marker={"symbol": "line-ew-open", "size": 14, "color": TARGET_COLOUR},
                customdata=[[f.period, f.target] for f in targets],
                hovertemplate="target %{customdata[0]}: %{customdata[1]}<extra></extra>"))
        top = max([f.number for f in points] + [f.target_number for f in targets])
        percent = any("%" in f.value for f in points)
        # From zero (a share or a count drawn from its baseline); zooming still narrows it.
        chart.update_yaxes(range=[0, min(100.0, top * 1.15) if percent and top <= 100 else top * 1.15],
                           ticksuffix="%" if percent else "", rangemode="tozero")
    else:
        chart.add_annotation(text="No numeric values to chart", showarrow=False, x=0.5, y=0.5, xref="paper",
                             yref="paper")
    chart.update_xaxes(type="date", title_text="End of reporting period", tickformat="%b %Y")
    # No title: the indicator is named in the box above, and a long name would run off a phone's screen.
    chart.update_layout(height=380, margin={"l": 50, "r": 20, "t": 20, "b": 50}, template="plotly_white",
                        legend={"orientation": "h", "y": -0.25}, hovermode="closest")
    return chart


def point_note(figure: Figure) -> str:
    parts = []
    if figure.rag:
        parts.append(f"RAG {RAG_NAMES.get(figure.rag, figure.rag)}")
    if figure.target:
        parts.append(f"target {figure.target}")
    if figure.from_previous:
        parts.append("previous-period column of the next scorecard")
    return "<br>" + html.escape("; ".join(parts)) if parts else ""


def figure_table(figures: list[Figure]) -> list[list]:
    return [[f.period + (" (previous-period column)" if f.from_previous else ""), f.date or "", f.value,
             f.target or "", f.previous or "", RAG_NAMES.get(f.rag or "", f.rag or ""),
             f.citation.title or f.citation.document, f.citation.page_label or "", f.citation.page] for f in figures]


def figure_notes(figures: list[Figure]) -> str:
    """Under the chart: the trend in words (for screen readers: the chart's text alternative), the wordings the
    scorecards print the indicator under, and the abbreviations they use explained."""
    if not figures:
        return ""
    dated = [f for f in figures if f.date]
    summary = ""
    if dated:
        first, last = dated[0], dated[-1]
        summary = (f"<p class='visually-hidden' id='figure-summary'>Chart: {len(figures)} values from "
                   f"{html.escape(first.period)} ({html.escape(first.value)}) to {html.escape(last.period)} "
                   f"({html.escape(last.value)}); the table below lists each value with its target and page.</p>")
    wordings = list(dict.fromkeys(f.indicator for f in figures))
    terms = dict(t for f in figures for t in f.terms)
    parts = [summary, "<p><strong>Wordings in the scorecards:</strong></p><ul>"]
    parts += [f"<li>{html.escape(w)}</li>" for w in wordings]
    parts.append("</ul>")
    if terms:
        parts.append("<p><strong>Abbreviations:</strong> "
                     + "; ".join(f"<abbr title='{html.escape(v)}'>{html.escape(k)}</abbr>: {html.escape(v)}"
                                 for k, v in sorted(terms.items())) + "</p>")
    if any(f.from_previous for f in figures):
        parts.append("<p>Hollow points are the previous-period column of the following scorecard.</p>")
    return "".join(parts)


def citation_place(citation: Citation):
    return citation.document, citation.page, citation.page_label, citation.quote


def figures_tab(service: PanelService) -> None:
    names = indicator_names(service)
    default = names[0] if names else None  # the indicator reported in the most papers, then periods
    figures = series_of(service, default)
    shown = gr.State([f.citation for f in figures])  # the Citation of each table row, in its order
    indicator = gr.Dropdown(label="Indicator (from the scorecards)", choices=names, value=default,
                            elem_id="indicator", filterable=True)
    plot = gr.Plot(value=figure_chart(figures) if default else None, label="Over the reporting periods",
                   elem_id="figure-chart")
    notes = gr.HTML(figure_notes(figures), elem_id="figure-notes")
    table = gr.Dataframe(value=figure_table(figures) or None, headers=FIGURE_HEADERS, interactive=False, wrap=True,
                         elem_id="figure-table", label="The chart's values, each with its scorecard page",
                         show_label=True,
                         column_widths=["17%", "10%", "8%", "8%", "9%", "6%", "26%", "8%", "8%"])
    link = gr.HTML()
    image = gr.Image(label="The scorecard page", type="pil", interactive=False, format="png",
                     elem_classes=["page-picture"], buttons=["fullscreen"])  # fits the width (format.CSS)

    def show(name):
        if not name:
            return None, "", [], []
        try:
            found = service.series(name)
        except ServiceError as exc:
            gr.Warning(str(exc))
            return None, "", [], []
        return figure_chart(found), figure_notes(found), figure_table(found), [f.citation for f in found]

    indicator.change(show, [indicator], [plot, notes, table, shown], api_visibility="private")
    table.select(row_opener(service, citation_place), [shown], [image, link], api_visibility="private")


def series_of(service: PanelService, name: str | None) -> list[Figure]:
    if not name:
        return []
    try:
        return service.series(name)
    except ServiceError:
        return []


def indicator_names(service: PanelService) -> list[str]:
    try:
        return [name for name, _ in service.indicators()]
    except ServiceError:
        return []
