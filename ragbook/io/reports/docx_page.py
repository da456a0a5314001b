"""The board report's page: A4 landscape, styles, language, title, and the marking and page numbers on every page.

What the public sector accessibility regulations ask of a published paper is set here once: real heading
styles, a document title and a language (``w:lang`` on the document defaults, and the core properties), text
no smaller than 9 pt, and the protective marking at the top and foot of every page beside "Page N of M"
(Word ``PAGE`` and ``NUMPAGES`` fields, which Word and LibreOffice fill in as they lay the pages out).
"""

from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .docx_body import W_NS, append_to_body

LANGUAGE = "en-GB"
FONT = "Arial"
BODY_PT, TABLE_PT, SMALL_PT = 11, 9, 9
HEADING_COLOUR = "1F3864"
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 29.7, 21.0, 1.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM


def set_up(document, *, title: str, subject: str, author: str, keywords: str) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.6)
    section.header_distance = section.footer_distance = Cm(0.7)
    _styles(document)
    properties = document.core_properties
    properties.title, properties.subject, properties.author = title, subject, author
    properties.keywords, properties.language = keywords, LANGUAGE
    properties.comments = "Written by ragbook from the partnership's action plan master."


def _styles(document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in r_pr.findall(qn("w:lang")) + r_pr.findall(qn("w:rFonts")):
        r_pr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attribute}"), FONT)
    r_pr.insert(0, fonts)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.append(lang)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 18), ("Heading 2", 14), ("Heading 3", 12)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor.from_string(HEADING_COLOUR)
        style.paragraph_format.space_before = Pt(12 if name != "Heading 3" else 8)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    for name in ("List Number", "List Bullet", "Header", "Footer"):
        styles[name].font.name = FONT
        styles[name].font.size = Pt(BODY_PT if name.startswith("List") else SMALL_PT + 1)


def _field(paragraph, instruction: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) as Word writes one: begin, instruction, separate, result, end."""
    def run(inner: str) -> None:
        paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}">{inner}</w:r>'))

    run('<w:fldChar w:fldCharType="begin"/>')
    run(f'<w:instrText xml:space="preserve"> {instruction} </w:instrText>')
    run('<w:fldChar w:fldCharType="separate"/>')
    run("<w:t>1</w:t>")
    run('<w:fldChar w:fldCharType="end"/>')


def marking_and_page_numbers(document, marking: str, running_title: str) -> None:
    """The marking, bold and centred, at the top of every page; at the foot, the marking again, the title and
    "Page N of M"."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(marking)
    run.bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bold = footer.add_run(marking)
    bold.bold = True
    footer.add_run(f"   {running_title}   Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def page_break_before(paragraph) -> None:
    paragraph.paragraph_format.page_break_before = True


def add_paragraph(document, text: str = "", style: str | None = None) -> Paragraph:
    """``document.add_paragraph(text, style)``, the same XML, in a time that does not grow with the document:
    python-docx looks the style up among all the styles, and the end of the body along all of it, each time."""
    p = append_to_body(document, OxmlElement("w:p"))
    paragraph = Paragraph(p, document._body)
    if text:
        _text_run(paragraph, text)
    if style is not None:
        p.style = _style_id(document, style)
    return paragraph


def add_heading(document, text: str, level: int) -> Paragraph:
    """``document.add_heading(text, level)``, as ``add_paragraph`` is python-docx's."""
    return add_paragraph(document, text, "Title" if level == 0 else f"Heading {level}")


_BREAKS = re.compile(r"([\t\r\n])")


def _text_run(paragraph: Paragraph, text: str) -> None:
    """``paragraph.add_run(text)``: the same elements (a tab, a line break for each line end, the text between),
    the text cut at them in one go rather than a character at a time."""
    r = paragraph.add_run()._r
    for piece in _BREAKS.split(text):
        if piece == "\t":
            r.add_tab()
        elif piece in ("\r", "\n"):
            r.add_br()
        elif piece:
            r.add_t(piece)


_STYLE_IDS: WeakKeyDictionary[object, dict[str, str | None]] = WeakKeyDictionary()


def _style_id(document, name: str) -> str | None:
    known = _STYLE_IDS.setdefault(document.part, {})
    if name not in known:
        known[name] = document.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
    return known[name]


def text_paragraph(document, text: str, *, style: str | None = None, italic: bool = False, bold_lead: str = ""):
    """A paragraph; ``bold_lead`` (such as "Author:") goes first in bold."""
    paragraph = add_paragraph(document, style=style)
    if bold_lead:
        paragraph.add_run(bold_lead + " ").bold = True
    run = paragraph.add_run(text)
    if italic:
        run.italic = True
    return paragraph

