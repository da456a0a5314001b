"""Rebuild the real-plan test corpus: specs/<slug>.json -> files/<slug>.<ext> and expected/<slug>.json.

Run from the repository root:  python tests/corpus/plans/build.py

Forms: docx (python-docx, real Word tables with merged cells), xlsx (openpyxl), csv, and for the PDF-derived
forms a docx rendered by LibreOffice (`soffice --headless --convert-to pdf`), then `pdftotext -layout` for txt.
Office files get fixed core-property dates and fixed zip timestamps so rebuilds are byte-stable; PDFs carry
LibreOffice's own creation date, so they (and the text pulled from them, which is stable) are the exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
SPECS, FILES, EXPECTED = HERE / "specs", HERE / "files", HERE / "expected"
FIXED = dt.datetime(2024, 1, 1, 9, 0, 0)
ZIP_TIME = (2024, 1, 1, 9, 0, 0)


# ------------------------------------------------------------------ helpers
def _set_cell(cell, text: str, italic: bool = False, bold: bool = False) -> None:
    """Write text into a Word cell, one paragraph per line."""
    lines = str(text).split("\n") if text else [""]
    cell.text = ""
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        para = first if i == 0 else cell.add_paragraph()
        run = para.add_run(line)
        run.italic = italic
        run.bold = bold


def _new_document(landscape: bool):
    document = docx.Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    return document


def _core_properties(props, spec) -> None:
    props.title = spec["title"]
    props.author = spec.get("publisher", "")[:250]
    props.created = FIXED
    props.modified = FIXED
    props.last_modified_by = "ragbook corpus"
    props.revision = 1


def _stable_zip(path: Path) -> None:
    """Rewrite an OOXML package with fixed member timestamps and order, so rebuilds are byte-identical."""
    with zipfile.ZipFile(path) as src:
        members = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members:
            if name == "docProps/core.xml":    # openpyxl stamps 'modified' with the save time
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>2024-01-01T09:00:00Z\g<2>", data)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    tmp.replace(path)


# ------------------------------------------------------------------ Word
def _doc_front_matter(document, spec) -> None:
    meta = spec["document"]
    if meta.get("pre_title"):
        document.add_paragraph(meta["pre_title"])
    document.add_heading(meta["title"], level=0)
    for key in ("intro", "bullets", "intro2", "bullets2", "intro3"):
        for text in meta.get(key, []):
            if key.startswith("bullets"):
                document.add_paragraph(text, style="List Bullet")
            else:
                document.add_paragraph(text)


def _word_table(document, table_spec) -> None:
    header = table_spec["header"]
    guidance = table_spec.get("guidance")
    rows = table_spec["rows"]
    n_cols = len(header)
    table = document.add_table(rows=1 + (1 if guidance else 0) + len(rows), cols=n_cols)
    table.style = "Table Grid"
    for c, text in enumerate(header):
        _set_cell(table.cell(0, c), text, bold=True)
    r0 = 1
    if guidance:
        for c, text in enumerate(guidance):
            _set_cell(table.cell(1, c), text, italic=table_spec.get("guidance_italic", True))
        r0 = 2
    for i, row in enumerate(rows):
        r = r0 + i
        if isinstance(row, dict):          # a section row: ref in column 0, label merged across the rest
            _set_cell(table.cell(r, 0), row.get("ref", ""), bold=True)
            merged = table.cell(r, 1).merge(table.cell(r, n_cols - 1))
            _set_cell(merged, row["section"], bold=True)
            continue
        for c, text in enumerate(row):
            _set_cell(table.cell(r, c), text)
    for (ra, ca, rb, cb) in table_spec.get("merges", []):   # body-relative coordinates
        top = table.cell(r0 + ra, ca)
        text = top.text
        merged = top.merge(table.cell(r0 + rb, cb))
        _set_cell(merged, text)


def _word_forms(document, layout) -> None:
    for form in layout["forms"]:
        document.add_heading(form["heading"], level=1)
        for text in form.get("paragraphs_before", []):
            document.add_paragraph(text)
        table = document.add_table(rows=len(form["rows"]), cols=2)
        table.style = "Table Grid"
        for r, (label, value) in enumerate(form["rows"]):
            _set_cell(table.cell(r, 0), label, bold=True)
            _set_cell(table.cell(r, 1), value)
            table.cell(r, 0).width = Cm(4.5)
            table.cell(r, 1).width = Cm(12)
        document.add_paragraph("")


def build_docx(spec, out: Path) -> Path:
    layout = spec["layout"]
    document = _new_document(layout.get("orientation") == "landscape")
    _doc_front_matter(document, spec)
    if layout["type"] == "forms":
        _word_forms(document, layout)
    else:
        for table_spec in layout["tables"]:
            if table_spec.get("heading"):
                document.add_heading(table_spec["heading"], level=1)
            _word_table(document, table_spec)
            document.add_paragraph("")
        for line in layout.get("key_under_table", []):
            document.add_paragraph(line)
    _core_properties(document.core_properties, spec)
    document.save(out)
    _stable_zip(out)
    return out


# ------------------------------------------------------------------ Excel / CSV
def build_xlsx(spec, out: Path) -> Path:
    layout = spec["layout"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Action Plan"
    table_spec = layout["tables"][0]
    n_cols = len(table_spec["header"])
    ws.cell(1, 1, spec["document"]["title"]).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n_cols)
    if spec["document"].get("subtitle"):
        ws.cell(2, 1, spec["document"]["subtitle"])
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n_cols)
    header_row = 4
    wrap = Alignment(wrap_text=True, vertical="top")
    for c, text in enumerate(table_spec["header"], 1):
        cell = ws.cell(header_row, c, text)
        cell.font = Font(bold=True)
        cell.alignment = wrap
    r = header_row + 1
    for row in table_spec["rows"]:
        for c, text in enumerate(row, 1):
            value = int(text) if isinstance(text, str) and text.isdigit() else text   # ratings typed as numbers
            ws.cell(r, c, value).alignment = wrap
        r += 1
    for (ra, ca, rb, cb) in table_spec.get("merges", []):
        ws.merge_cells(start_row=header_row + 1 + ra, start_column=ca + 1, end_row=header_row + 1 + rb, end_column=cb + 1)
    r += 1
    for line in layout.get("key_under_table", []):
        code, _, label = line.partition(" ")
        ws.cell(r, 1, int(code) if code.isdigit() else code)
        ws.cell(r, 2, label)
        r += 1
    for c, width in zip("ABCDEFGHIJ", (6, 50, 14, 18, 50, 16, 16, 16, 16, 16)):
        ws.column_dimensions[c].width = width
    wb.properties.creator = spec.get("publisher", "")[:250]
    wb.properties.title = spec["title"]
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(out)
    _stable_zip(out)
    return out


def build_csv(spec, out: Path) -> Path:
    table_spec = spec["layout"]["tables"][0]
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(table_spec["header"])
        for row in table_spec["rows"]:
            writer.writerow(row if isinstance(row, list) else [row.get("ref", ""), row["section"]])
    return out


# ------------------------------------------------------------------ PDF / text
def _soffice_pdf(docx_path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("LibreOffice (soffice) is needed for pdf/txt forms: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(docx_path)], check=True, capture_output=True, timeout=300)
    return out_dir / (docx_path.stem + ".pdf")


def build_pdf(spec, out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        source = build_docx(spec, Path(tmp) / f"{spec['slug']}.docx")
        shutil.copyfile(_soffice_pdf(source, Path(tmp)), out)
    return out


def build_txt(spec, out: Path) -> Path:
    if not shutil.which("pdftotext"):
        raise SystemExit("poppler's pdftotext is needed for txt forms: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        source = build_docx(spec, Path(tmp) / f"{spec['slug']}.docx")
        pdf = _soffice_pdf(source, Path(tmp))
        subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), str(out)], check=True, timeout=120)
    return out


BUILDERS = {"docx": build_docx, "xlsx": build_xlsx, "csv": build_csv, "pdf": build_pdf, "txt": build_txt}


# ------------------------------------------------------------------ expected values
def _clean(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def expected_for(spec) -> dict:
    actions = []
    for a in spec["expected"]["actions"]:
        actions.append({
            "ref": a["ref"],
            "recommendation": _clean(a["recommendation"]),
            "action": _clean(a["action"]),
            "lead_agency": "; ".join(_clean(p) for p in str(a["lead_agency"]).split(";") if _clean(p)),
            "target_date": a["target_date"],
            "rag": a["rag"],
        })
    return {
        "file": f"files/{spec['slug']}.{spec['form']}",
        "kind": spec["kind"], "title": spec["title"], "area": spec["area"], "url": spec["url"],
        "review": spec["review"],
        "index": spec.get("index", []),
        "actions": actions,
    }


def main(argv: list[str]) -> int:
    FILES.mkdir(exist_ok=True)
    EXPECTED.mkdir(exist_ok=True)
    wanted = set(argv)
    for spec_path in sorted(SPECS.glob("*.json")):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        if wanted and spec["slug"] not in wanted:
            continue
        out = FILES / f"{spec['slug']}.{spec['form']}"
        BUILDERS[spec["form"]](spec, out)
        (EXPECTED / f"{spec['slug']}.json").write_text(
            json.dumps(expected_for(spec), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{out.relative_to(HERE)}  ({len(spec['expected']['actions'])} actions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
