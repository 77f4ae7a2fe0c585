"""Deterministic zip packages: the same parts always give the same bytes.

Every package emutools writes — a workbook after ``rank``, the templates, the ``.xlsm``,
the Word documents — goes through here, so the zip entries share one fixed timestamp
(the zip epoch, as reproducible builds use) and no host-specific attributes.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from typing import BinaryIO

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed, so the same input gives the same bytes
# member name -> (content, CRC-32, deflated bytes): one entry per name, so memory stays bounded
Deflated = dict[str, tuple[bytes, int, bytes]]
ZIPFILE_ATTR = 0o600 << 16  # what zipfile records for a member given no attributes (rw-------)


def deterministic_zip(parts: Iterable[tuple[str, bytes]], deflated: Deflated | None = None) -> bytes:
    """A zip of ``parts`` in the order given, deflated, with fixed timestamps and attributes
    (the bytes ``zipfile`` writes for such members).  ``deflated`` remembers, per member
    name, the last content and its compressed bytes across calls: a batch of documents
    from one template shares most parts, which are then compressed once."""
    out = io.BytesIO()
    z = PackageZip(out, external_attr=ZIPFILE_ATTR)
    for name, data in parts:
        z.add(name, data, deflated)
    z.close()
    return out.getvalue()


def rezip(data: bytes) -> bytes:
    """The same zip package, made deterministic (entry order kept)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return deterministic_zip((info.filename, src.read(info.filename)) for info in src.infolist())


class PackageZip:
    """A minimal zip writer: new members deflated, copied members taken as stored bytes.

    zipfile cannot add a member's compressed bytes unchanged; doing it here keeps untouched
    parts bit-identical and spares recompressing them.  No zip64: the size limits on the
    source keep the package far below 4 GB.
    """

    def __init__(self, out: BinaryIO, external_attr: int = 0):
        self.out = out
        self.central: list[bytes] = []
        self.external_attr = external_attr  # of every member (a copied one's own is not kept either)

    def copy(self, info: zipfile.ZipInfo, data: bytes) -> None:
        """A member of another zip, ``data`` being its compressed bytes as stored there."""
        self._member(info.filename, info.compress_type, info.CRC, data, info.file_size,
                     info.date_time)

    def add(self, name: str, content: bytes, deflated: Deflated | None = None) -> None:
        """A new member, deflated as ``zipfile`` does (level 6, raw stream); ``deflated``:
        the last content of each name and its compression (see ``deterministic_zip``)."""
        known = deflated.get(name) if deflated is not None else None
        if known is None or known[0] != content:
            deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            known = (content, zlib.crc32(content), deflate.compress(content) + deflate.flush())
            if deflated is not None:
                deflated[name] = known
        _, crc, data = known
        self._member(name, zipfile.ZIP_DEFLATED, crc, data, len(content), ZIP_EPOCH)

    def _member(self, name: str, method: int, crc: int, data: bytes, size: int,
                date_time: tuple) -> None:
        encoded = name.encode("utf-8")
        offset = self.out.tell()
        if max(offset, len(data), size) > 0xFFFFFFFF or len(self.central) >= 0xFFFF:
            raise OSError("the workbook is too large to write")
        y, mo, d, h, mi, sec = date_time if date_time[0] >= 1980 else ZIP_EPOCH
        fields = struct.pack("<HHHHHIII", 20, 0x800 if not name.isascii() else 0, method,
                             h << 11 | mi << 5 | sec // 2, (y - 1980) << 9 | mo << 5 | d,
                             crc, len(data), size)
        self.out.write(b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded)
        self.out.write(data)
        self.central.append(b"PK\x01\x02" + struct.pack("<H", 20) + fields
                            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, self.external_attr, offset)
                            + encoded)

    def close(self) -> None:
        start = self.out.tell()
        for record in self.central:
            self.out.write(record)
        n = len(self.central)
        self.out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, n, n,
                                                   self.out.tell() - start, start, 0))
