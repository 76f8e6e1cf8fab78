"""PDF in, PDF out: each block of text is replaced where it stood by its translation, wrapped to
the block's width and shrunk until it fits the block's height, in a font that holds the target's
script (embedded as a subset of the characters used). Images, vector art, links and text that
is rotated or inside a form XObject are left exactly as they were.

Reading: the page's top-level text objects (PDFium) become pieces with their box, size and
colour; pieces on one baseline make a line, lines stacked at the line pitch of one size make a
block (a paragraph, a heading, a table cell). One block is one segment."""
from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass, field

from tasks.documents.pdf_fonts import Face, faces_for

_CJK_RANGE = "\u2e80-\u9fff\u3000-\u303f\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_CJK = re.compile(f"[{_CJK_RANGE}]")
# Wrapping units: one CJK character, or a word, each with the blanks after it.
_TOKENS = re.compile(f"[{_CJK_RANGE}][ \t]*|[^\\s{_CJK_RANGE}]+[ \t]*|\\s+")
_MIN_SIZE = 4.0  # points: below this a translation overflows its box rather than shrink further


@dataclass
class Piece:
    index: int  # position among the page's top-level objects
    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float
    color: tuple[int, int, int, int]
    style: str = ""  # "bold", "italic", "bold italic" or ""
    baseline: float = 0.0


@dataclass
class Block:
    page: int
    pieces: list[Piece] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    pitch: float = 0.0  # distance between the baselines of its lines (0: one line)
    column: float = 0.0  # the right edge of the lines that start where it starts: room to grow into
    line_spans: list[tuple[float, float]] = field(default_factory=list)  # (left, right) of each line
    page_width: float = 0.0
    cover: bool = False  # read by OCR from a page image: set on a white ground over what it covers

    @property
    def align(self) -> str:
        """"left", "center" or "right", from how its lines (or its one line, on the page) stand."""
        spans = self.line_spans
        if len(spans) >= 2:
            lefts, rights = [a for a, _ in spans], [b for _, b in spans]
            centers = [(a + b) / 2 for a, b in spans]
            if max(lefts) - min(lefts) <= 2:
                return "left"
            if max(centers) - min(centers) <= 2:
                return "center"
            if max(rights) - min(rights) <= 2:
                return "right"
            return "left"
        left, right = spans[0]
        margin = min(left, self.page_width - right)
        centered = abs((left + right) / 2 - self.page_width / 2) <= 3 and margin > 0.15 * self.page_width
        return "center" if centered else "left"

    @property
    def left(self) -> float:
        return min(p.left for p in self.pieces)

    @property
    def right(self) -> float:
        return max(p.right for p in self.pieces)

    @property
    def top(self) -> float:
        return max(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return min(p.bottom for p in self.pieces)

    @property
    def size(self) -> float:
        return max(p.size for p in self.pieces)

    @property
    def style(self) -> str:
        """The style of most of its characters."""
        weights: dict[str, int] = {}
        for p in self.pieces:
            weights[p.style] = weights.get(p.style, 0) + len(p.text)
        return max(weights, key=weights.__getitem__)

    @property
    def text(self) -> str:
        out = ""
        for line in self.lines:
            if not out:
                out = line
            elif out.endswith("-") and line[:1].islower():
                out = out[:-1] + line
            elif _CJK.match(out[-1]) and _CJK.match(line[0]):
                out += line
            else:
                out += " " + line
        return out


def _joined(text: str, before: Piece, after: Piece) -> str:
    """`text` (the line so far, ending with `before`) and the next piece of the line."""
    gap = after.left - before.right
    if text.endswith((" ", "\t")) or after.text.startswith((" ", "\t")) or gap < 0.15 * before.size or \
            (_CJK.match(text[-1]) and _CJK.match(after.text[0])):
        return text + after.text
    return text + " " + after.text


def _same_line(a: Piece, b: Piece) -> bool:
    overlap = min(a.top, b.top) - max(a.bottom, b.bottom)
    tallest = max(a.top - a.bottom, b.top - b.bottom, 0.1)
    return overlap >= 0.5 * min(a.top - a.bottom, b.top - b.bottom, tallest) and \
        -0.5 * a.size <= b.left - a.right <= 0.6 * max(a.size, b.size)


def _continues(block: Block, line: list[Piece]) -> bool:
    """Whether `line` is the next line of `block`: the same size, just below, overlapping it."""
    lowest = min(q.bottom for q in block.pieces)
    last = [p for p in block.pieces if p.bottom <= lowest + 0.5]
    size, line_size = block.size, max(p.size for p in line)
    if not 0.85 <= line_size / size <= 1.18:
        return False
    gap = min(p.bottom for p in last) - max(p.top for p in line)
    left, right = min(p.left for p in line), max(p.right for p in line)
    return -0.3 * size <= gap <= 0.9 * size and left < block.right and right > block.left and \
        abs(left - block.left) < 4 * size


def _style(obj) -> str:  # type: ignore[no-untyped-def]
    try:
        font = obj.get_font()
        name = font.get_base_name().lower()
        weight = font.get_weight()
    except Exception:  # noqa: BLE001 — a font PDFium cannot describe is set upright
        return ""
    bold = weight >= 600 or any(word in name for word in ("bold", "black", "heavy", "semibold"))
    italic = "italic" in name or "oblique" in name
    return " ".join(word for word, on in (("bold", bold), ("italic", italic)) if on)


def read_blocks(pdf, page_number: int) -> list[Block]:  # type: ignore[no-untyped-def]
    """The page's blocks of horizontal text, in content order."""
    import pypdfium2.raw as pdfium_c

    page = pdf[page_number]
    page_width = page.get_width()
    textpage = page.get_textpage()
    pieces: list[Piece] = []
    for index, obj in enumerate(page.get_objects(max_depth=1, textpage=textpage)):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        matrix = obj.get_matrix()
        if abs(matrix.b) > 1e-3 or abs(matrix.c) > 1e-3 or matrix.a <= 0 or matrix.d <= 0:
            continue  # rotated, mirrored or skewed text stays as it is
        try:
            text = obj.extract()
        except Exception:  # noqa: BLE001 — an object PDFium cannot read stays as it is
            continue
        if not any(ch.isalnum() for ch in text):
            continue  # bullets, symbols, emoji: kept where they are, in their own font
        left, bottom, right, top = obj.get_bounds()
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a)
        size = obj.get_font_size() * matrix.d
        pieces.append(Piece(index, text.replace("\r", "").replace("\n", " "), left, bottom, right, top, size,
                            (r.value, g.value, b.value, a.value), _style(obj), matrix.f))
    lines: list[list[Piece]] = []
    for piece in pieces:
        if lines and _same_line(lines[-1][-1], piece):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    blocks: list[Block] = []
    ended = True
    for line, (column, ends_paragraph) in zip(lines, _columns(lines)):
        text = line[0].text
        for before, after in zip(line, line[1:]):
            text = _joined(text, before, after)
        text = " ".join(text.split())
        if not text:
            continue
        if blocks and not ended and _continues(blocks[-1], line):
            block = blocks[-1]
            if block.pitch == 0:
                block.pitch = min(p.bottom for p in block.pieces) - min(p.bottom for p in line) or block.size * 1.2
            block.pieces += line
            block.line_spans.append((min(p.left for p in line), max(p.right for p in line)))
            block.lines.append(text)
        else:
            blocks.append(Block(page_number, list(line), [text], column=column, page_width=page_width,
                                line_spans=[(min(p.left for p in line), max(p.right for p in line))]))
        ended = ends_paragraph
    return blocks


def _columns(lines: list[list[Piece]]) -> list[tuple[float, bool]]:
    """For each line, the right edge of the lines that start where it starts (its column), and
    whether it ends its paragraph: it stops well short of that edge, as the last line of a
    paragraph does — so lines set one under another (a list, verse, an address) stay lines."""
    spans = [(min(p.left for p in line), max(p.right for p in line), max(p.size for p in line),
              min(p.bottom for p in line), max(p.top for p in line)) for line in lines]
    out = []
    for left, right, size, bottom, top in spans:
        column = max(r for lft, r, _, _, _ in spans if abs(lft - left) < 2 * size)
        ends = right < column - max(0.12 * (column - left), 3 * size)
        # Never into the text beside it (the next cell of a table row, a second column).
        beside = [lft for lft, _, _, b, t in spans if lft > right and min(t, top) - max(b, bottom) > 0]
        out.append((min([column, *(lft - 0.5 * size for lft in beside)]), ends))
    return out


def wrap(text: str, width: float, size: float, face: Face) -> list[str]:
    """`text` broken into lines no wider than `width` (a word wider than that gets a line of its own)."""
    lines: list[str] = []
    current, current_width = "", 0.0
    for token in _TOKENS.findall(" ".join(text.split())):
        word = token.rstrip()
        if current and current_width + face.width(word, size) > width:
            lines.append(current.rstrip())
            current, current_width = token, face.width(token, size)
        else:
            current += token
            current_width += face.width(token, size)
    if current.strip():
        lines.append(current.rstrip())
    return lines


def fit(block: Block, text: str, face: Face) -> tuple[float, float, list[str]]:
    """The size, line pitch and lines at which `text` fills the block without overflowing it."""
    width = max(block.right, block.column) - block.left
    ratio = (block.pitch / block.size) if block.pitch else 1.2
    # The height of its lines set solid (glyph bounds would make a line without descenders short).
    height = (len(block.lines) - 1) * block.size * ratio + block.size
    size = block.size
    while True:
        lines = wrap(text, width * 1.02, size, face)
        pitch = size * ratio
        fits = (len(lines) - 1) * pitch + size <= height * 1.04 and \
            all(face.width(line, size) <= width * 1.02 for line in lines)  # a word longer than the box
        if fits or size <= _MIN_SIZE:
            return size, pitch, lines
        size = max(_MIN_SIZE, size * 0.92)


def _set_text(obj, text: str) -> None:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_c

    encoded = (text + "\0").encode("utf-16-le")
    buffer = (ctypes.c_ushort * (len(encoded) // 2)).from_buffer_copy(encoded)
    pdfium_c.FPDFText_SetText(obj, buffer)


def render(data: bytes, blocks: list[Block], translations: list[str], target_lang: str) -> bytes:
    """The original PDF with each block's text objects replaced by its translation."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument(data)
    styles: dict[str, str] = {}
    for block, translation in zip(blocks, translations, strict=True):
        styles[block.style] = styles.get(block.style, "") + translation
    faces = faces_for(target_lang, styles)
    loaded = {id(face): _load_font(pdf, face) for face in faces.values()}
    fonts = {style: loaded[id(face)] for style, face in faces.items()}
    by_page: dict[int, list[tuple[Block, str]]] = {}
    for block, translation in zip(blocks, translations, strict=True):
        by_page.setdefault(block.page, []).append((block, translation))
    for page_number, placed in by_page.items():
        page = pdf[page_number]
        objects = list(page.get_objects(max_depth=1))
        for block, _translation in placed:
            for piece in block.pieces:
                if piece.index >= 0:
                    page.remove_obj(objects[piece.index])
                else:  # a line an image holds: hide it under the translation's ground
                    _cover(page, piece)
        for block, translation in placed:
            face, font = faces[block.style], fonts[block.style]
            size, pitch, lines = fit(block, translation, face)
            # The first line where the original's stood, its top kept when the size shrank.
            baseline = block.pieces[0].baseline + (block.size - size) * face.ascent_ratio
            r, g, b, a = block.pieces[0].color
            for line in lines:
                obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf, font, ctypes.c_float(size))
                _set_text(obj, line)
                pdfium_c.FPDFPageObj_SetFillColor(obj, r, g, b, a or 255)
                pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, _x(block, face.width(line, size)), baseline)
                pdfium_c.FPDFPage_InsertObject(page, obj)
                baseline -= pitch
        if not pdfium_c.FPDFPage_GenerateContent(page):
            raise RuntimeError("PDFium could not write the page's content")
    for font in loaded.values():
        pdfium_c.FPDFFont_Close(font)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def _cover(page, piece: Piece) -> None:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_c

    pad = 0.15 * piece.size
    rect = pdfium_c.FPDFPageObj_CreateNewRect(piece.left - pad, piece.bottom - pad, piece.right - piece.left + 2 * pad,
                                              piece.top - piece.bottom + 2 * pad)
    pdfium_c.FPDFPageObj_SetFillColor(rect, 255, 255, 255, 255)
    pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_WINDING, False)
    pdfium_c.FPDFPage_InsertObject(page, rect)


def _x(block: Block, width: float) -> float:
    """Where a line of `width` starts, aligned as the block's lines were."""
    align = block.align
    if align == "center":
        return (block.left + block.right) / 2 - width / 2
    if align == "right":
        return block.right - width
    return block.left


def _load_font(pdf, face: Face):  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_c

    data = face.subset_bytes
    font = pdfium_c.FPDFText_LoadFont(pdf, (ctypes.c_uint8 * len(data)).from_buffer_copy(data), len(data),
                                      pdfium_c.FPDF_FONT_TRUETYPE, True)
    if not font:
        raise RuntimeError(f"PDFium could not load the font {face.path}")
    return font


def interleave(original: bytes, translated: bytes) -> bytes:
    """The bilingual PDF: each original page followed by its translation."""
    import pypdfium2

    source, target = pypdfium2.PdfDocument(original), pypdfium2.PdfDocument(translated)
    out_pdf = pypdfium2.PdfDocument.new()
    for number in range(len(source)):
        out_pdf.import_pages(source, [number])
        out_pdf.import_pages(target, [number])
    out = io.BytesIO()
    out_pdf.save(out)
    for document in (out_pdf, source, target):
        document.close()
    return out.getvalue()
