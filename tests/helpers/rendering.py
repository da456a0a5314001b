"""Reading what LibreOffice printed: the words of each PDF page with their boxes (``pdftotext -bbox``), the
structure tags (``pdfinfo -struct``), and the checks the rendering tests make on them: text no smaller than
9 pt, no word drawn over another (text overprinting the next row), nothing past the page's edge."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# A word's box, as pdftotext gives it, runs from the face's ascent to its descent: about 1.16 times the size
# for the faces LibreOffice uses here (DejaVu, Liberation, Carlito all lie between 1.13 and 1.17).
BOX_PER_POINT = 1.17
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def size(self) -> float:
        """The font size the word was printed at, in points."""
        return (self.y1 - self.y0) / BOX_PER_POINT


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def to_pdf(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.pdf"


def pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    result = []
    for number, match in enumerate(_PAGE.finditer(out), start=1):
        words = tuple(Word(float(a), float(b), float(c), float(d), unescape(t))
                      for a, b, c, d, t in _WORD.findall(match.group(3)))
        result.append(Page(number, float(match.group(1)), float(match.group(2)), words))
    return result


def overprinted(page: Page) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other: text overprinting the next row (a row too short for its wrapped
    text). Lines of one paragraph touch (a box runs from ascent to descent); overprinted lines cross by more
    than half a line."""
    found = []
    words = sorted(page.words, key=lambda w: w.y0)
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if b.y0 >= a.y1:
                break
            overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
            if overlap_x > 1.0 and overlap_y > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0):
                found.append((a.text, b.text))
    return found


def smallest_size(page: Page) -> float:
    return min((w.size for w in page.words), default=99.0)


def outside(page: Page, margin: float = 2.0) -> list[str]:
    """Words that run past the page's edges (a table wider than the page)."""
    return [w.text for w in page.words if w.x0 < margin or w.x1 > page.width - margin]


def info(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(pdf)], capture_output=True, text=True, check=True).stdout


def structure_tags(pdf: Path) -> list[str]:
    """The structure elements of a tagged PDF, in order (Document, H1, P, Table, TR, TH, TD, L, LI, Figure...)."""
    return [line.strip().split()[0].rstrip(":") for line in info(pdf, "-struct").splitlines()
            if line.strip() and not line.strip().startswith("/")]
