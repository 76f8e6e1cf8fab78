"""Office Open XML paragraphs written back: the translation, restored onto its placeholder
tree (inline.py), becomes runs with copies of the original run properties; containers
(hyperlinks, tracked insertions) are refilled with runs of their own formatting; kept elements
are moved back (copied only in a bilingual second paragraph)."""
from __future__ import annotations

import copy
from typing import Any

from lxml import etree

from tasks.documents.inline import Atom, Literal, restore
from tasks.documents.ooxml import (
    STRICT,
    XML_SPACE,
    A,
    Analyser,
    Dialect,
    Group,
    Plan,
    dominant,
    local,
    paragraphs,
)


def _text_el(d: Dialect, value: str) -> Any:
    t = etree.Element(d.q("t"))
    t.text = value
    if d.ns not in (A, STRICT[A]) and value != value.strip():
        t.set(XML_SPACE, "preserve")
    return t


def _run(d: Dialect, props: Any, value: str) -> Any:
    run = etree.Element(d.q("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    run.append(_text_el(d, value))
    return run


def render(d: Dialect, plan: Plan, translation: str, *, duplicate: bool = False) -> tuple[list[Any], bool]:
    """The paragraph's new content children for `translation`, and whether the placeholders
    came back intact. With `duplicate`, originals are copied (a bilingual second paragraph) and
    only light atoms (tabs, breaks) are repeated. Text outside any span takes the base
    formatting; a container is refilled with runs of its own formatting."""
    restored = restore(translation, plan.inline)
    base_props = plan.base.props if plan.base else (plan.first.props if plan.first else None)

    def atom(value: Any, props: Any, out: list[Any]) -> None:
        if isinstance(value, Literal):
            out.append(_run(d, props, value.text))
            return
        if duplicate and not value.light:
            return
        elements = [copy.deepcopy(e) for e in value.elements] if duplicate else value.elements
        if value.text is not None:
            elements = [_text_el(d, value.text)]
        if value.wrap:
            run = etree.Element(d.q("r"))
            if value.props is not None:
                run.append(copy.deepcopy(value.props))
            run.extend(elements)
            out.append(run)
        else:
            out.extend(elements)

    def emit(nodes: list[Any], props: Any, out: list[Any]) -> None:
        for node in nodes:
            if isinstance(node, str):
                if node:
                    out.append(_run(d, props, node))
            elif isinstance(node, Atom):
                atom(node.payload, props, out)
            elif node.payload.container is None:
                emit(node.children, node.payload.props, out)
            else:
                out.append(_container(node.payload, node.children))

    def _container(group: Group, children: list[Any]) -> Any:
        shell = copy.deepcopy(group.container) if duplicate else group.container
        originals = list(group.container)
        consumed = {id(c) for c in group.consumed}
        at = None
        for original, mine in zip(originals, list(shell)):
            if id(original) in consumed:
                at = shell.index(mine) if at is None else at
                shell.remove(mine)
        inner_base = next((g.props for g in group.inner if isinstance(g, Group) and g.container is None
                           and g.key == dominant(group.inner)), base_props)
        content: list[Any] = []
        emit(children, inner_base, content)
        for offset, el in enumerate(content):
            shell.insert((at or 0) + offset, el)
        return shell

    out: list[Any] = []
    emit(restored.nodes, base_props, out)
    if plan.bare and len(out) == 1 and local(out[0]) == "r" and out[0].find(d.q("rPr")) is None:
        out = [out[0].find(d.q("t"))]
    return out, restored.intact


def replace_content(p: Any, plan: Plan, content: list[Any]) -> None:
    for child in list(p):
        p.remove(child)
    for child in (*plan.head, *plan.markers, *content, *plan.tail):
        p.append(child)


def _in_text_box(p: Any) -> bool:
    return any(local(a) == "txbxContent" for a in p.iterancestors())


def translate_part(root: Any, d: Dialect, translations: list[str], *, start: int = 0,
                   bilingual_style: str | None = None) -> tuple[int, int]:
    """Rewrite every paragraph of the part in place. Returns (segments used, fallbacks).

    With `bilingual_style` (WordprocessingML), a paragraph outside text boxes stays as it is
    and is followed by its translation in a new paragraph of that style."""
    analyser = Analyser(d)
    index, fallbacks = start, 0
    # One paragraph at a time (planning a paragraph never looks at a later one; a text box's
    # paragraphs move with their drawing and are still found in this list).
    for p in paragraphs(root, d):
        plan = analyser.plan(p)
        if plan is None:
            continue
        if bilingual_style and not _in_text_box(p):
            content, intact = render(d, plan, translations[index], duplicate=True)
            second = etree.Element(d.q("p"))
            ppr = etree.SubElement(second, d.q("pPr"))
            etree.SubElement(ppr, d.q("pStyle")).set(d.q("val"), bilingual_style)
            second.extend(content)
            p.addnext(second)
        else:
            content, intact = render(d, plan, translations[index])
            replace_content(p, plan, content)
        fallbacks += not intact
        index += 1
    return index - start, fallbacks
