"""Text put back into an lxml tree: after the last child (its tail) or, with none, the element's text."""
from __future__ import annotations

from lxml import etree


def append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
