"""What a task says is stored as a code with parameters and rendered in the reader's language."""
from __future__ import annotations

from importlib import import_module

from django.utils import translation

from tasks.messages import TASK_MESSAGES
from tasks.models import ProcessingTask


def test_a_stored_message_reads_in_the_language_of_whoever_reads_it():
    task = ProcessingTask(message_code="translating", message_params={"done": 1234, "total": 5000})
    with translation.override("en"):
        assert task.message == "Translating 1,234 / 5,000 segments"
    with translation.override("zh-hans"):
        assert task.message == "正在翻译第 1,234 / 5,000 段"


def test_a_code_the_catalogue_does_not_know_shows_its_text():
    assert TASK_MESSAGES.render("text", {"text": "Converted by the service"}) == "Converted by the service"
    assert "%(" not in TASK_MESSAGES.render("translating", {"done": 1})  # a missing parameter never leaks


def test_the_migration_turns_the_old_english_messages_into_codes():
    code_of = import_module("tasks.migrations.0003_message_codes").code_of
    assert code_of("Translating 1,200 / 3,000 segments") == ("translating", {"done": 1200, "total": 3000})
    assert code_of("Requeued after the worker stopped") == ("requeued", {})
    assert code_of("Accepted by the external service") == ("text", {"text": "Accepted by the external service"})
    assert code_of("") == ("", {})
