"""Makers for bench/documents.py: the formats users bring (issue #13), at sizes like the
Office cases: a 1,200-paragraph OpenDocument text, a 60-chapter EPUB, a 20,000-unit XLIFF and
20,000-key JSON and YAML catalogues. Each takes (lang, scale) and returns the file's bytes."""
from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape

Sentence = Callable[[random.Random, str, int], str]


def makers(sentence: Sentence) -> dict[str, Callable[[str, float], bytes]]:
    def make_odt(lang: str, scale: float) -> bytes:
        from odf import opendocument, style, text

        rng = random.Random(5)
        doc = opendocument.OpenDocumentText()
        bold = style.Style(name="B", family="text")
        bold.addElement(style.TextProperties(fontweight="bold"))
        doc.automaticstyles.addElement(bold)
        for _ in range(int(1200 * scale)):
            p = text.P(text=sentence(rng, lang, 18) + " ")
            p.addElement(text.Span(stylename=bold, text=sentence(rng, lang, 4)))
            p.addText(" " + sentence(rng, lang, 12))
            doc.text.addElement(p)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    def make_epub(lang: str, scale: float) -> bytes:
        rng = random.Random(6)
        chapters = max(int(60 * scale), 1)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            archive.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:'
                             'oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="c.opf" '
                             'media-type="application/oebps-package+xml"/></rootfiles></container>')
            items = "".join(f'<item id="c{i}" href="c{i}.xhtml" media-type="application/xhtml+xml"/>'
                            for i in range(chapters))
            spine = "".join(f'<itemref idref="c{i}"/>' for i in range(chapters))
            archive.writestr("c.opf", f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" '
                             f'version="2.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/'
                             f'1.1/"><dc:title>{sentence(rng, lang, 4)}</dc:title><dc:language>{lang}</dc:language>'
                             f'<dc:identifier id="id">bench</dc:identifier></metadata><manifest>{items}</manifest>'
                             f"<spine>{spine}</spine></package>")
            for i in range(chapters):
                body = "".join(f"<p>{sentence(rng, lang, 18)} <em>{sentence(rng, lang, 4)}</em></p>\n"
                               for _ in range(100))
                archive.writestr(f"c{i}.xhtml", f'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.'
                                 f'org/1999/xhtml" xml:lang="{lang}"><head><title>{i}</title></head><body>'
                                 f"<h1>{sentence(rng, lang, 5)}</h1>\n{body}</body></html>")
        return out.getvalue()

    def make_xliff(lang: str, scale: float) -> bytes:
        rng = random.Random(7)
        units = "".join(f'<trans-unit id="u{i}"><source>{escape(sentence(rng, lang, 8))} <g id="b{i}">'
                        f'{escape(sentence(rng, lang, 3))}</g><x id="x{i}"/> %d</source></trans-unit>\n'
                        for i in range(int(20000 * scale)))
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" '
                f'version="1.2"><file source-language="{lang}" datatype="plaintext" original="bench"><body>\n'
                f"{units}</body></file></xliff>\n").encode()

    def catalogue(lang: str, scale: float, seed: int) -> dict:
        rng = random.Random(seed)
        return {f"section{j // 100}": {f"key{i}": f"{sentence(rng, lang, 8)} {{count}}"
                                       for i in range(j, j + 100)} for j in range(0, int(20000 * scale), 100)}

    def make_json(lang: str, scale: float) -> bytes:
        return json.dumps(catalogue(lang, scale, 8), ensure_ascii=False, indent=2).encode()

    def make_yaml(lang: str, scale: float) -> bytes:
        lines = [f"{lang}:"]
        for section, keys in catalogue(lang, scale, 9).items():
            lines.append(f"  {section}:")
            lines += [f'    {key}: "{value}"' for key, value in keys.items()]
        return ("\n".join(lines) + "\n").encode()

    return {"odt": make_odt, "epub": make_epub, "xliff": make_xliff, "json": make_json, "yaml": make_yaml}
