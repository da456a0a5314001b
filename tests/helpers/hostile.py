"""A generator of hostile inputs, and a way to run a command on one and see how it ends.

Each maker takes a good file that ragbook wrote (a master, a return) or a plan a partnership holds, and
returns what a damaged disk, a careless tool or an attacker might hand over instead. ``run_ragbook`` runs a
real ``ragbook`` process on it and reports its exit code, its output and its peak memory (from the kernel's
own accounting of that child), so that a native abort, a traceback or a memory blow-up shows as itself.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tests.helpers.paths import ROOT
from tests.helpers.returns import rewrite_zip, sheet_part

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class Ended:
    code: int
    stdout: str
    stderr: str
    peak_mb: float

    @property
    def sentences(self) -> list[str]:
        """The lines a person reads when the command refuses something (exit 2 prints one)."""
        return [line for line in self.stderr.splitlines() if line.strip()]


# The child's own high-water mark of resident memory, written as it exits. wait4's ru_maxrss would do, but
# Linux carries the forking parent's size over the exec into it: a test process of 300 MB would blame each
# child for its own memory. (A child that dies natively writes nothing; its exit code tells then.)
_MEASURED = """
import atexit, os, re, sys
def _peak():
    with open('/proc/self/status') as status:
        kb = re.search(r'VmHWM:\\s+(\\d+)', status.read()).group(1)
    with open(os.environ['RAGBOOK_PEAK_FILE'], 'w') as out:
        out.write(kb)
atexit.register(_peak)
sys.argv[0] = 'ragbook'
from ragbook.cli import main
main()
"""


def run_ragbook(*args: object, cwd: Path, timeout: float = 300) -> Ended:
    """Run ``python -m ragbook ARGS`` to its end; its peak resident memory is the kernel's, from wait4."""
    out, err, peak = cwd / ".ragbook-stdout", cwd / ".ragbook-stderr", cwd / ".ragbook-peak"
    peak.unlink(missing_ok=True)
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-c", _MEASURED, *map(str, args)], cwd=cwd,
                                   stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONPATH": str(ROOT), "RAGBOOK_PEAK_FILE": str(peak)})
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:  # a hang is a failure of its own; never leave the child behind
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
    peak_kb = int(peak.read_text()) if peak.exists() else usage.ru_maxrss
    ended = Ended(process.returncode, out.read_text(), err.read_text(), peak_kb / 1024)
    for path in (out, err, peak):
        path.unlink(missing_ok=True)
    return ended


# ---------------------------------------------------------------------------- makers on a package
def far_cell(path: Path, sheet: str, cell: str = "XFD1048576") -> Path:
    """The sheet gains one cell very far out: a reader that sizes a grid by the extent would ask for terabytes."""
    part = sheet_part(path, sheet)
    row = re.match(r"[A-Z]+([0-9]+)", cell).group(1)
    far = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'.encode()
    return rewrite_zip(path, lambda n, d: d.replace(b"</sheetData>", far) if n == part else d)


def sheet_bomb(path: Path, sheet: str, megabytes: int) -> Path:
    """The sheet swells to ``megabytes`` of real cells whose digits are random enough to compress about 30-fold:
    far under any ratio limit, yet far more than the file's kind ever holds."""
    part = sheet_part(path, sheet)
    rng = random.Random(7)
    cell = "<c r=\"Z{0}\"><v>{1}</v></c>"
    rows, size, number = [], 0, 100_000
    while size < megabytes * 1024 * 1024:
        text = f'<row r="{number}">' + "".join(cell.format(number, rng.randrange(10**12)) for _ in range(1)) + "</row>"
        rows.append(text)
        size += len(text)
        number += 1
        if number > 1_048_000:
            break
    swollen = ("".join(rows) + "</sheetData>").encode()
    return rewrite_zip(path, lambda n, d: d.replace(b"</sheetData>", swollen) if n == part else d)


def shared_string_bomb(path: Path, megabytes: int) -> Path:
    """Shared strings of random words, ``megabytes`` of them, related from the workbook as Excel relates them:
    compressible well under any ratio limit, and each string under a cell's limit."""
    rng = random.Random(11)
    words = [f"w{rng.randrange(10**6)}" for _ in range(5000)]
    strings, size = [], 0
    while size < megabytes * 1024 * 1024:
        text = "<si><t>" + " ".join(rng.choice(words) for _ in range(300)) + "</t></si>"
        strings.append(text)
        size += len(text)
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN_NS.decode()}" '
           f'count="{len(strings)}" uniqueCount="{len(strings)}">' + "".join(strings) + "</sst>").encode()

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/sharedStrings.xml":
            return sst
        if name == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdBomb" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                b"</Relationships>")
        if name == "[Content_Types].xml" and b"sharedStrings" not in data:
            return data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        return data

    with zipfile.ZipFile(path) as archive:
        present = "xl/sharedStrings.xml" in archive.namelist()
    return rewrite_zip(path, change, None if present else {"xl/sharedStrings.xml": sst})


def flagged_member(path: Path, member: str, *, flag: int = 0, method: int | None = None) -> Path:
    """A member whose local and central headers say it is zip-encrypted (``flag`` 0x01: zip's own legacy
    encryption, which no Office file uses) or compressed by ``method``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    local = info.header_offset
    data[local + 6] |= flag
    if method is not None:
        data[local + 8: local + 10] = method.to_bytes(2, "little")
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28: at + 30], "little")
        if bytes(data[at + 46: at + 46 + length]).decode() == member:
            data[at + 8] |= flag
            if method is not None:
                data[at + 10: at + 12] = method.to_bytes(2, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def damaged_encryption_header(path: Path) -> Path:
    """An encrypted return whose EncryptionInfo stream is overwritten in the middle with noise."""
    data = bytearray(path.read_bytes())
    at = bytes(data).find(b"<?xml", 512)  # the XML of the agile EncryptionInfo descriptor
    start = at if at > 0 else len(data) // 3
    for offset in range(start, min(start + 200, len(data))):
        data[offset] = (data[offset] * 7 + 13) % 256
    path.write_bytes(bytes(data))
    return path


def dtd_in_utf16(path: Path, part: str) -> Path:
    """The part re-encoded as UTF-16 with a DTD of expanding entities in front of its root."""
    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        text = data.decode("utf-8")
        text = re.sub(r"^<\?xml[^>]*\?>", "", text).lstrip()
        dtd = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return ('<?xml version="1.0" encoding="UTF-16"?>' + dtd + text).encode("utf-16")

    return rewrite_zip(path, change)


def damaged_deflate(path: Path, member: str) -> Path:
    """One member's compressed bytes flipped in the middle, its header left as it was (zlib.error on reading)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 10, start + min(info.compress_size, 60)):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def truncated(path: Path, keep: float = 0.6) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def special_file(folder: Path, kind: str) -> Path:
    """A name that is not a regular file: a FIFO nobody writes to, or a link to an endless device."""
    target = folder / f"{kind}.xlsx"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(f"/dev/{kind}")
    return target


MAKERS: dict[str, Callable[..., Path]] = {
    "far cell": far_cell, "sheet bomb": sheet_bomb, "shared-string bomb": shared_string_bomb,
    "DTD in UTF-16": dtd_in_utf16, "damaged deflate": damaged_deflate, "truncated": truncated,
}
