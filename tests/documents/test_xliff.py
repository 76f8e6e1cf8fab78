"""XLIFF 1.2, Trados .sdlxliff and XLIFF 2.0 with the real opencc engine: targets filled from
sources and marked translated, inline codes kept, translate="no" skipped, notes untouched; the
outputs validate against the OASIS schemas (tests/corpus: Debian's php-symfony-translation)."""
from __future__ import annotations

import pytest
from lxml import etree

from tasks.documents import DocumentError, detect
from tests.corpus.judges import xliff_schema_errors
from tests.documents.files import opencc

X1 = "{urn:oasis:names:tc:xliff:document:1.2}"
X2 = "{urn:oasis:names:tc:xliff:document:2.0}"

XLIFF_1_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file source-language="zh-CN" datatype="plaintext" original="app.txt">
    <header><skl><external-file href="app.skl"/></skl></header>
    <body>
      <trans-unit id="1">
        <source>简体<g id="b1">粗体发展</g>和<x id="img"/>图片<bx id="s"/>开始<ex id="s"/>，%d 个</source>
        <note>给译者的简体说明</note>
      </trans-unit>
      <trans-unit id="2" translate="no">
        <source>不要翻译简体</source>
      </trans-unit>
      <group id="g" translate="no">
        <trans-unit id="3"><source>组里不翻译简体</source></trans-unit>
      </group>
      <trans-unit id="4">
        <source>代码 <ph id="p">&lt;br/&gt;</ph> 和 <mrk mtype="protected">简体保护</mrk></source>
        <target state="new">旧的</target>
      </trans-unit>
      <trans-unit id="5"><source><x id="only"/></source></trans-unit>
    </body>
  </file>
</xliff>
"""


def build(name: str, data: bytes, target_lang: str = "zh-Hant") -> tuple[etree._Element, object, bytes]:
    document = detect(name, data).parse(data)
    out = document.build(opencc(document.segments), target_lang=target_lang)
    return etree.fromstring(out), document, out


def test_xliff_1_2_targets_are_translated_with_their_inline_codes_and_validate():
    assert xliff_schema_errors(XLIFF_1_2.encode()) == []
    root, document, out = build("app.xlf", XLIFF_1_2.encode())
    assert document.segments == ["简体<1>粗体发展</1>和<2/>图片<3/>开始<4/>，<5/> 个", "代码 <1/> 和 <2/>"]
    units = {u.get("id"): u for u in root.iter(f"{X1}trans-unit")}
    target = units["1"].find(f"{X1}target")
    assert target.get("state") == "translated"
    assert etree.tostring(target, encoding=str, with_tail=False).split(">", 1)[1] == (
        '簡體<g id="b1">粗體發展</g>和<x id="img"/>圖片<bx id="s"/>開始<ex id="s"/>，%d 個</target>')
    assert units["1"].find(f"{X1}note").text == "给译者的简体说明"  # notes untouched
    assert units["2"].find(f"{X1}target") is None and units["3"].find(f"{X1}target") is None
    four = etree.tostring(units["4"].find(f"{X1}target"), encoding=str, with_tail=False)
    assert '代碼 <ph id="p">&lt;br/&gt;</ph> 和 <mrk mtype="protected">简体保护</mrk>' in four
    assert units["5"].find(f"{X1}target")[0].get("id") == "only"  # codes only: the source copied
    assert root.find(f"{X1}file").get("target-language") == "zh-Hant"
    assert b'<skl><external-file href="app.skl"/></skl>' in out
    assert xliff_schema_errors(out) == []
    assert out.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<xliff')


SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="a.docx" source-language="zh-CN" target-language="zh-TW" datatype="x-sdlfilterframework2">
    <body>
      <trans-unit id="u1">
        <source>简体一。简体二。</source>
        <seg-source><mrk mtype="seg" mid="1">简体一。</mrk><mrk mtype="seg" mid="2">简体二。</mrk></seg-source>
        <sdl:seg-defs><sdl:seg id="1"/><sdl:seg id="2"/></sdl:seg-defs>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_a_trados_file_gets_a_target_with_the_same_segments():
    root, document, out = build("a.sdlxliff", SDLXLIFF.encode())
    assert document.segments == ["简体一。", "简体二。"]
    target = root.find(f".//{X1}target")
    assert [(m.get("mid"), m.text) for m in target] == [("1", "簡體一。"), ("2", "簡體二。")]
    assert b"<sdl:seg-defs>" in out and root.find(f".//{X1}seg-source")[0].text == "简体一。"


XLIFF_2_0 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN">
  <file id="f1">
    <notes><note id="n1">简体说明</note></notes>
    <unit id="u1">
      <originalData>
        <data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data><data id="d3">&lt;br/&gt;</data>
      </originalData>
      <segment id="s1">
        <source>简体<pc id="p1" dataRefStart="d1" dataRefEnd="d2">粗体</pc><ph id="ph1" dataRef="d3"/>发展<mrk
          id="m1" translate="no">不译简体</mrk></source>
      </segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2"><source>第二句<sc id="c1" dataRef="d1"/>简体<ec startRef="c1" dataRef="d2"/></source></segment>
    </unit>
    <unit id="u2" translate="no"><segment><source>不翻译的简体</source></segment></unit>
  </file>
</xliff>
"""


def test_xliff_2_segments_are_translated_marked_and_validate():
    assert xliff_schema_errors(XLIFF_2_0.encode()) == []
    root, document, out = build("a.xliff", XLIFF_2_0.encode())
    assert document.segments == ["简体<1>粗体</1><2/>发展<3/>", "第二句<1/>简体<2/>"]
    assert root.get("trgLang") == "zh-Hant"
    first, second, untranslated = root.iter(f"{X2}segment")
    assert first.get("state") == second.get("state") == "translated" and untranslated.get("state") is None
    assert etree.tostring(first.find(f"{X2}target"), encoding=str, with_tail=False) == (
        '<target xmlns="urn:oasis:names:tc:xliff:document:2.0">簡體<pc id="p1" dataRefStart="d1" dataRefEnd="d2">'
        '粗體</pc><ph id="ph1" dataRef="d3"/>發展<mrk id="m1" translate="no">不译简体</mrk></target>')
    assert second.find(f"{X2}target").text == "第二句"
    assert root.find(f".//{X2}unit[@id='u2']//{X2}target") is None
    assert root.find(f".//{X2}note").text == "简体说明"
    assert xliff_schema_errors(out) == []


def test_a_broken_target_state_would_fail_the_schema():
    _root, _document, out = build("app.xlf", XLIFF_1_2.encode())
    assert xliff_schema_errors(out.replace(b'state="translated"', b'state="done"', 1))


@pytest.mark.parametrize("data", [b"<xliff version='1.2'><file>", b"<resources/>",
                                  b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff/>'])
def test_damaged_or_foreign_xliff_is_refused_as_corrupt(data):
    with pytest.raises(DocumentError) as refused:
        detect("a.xlf", data).parse(data)
    assert refused.value.code in ("corrupt_document", "unsupported_format")
