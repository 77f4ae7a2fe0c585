"""Filling one Word template, safely: a sandbox for what a template may do, and limits on how
much it may make and how long and how much memory it may take.

Templates beside the workbook (``Mẫu văn bản/``) are user-editable files, so they are
treated as untrusted:

* docxtpl renders them with a jinja2 :class:`ImmutableSandboxedEnvironment` that raises on
  any unsafe attribute (``__class__``, ``__globals__``…) instead of quietly printing
  nothing, autoescapes values (a unit called "A & B <C>" cannot break the document XML) and
  strips characters XML forbids;
* a template whose XML is larger than :data:`MAX_TEMPLATE_XML` is refused before rendering
  (36 KB of zip can hold 10 MB of empty paragraphs, which docxtpl's clean-up takes minutes
  on); ``*`` and ``**`` that would make a text longer than :data:`MAX_TEXT` or a huge
  number are refused where they stand; a filled document larger than
  :data:`MAX_DOCUMENT_BYTES` is refused;
* and what no check can foresee (``{% for %}`` nested over ``range(100000)``, a
  ``center(10**9)`` filter) is stopped by rendering in ONE child process per batch of
  documents, killed after :func:`time_limit` seconds, with its address space capped at
  :data:`MEMORY_BYTES` above its start (``RLIMIT_AS``, Linux).  On Windows and macOS the
  wall-time limit and the size checks remain; in xlwings Lite (Pyodide), which has no
  processes, only the size checks.

The templates shipped in the package are part of the program, like its code, and are
rendered in this process: a batch of 500 letters costs no child and no copying.

Anything a template does wrong becomes a :class:`DocumentError` naming the template.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import re
import sys
import time
import zipfile
from pathlib import Path

from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from emutools.documents import context as ctx
from emutools.documents.errors import DocumentError
from emutools.io.package import oversized
from emutools.io.xlsx.zipwriter import Deflated, deterministic_zip

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MAX_TEMPLATE_XML = 4 * 1024**2  # bytes of one XML part of a template; the shipped ones are < 40 KB
MAX_TEXT = 1_000_000  # characters one expression may make; a whole annual report is ~100,000
MAX_POWER_BITS = 10_000  # a number ** beyond this many bits is not a document's business
MAX_DOCUMENT_BYTES = 64 * 1024**2  # uncompressed size of one filled document
SECONDS_PER_BATCH, SECONDS_PER_DOCUMENT = 60.0, 0.5  # a letter takes ~0.01 s: 50× margin and more
MEMORY_BYTES = 1024**3  # address space a rendering child may add to what it starts with
# A text run (or its opening tag) holding a character docxtpl's resolve_listing rewrites.
_LISTED = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]|<w:t [^>]*[\t\n\a\f]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class TemplateTooBig(Exception):
    """A template, or what it makes, beyond the limits above."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """A sandbox that refuses unsafe attributes loudly and compiles each template source once.

    Immutable, because one context serves several documents: a template calling
    ``ranking.pop()`` must not change what the next document shows.  jinja2's sandbox answers
    ``''.__class__`` with an undefined value that prints as nothing; raising instead tells the
    secretary the template is refused.  docxtpl calls ``from_string`` on every render with the
    same patched XML, so compiled templates are kept by source: rendering 500 letters compiles
    the template once.  ``*`` and ``**`` are checked before they run (intercepting them also
    stops jinja2 from folding ``'a' * 10**9`` while compiling).
    """

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, finalize=_xml_text)
        self._compiled: dict[str, object] = {}

    def unsafe_undefined(self, obj, attribute):
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe")

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(times, int) \
                        and len(sized) * times > MAX_TEXT:
                    raise TemplateTooBig(f"{len(sized)} × {times}")
        elif isinstance(left, int) and isinstance(right, int) \
                and right * max(abs(left), 1).bit_length() > MAX_POWER_BITS:
            raise TemplateTooBig(f"{left} ** {right}")
        return super().call_binop(context, operator, left, right)

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


def _xml_text(value: object) -> object:
    """Drop characters that XML 1.0 forbids (a pasted control character would make Word
    refuse the whole file)."""
    return _XML_ILLEGAL.sub("", value) if type(value) is str else value


class _Docx(DocxTemplate):
    """docxtpl with its tag clean-up (a dozen regular expressions over the whole XML)
    remembered per template: the same source always patches the same way."""

    def __init__(self, data: bytes, patched: dict[str, str]):
        super().__init__(io.BytesIO(data))
        self._patched = patched

    def patch_xml(self, src_xml: str) -> str:
        if src_xml not in self._patched:
            self._patched[src_xml] = super().patch_xml(src_xml)
        return self._patched[src_xml]

    def resolve_listing(self, xml: str) -> str:
        """docxtpl turns a tab, newline, page break or ``\a`` written into a text run into
        Word's own elements, with three nested regular expressions over every paragraph (a
        letter with a 120-criterion table spends a quarter of its time there).  A document
        whose runs hold none of these characters comes out unchanged, so it is returned as is."""
        return super().resolve_listing(xml) if _LISTED.search(xml) else xml


def _package_parts(package) -> list[tuple[str, bytes]]:
    """The document's zip members, in the order and with the bytes python-docx's
    ``PackageWriter`` saves them: content types, package relationships, then each part and
    its relationships.  Zipped once here (``deterministic_zip``) instead of saved by
    python-docx and then unzipped and zipped again for fixed timestamps — the same bytes,
    one compression instead of two."""
    for part in package.parts:
        part.before_marshal()
    parts = package.parts
    members = [(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob),
               (PACKAGE_URI.rels_uri.membername, package.rels.xml)]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    return members


def _stored(data: bytes) -> bytes:
    """The template's zip with its members stored uncompressed: each document opens it
    without inflating every part again (the template's bytes themselves are not changed)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for info in src.infolist():
                z.writestr(info, src.read(info.filename), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def _package_problem(data: bytes) -> str:
    """"bomb" for a zip bomb, "xml" for an XML part too big to render, "" otherwise (anything
    that is not a zip is refused later, by docx)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
    except zipfile.BadZipFile:
        return ""
    if oversized(infos):
        return "bomb"
    return "xml" if any(i.filename.endswith(".xml") and i.file_size > MAX_TEMPLATE_XML for i in infos) else ""


class Template:
    """One template file, read once and rendered any number of times."""

    def __init__(self, path: Path, data: bytes | None = None):
        self.path = path
        self.trusted = path.parent == PACKAGE_TEMPLATES
        try:
            self.data = path.read_bytes() if data is None else data
        except OSError as exc:
            raise DocumentError(f"Không đọc được mẫu văn bản “{path}”: {exc}",
                                f"Cannot read the template '{path}': {exc}") from exc
        problem = _package_problem(self.data)
        if problem == "bomb":
            raise DocumentError(f"Mẫu văn bản “{path.name}” quá lớn khi giải nén; emutools từ chối dùng.",
                                f"The template '{path.name}' expands to an oversized content; refused.")
        if problem == "xml":
            raise DocumentError(
                f"Mẫu văn bản “{path.name}” có phần nội dung trên {MAX_TEMPLATE_XML // 1024**2} MB khi giải "
                "nén (thường là hàng vạn đoạn trống); emutools từ chối dùng. Hãy xoá phần thừa hoặc dùng lại "
                "mẫu gốc.",
                f"The template '{path.name}' has a part over {MAX_TEMPLATE_XML // 1024**2} MB uncompressed "
                "(usually tens of thousands of empty paragraphs); refused. Remove the excess or go back "
                "to the original template.")
        self.env = _Sandbox()
        self._patched: dict[str, str] = {}
        self._opened: bytes | None = None  # the template stored uncompressed, made on first use
        self._deflated: Deflated = {}  # parts every document shares are compressed once

    def render(self, context: dict, when: dt.datetime) -> bytes:
        """The filled document as .docx bytes, with core properties dated ``when``."""
        try:
            if self._opened is None:
                self._opened = _stored(self.data)
            doc = _Docx(self._opened, self._patched)
            doc.init_docx()
        except Exception as exc:  # zip, XML or package errors: whatever the file is, it is not a .docx
            raise self._error(exc, loading=True) from exc
        try:
            doc.render(_with_images(doc, context), jinja_env=self.env)
            props = doc.docx.core_properties
            props.created = props.modified = when
            props.last_modified_by, props.revision = "emutools", 1
            doc.pre_processing()
            parts = _package_parts(doc.docx.part.package)
            size = sum(len(data) for _, data in parts)
            if size > MAX_DOCUMENT_BYTES:
                raise TemplateTooBig(f"{size:,} bytes")
        except Exception as exc:  # a user-edited template can fail in any way: explain, never crash
            raise self._error(exc) from exc
        return deterministic_zip(parts, self._deflated)

    def _error(self, exc: Exception, loading: bool = False) -> DocumentError:
        name = self.path.name
        if loading:
            return DocumentError(f"Mẫu văn bản “{name}” không phải tệp Word (.docx) dùng được: {exc}",
                                 f"Template '{name}' is not a usable Word (.docx) file: {exc}")
        if isinstance(exc, SecurityError):
            return DocumentError(
                f"Mẫu văn bản “{name}” bị từ chối: có lệnh truy cập không được phép ({exc}). "
                "emutools không thực hiện mẫu này; hãy xoá lệnh đó hoặc dùng lại mẫu gốc.",
                f"Template '{name}' refused: it tries an unsafe access ({exc}). emutools did not run it; "
                "remove that tag or go back to the original template.")
        if isinstance(exc, TemplateSyntaxError):
            near = " ".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())[:200]
            return DocumentError(
                f"Mẫu văn bản “{name}” có lỗi cú pháp: {exc.message}" + (f" (gần: “{near}”)" if near else ""),
                f"Template '{name}' has a syntax error: {exc.message}" + (f" (near: '{near}')" if near else ""))
        if isinstance(exc, (TemplateTooBig, MemoryError)):
            return _too_big(name)
        return DocumentError(f"Mẫu văn bản “{name}” không điền được: {exc}",
                             f"Template '{name}' could not be filled: {exc}")


def _too_big(name: str) -> DocumentError:
    return DocumentError(
        f"Mẫu văn bản “{name}” bị dừng: mẫu tạo ra nội dung quá lớn hoặc cần quá nhiều bộ nhớ "
        f"(giới hạn {MAX_DOCUMENT_BYTES // 1024**2} MB mỗi văn bản). Không tệp nào được ghi; hãy sửa "
        "mẫu hoặc dùng lại mẫu gốc.",
        f"Template '{name}' was stopped: it makes too large a content or needs too much memory "
        f"(limit {MAX_DOCUMENT_BYTES // 1024**2} MB per document). No file was written; fix the "
        "template or go back to the original.")


def _with_images(doc: DocxTemplate, context: dict) -> dict:
    """Pictures become InlineImages, which must belong to the document being rendered."""
    return {k: InlineImage(doc, io.BytesIO(v.png), width=Mm(v.width_mm)) if isinstance(v, ctx.Picture) else v
            for k, v in context.items()}


# --- a batch of documents: shipped templates here, user templates in one bounded child ---------


def time_limit(documents: int) -> float:
    """Wall seconds a child may take for ``documents`` documents."""
    return SECONDS_PER_BATCH + SECONDS_PER_DOCUMENT * documents


def render_all(jobs: list[tuple[Template, dict]], when: dt.datetime) -> list[bytes]:
    """The documents of ``(template, context)`` jobs, in order.

    Shipped templates render here; user templates all render in one child process under
    the limits (one child per batch: starting it costs ~20 ms on Linux, 1–2 s where it must re-import).
    """
    out: list[bytes | None] = [None] * len(jobs)
    untrusted = [k for k, (template, _) in enumerate(jobs) if not template.trusted]
    if untrusted and _can_isolate():
        made = _render_in_child([jobs[k] for k in untrusted], when)
        for k, data in zip(untrusted, made, strict=True):
            out[k] = data
    for k, (template, context) in enumerate(jobs):
        if out[k] is None:
            out[k] = template.render(context, when)
    return out


def _can_isolate() -> bool:
    return sys.platform != "emscripten"  # xlwings Lite (Pyodide) cannot start processes


def _render_in_child(jobs: list[tuple[Template, dict]], when: dt.datetime) -> list[bytes]:
    templates = list({id(t): t for t, _ in jobs}.values())
    index = {id(t): k for k, t in enumerate(templates)}
    method = "fork" if sys.platform.startswith("linux") else "spawn"  # fork: nothing to re-import
    mp = multiprocessing.get_context(method)
    receive, send = mp.Pipe(duplex=False)
    child = mp.Process(target=_child, daemon=True, args=(
        send, [(t.path, t.data) for t in templates], [(index[id(t)], c) for t, c in jobs], when,
        MEMORY_BYTES))
    child.start()
    send.close()
    deadline, current = time.monotonic() + time_limit(len(jobs)), templates[0].path.name
    try:
        while True:
            if not receive.poll(max(deadline - time.monotonic(), 0)):
                raise _stopped(current, time_limit(len(jobs)))
            try:
                kind, *payload = receive.recv()
            except EOFError:  # the child ended without a word
                raise _ended(current, child) from None
            if kind == "at":
                current = payload[0]
            elif kind == "error":
                raise DocumentError(*payload)
            else:
                return payload[0]
    finally:
        child.kill()
        child.join()
        receive.close()


def _ended(name: str, child) -> DocumentError:
    """A child killed by a signal ran out of memory (the cap makes lxml or the system's
    out-of-memory killer end it); one that exited could not even start (a broken install)."""
    child.join(5)
    if child.exitcode is None or child.exitcode < 0:
        return _too_big(name)
    return DocumentError(
        f"Không điền được mẫu văn bản “{name}”: tiến trình điền mẫu dừng với mã {child.exitcode}. "
        "Hãy cài lại emutools nếu lỗi lặp lại.",
        f"Template '{name}' could not be filled: the rendering process ended with code "
        f"{child.exitcode}. Reinstall emutools if this persists.")


def _stopped(name: str, seconds: float) -> DocumentError:
    return DocumentError(
        f"Mẫu văn bản “{name}” bị dừng sau {seconds:.0f} giây: mẫu chạy quá lâu (thường do vòng lặp "
        "lồng nhau rất lớn). Không tệp nào được ghi; hãy sửa mẫu hoặc dùng lại mẫu gốc.",
        f"Template '{name}' was stopped after {seconds:.0f} seconds: it runs too long (usually huge "
        "nested loops). No file was written; fix the template or go back to the original.")


def _child(send, templates: list[tuple[Path, bytes]], jobs: list[tuple[int, dict]],
           when: dt.datetime, memory: int) -> None:
    """Render in the child: report which template is at work, then the documents or the error."""
    _limit_memory(memory)
    try:
        made: dict[int, Template] = {}
        out = []
        for k, context in jobs:
            if k not in made:
                send.send(("at", templates[k][0].name))
                made[k] = Template(*templates[k])
            out.append(made[k].render(context, when))
        send.send(("done", out))
    except DocumentError as exc:
        send.send(("error", exc.message_vi, exc.message_en))
    except MemoryError:  # outside a render: sending the documents back
        refused = _too_big(templates[jobs[0][0]][0].name)
        send.send(("error", refused.message_vi, refused.message_en))
    finally:
        send.close()


def _limit_memory(extra: int) -> None:
    """Cap the address space at what the child has now plus ``extra`` (Linux: RLIMIT_AS is
    enforced there and /proc says what is in use; macOS does not enforce it, Windows has no
    rlimits — the wall-time limit covers those)."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            in_use = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (ImportError, OSError, StopIteration, ValueError):
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = in_use + extra if hard == resource.RLIM_INFINITY else min(in_use + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
