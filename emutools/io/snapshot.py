"""The input snapshot in the workbook: a very hidden sheet of compressed text.

Each recalculation writes the snapshot of its inputs (:mod:`emutools.core.changes`) to the
sheet "Ảnh chụp số liệu" ("Input snapshot"), very hidden (not listed under Unhide; Excel
keeps it when it saves), so the next recalculation can say which cells changed.  A cell
holds at most 32,767 characters and a nation-wide workbook has millions of input cells, so
the snapshot is one compressed stream cut into cells, not a cell per cell:

* the stream is zlib-compressed; decompressed, it is a line of JSON (the header) then the
  parts' values as little-endian float64, part after part, row by row (NaN = not a number);
* the header: ``format`` (1), ``when`` (ISO time of the recalculation) and ``parts``, each
  with ``key``, ``sheet``, ``kind``, ``rows``/``cols`` (keys), ``row_at``/``col_at`` (sheet
  rows and columns), ``row_units``/``row_criteria`` and ``others``: the cells that are not
  numbers as ``[flat position, "s" text | "b" true/false | "d" ISO date | "t" other, text]``;
* the stream is base64 text in the "Dữ liệu" ("Data") column, 32,000 characters a row, in
  the order of the "Phần" ("Part") column.

docs/changes.md shows how to read it back in a few lines of Python.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import zlib

import numpy as np

from emutools import contract as C
from emutools.core.changes import InputPart, Snapshot, Value
from emutools.core.model import RawBook
from emutools.io.sheetdata import OutputSheet
from emutools.texts import say

FORMAT = 1
CHUNK = 32_000  # characters per cell (Excel's limit is 32,767)
LEVEL = 1  # zlib: the fastest level; the values are few distinct numbers and compress well anyway


def encode(snap: Snapshot) -> list[str]:
    """The snapshot as base64 text, cut into cells."""
    parts = list(snap.parts.values())
    header = {"format": FORMAT, "when": snap.when.isoformat(), "parts": [_header(p) for p in parts]}
    packer = zlib.compressobj(LEVEL)
    stream = [packer.compress(json.dumps(header, ensure_ascii=False).encode() + b"\n")]
    stream += [packer.compress(np.ascontiguousarray(p.numbers, dtype="<f8").tobytes()) for p in parts]
    stream.append(packer.flush())
    text = base64.b64encode(b"".join(stream)).decode("ascii")
    return [text[k:k + CHUNK] for k in range(0, len(text), CHUNK)]


def _header(p: InputPart) -> dict:
    return {"key": p.key, "sheet": p.sheet, "kind": p.kind, "rows": p.rows, "cols": p.cols,
            "row_at": p.row_at, "col_at": p.col_at, "row_units": p.row_units, "row_criteria": p.row_criteria,
            "others": [[k, *_tagged(v)] for k, v in p.others.items()]}


def _tagged(value: Value) -> tuple[str, str]:
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, dt.datetime):
        return "d", value.isoformat()
    return ("s", value) if isinstance(value, str) else ("t", str(value))


def _untagged(tag: str, text: str) -> Value:
    if tag == "b":
        return text == "1"
    if tag == "d":
        return dt.datetime.fromisoformat(text)
    return text


def decode(cells: list[str]) -> Snapshot:
    """The snapshot back from its cells; ValueError when they are not one emutools wrote."""
    try:
        data = zlib.decompress(base64.b64decode("".join(cells), validate=True))
        line, _, body = data.partition(b"\n")
        header = json.loads(line)
        if header.get("format") != FORMAT:
            raise ValueError(f"snapshot format {header.get('format')!r}")
        parts, at = {}, 0
        for p in header["parts"]:
            shape = (len(p["rows"]), len(p["cols"]))
            size = 8 * shape[0] * shape[1]
            numbers = np.frombuffer(body, dtype="<f8", count=shape[0] * shape[1], offset=at).reshape(shape)
            at += size
            others = {int(k): _untagged(tag, text) for k, tag, text in p["others"]}
            parts[p["key"]] = InputPart(p["key"], p["sheet"], p["kind"], p["rows"], p["cols"], p["row_at"],
                                        p["col_at"], numbers, others, p["row_units"], p["row_criteria"])
        if at != len(body):
            raise ValueError("snapshot length")
        return Snapshot(dt.datetime.fromisoformat(header["when"]), parts)
    except (binascii.Error, zlib.error, UnicodeDecodeError, KeyError, TypeError, AttributeError,
            IndexError) as exc:
        raise ValueError(f"not an emutools snapshot: {exc}") from exc


def previous_snapshot(raw: RawBook) -> tuple[Snapshot | None, bool]:
    """The snapshot the last recalculation left, and whether a stored one could not be read
    (edited by hand, or written by a newer emutools): either way, there is nothing to compare."""
    table = raw.tables.get("snapshot")
    if table is None or not len(table.data):
        return None, False
    try:
        cells = sorted((int(p), str(d)) for p, d in zip(table.data["part"], table.data["data"], strict=True))
        return decode([d for _, d in cells]), False
    except (ValueError, TypeError):
        return None, True


def snapshot_sheet(snap: Snapshot, lang: str, name: str | None = None) -> OutputSheet:
    """The very hidden sheet holding ``snap``."""
    spec = C.SNAPSHOT_TABLE
    rows = [[k, chunk] for k, chunk in enumerate(encode(snap), start=1)]
    return OutputSheet(name or C.SNAPSHOT_SHEET.name(lang), say("snapshot.title", lang),
                       say("snapshot.subtitle", lang), [c.header(lang) for c in spec.columns], rows,
                       spec.excel_name, [c.number_format for c in spec.columns], [c.width for c in spec.columns],
                       hidden=True, optional=True)
