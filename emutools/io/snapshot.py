"""The input snapshot in the workbook: a very hidden sheet of compressed text.

Each recalculation writes the snapshot of its inputs (:mod:`emutools.core.changes`) to the
sheet "Ảnh chụp số liệu" ("Input snapshot"), very hidden (not listed under Unhide; Excel
keeps it when it saves), so the next recalculation can say which cells changed.  A cell
holds at most 32,767 characters and a nation-wide workbook has millions of input cells, so
the snapshot is one compressed stream cut into cells, not a cell per cell:

* the stream is zlib-compressed; decompressed, it is a line of JSON (the header) then the
  parts' values, part after part, row by row: a part whose numbers all have at most four
  decimals (``scale`` in its header, the usual score sheet) as little-endian int32 counts of
  10^-scale (-2^31 = blank or not a number) written byte plane by byte plane (every value's
  first byte, then every second byte…), any other part as little-endian float64 (NaN = blank);
* the header: ``format`` (1), ``when`` (ISO time of the recalculation) and ``parts``, each
  with ``key``, ``sheet``, ``kind``, ``rows``/``cols`` (keys), ``row_at``/``col_at`` (sheet
  rows and columns), ``row_units``/``row_criteria``, ``scale`` and ``others``: the cells that are not
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
LEVEL = 1  # zlib: the fastest level; packed scores compress well anyway
BLANK = -(2**31)  # a packed part's blank (or text) cell
SCALES = range(5)  # decimals a packed part may have: scores are typed with a few


def encode(snap: Snapshot) -> list[str]:
    """The snapshot as base64 text, cut into cells."""
    parts = list(snap.parts.values())
    packed = [_packed(p.numbers) for p in parts]
    header = {"format": FORMAT, "when": snap.when.isoformat(),
              "parts": [_header(p, scale) for p, (scale, _) in zip(parts, packed, strict=True)]}
    packer = zlib.compressobj(LEVEL)
    stream = [packer.compress(json.dumps(header, ensure_ascii=False).encode() + b"\n")]
    stream += [packer.compress(data) for _, data in packed]
    stream.append(packer.flush())
    text = base64.b64encode(b"".join(stream)).decode("ascii")
    return [text[k:k + CHUNK] for k in range(0, len(text), CHUNK)]


def _packed(numbers: np.ndarray) -> tuple[int | None, bytes]:
    """A part's values as bytes: when every number has at most a few decimals (scores do),
    as whole numbers of 10^-scale (int32, blank = BLANK) stored byte plane by byte plane (all
    first bytes, then all second bytes…: a third of float64's size once compressed); otherwise
    as float64 (scale None)."""
    flat = numbers.ravel()
    filled = ~np.isnan(flat)
    values = flat[filled]
    sample = values[:: max(1, len(values) // 4096)]
    scale = next((d for d in SCALES if _whole(sample, d) is not None), None)
    scaled = _whole(values, scale) if scale is not None else None
    if scaled is None:
        return None, np.ascontiguousarray(flat, dtype="<f8").tobytes()
    whole = np.full(flat.shape, BLANK, dtype="<i4")
    whole[filled] = scaled
    return scale, whole.view(np.uint8).reshape(-1, 4).T.tobytes()


def _whole(values: np.ndarray, scale: int) -> np.ndarray | None:
    """``values`` × 10^scale when each is a whole number that gives the value back exactly."""
    scaled = np.round(values * 10.0**scale)
    if np.abs(scaled).max(initial=0) < 2**31 - 1 and np.array_equal(scaled / 10.0**scale, values):
        return scaled
    return None


def _header(p: InputPart, scale: int | None) -> dict:
    return {"key": p.key, "sheet": p.sheet, "kind": p.kind, "rows": p.rows, "cols": p.cols,
            "row_at": p.row_at, "col_at": p.col_at, "row_units": p.row_units, "row_criteria": p.row_criteria,
            "scale": scale, "others": [[k, "s", v] if type(v) is str else [k, *_tagged(v)]  # text: most
                                       for k, v in p.others.items()]}


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
        at = data.index(b"\n") + 1
        header = json.loads(data[:at])
        if header.get("format") != FORMAT:
            raise ValueError(f"snapshot format {header.get('format')!r}")
        parts = {}
        for p in header["parts"]:
            shape = (len(p["rows"]), len(p["cols"]))
            numbers, at = _unpacked(data, at, shape, p["scale"])
            others = {int(k): text if tag == "s" else _untagged(tag, text) for k, tag, text in p["others"]}
            parts[p["key"]] = InputPart(p["key"], p["sheet"], p["kind"], p["rows"], p["cols"], p["row_at"],
                                        p["col_at"], numbers, others, p["row_units"], p["row_criteria"])
        if at != len(data):
            raise ValueError("snapshot length")
        return Snapshot(dt.datetime.fromisoformat(header["when"]), parts)
    except (binascii.Error, zlib.error, UnicodeDecodeError, KeyError, TypeError, AttributeError,
            IndexError) as exc:
        raise ValueError(f"not an emutools snapshot: {exc}") from exc


def _unpacked(data: bytes, at: int, shape: tuple[int, int], scale: int | None) -> tuple[np.ndarray, int]:
    """One part's values from ``data`` at ``at`` (see :func:`_packed`), and where the next starts."""
    n = shape[0] * shape[1]
    if scale is None:
        return np.frombuffer(data, dtype="<f8", count=n, offset=at).reshape(shape), at + 8 * n
    planes = np.frombuffer(data, dtype=np.uint8, count=4 * n, offset=at).reshape(4, n)
    whole = planes.T.copy().view("<i4").ravel()
    numbers = whole / 10.0**scale
    numbers[whole == BLANK] = np.nan
    return numbers.reshape(shape), at + 4 * n


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
