"""Ratings are coloured from the Rating Index sheet, and recoloured when it changes."""

from __future__ import annotations

from openpyxl import load_workbook

from ragbook import commands


def rag_cells(plan):
    ws = load_workbook(plan)["Register"]
    return {ws.cell(r, 2).value: ws.cell(r, 10) for r in range(2, ws.max_row + 1)}


def test_every_rated_cell_takes_its_fill_and_font_from_the_index(sample_master):
    commands.colour_plan(sample_master)
    cells = rag_cells(sample_master)
    assert cells["1.1"].fill.fgColor.rgb == "000070C0" and cells["1.1"].font.color.rgb == "00FFFFFF"
    assert cells["2.3"].fill.fgColor.rgb == "00FFC000" and cells["2.3"].font.color.rgb == "00000000"
    assert cells["1.3"].fill.fill_type is None


def test_the_rating_column_gets_a_dropdown_of_the_index_codes(sample_master):
    commands.colour_plan(sample_master)
    ws = load_workbook(sample_master)["Register"]
    (dropdown,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert dropdown.formula1 == '"B,G,A,R"'
    assert str(dropdown.sqref) == "J2:J19"


def test_conditional_formatting_recolours_a_rating_typed_by_hand(sample_master):
    commands.colour_plan(sample_master)
    ws = load_workbook(sample_master)["Register"]
    rules = [(str(cf.sqref), rule.formula[0], rule.dxf.fill.fgColor.rgb) for cf in ws.conditional_formatting for rule in cf.rules]
    assert rules == [("J2:J19", '"B"', "000070C0"), ("J2:J19", '"G"', "0000B050"),
                     ("J2:J19", '"A"', "00FFC000"), ("J2:J19", '"R"', "00C00000"),
                     ("J2:J19", "LEN(TRIM(J2))=0", "00D9D9D9")]  # an unrated action is marked grey


def test_changing_a_colour_on_the_index_sheet_recolours_everything(sample_master):
    commands.colour_plan(sample_master)
    book = load_workbook(sample_master)
    book["Rating Index"]["D2"] = "#1F4E79"  # a darker blue, typed with a hash as people do
    book.save(sample_master)
    commands.colour_plan(sample_master)
    cells = rag_cells(sample_master)
    assert cells["1.1"].fill.fgColor.rgb == "001F4E79"
    ws = load_workbook(sample_master)["Register"]
    blue_rules = [rule for cf in ws.conditional_formatting for rule in cf.rules if rule.formula[0] == '"B"']
    assert len(blue_rules) == 1 and blue_rules[0].dxf.fill.fgColor.rgb == "001F4E79"
    assert load_workbook(sample_master)["Rating Index"]["D2"].value == "1F4E79"


def test_no_colour_is_written_that_the_index_does_not_hold(sample_master):
    from ragbook.io.master.workbook import MasterWorkbook

    commands.colour_plan(sample_master)
    index = MasterWorkbook.open(sample_master).read_index()
    allowed = {f"00{r.fill}" for r in index.ratings}
    used = {cell.fill.fgColor.rgb for cell in rag_cells(sample_master).values() if cell.fill.fill_type}
    assert used <= allowed
