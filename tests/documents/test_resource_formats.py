"""JSON, YAML, Android strings.xml, Apple .strings and Java .properties with the real opencc
engine: values change, keys, comments and placeholders do not; damaged files are refused with
a code and cost nothing."""
from __future__ import annotations

import json

import pytest
import yaml
from lxml import etree

from tasks.documents import DocumentError, detect
from tasks.documents.resource import protect
from tasks.models import ProcessingTask
from tests.documents.files import opencc
from tests.helpers import upload


def translate(name: str, data: bytes, encoding: str = "utf-8", **options) -> tuple[str, object]:
    document = detect(name, data).parse(data)
    return document.build(opencc(document.segments), **options).decode(encoding), document


def test_icu_plural_skeletons_and_arguments_are_atoms_only_the_words_are_text():
    inline = protect("{count, plural, one {# 个文件在{place}} other {# 个文件}}，发展")
    assert inline.segment == "<1/> 个文件在<2/> 个文件<3/>，发展"
    assert inline.atoms == {1: "{count, plural, one {#", 2: "{place}} other {#", 3: "}}"}
    assert protect("{broken, plural, one {没有结尾").segment == "{broken, plural, one {没有结尾"
    assert protect("%1$s 和 %d、%@、%{name}、{{count}}、$USER$、{0}").atoms == {
        1: "%1$s", 2: "%d", 3: "%@", 4: "%{name}", 5: "{{count}}", 6: "$USER$", 7: "{0}"}


def test_json_values_are_translated_keys_and_layout_are_not():
    source = ('{\n  "locale": "zh",\n  "简体键": {"标题": "简体标题", "n": 3, "ok": true},\n'
              '  "files": "{count, plural, one {# 个简体文件} other {# 个简体文件}}",\n  "list": ["发展", "$1"]\n}\n')
    out, document = translate("a.json", source.encode(), target_lang="zh-Hant")
    assert out == ('{\n  "locale": "zh-Hant",\n  "简体键": {"标题": "簡體標題", "n": 3, "ok": true},\n'
                   '  "files": "{count, plural, one {# 個簡體文件} other {# 個簡體文件}}",\n  "list": ["發展", "$1"]\n}\n')
    assert document.fallbacks == 0


def test_a_webextension_catalogue_translates_only_its_messages():
    source = {"hello": {"message": "你好 $USER$", "description": "简体说明",
                        "placeholders": {"user": {"content": "$1", "example": "简体例子"}}}}
    out, _ = translate("messages.json", json.dumps(source, ensure_ascii=False, indent=2).encode())
    assert json.loads(out) == {"hello": {**source["hello"], "message": "你好 $USER$"}}  # already Traditional
    out, _ = translate("messages.json", json.dumps({"a": {"message": "简体"}}).encode())
    assert json.loads(out) == {"a": {"message": "簡體"}}


YAML = """# 简体注释
zh-CN:
  greeting: &hi "简体问候"   # 行尾注释
  again: *hi
  invalid: "无效的 %{authentication_keys} 或密码。"
  count:
    one: '%{count} 个简体项'
  block: |
    第一行简体
    第二行简体
  cities: [上海, 发展]
  n: 3
"""


def test_yaml_keeps_comments_anchors_and_quoting_and_renames_the_locale_root():
    out, document = translate("zh-CN.yml", YAML.encode(), target_lang="zh-Hant")
    assert out == """# 简体注释
zh-Hant:
  greeting: &hi "簡體問候"   # 行尾注释
  again: *hi
  invalid: "無效的 %{authentication_keys} 或密碼。"
  count:
    one: '%{count} 個簡體項'
  block: |
    第一行簡體
    第二行簡體
  cities: [上海, 發展]
  n: 3
"""
    assert len(document.segments) == 6  # the anchored value once
    assert yaml.safe_load(out)["zh-Hant"]["again"] == "簡體問候"


def test_a_yaml_alias_bomb_is_read_once_per_node():
    lines = ["a0: &a0 [简体, 发展]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    document = detect("bomb.yaml", "\n".join(lines).encode()).parse("\n".join(lines).encode())
    assert document.segments == ["简体", "发展"]


ANDROID = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE resources [
    <!ENTITY nbsp "&#160;"> <!-- non-breaking space -->
]>
<resources xmlns:xliff="urn:oasis:names:tc:xliff:document:1.2">
    <!-- 注释 -->
    <string name="app" translatable="false">简体应用</string>
    <string name="hello">你好，<b>简体</b> %1$s\\n下一行</string>
    <string name="code">输入 <xliff:g id="code">简体代码</xliff:g> 继续</string>
    <string name="ref">@string/app</string>
    <string name="html"><![CDATA[<b>发展：</b><br>%2$s]]></string>
    <plurals name="files">
        <item quantity="other">&nbsp;%d 个简体文件</item>
    </plurals>
    <string-array name="colors"><item>红色</item><item>蓝色</item></string-array>
</resources>
"""


def test_android_strings_skip_untranslatable_entries_and_keep_markup():
    out, document = translate("strings.xml", ANDROID.encode())
    assert out.startswith(ANDROID[:ANDROID.index("<resources")])  # declaration and DOCTYPE as they were
    assert '<string name="app" translatable="false">简体应用</string>' in out
    assert '<string name="hello">你好，<b>簡體</b> %1$s\\n下一行</string>' in out
    assert '<xliff:g id="code">简体代码</xliff:g>' in out and "<!-- 注释 -->" in out
    assert '<string name="ref">@string/app</string>' in out
    assert "<![CDATA[<b>發展：</b><br>%2$s]]>" in out
    assert "&nbsp;%d 個簡體文件" in out and "<item>紅色</item>" in out
    assert len(document.segments) == 6 and document.fallbacks == 0
    etree.fromstring(out.encode(), etree.XMLParser(resolve_entities=False))


def test_android_apostrophes_and_quotes_in_a_translation_are_escaped():
    data = b'<resources><string name="a">Don\\\'t say \\"hi\\"</string></resources>'
    document = detect("strings.xml", data).parse(data)
    assert document.segments == ["Don't say \"hi\""]
    assert b"<string name=\"a\">L\\'\\\"ami\\\"</string>" in document.build(["L'\"ami\""])


def test_apple_strings_keep_keys_comments_and_escapes():
    source = '/* 注释 */\n"简体键" = "简体\\"值\\"\\n%@";\nBareKey =\t"发展";\n'
    out, document = translate("Localizable.strings", source.encode("utf-16"), "utf-16")
    assert out == '/* 注释 */\n"简体键" = "簡體\\"值\\"\\n%@";\nBareKey =\t"發展";\n'
    ascii_file = b'Key = "\\u7b80\\u4f53";\n'
    out, _ = translate("a.strings", ascii_file, "ascii")
    assert out == 'Key = "\\u7c21\\u9ad4";\n'  # an ASCII file stays ASCII


def test_properties_keep_keys_comments_and_write_what_latin1_cannot_hold_escaped():
    source = "# comment\nkey\\ one = \\u7b80\\u4f53 {0}\nmulti = \\u53d1\\\n    \\u5c55\nurl = http://example.com/\n"
    out, document = translate("a.properties", source.encode("ascii"), "ascii")
    assert out == ("# comment\nkey\\ one = \\u7c21\\u9ad4 {0}\nmulti = \\u767c\\u5c55\nurl = http://example.com/\n")
    assert document.segments == ["简体 <1/>", "发展"]


@pytest.mark.parametrize("name, data", [
    ("a.json", b'{"a": "unterminated'),
    ("a.json", b"[" * 5000 + b"]" * 5000),
    ("a.yaml", b"a: [unclosed\n  b: {"),
    ("strings.xml", b"<resources><string name='a'>x</resources>"),
    ("a.strings", b'"a" = "b"\n"c" "d";'),
])
def test_damaged_resource_files_are_refused_as_corrupt(name, data):
    with pytest.raises(DocumentError) as refused:
        detect(name, data).parse(data)
    assert refused.value.code == "corrupt_document"


@pytest.mark.django_db
def test_a_damaged_resource_file_is_refused_by_the_api_and_charges_nothing(api, user, settings):
    response = api.post("/api/tasks/", {"file": upload(b'{"a": ', "a.json"), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert (response.status_code, response.json()["code"]) == (400, "corrupt_document")
    assert not ProcessingTask.objects.exists()
