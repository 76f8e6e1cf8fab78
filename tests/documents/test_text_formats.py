"""txt, Markdown, HTML, SRT/WebVTT and PO round trips with the real opencc engine: the text
changes, the structure (code, tags, entities, timings, placeholders, comments) does not."""
from __future__ import annotations

import codecs

import polib
import pytest

from tasks.documents import UnsupportedFormat, detect, get_handler
from tests.documents.files import opencc


def translate(name: str, data: bytes, encoding: str = "utf-8", **options) -> tuple[str, object]:
    document = detect(name, data).parse(data)
    return document.build(opencc(document.segments), **options).decode(encoding), document


@pytest.mark.parametrize("encoded, encoding", [
    ("简体中文，发展。\n第二行\n".encode(), "utf-8"),
    (codecs.BOM_UTF8 + "简体中文，发展。\n第二行\n".encode(), "utf-8-sig"),
    ("简体中文，发展。\n第二行\n".encode("utf-16"), "utf-16"),
    ("简体中文，发展。\n第二行\n".encode("gbk"), "gbk"),
    ("简体中文，发展。\n第二行\n".encode("gb18030"), "gb18030"),
], ids=["utf-8", "utf-8-bom", "utf-16-bom", "gbk", "gb18030"])
def test_text_in_each_encoding_comes_back_translated_in_that_encoding(encoded, encoding):
    out = detect("a.txt", encoded).parse(encoded)
    data = out.build(opencc(out.segments))
    assert data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE)) == (encoding in ("utf-8-sig", "utf-16"))
    assert data.decode(encoding) == "簡體中文，發展。\n第二行\n" and out.notes == []


def test_big5_text_is_read_as_big5_not_as_gb18030():
    text = "這是我們的文字，不會說錯。\r\n"
    assert translate("a.txt", text.encode("big5"), "big5")[0] == text  # already Traditional: unchanged


def test_text_bilingual_puts_each_translation_under_its_line():
    assert translate("a.txt", "简体\n\n发展\n".encode(), bilingual=True)[0] == "简体\n簡體\n\n发展\n發展\n"


MARKDOWN = """---
title: 简体元数据
---
# 简体标题

这是**粗体**和`代码简体`，见[链接简体](https://example.com/简体 "标题")。
第二行简体。

- 列表项简体
> 引用简体

```python
print("简体代码")
```

    缩进代码简体

| 表头简体 | 数字 |
|:---|---:|
| 单元格简体 | 1 |

<div>HTML 块简体</div>
"""


def test_markdown_translates_text_and_keeps_code_front_matter_urls_and_tables():
    out, document = translate("a.md", MARKDOWN.encode())
    assert document.fallbacks == 0
    expected = (MARKDOWN.replace("# 简体标题", "# 簡體標題")
                .replace("这是**粗体**和`代码简体`，见[链接简体]", "這是**粗體**和`代码简体`，見[鏈接簡體]")
                .replace("第二行简体。", "第二行簡體。").replace("列表项简体", "列表項簡體")
                .replace("> 引用简体", "> 引用簡體").replace("| 表头简体 |", "| 表頭簡體 |")
                .replace("| 数字 |", "| 數字 |").replace("| 单元格简体 |", "| 單元格簡體 |"))
    assert out == expected


def test_markdown_bilingual_keeps_the_source_and_adds_the_translation():
    out, _ = translate("a.md", "# 简体\n\n一段简体。\n".encode(), bilingual=True)
    assert out == "# 简体\n\n# 簡體\n\n一段简体。\n\n一段簡體。\n"


HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>简体标题</title>
<style>p::after { content: "简体"; }</style>
<script>var s = "简体 &amp; <b>";</script></head>
<body>
  <h1 class="x" data-k="简体">简体 &amp; 繁体</h1>
  <p>这是<b>粗体</b>和<a href="/简体" title="链接说明">链接</a>，<code>代码简体</code>。<br>
     第二行&nbsp;简体</p>
  <img src="a.png" alt="图片说明简体"><input placeholder="请输入简体">
  <!-- 注释简体 -->
  <pre>预格式简体</pre>
  <p translate="no">不翻译简体</p>
</body>
</html>
"""


def test_html_translates_text_and_attributes_and_keeps_everything_else_byte_for_byte():
    out, document = translate("a.html", HTML.encode(), target_lang="zh-Hant")
    assert document.fallbacks == 0
    assert out == (HTML.replace('lang="zh-CN"', 'lang="zh-Hant"').replace("<title>简体标题", "<title>簡體標題")
                   .replace(">简体 &amp; 繁体<", ">簡體 &amp; 繁體<")
                   .replace("这是<b>粗体</b>和", "這是<b>粗體</b>和")
                   .replace('title="链接说明">链接', 'title="鏈接說明">鏈接')
                   .replace("<br>\n     第二行&nbsp;简体", "<br> 第二行&nbsp;簡體")
                   .replace('alt="图片说明简体"', 'alt="圖片說明簡體"')
                   .replace('placeholder="请输入简体"', 'placeholder="請輸入簡體"'))


def test_html_in_a_legacy_charset_keeps_it():
    page = '<html><head><meta charset="gb18030"></head><body><p>简体</p></body></html>'
    out, _ = translate("a.htm", page.encode("gb18030"), "gb18030")
    assert out == '<html><head><meta charset="gb18030"></head><body><p>簡體</p></body></html>'


def test_html_bilingual_adds_the_translation_after_each_block():
    out, _ = translate("a.html", "<p>简体</p>".encode(), bilingual=True, target_lang="zh-Hant")
    assert out == '<p>简体<br><span class="zhiyi-translation" lang="zh-Hant">簡體</span></p>'


SRT = ("1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>简体字幕</i>\r\n第二行\r\n\r\n"
       "2\r\n00:00:03,000 --> 00:00:04,000\r\n{\\an8}发展\r\n")
VTT = ("WEBVTT - 简体标题\n\nNOTE 简体注释\n\nintro\n00:01.000 --> 00:02.000 align:start position:10%\n"
       "<v 讲者>简体字幕</v>\n\n00:03.000 --> 00:04.000\n发展 <00:03.500>联系\n")


def test_srt_cue_text_is_translated_and_indices_timings_and_tags_kept():
    out, _ = translate("a.srt", SRT.encode("gbk"), "gb18030")
    assert out == SRT.replace("简体字幕", "簡體字幕").replace("发展", "發展")


def test_vtt_cue_text_is_translated_and_header_notes_settings_kept():
    out, _ = translate("a.vtt", VTT.encode())
    assert out == VTT.replace("<v 讲者>简体字幕", "<v 讲者>簡體字幕").replace("发展 <00:03.500>联系", "發展 <00:03.500>聯繫")


PO = '''# Translation of ZhiYi.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. 开发者注释
#: app/views.py:10
#, python-format
msgid "%(count)s 个简体文件"
msgid_plural "%(count)s 个简体文件们"
msgstr[0] ""
msgstr[1] ""

#: app/views.py:20
msgid "欢迎 {name}"
msgstr ""
'''


def test_po_msgstr_is_filled_from_msgid_with_plurals_placeholders_and_comments_kept():
    out, document = translate("a.po", PO.encode(), target_lang="zh-Hant")
    assert document.segments[0] == "<1/> 个简体文件"
    po = polib.pofile(out)
    plural, simple = po[0], po[1]
    # Chinese has one plural form (CLDR): the header says so and the entry has one msgstr
    assert plural.msgstr_plural == {0: "%(count)s 個簡體文件們"}
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert plural.comment == "开发者注释" and plural.occurrences == [("app/views.py", "10")]
    assert "python-format" in plural.flags
    assert simple.msgstr == "歡迎 {name}"
    assert po.metadata["Language"] == "zh_Hant" and po.header == "Translation of ZhiYi."


@pytest.mark.parametrize("name, data", [
    ("a.docx", "纯文本".encode()),
    ("a.xlsx", b"%PDF-1.4 not a workbook"),
    ("a.pdf", b"PK\x03\x04 not a pdf"),
    ("a.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nsrt\n"),
    ("a.po", b"no entries here"),
])
def test_content_that_does_not_match_the_extension_is_unsupported(name, data):
    with pytest.raises(UnsupportedFormat):
        detect(name, data)


def test_every_handler_names_its_output():
    for fmt in ("txt", "md", "html", "docx", "xlsx", "pptx", "srt", "vtt", "po", "pdf"):
        handler = get_handler(fmt)
        assert handler.output.extension and handler.output.content_type
    pdf = get_handler("pdf")
    assert pdf.output.extension == "pdf" and [o.extension for o in pdf.outputs] == ["pdf", "docx"]
    assert "not preserved" in pdf.layout_note_for(pdf.output_for("docx"))


def test_a_format_registers_its_handler_and_extensions_are_not_shared():
    from tasks.documents import HANDLERS, register
    from tasks.documents.txt import TextHandler

    class Notes(TextHandler):
        format, extensions = "notes", ("notes",)

    try:
        register(Notes())
        assert detect("a.notes", "简体".encode()).format == "notes"
        with pytest.raises(ValueError, match="already have a handler"):
            register(type("Clash", (TextHandler,), {"format": "clash", "extensions": ("txt",)})())
    finally:
        HANDLERS.pop("notes", None)
