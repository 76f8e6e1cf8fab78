"""Excel (XLSX): string cells only — shared strings (plain and rich text) and inline strings.
Only those parts are rewritten; formulas, numbers, dates, styles, merged cells, charts and
shapes live in parts that are copied byte for byte (openpyxl's load-and-save would drop
charts and shapes)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy

from tasks.documents import ooxml, zipsafe
from tasks.documents.base import Output
from tasks.documents.office import GRAPHICS, OfficeDocument, OfficeHandler


class XlsxHandler(OfficeHandler):
    format = "xlsx"
    label = gettext_lazy("Excel workbook")
    extensions = ("xlsx", "xlsm")
    output = Output("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    kept = gettext_lazy("Sheets, cell formatting, formulas, numbers, charts and rich text.")
    main_types = ("spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml")

    def parse(self, data: bytes) -> OfficeDocument:
        archive, types = self.open(data)
        parts = [(name, ooxml.SHEET) for name in self.select(types, ("spreadsheetml.sharedStrings+xml",))]
        # Sheets are big and rarely hold inline strings: parse only those that do.
        for name in self.select(types, ("spreadsheetml.worksheet+xml",)):
            if b"inlineStr" in zipsafe.read_part(archive, name, label=self.label):
                parts.append((name, ooxml.SHEET_INLINE))
        parts += [(name, ooxml.DRAWING) for name in self.select(types, GRAPHICS)]
        return OfficeDocument(data, label=self.label, parts=parts)
