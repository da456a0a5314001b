"""Excel's own password-to-open (ECMA-376 Agile encryption, AES-256), via msoffcrypto-tool."""

from __future__ import annotations

import io
import struct
from pathlib import Path
from xml.parsers.expat import ExpatError

from ...core.errors import InputError

MAX_SPIN_COUNT = 1_000_000


def encrypt(data: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile  # noqa: PLC0415 - only needed with a password

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def decrypt(data: bytes, password: str | None, path: Path) -> bytes:
    """The plain package inside an encrypted return; raises InputError for a missing or wrong password."""
    import msoffcrypto  # noqa: PLC0415
    from msoffcrypto import exceptions  # noqa: PLC0415

    if not password:
        raise InputError(f"{path}: is password-protected, and no password was given (use --password-file).")
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        info = getattr(office, "info", None)
        spins = info.get("spinValue", 0) if isinstance(info, dict) else 0
        if spins > MAX_SPIN_COUNT:  # Excel asks for 100,000; ten million would take the machine minutes per file
            raise InputError(f"{path}: is password-protected with {spins:,} rounds of key hashing, far more than "
                             f"Excel uses; refused.")
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    except exceptions.InvalidKeyError:
        raise InputError(f"{path}: the password does not open it (not the password the returns were issued "
                         f"with).") from None
    except (exceptions.DecryptionError, exceptions.FileFormatError, exceptions.ParseError, OSError, ValueError,
            KeyError, AssertionError, IndexError, TypeError, AttributeError, EOFError, OverflowError, struct.error,
            ExpatError, NotImplementedError, RecursionError) as exc:  # a damaged encryption header, however damaged
        raise InputError(f"{path}: is password-protected but cannot be decrypted ({exc.__class__.__name__}).") from None
    return out.getvalue()


def read_password_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: the password file cannot be read ({exc}).") from None
    password = text.splitlines()[0].strip() if text.strip() else ""
    if not password:
        raise InputError(f"{path}: the password file is empty; put the password on its first line.")
    return password
