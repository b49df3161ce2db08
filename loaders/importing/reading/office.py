"""What a .docx or .xlsx must be before its reader opens it: an Office Open XML package (a zip), not a
password-protected or old binary file (an OLE container), and not a zip bomb."""
from __future__ import annotations

import zipfile
from pathlib import Path

from loaders.errors import LoadError

MAX_UNPACKED_BYTES = 500_000_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files (and old .doc/.xls) are OLE containers
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


def refuse_office_container(path: Path, what: str) -> None:
    """A .docx/.xlsx is a zip; an OLE container in its place is a password-protected file or an old format."""
    with path.open("rb") as handle:
        head = handle.read(len(_OLE_MAGIC))
    if head == _OLE_MAGIC:
        if _ENCRYPTED_MARK in path.read_bytes():
            raise LoadError(path, f"the {what} is password-protected (encrypted)",
                            hint="save a copy without a password and import that")
        raise LoadError(path, f"not a {what} in the current format (an old binary Office file?)",
                        hint="save it as " + path.suffix.lower())
    if not zipfile.is_zipfile(path):
        raise LoadError(path, f"not a readable {what} (the file is not an Office Open XML package)")
    with zipfile.ZipFile(path) as package:
        unpacked = sum(info.file_size for info in package.infolist())
    if unpacked > MAX_UNPACKED_BYTES:  # a zip bomb, or far more than any plan
        raise LoadError(path, f"the {what} unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB")
