"""The package's relationship graph: which part points to which, and what goes with a sheet.

Parts are found as Open Packaging Conventions say: through ``_rels/*.rels`` parts, with
targets relative to their source part.
"""

from __future__ import annotations

import posixpath

from emutools.io.package import NS_PKG_RELS, NS_R
from emutools.io.xlsx.package_reader import SourcePackage
from emutools.io.xlsx.xmltext import XML_DECLARATION, attr

REL = NS_R + "/"  # relationship types are this namespace plus a name ("worksheet", "table" …)
R_ID = f"{{{NS_R}}}id"


def rels_of(part: str) -> str:
    """``xl/worksheets/sheet1.xml`` → ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _source_of(rels: str) -> str:
    """``xl/_rels/workbook.xml.rels`` → ``xl/workbook.xml``; ``_rels/.rels`` → the package ''."""
    folder, base = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])


def resolve_target(source: str, target: str) -> str:
    """The part a relationship of ``source`` points to (absolute or relative target)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative_target(source: str, target: str) -> str:
    """How a relationship of ``source`` names the part ``target``."""
    return posixpath.relpath(target, posixpath.dirname(source))


def _rel_graph(pkg: SourcePackage) -> dict[str, list[str]]:
    """Every part → the internal parts its relationships point to."""
    graph: dict[str, list[str]] = {}
    for name in pkg.names:
        if name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels":
            source = _source_of(name)
            graph[source] = [pkg.part(resolve_target(source, r.get("Target", "")))
                             for r in pkg.xml(name).iterchildren(f"{{{NS_PKG_RELS}}}Relationship")
                             if r.get("TargetMode") != "External"]
    return graph


def _reachable(graph: dict[str, list[str]], starts: set[str], blocked: set[str]) -> set[str]:
    seen, todo = set(starts), list(starts)
    while todo:
        part = todo.pop()
        if part in blocked:
            continue
        for target in graph.get(part, ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def owned_only_by(pkg: SourcePackage, sheets: set[str]) -> set[str]:
    """Parts reachable from ``sheets`` but from nothing else: they go with the old sheets.

    An image shared with another sheet's drawing, or a pivot cache the workbook also
    lists, stays.  The rels files of the removed parts go with them.
    """
    graph = _rel_graph(pkg)
    theirs = _reachable(graph, sheets, set()) - sheets
    kept = _reachable(graph, {""}, sheets)
    gone = {p for p in theirs - kept if p in pkg.names}
    return gone | {rels_of(p) for p in gone if rels_of(p) in pkg.names}


def rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    """A relationships part from (id, type without its namespace, target) triples."""
    items = "".join(f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{attr(target)}"/>'
                    for rid, kind, target in rels)
    return f'{XML_DECLARATION}<Relationships xmlns="{NS_PKG_RELS}">{items}</Relationships>'.encode()

