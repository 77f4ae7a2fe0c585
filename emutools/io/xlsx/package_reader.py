"""Reading the source workbook package safely: the zip, its parts, their stored bytes.

Nothing is trusted: duplicate or encrypted entries, zip bombs and XML with DTDs or
entities are refused (the file is then left untouched) before any part is used.
"""

from __future__ import annotations

import struct
import zipfile
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from emutools.io.package import oversized
from emutools.io.xlsx.errors import WorkbookWriteError, damaged

CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False)


class SourcePackage:
    """The source zip: parsed parts on demand, and compressed bytes for verbatim copies."""

    def __init__(self, source: BinaryIO, filename: str):
        self.source, self.filename = source, filename
        try:
            self.zip = zipfile.ZipFile(source)
        except zipfile.BadZipFile as exc:
            raise damaged(filename, "not a zip package") from exc
        self.infos = self.zip.infolist()
        self.names = [i.filename for i in self.infos]
        self._check()
        self.canonical = {n.casefold(): n for n in self.names}

    def _check(self) -> None:
        if len(set(self.names)) != len(self.names):
            raise damaged(self.filename, "duplicate zip entries")
        if WORKBOOK not in self.names:
            raise damaged(self.filename, f"no {WORKBOOK}")
        if any(i.flag_bits & 1 or i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
               for i in self.infos):
            raise damaged(self.filename, "encrypted or unusually compressed zip entries")
        if oversized(self.infos):
            raise WorkbookWriteError(
                f"Không ghi được vào tệp “{self.filename}”: tệp có phần nội dung quá lớn khi giải nén; "
                "emutools từ chối mở để bảo vệ máy. Tệp gốc không bị thay đổi.",
                f"Cannot write '{self.filename}': it expands to an oversized content; refused to "
                "protect the machine. The file was not changed.",
            )

    def part(self, target: str) -> str:
        """The zip name of a part, matched as OPC does: case-insensitively, %-decoded."""
        for candidate in (target, unquote(target)):
            if candidate.casefold() in self.canonical:
                return self.canonical[candidate.casefold()]
        return target

    def xml(self, name: str) -> etree._Element:
        """A part parsed without DTDs, entities or network access (entity bombs fail)."""
        try:
            root = etree.fromstring(self.zip.read(name), XML_PARSER)
        except etree.XMLSyntaxError as exc:
            raise damaged(self.filename, f"{name}: {exc}") from exc
        if root.getroottree().docinfo.internalDTD is not None:
            raise damaged(self.filename, f"{name} declares a DTD")
        return root

    def head(self, name: str, size: int = 16384) -> str:
        with self.zip.open(name) as f:
            return f.read(size).decode("utf-8", "replace")

    def compressed(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes exactly as stored, found after its local header."""
        self.source.seek(info.header_offset)
        header = self.source.read(30)
        if header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        self.source.seek(info.header_offset + 30 + name_len + extra_len)
        return self.source.read(info.compress_size)
