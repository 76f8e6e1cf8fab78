"""Properties of the placeholder restore (tasks/documents/inline.py), for any segment of text,
atoms and nested spans and for any damage an engine can do to its placeholders."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tasks.documents.inline import Atom, InlineBuilder, Span, restore

WORDS = st.sampled_from(["简体", "word", " ", "a b", "x<1>y", "©", ""])


@st.composite
def segments(draw, depth: int = 0):  # noqa: ANN001, ANN201
    """(builder actions) as a tree: str, ("atom", n), ("span", n, children)."""
    count = draw(st.integers(0, 4))
    out = []
    for n in range(count):
        kind = draw(st.sampled_from(["text", "atom", "span"] if depth < 3 else ["text", "atom"]))
        if kind == "text":
            out.append(draw(WORDS))
        elif kind == "atom":
            out.append(("atom", f"a{depth}.{n}"))
        else:
            out.append(("span", f"s{depth}.{n}", draw(segments(depth + 1))))
    return out


def build(tree) -> InlineBuilder:  # noqa: ANN001
    builder = InlineBuilder()

    def walk(nodes) -> None:  # noqa: ANN001
        for node in nodes:
            if isinstance(node, str):
                builder.text(node)
            elif node[0] == "atom":
                builder.atom(node[1])
            else:
                builder.open(node[1])
                walk(node[2])
                builder.close()

    walk(tree)
    return builder


def atoms_in(nodes) -> list:  # noqa: ANN001
    out = []
    for node in nodes:
        if isinstance(node, Atom):
            out.append(node.payload)
        elif isinstance(node, Span):
            out.extend(atoms_in(node.children))
    return out


def plain(tree) -> str:  # noqa: ANN001
    return "".join(n if isinstance(n, str) else "" if n[0] == "atom" else plain(n[2]) for n in tree)


@given(segments())
def test_an_untouched_translation_restores_intact_with_every_piece_in_place(tree):
    inline = build(tree).build()
    restored = restore(inline.segment, inline)
    assert restored.intact and restored.text() == plain(tree)
    assert sorted(map(repr, atoms_in(restored.nodes))) == sorted(map(repr, inline.atoms.values()))


@given(segments(), st.data())
def test_whatever_the_engine_drops_or_repeats_no_atom_is_lost_or_doubled(tree, data):
    inline = build(tree).build()
    tokens = re.split(r"(</?\d+/?>)", inline.segment)
    damaged = []
    for token in tokens:
        if re.fullmatch(r"</?\d+/?>", token):
            damaged.extend([token] * data.draw(st.sampled_from([0, 1, 1, 2]), label=token))
        else:
            damaged.append(token)
    translation = "".join(damaged)
    restored = restore(translation, inline)
    assert sorted(map(repr, atoms_in(restored.nodes))) == sorted(map(repr, inline.atoms.values()))
    assert restored.intact == (translation == inline.segment)
