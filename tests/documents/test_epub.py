"""EPUB 2 and 3 built here and from the corpus, translated: chapters through the HTML handler,
navigation and NCX labels, title and description; the language set to the target; the archive
rebuilt with `mimetype` first and stored; checked by epubcheck (the W3C checker, Debian's
`epubcheck`) where it is installed, and structurally always."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from tasks.documents import DocumentError, detect
from tests.corpus.files import corpus_file
from tests.corpus.judges import epub_structure, judge_epub
from tests.documents.files import opencc

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id" xml:lang="zh-CN">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title>简体书名</dc:title>
    <dc:creator>作者简体</dc:creator>
    <dc:description>这本书的简体说明 &amp; 发展</dc:description>
    <dc:language>zh-CN</dc:language>
    <dc:identifier id="id">urn:uuid:0b7e0b62-0000-4000-8000-000000000000</dc:identifier>
  </metadata>
  <manifest>
    <item id="c1" href="chapter1.xhtml" media-type="application/xhtml+xml"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine toc="ncx"><itemref idref="c1"/></spine>
</package>"""
NCX = """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="zh-CN">
  <head><meta name="dtb:uid" content="urn:uuid:0b7e0b62-0000-4000-8000-000000000000"/></head>
  <docTitle><text>简体书名</text></docTitle>
  <docAuthor><text>作者简体</text></docAuthor>
  <navMap><navPoint id="p1" playOrder="1"><navLabel><text>第一章 简体</text></navLabel>
    <content src="chapter1.xhtml"/></navPoint></navMap>
</ncx>"""
CHAPTER = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="zh-CN">
<head><title>第一章 简体</title><link rel="stylesheet" href="style.css" type="text/css"/></head>
<body><h1>第一章 简体</h1><p>简体<b>粗体发展</b>和<a href="#n">链接</a>。&#160;后面</p>
<pre>代码简体</pre></body>
</html>"""


def make_epub(*, mimetype_last: bool = False, encryption: str | None = None, opf: str = OPF) -> bytes:
    out = io.BytesIO()
    parts = [("META-INF/container.xml", CONTAINER), ("OEBPS/content.opf", opf), ("OEBPS/toc.ncx", NCX),
             ("OEBPS/chapter1.xhtml", CHAPTER), ("OEBPS/style.css", "p { margin: 0 }")]
    if encryption:
        parts.append(("META-INF/encryption.xml", f'<encryption><EncryptionMethod Algorithm="{encryption}"/>'
                                                  "</encryption>"))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if not mimetype_last:
            archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for name, text in parts:
            archive.writestr(name, text)
        if mimetype_last:
            archive.writestr("mimetype", "application/epub+zip")
    return out.getvalue()


def test_an_epub_2_comes_back_translated_with_its_language_and_a_valid_archive():
    data = make_epub(mimetype_last=True)
    document = detect("书.epub", data).parse(data)
    out = document.build(opencc(document.segments), target_lang="zh-Hant")
    assert epub_structure(out) == [] and judge_epub(data, out) == []
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        chapter = archive.read("OEBPS/chapter1.xhtml").decode()
        opf, ncx = archive.read("OEBPS/content.opf").decode(), archive.read("OEBPS/toc.ncx").decode()
        assert archive.read("OEBPS/style.css") == b"p { margin: 0 }"
    assert '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="zh-Hant">' in chapter  # no `lang` in XHTML 1.1
    assert "<h1>第一章 簡體</h1><p>簡體<b>粗體發展</b>和<a href=\"#n\">鏈接</a>。&#160;後面</p>" in chapter
    assert "<pre>代码简体</pre>" in chapter
    assert "<dc:title>簡體書名</dc:title>" in opf and "<dc:creator>作者简体</dc:creator>" in opf
    assert "<dc:description>這本書的簡體說明 &amp; 發展</dc:description>" in opf
    assert "<dc:language>zh-Hant</dc:language>" in opf and 'xml:lang="zh-Hant"' in opf
    assert "<text>第一章 簡體</text>" in ncx and "<docTitle><text>簡體書名</text>" in ncx
    assert "<docAuthor><text>作者简体</text>" in ncx and 'xml:lang="zh-Hant"' in ncx
    etree.fromstring(chapter.encode())


def test_drm_is_refused_font_obfuscation_is_not():
    data = make_epub(encryption="http://www.w3.org/2001/04/xmlenc#aes128-cbc")
    with pytest.raises(DocumentError) as refused:
        detect("a.epub", data).parse(data)
    assert refused.value.code == "encrypted_document"
    font_only = make_epub(encryption="http://www.idpf.org/2008/embedding")
    assert detect("a.epub", font_only).parse(font_only).segments


def test_a_spine_pointing_at_nothing_is_refused_as_damaged():
    data = make_epub(opf=OPF.replace('<itemref idref="c1"/>', '<itemref idref="gone"/>'))
    with pytest.raises(DocumentError) as refused:
        detect("a.epub", data).parse(data)
    assert refused.value.code in ("corrupt_document", "unsupported_format")


def _epubcheck(data: bytes, tmp_path) -> subprocess.CompletedProcess:  # noqa: ANN001
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    return subprocess.run(["java", "-jar", shutil.which("epubcheck"), "-q", str(path)], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.skipif(not (shutil.which("epubcheck") and shutil.which("java")),
                    reason="epubcheck (Debian package) is not installed")
def test_the_idpf_sample_translated_still_passes_epubcheck(tmp_path):
    data = corpus_file("epub3-idpf-childrens").read_bytes()
    document = detect("book.epub", data).parse(data)
    # What an engine may write: non-ASCII letters, a no-break space, markup-like text.
    out = document.build([s.replace("e", "é").replace("a", "a\xa0<&", 1) for s in document.segments],
                         target_lang="es")
    check = _epubcheck(out, tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert b'lang="es"' in archive.read("EPUB/s04.xhtml")[:2000]
