"""A native chart in a Word document: ratings stacked per recommendation, coloured from the Rating Index.

python-docx writes no charts, so the chart part is drawn with openpyxl's chart classes (the same DrawingML
``chartSpace`` a spreadsheet uses) and added to the document as a ``word/charts/chartN.xml`` part. The
series carry their values in a cache, as Word's own charts do, so Word and LibreOffice draw them without an
embedded workbook (editing the chart's data in Word is not offered).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence
from weakref import WeakKeyDictionary

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


class _Charts:
    def __init__(self, parts: int) -> None:
        self.parts = parts  # the chart parts the package holds
        self.rid = 1  # no relationship id under rId<rid> is free


_CHARTS: WeakKeyDictionary[object, _Charts] = WeakKeyDictionary()  # per package


def _column(sheet_column: str, count: int) -> str:
    return f"Sheet1!${sheet_column}$2:${sheet_column}${count + 1}"


def stacked_chart_xml(title: str, categories: Sequence[str], series: Sequence[tuple[str, str, Sequence[int]]]) -> bytes:
    """A stacked column chart: ``series`` is (name, fill, one value per category).

    openpyxl draws a chart through thousands of descriptors (a report of a thousand reviews has a thousand charts),
    so it draws each shape of chart (title, how many categories, which series) once, with stand-ins for the
    categories and values; each chart of that shape is the drawing with its own put in, byte for byte the same.
    """
    shapes = tuple((name, fill, len(values)) for name, fill, values in series)
    numbers = [value for _, _, values in series for value in values]
    pieces = _template(title, len(categories), shapes) if all(map(_plain, categories)) and all(
        type(value) is int for value in numbers) else None
    if pieces is None:
        return _drawn(title, categories, series)
    out = [pieces[0]]
    for position in range(1, len(pieces), 2):
        kind, number = pieces[position]
        # openpyxl writes a value as "%.16g" of it, and lxml a text in ASCII, escaped, other characters as references.
        out.append(f"<v>{'%.16g' % numbers[number]}</v>" if kind == "value" else _escaped(categories[number]))
        out.append(pieces[position + 1])
    return "".join(out).encode("ascii")


_CATEGORY = "@@{}@@"
_FIRST_VALUE = 10 ** 12
_SLOTS = re.compile(r"@@(\d+)@@|<v>(1\d{12})</v>")
_UNPLAIN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _plain(text: str) -> bool:
    """Whether a category is put in as it is: no character lxml refuses or writes otherwise, and no space at either
    end that openpyxl marks to be kept."""
    stripped = text.strip()
    return not _UNPLAIN.search(text) and (not stripped or stripped == text)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode(
        "ascii", "xmlcharrefreplace").decode("ascii")


@lru_cache(maxsize=256)
def _template(title: str, count: int, shapes: tuple[tuple[str, str, int], ...]) -> tuple | None:
    """The drawing of a shape of chart, cut at its stand-ins: text, (kind, number), text, ...; None when the
    drawing does not hold each stand-in where it is expected (a title or series name that looks like one)."""
    first = iter(range(_FIRST_VALUE, _FIRST_VALUE + sum(n for _, _, n in shapes)))
    xml = _drawn(title, [_CATEGORY.format(i) for i in range(count)],
                 [(name, fill, [next(first) for _ in range(n)]) for name, fill, n in shapes]).decode("ascii")
    parts = _SLOTS.split(xml)
    pieces: list = [parts[0]]
    values, categories = [], [0] * count
    for position in range(1, len(parts), 3):
        category, value = parts[position], parts[position + 1]
        if category is not None:
            if int(category) >= count:
                return None
            categories[int(category)] += 1
            pieces.append(("category", int(category)))
        else:
            values.append(int(value) - _FIRST_VALUE)
            pieces.append(("value", values[-1]))
        pieces.append(parts[position + 2])
    if values != list(range(sum(n for _, _, n in shapes))) or any(n != len(shapes) for n in categories):
        return None
    return tuple(pieces)


def _drawn(title: str, categories: Sequence[str], series: Sequence[tuple[str, str, Sequence[int]]]) -> bytes:
    """The chart as openpyxl draws it."""
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
    # python-docx finds a part's number, and a relationship's id, by going through all of them: for each of a
    # thousand charts. The same numbers are counted on from the first chart's instead.
    charts = _CHARTS.get(package)
    if charts is None:
        charts = _CHARTS[package] = _Charts(
            sum(1 for part in package.iter_parts() if str(part.partname).startswith("/word/charts/chart")))
    charts.parts += 1
    number = charts.parts
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CT.DML_CHART, xml, package)
    rels = document.part.rels
    while f"rId{charts.rid}" in rels:  # the lowest free id, as python-docx gives: ids are never taken away
        charts.rid += 1
    rid = rels.add_relationship(RT.CHART, part, f"rId{charts.rid}").rId
    shape_id = 1000 + number
    inline = parse_xml(_INLINE.format(cx=Cm(width_cm).emu, cy=Cm(height_cm).emu, id=shape_id, rid=rid,
                                      descr=description.replace('"', "'").replace("&", "and").replace("<", "")))
    drawing = parse_xml('<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    drawing.append(inline)
    paragraph.add_run()._r.append(drawing)
