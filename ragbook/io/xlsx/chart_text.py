"""The text of a native chart in a named face and a size that prints at 9 pt or more.

A chart left to its defaults is drawn in the program's default face (a serif, in LibreOffice) at 10 pt, which
a sheet printed at 82% brings under 9 pt. Used by the Summary sheet's charts and the board report's.
"""

from __future__ import annotations

from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties


def characters(face: str, size_pt: float, bold: bool = False) -> CharacterProperties:
    return CharacterProperties(latin=Font(typeface=face), sz=int(size_pt * 100), b=bold)


def rich_text(face: str, size_pt: float, bold: bool = False) -> RichText:
    props = characters(face, size_pt, bold)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def style_chart(chart, face: str, size_pt: float, title_pt: float) -> None:
    """Every text of ``chart`` (an openpyxl chart with its title set) in ``face``: labels at ``size_pt``, the
    title bold at ``title_pt``."""
    chart.txPr = rich_text(face, size_pt)
    for part in (chart.legend, getattr(chart, "x_axis", None), getattr(chart, "y_axis", None)):
        if part is not None:
            part.txPr = rich_text(face, size_pt)
    for series in chart.series:
        if series.dLbls is not None:
            series.dLbls.txPr = rich_text(face, size_pt)
    if chart.title is not None and chart.title.tx is not None and chart.title.tx.rich is not None:
        chart.title.tx.rich.p[0].pPr = ParagraphProperties(defRPr=characters(face, title_pt, bold=True))
    axis_title = getattr(getattr(chart, "y_axis", None), "title", None)
    if axis_title is not None and axis_title.tx is not None and axis_title.tx.rich is not None:
        axis_title.tx.rich.p[0].pPr = ParagraphProperties(defRPr=characters(face, size_pt, bold=True))
