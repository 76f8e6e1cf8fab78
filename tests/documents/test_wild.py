"""The eight bug classes found with documents from the wild, each on the construct of the real
file that showed it (tests/corpus/manifest.toml names the file): nested and empty inline HTML,
a lost placeholder, code in Markdown link text, WebVTT cues without a blank line, legacy
encodings, PDFs without a Unicode map, PO catalogues without Plural-Forms."""
from __future__ import annotations

import io
import subprocess

import docx
import html5lib
import polib
import pytest
from docx.oxml.ns import qn

from credits.selectors import balance_of
from tasks.documents import DocumentError, detect, get_handler
from tasks.models import ProcessingTask
from tests.corpus.files import corpus_file
from tests.documents.files import _hyperlink, opencc
from tests.helpers import upload


def translate(name: str, data: bytes, engine=opencc, **options) -> tuple[bytes, object]:  # noqa: ANN001
    document = detect(name, data).parse(data)
    return document.build(engine(document.segments), **options), document


def shape(page: bytes) -> list[str]:
    """The element tree as html5lib (the WHATWG parser) sees it: tag paths, no text."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    out: list[str] = []

    def walk(el, path: str) -> None:  # noqa: ANN001
        for child in el:
            if isinstance(child.tag, str):
                here = f"{path}/{child.tag}"
                out.append(here + "".join(f"[{k}={v}]" for k, v in sorted(child.attrib.items()) if k != "lang"))
                walk(child, here)

    walk(tree, "")
    return out


# 1. html-nested-emphasis (html2text's test page): <strong><em>, <em><a>, and a footnote reference.
NESTED = ('<html><body><p><strong><em>简体粗斜</em></strong> 说明 <em><a href="https://example.com/简">简体链接</a></em>'
          ' 注释<a href="#fn1" id="fnref1"><sup>1</sup></a>。</p></body></html>')


def test_html_nested_inline_tags_come_back_nested_as_they_were():
    out, document = translate("a.html", NESTED.encode())
    assert document.fallbacks == 0
    assert out.decode() == NESTED.replace("简体粗斜", "簡體粗斜").replace("说明", "說明").replace(
        ">简体链接<", ">簡體鏈接<").replace("注释", "註釋")
    assert shape(out) == shape(NESTED.encode())


# 2. Font Awesome icons and script-filled spans, as web pages (html-web-page) have them.
EMPTY = ('<p><i class="fa fa-spin fa-spinner"></i> 简体加载 <span class="count" data-x="1"></span>'
         '<strong></strong>发展<b> </b>联系</p>')


def test_html_empty_inline_elements_survive_byte_for_byte():
    out, document = translate("a.html", EMPTY.encode())
    assert out.decode() == ('<p><i class="fa fa-spin fa-spinner"></i> 簡體加載 <span class="count" data-x="1"></span>'
                            '<strong></strong>發展<b> </b>聯繫</p>')
    assert shape(out) == shape(EMPTY.encode())


# 3. A paragraph like docx-word-hyperlinks (python-docx's par-hyperlinks.docx) with a tracked
# insertion and an underlined space between two links, as Word writes them.
def _paragraph_with_links() -> bytes:
    d = docx.Document()
    p = d.add_paragraph("简体开始")
    for n in range(3):
        _hyperlink(p, f"简体链接{n}", f"https://example.com/{n}")
        if n == 0:
            p.add_run(" ").underline = True  # a span holding only a space: engines drop it
        p.add_run("，中间")
    ins = p._p.makeelement(qn("w:ins"), {qn("w:id"): "1", qn("w:author"): "A", qn("w:date"): "2024-01-01T00:00:00Z"})
    run = ins.makeelement(qn("w:r"), {})
    t = run.makeelement(qn("w:t"), {})
    t.text = "插入的简体"
    run.append(t)
    ins.append(run)
    p._p.append(ins)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _links(data: bytes) -> tuple[int, int]:
    body = docx.Document(io.BytesIO(data)).element.body
    return len(body.findall(".//" + qn("w:hyperlink"))), len(body.findall(".//" + qn("w:ins")))


def test_a_placeholder_lost_by_the_engine_costs_only_its_own_span():
    data = _paragraph_with_links()
    document = get_handler("docx").parse(data)
    segment = document.segments[0]
    assert "<2/>" in segment  # the underlined space is kept aside, never sent as a span

    def drops_second_link(segments: list[str]) -> list[str]:
        return [s.replace("<3>", "").replace("</3>", "") for s in opencc(segments)]

    out = document.build(drops_second_link(document.segments))
    assert document.fallbacks == 1
    assert _links(data) == (3, 1) and _links(out) == (2, 1)  # one link lost, not all of them
    text = "".join(docx.Document(io.BytesIO(out)).paragraphs[0]._p.itertext())
    assert "簡體鏈接0" in text and "簡體鏈接1" in text and "插入的簡體" in text

    def repeats_first_link(segments: list[str]) -> list[str]:
        return [s.replace("</1>", "</1><1>重复</1>") for s in opencc(segments)]

    out = document.build(repeats_first_link(document.segments))
    assert _links(out) == (3, 1) and document.fallbacks == 1


# 4. md-anchors-code-links (html2text): link text that is, or holds, a code span.
def test_markdown_code_in_link_text_stays_code_inside_the_link():
    source = "参见 [`name`](https://example.com/a) 与 [简体 `value` 选项](https://example.com/b)。\n"
    out, document = translate("a.md", source.encode())
    assert document.segments == ["参见 <1/> 与 <2>简体 <3/> 选项</2>。"]
    assert out.decode() == "參見 [`name`](https://example.com/a) 與 [簡體 `value` 選項](https://example.com/b)。\n"


# 5. vtt-netflix-spanish style cues, where one cue's timing follows the previous text directly.
VTT = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000 line:90%\n简体一\n2\n00:00:02.000 --> 00:00:03.000 align:start\n简体二\n"


def test_webvtt_cue_text_ends_at_a_line_with_an_arrow():
    out, document = translate("a.vtt", VTT.encode())
    assert document.segments == ["简体一\n2", "简体二"]  # the identifier line is cue text by the rules
    assert out.decode() == VTT.replace("简体", "簡體")


# 6. srt-windows-1252-french (pysrt's test file) and Big5 text (txt-big5-classical-chinese).
FRENCH_SRT = ("1\r\n00:00:27,074 --> 00:00:30,566\r\nCE FILM RELATE DES ÉVÉNEMENTS\r\nQUI ONT EXISTÉ.\r\n\r\n"
              "2\r\n00:00:48,061 --> 00:00:51,588\r\nIl fut un temps,\r\navant l'existence du câble,\r\n\r\n"
              "3\r\n00:00:53,166 --> 00:00:56,533\r\noù le présentateur local\r\nrégnait en maître.\r\n\r\n")


@pytest.mark.django_db
def test_a_windows_1252_subtitle_is_read_and_written_back_in_windows_1252(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/tasks/", {"file": upload(FRENCH_SRT.encode("windows-1252"), "film.srt"),
                                            "engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"},
                            format="multipart")
    assert response.status_code == 201, response.json()
    task = ProcessingTask.objects.get(pk=response.json()["id"])
    assert task.status == "completed" and task.message_code == "done"
    assert task.result.read() == FRENCH_SRT.encode("windows-1252")


@pytest.mark.django_db
def test_a_big5_text_that_cannot_hold_its_translation_is_written_as_utf8_and_the_task_says_so(
        api, django_capture_on_commit_callbacks):
    source = "這是我們的文字，說話與發展。\n".encode("big5")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/tasks/", {"file": upload(source, "古文.txt"), "engine": "opencc",
                                            "source_lang": "zh-Hant", "target_lang": "zh-Hans"}, format="multipart")
    task = ProcessingTask.objects.get(pk=response.json()["id"])
    assert task.result.read().decode("utf-8") == "这是我们的文字，说话与发展。\n"
    assert task.message_code == "done_output_utf8" and "BIG5" in task.message and "UTF-8" in task.message
    assert "BIG5" in api.get(f"/api/tasks/{task.pk}/").json()["message"]


@pytest.mark.django_db
def test_an_encoding_that_cannot_be_told_is_refused_not_turned_into_mojibake(api, user, settings):
    # five bytes that read as plausible text in half a dozen single-byte encodings
    response = api.post("/api/tasks/", {"file": upload(b"\x8e\x9a\x9e\x8a\xe8", "a.txt"),
                                        "engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"},
                        format="multipart")
    assert response.status_code in (400, 415) and response.json()["code"] in ("ambiguous_encoding",
                                                                               "unsupported_format")
    assert not ProcessingTask.objects.exists() and balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS


def test_each_text_format_reads_legacy_encodings():
    for name, text, encoding in (("a.md", "# Überschrift\n\nGrüße aus Köln, schöne Straße.\n", "windows-1252"),
                                 ("a.po", 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-15\\n"\n\n'
                                          'msgid "Résumé de l\'été"\nmsgstr ""\n', "iso-8859-15"),
                                 ("a.txt", "日本語のテキストです。これはテストの文章です。\n", "shift_jis"),
                                 ("a.txt", "한국어 텍스트입니다. 이것은 시험 문장입니다.\n", "euc-kr"),
                                 ("a.txt", "Plain English text, no BOM, in UTF-16.\n", "utf-16-le")):
        document = detect(name, text.encode(encoding)).parse(text.encode(encoding))
        assert document.source_encoding is not None
        out = document.build(list(document.segments)).decode(encoding)
        assert (out == text) if name != "a.po" else ("Résumé de l'été" in out and "ISO-8859-15" in out), name


# 7. pdf-type3-no-unicode-map and pdf-truetype-no-unicode-map (OCRmyPDF's test files).
@pytest.mark.django_db
@pytest.mark.parametrize("doc_id", ["pdf-type3-no-unicode-map", "pdf-truetype-no-unicode-map"])
def test_a_pdf_without_a_unicode_map_is_refused_before_it_is_charged(api, user, settings, doc_id):
    data = corpus_file(doc_id).read_bytes()
    with pytest.raises(DocumentError) as error:
        get_handler("pdf").parse(data)
    assert error.value.code == "unreadable_pdf_text"
    response = api.post("/api/tasks/", {"file": upload(data, "paper.pdf"), "engine": "opencc",
                                        "source_lang": "zh-Hans", "target_lang": "zh-Hant"}, format="multipart")
    assert (response.status_code, response.json()["code"]) == (400, "unreadable_pdf_text")
    assert not ProcessingTask.objects.exists() and balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS


# 8. po-msgctxt-no-plural-forms (polib's test catalogue): plural entries, no Plural-Forms header.
NO_PLURAL_FORMS = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "Some other message context"
msgid "简体单数"
msgid_plural "简体复数"
msgstr[0] ""
msgstr[1] ""
'''


@pytest.mark.parametrize("target, forms", [("zh-Hant", 1), ("pl", 3)])
def test_po_gets_the_targets_plural_forms_and_passes_msgfmt_check(tmp_path, target, forms):
    document = detect("a.po", NO_PLURAL_FORMS.encode()).parse(NO_PLURAL_FORMS.encode())
    out = document.build(opencc(document.segments), target_lang=target)
    po = polib.pofile(out.decode())
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={forms};") and len(po[0].msgstr_plural) == forms
    path = tmp_path / "out.po"
    path.write_bytes(out)
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


# 3, the "nothing dropped, formatting lost" part: the runs inside a hyperlink (or a tracked
# insertion) have formatting of their own, as in docx-word-footnote-hyperlink; it was merged into
# the link's first run.
def test_the_runs_inside_a_hyperlink_keep_their_own_formatting():
    d = docx.Document()
    p = d.add_paragraph("请看")
    _hyperlink(p, "粗体", "https://example.com/")
    link = p._p.findall(qn("w:hyperlink"))[0]
    for text, italic in (("简体", True), ("链接", False)):
        run = link.makeelement(qn("w:r"), {})
        if italic:
            rpr = run.makeelement(qn("w:rPr"), {})
            rpr.append(rpr.makeelement(qn("w:i"), {}))
            run.append(rpr)
        t = run.makeelement(qn("w:t"), {})
        t.text = text
        run.append(t)
        link.append(run)
    p.add_run("。")
    out = io.BytesIO()
    d.save(out)
    document = get_handler("docx").parse(out.getvalue())
    result = docx.Document(io.BytesIO(document.build(opencc(document.segments))))
    assert document.fallbacks == 0
    link = result.paragraphs[0]._p.findall(qn("w:hyperlink"))[0]
    runs = [("".join(t.text for t in r.iter(qn("w:t"))), r.find(qn("w:rPr")) is not None and
             r.find(qn("w:rPr")).find(qn("w:i")) is not None) for r in link.findall(qn("w:r"))]
    assert runs == [("粗體", False), ("簡體", True), ("鏈接", False)]
