"""A native chart in a Word document: ratings stacked per recommendation, coloured from the Rating Index.

python-docx writes no charts, so the chart part is drawn with openpyxl's chart classes (the same DrawingML
``chartSpace`` a spreadsheet uses) and added to the document as a ``word/charts/chartN.xml`` part. The
series carry their values in a cache, as Word's own charts do, so Word and LibreOffice draw them without an
embedded workbook (editing the chart's data in Word is not offered).
"""

from __future__ import annotations

from typing import Sequence

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Cm
from openpyxl.chart import BarChart
from openpyxl.chart.data_source import AxDataSource, NumData, NumDataSource, NumRef, NumVal, StrData, StrRef, StrVal
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.xml.functions import tostring

from ..xlsx.chart_text import style_chart

_INLINE = (
    '<wp:inline distT="0" distB="0" distL="0" distR="0" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="Chart {id}" descr="{descr}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline>'
)


FONT = "Arial"


def _column(sheet_column: str, count: int) -> str:
    return f"Sheet1!${sheet_column}$2:${sheet_column}${count + 1}"


def stacked_chart_xml(title: str, categories: Sequence[str], series: Sequence[tuple[str, str, Sequence[int]]]) -> bytes:
    """A stacked column chart: ``series`` is (name, fill, one value per category)."""
    chart = BarChart(type="col", grouping="stacked", overlap=100, gapWidth=60)
    letters = "BCDEFGHIJKLMNOPQRSTUVWXYZ"
    cats = AxDataSource(strRef=StrRef(f=_column("A", len(categories)), strCache=StrData(
        ptCount=len(categories), pt=[StrVal(idx=i, v=name) for i, name in enumerate(categories)])))
    for number, (name, fill, values) in enumerate(series):
        letter = letters[number]
        item = Series(
            idx=number, order=number,
            tx=SeriesLabel(strRef=StrRef(f=f"Sheet1!${letter}$1", strCache=StrData(ptCount=1, pt=[StrVal(idx=0, v=name)]))),
            cat=cats,
            val=NumDataSource(numRef=NumRef(f=_column(letter, len(values)), numCache=NumData(
                formatCode="General", ptCount=len(values), pt=[NumVal(idx=i, v=v) for i, v in enumerate(values)]))),
        )
        item.graphicalProperties.solidFill = fill
        item.graphicalProperties.line.solidFill = fill
        chart.series.append(item)
    chart.title = title
    chart.y_axis.title = "Actions"
    chart.y_axis.majorGridlines = None
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "r"
    style_chart(chart, FONT, 9, 12)  # the report's face (a chart left to its defaults is drawn in a serif)
    return tostring(chart._write())


def add_chart(document, paragraph, xml: bytes, width_cm: float, height_cm: float, description: str) -> None:
    """Add the chart part to the document and place it, inline, in ``paragraph``."""
    package = document.part.package
    number = 1 + sum(1 for part in package.iter_parts() if str(part.partname).startswith("/word/charts/chart"))
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CT.DML_CHART, xml, package)
    rid = document.part.relate_to(part, RT.CHART)
    shape_id = 1000 + number
    inline = parse_xml(_INLINE.format(cx=Cm(width_cm).emu, cy=Cm(height_cm).emu, id=shape_id, rid=rid,
                                      descr=description.replace('"', "'").replace("&", "and").replace("<", "")))
    drawing = parse_xml('<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    drawing.append(inline)
    paragraph.add_run()._r.append(drawing)
