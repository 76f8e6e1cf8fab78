"""SpreadsheetML strings by fragments. A 20,000-row sheet is megabytes of XML, but its strings
are small `<si>`/`<is>` elements that never nest. Parsing only those (and splicing them back)
keeps memory near the file's size; the rest of the part is not even parsed. Parts with prefixed
element names use the whole tree (tasks/documents/ooxml.py)."""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from tasks.documents.ooxml import PARSER, Analyser, Dialect
from tasks.documents.ooxml_render import render, replace_content


def fragments(data: bytes, d: Dialect) -> list[re.Match[bytes]] | None:
    if f'xmlns="{d.ns}"'.encode() not in data[:2048]:
        return None
    tag = d.paragraph.encode()
    return list(re.finditer(rb"<" + tag + rb">.*?</" + tag + rb">", data, re.DOTALL))


def _fragment(match: re.Match[bytes], d: Dialect) -> Any:
    body = match.group(0)
    head = len(d.paragraph) + 1
    return etree.fromstring(body[:head] + f' xmlns="{d.ns}"'.encode() + body[head:], PARSER)


def segments_of_fragments(matches: list[re.Match[bytes]], d: Dialect) -> list[str]:
    analyser = Analyser(d)
    out = []
    for match in matches:
        plan = analyser.plan(_fragment(match, d))
        if plan is not None:
            out.append(plan.inline.segment)
    return out


def translate_fragments(data: bytes, matches: list[re.Match[bytes]], d: Dialect, translations: list[str], *,
                        start: int = 0) -> tuple[bytes, int, int]:
    """The part with its string elements rewritten: (bytes, segments used, fallbacks)."""
    analyser = Analyser(d)
    declaration = f' xmlns="{d.ns}"'.encode()
    out: list[bytes] = []
    last, index, fallbacks = 0, start, 0
    for match in matches:
        p = _fragment(match, d)
        plan = analyser.plan(p)
        if plan is None:
            continue
        content, intact = render(d, plan, translations[index])
        replace_content(p, plan, content)
        fallbacks += not intact
        index += 1
        out.append(data[last:match.start()])
        out.append(etree.tostring(p, encoding="UTF-8").replace(declaration, b"", 1))
        last = match.end()
    out.append(data[last:])
    return b"".join(out), index - start, fallbacks
