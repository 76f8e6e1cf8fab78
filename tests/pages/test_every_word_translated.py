"""Every page and every kind of message, read in English and in Chinese: a Chinese page holds no
English word and an English page no Chinese one, apart from names (the brand, engines, formats)
and what the user wrote (marked `translate="no"`, as a translation tool would be told)."""
from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone, translation

from credits import services as credits
from credits.messages import LEDGER_NOTES
from credits.models import LedgerEntry
from credits.templatetags.credits_ui import KIND_LABELS
from lib.languages import NAMES
from notifications.messages import BODIES, TITLES
from notifications.services import notify
from tasks import engines
from tasks.documents import supported_extensions
from tasks.messages import TASK_MESSAGES
from tasks.models import ProcessingTask, Status
from tasks.templatetags.task_ui import STATUS_LABELS

pytestmark = pytest.mark.django_db

# Names read the same in both languages, and what is not words (units, formats, placeholders' text).
NAMES_KEPT = {
    "ZhiYi", "OpenCC", "Apertium", "DeepL", "LibreTranslate", "AI", "API", "CSV", "MB", "UTF", "UTC", "CST",
    "TXT", "DOCX", "PDF", "HTML", "PO", "SRT", "VTT", "Markdown", "md", "txt", "docx", "pdf", "html", "htm",
    "po", "srt", "vtt", "xlsx", "pptx", "odt", "markdown", "csv", "llama", "cpp", "Ollama", "OpenAI", "docs",
    "engines", "Debian", "Token", "zip", "Authorization", "Api", "Key", "zy", "SHA", "CI", "GB",
    *(extension for extension in supported_extensions()),
}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
CHINESE = re.compile(r"[\u3400-\u9fff]")
SKIPPED_TAGS = {"script", "style", "code", "pre"}


class VisibleText(HTMLParser):
    """The text a person reads: element text, `title`, `alt`, `placeholder`, `aria-label`,
    buttons' values; not scripts, code, elements marked translate="no", nor those in another
    language than the page's (the switcher names each language in itself)."""

    def __init__(self) -> None:
        super().__init__()
        self.language = ""
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.language = values.get("lang") or ""
        elsewhere = tag != "html" and bool(values.get("lang")) and values.get("lang") != self.language
        skipped = (bool(self.stack) and self.stack[-1]) or tag in SKIPPED_TAGS or values.get("translate") == "no" \
            or elsewhere
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self.stack.append(skipped)
        if not skipped:
            for name in ("title", "alt", "placeholder", "aria-label"):
                if values.get(name):
                    self.parts.append(values[name] or "")
            if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
                self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.stack and tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def foreign_words(text: str, language: str) -> list[str]:
    if language == "zh-hans":
        return sorted({w for w in ENGLISH_WORD.findall(text) if w not in NAMES_KEPT})
    return sorted(set(CHINESE.findall(text.replace("智译", ""))))


MESSAGE_OF = {"queued": "retrying", "processing": "translating", "waiting_external": "waiting_external",
              "completed": "done_output_utf8", "failed": "failed", "cancelled": "stopped_by_staff"}


@pytest.fixture
def world(user, other_user, task_row, settings):  # type: ignore[no-untyped-def]
    """A user with a task in every status, a notification of every kind, ledger entries of every kind."""
    settings.ZHIYI_ENGINES = ["opencc", "apertium", "libretranslate", "openai", "deepl", "external"]
    settings.ZHIYI_LIBRETRANSLATE_URL = settings.ZHIYI_OPENAI_URL = settings.ZHIYI_DEEPL_KEY = ""
    settings.ZHIYI_EXTERNAL_URL = ""
    credits.get_or_create_account(user_id=user.pk)
    tasks = {}
    for number, status in enumerate(Status.values):  # file names without words: neither language's
        tasks[status] = task_row(status=status, filename=f"{number:03d}.txt", characters=1234, cost=3, charged=2,
                                 message_code=MESSAGE_OF[status],
                                 message_params={"done": 3, "total": 10, "seconds": 20, "encoding": "GB18030"})
    # The task page's lines of those states: the external engine's deadline, what memory and the glossary did.
    ProcessingTask.objects.filter(pk=tasks["waiting_external"].pk).update(deadline_at=timezone.now())
    ProcessingTask.objects.filter(pk=tasks["completed"].pk).update(segments=40, memory_segments=12, glossary_terms=3,
                                                                   options={"glossary_id": 1})
    reservation = credits.reserve(user_id=user.pk, task_id=tasks["completed"].pk, number=1, amount=5)
    credits.settle(reservation_id=reservation.pk, actual_cost=2)
    failed = credits.reserve(user_id=user.pk, task_id=tasks["failed"].pk, number=1, amount=5)
    credits.refund(reservation_id=failed.pk, note_code="task_failed")
    credits.adjust(user_id=user.pk, amount=-1, reason="#2026-114")
    credits.grant(user_id=user.pk, amount=7, reason="#2026-115",  # the credits page's "what expires when"
                  expires_at=timezone.now() + timedelta(days=30))
    for kind in ("task_completed", "task_failed", "task_cancelled", "credits"):
        notify(user_id=user.pk, kind=kind, url=f"/tasks/{tasks['completed'].pk}/",
               params={"filename": "001.txt", "source": "en", "target": "zh-Hans", "charged": 2,
                       "error": "", "balance": 5, "threshold": 10})
    return {"tasks": tasks}


def pages(world) -> list[str]:  # type: ignore[no-untyped-def]
    return ["/", "/tasks/", "/credits/", "/notifications/", "/accounts/settings/", "/accounts/keys/",
            "/accounts/password/", "/accounts/password/done/",
            *(f"/tasks/{task.pk}/" for task in world["tasks"].values()),
            f"/tasks/{world['tasks']['completed'].pk}/delete/"]


ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                   "/accounts/password/reset/sent/", "/accounts/password/reset/done/"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_speaks_one_language(world, user, language):
    signed_in = Client(HTTP_ACCEPT_LANGUAGE=language)
    signed_in.force_login(user)
    found = {}
    for path in pages(world):
        response = signed_in.get(path)
        assert response.status_code == 200, path
        found[path] = foreign_words(visible_text(response.content.decode()), language)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE=language)
    for path in ANONYMOUS_PAGES:
        response = anonymous.get(path)
        assert response.status_code == 200, path
        found[path] = foreign_words(visible_text(response.content.decode()), language)
    found = {path: words for path, words in found.items() if words}
    assert found == {}, "\n".join(f"{path}: {' '.join(words)}" for path, words in found.items())


def _samples() -> dict:
    return {"done": 3, "total": 10, "seconds": 20, "encoding": "GB18030", "filename": "报告.txt",
            "source": "en", "target": "zh-Hans", "charged": 2, "error": "", "balance": 5, "threshold": 10,
            "amount": 40, "expires_at": "2026-05-01T12:00:00+00:00"}


@pytest.mark.parametrize("catalogue", [TASK_MESSAGES, TITLES, BODIES, LEDGER_NOTES],
                         ids=["task messages", "notification titles", "notification bodies", "ledger notes"])
def test_every_message_kind_is_translated(catalogue):
    for code in catalogue.templates:
        for count in (1, 2):
            params = {**_samples(), "total": count, "charged": count, "balance": count, "amount": count}
            with translation.override("en"):
                english = catalogue.render(code, params)
            with translation.override("zh-hans"):
                chinese = catalogue.render(code, params)
            assert chinese != english and CHINESE.search(chinese), (code, chinese)
            assert not foreign_words(chinese.replace("GB18030", ""), "zh-hans"), (code, chinese)
            assert "%(" not in english and "%(" not in chinese


def test_every_label_name_and_engine_reason_is_translated(settings):
    settings.ZHIYI_LIBRETRANSLATE_URL = settings.ZHIYI_OPENAI_URL = settings.ZHIYI_DEEPL_KEY = ""
    settings.ZHIYI_EXTERNAL_URL = ""
    labels = [*STATUS_LABELS.values(), *KIND_LABELS.values(), *NAMES.values()]
    with translation.override("zh-hans"):
        untranslated = [str(label) for label in labels if not CHINESE.search(str(label))]
        for engine in engines.all_engines():
            availability = engine.availability()
            if not availability.available:
                reason = str(availability.reason)
                if not CHINESE.search(reason):
                    untranslated.append(reason)
            assert "ZHIYI_" not in str(availability.reason)
    assert untranslated == []


def test_the_walker_finds_an_untranslated_word():
    html = ('<html lang="zh-hans"><main><p>余额</p><p translate="no">alice</p><button>Save</button>'
            '<code>make run</code><option lang="en">English</option><option>Spanish</option></main></html>')
    assert foreign_words(visible_text(html), "zh-hans") == ["Save", "Spanish"]
    assert foreign_words(visible_text("<p>Balance 余额</p>"), "en") == ["余", "额"]


def test_the_ledger_has_every_kind_the_page_shows(world, user):
    assert set(LedgerEntry.objects.filter(account__user=user).values_list("kind", flat=True)) >= {
        "grant", "reserve", "settle_refund", "refund", "adjust"}
