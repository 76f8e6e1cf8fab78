"""PowerPoint (PPTX): text frames, tables and grouped shapes on every slide, and the speaker
notes. Slide layouts and masters (placeholder prompts) are not content and stay as they are;
positions, sizes and animations are in untouched markup."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from tasks.documents import ooxml
from tasks.documents.base import Output
from tasks.documents.office import GRAPHICS, OfficeDocument, OfficeHandler


class PptxHandler(OfficeHandler):
    format = "pptx"
    label = gettext_lazy("PowerPoint presentation")
    extensions = ("pptx", "pptm")
    output = Output("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
    kept = gettext_lazy("Slides, layouts, run formatting, tables, charts, links and speaker notes.")
    main_types = ("presentationml.presentation.main+xml", "ms-powerpoint.presentation.macroEnabled.main+xml")

    def parse(self, data: bytes) -> OfficeDocument:
        _, types = self.open(data)
        names = self.select(types, ("presentationml.slide+xml",)) + self.select(types, ("presentationml.notesSlide+xml",))
        names += self.select(types, GRAPHICS)
        return OfficeDocument(data, label=self.label, parts=[(n, ooxml.DRAWING) for n in names])
