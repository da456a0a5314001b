"""Data validations and headers within Excel's limits, for every writer of a sheet.

Excel repairs a file whose validation prompt or error passes 255 characters (32 for a title), whose inline
dropdown list passes 255, or whose header or footer passes 255: "We found a problem with some content". So the
rating dropdown lists the codes inline only while they fit, and otherwise points at the sheet cells that hold
them, and the long texts are shortened here, once, for the master and the returns alike.
"""

from __future__ import annotations

from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ...core.limits import (HEADER_FOOTER_MAX, LIST_FORMULA_MAX, VALIDATION_TEXT_MAX, VALIDATION_TITLE_MAX,
                            shorten)
from ...core.ratings import RatingIndex


def rating_list(index: RatingIndex, sheet: str, column: str, first_row: int) -> str:
    """The dropdown's source: the codes inline, or the cells of ``sheet`` that list them, in index order."""
    inline = '"' + ",".join(index.codes) + '"'
    if len(inline) <= LIST_FORMULA_MAX:
        return inline
    last = first_row + len(index.ratings) - 1
    return f"{quote_sheetname(sheet)}!${column}${first_row}:${column}${last}"


def rating_prompt(index: RatingIndex) -> str:
    return shorten(" / ".join(f"{r.code} = {r.label}" for r in index.ratings), VALIDATION_TEXT_MAX)


def validation(kind: str, sqref: str, *, title: str, error: str, prompt: str = "", **options: object) -> DataValidation:
    """A data validation whose titles and texts fit Excel's limits; a prompt shows only when there is one."""
    return DataValidation(
        type=kind, sqref=sqref, allow_blank=True, showErrorMessage=True,
        errorTitle=shorten(title, VALIDATION_TITLE_MAX), error=shorten(error, VALIDATION_TEXT_MAX),
        promptTitle=shorten(title, VALIDATION_TITLE_MAX) if prompt else None,
        prompt=shorten(prompt, VALIDATION_TEXT_MAX) if prompt else None, showInputMessage=bool(prompt), **options)


def footer_text(*parts: str, codes: str = "") -> str:
    """One header or footer section's text, its variable parts shortened so the whole stays in Excel's limit.

    ``codes`` (such as "page &P of &N") is kept whole; ``&`` in the parts is doubled, as Excel's header
    language needs.
    """
    joiner = " — "
    # openpyxl adds the section's own code (&C) and Excel counts it: keep a margin for those.
    room = HEADER_FOOTER_MAX - 10 - len(codes) - len(joiner) * len(parts)
    texts = [part.replace("&", "&&") for part in parts]
    while sum(map(len, texts)) > room:
        longest = max(range(len(texts)), key=lambda i: len(texts[i]))
        texts[longest] = shorten(texts[longest], max(8, len(texts[longest]) - (sum(map(len, texts)) - room)))
        if all(len(t) <= 8 for t in texts):
            break
    return joiner.join([*texts, codes] if codes else texts)
