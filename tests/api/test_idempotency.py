"""Idempotency-Key (Stripe's rule): the same request again answers the first one's task and
charges once; the key with a different request answers 422 and changes nothing."""
from __future__ import annotations

import threading

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from credits.models import Reservation
from credits.selectors import balance_of, find_breaches
from tasks.models import ProcessingTask
from tasks.services.creation import request_digest
from tests.api.conftest import create

pytestmark = pytest.mark.django_db


def files_on_disk(settings) -> int:
    media = settings.MEDIA_ROOT
    return sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0


def test_the_same_request_answers_the_first_task_once_charged(api, user, settings):
    first = create(api, key="k-1")
    again = create(api, key="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ProcessingTask.objects.count() == 1 and Reservation.objects.count() == 1
    assert balance_of(user_id=user.pk) == settings.ZHIYI_WELCOME_CREDITS - first.json()["cost"]
    assert files_on_disk(settings) == 1


@pytest.mark.parametrize("change", [
    {"content": "另一份文件。\n"}, {"name": "other.txt"}, {"target_lang": "zh-TW"}, {"bilingual": "true"},
])
def test_the_key_with_a_different_request_is_422_and_changes_nothing(api, user, settings, change):
    first = create(api, key="k-2")
    balance = balance_of(user_id=user.pk)
    reused = create(api, key="k-2", **change)
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    assert reused.json()["detail"]
    assert ProcessingTask.objects.count() == 1 and ProcessingTask.objects.get().pk == first.json()["id"]
    assert balance_of(user_id=user.pk) == balance and files_on_disk(settings) == 1
    # The key belongs to one user: another user's same key is a new task.
    from django.contrib.auth import get_user_model

    other = APIClient()
    other.force_authenticate(get_user_model().objects.create_user("carol", password="x"))
    assert create(other, key="k-2", **change).status_code == 201


def test_a_refused_first_request_leaves_the_key_free(api, user, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    assert create(api, key="k-3").status_code == 402
    from credits.services import grant

    grant(user_id=user.pk, amount=100, reason="top-up")
    assert create(api, key="k-3").status_code == 201


def test_a_bad_key_is_refused(api):
    response = create(api, key="x" * 201)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_idempotency_key")
    assert not ProcessingTask.objects.exists()


def test_tasks_from_before_digests_keep_the_old_rule(api, user):
    first = create(api, key="k-4").json()
    ProcessingTask.objects.filter(pk=first["id"]).update(request_digest="")
    assert create(api, key="k-4", name="other.txt").json()["id"] == first["id"]


_request = st.fixed_dictionaries({
    "engine_name": st.sampled_from(["opencc", "apertium"]), "source_lang": st.sampled_from(["en", "zh-Hans"]),
    "target_lang": st.sampled_from(["es", "zh-Hant"]), "filename": st.sampled_from(["a.txt", "b.txt"]),
    "options": st.sampled_from([{}, {"bilingual": True}, {"glossary_id": 1}]),
    "data": st.sampled_from([b"one", b"two", b"one\n"]),
})


@hsettings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=_request, b=_request)
def test_two_requests_share_a_digest_exactly_when_they_are_the_same(a, b):
    assert (request_digest(**a) == request_digest(**b)) == (a == b)


@pytest.mark.django_db(transaction=True)
def test_racing_requests_under_one_key_make_one_task_and_one_charge(user, settings):
    """Eight clients at once with one key: four send the same request, four another one. One
    task is created and charged once; the same request answers it, the other gets 422."""
    settings.ZHIYI_WELCOME_CREDITS = 1000
    barrier = threading.Barrier(8)
    answers: list[tuple[int, str, int | None]] = []

    def send(content: str) -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        try:
            response = create(client, content=content, key="race")
            body = response.json()
            answers.append((response.status_code, body.get("code", ""), body.get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=("同一份。\n" if i % 2 else "另一份。\n",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [task] = ProcessingTask.objects.all()
    assert Reservation.objects.count() == 1
    assert balance_of(user_id=user.pk) == 1000 - task.cost
    created = [a for a in answers if a[0] == 201]
    refused = [a for a in answers if a[0] == 422]
    assert len(created) + len(refused) == 8, answers
    assert {a[2] for a in created} == {task.pk} and all(a[1] == "idempotency_key_reused" for a in refused)
    assert len(created) == 4 and len(refused) == 4  # the winner's half replays, the other half is refused
    assert find_breaches() == []


def test_the_upload_form_sent_again_with_another_file_starts_afresh(client, user):
    """The page form carries a key per rendered form: sent back with another document (the
    browser's back button), it says so, and the form it shows again has a new key."""
    from tests.helpers import upload

    client.force_login(user)
    fields = {"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant", "idempotency_key": "form-1"}
    assert client.post("/", {**fields, "file": upload("第一份。\n")}).status_code == 302
    again = client.post("/", {**fields, "file": upload("第二份。\n")})
    html = again.content.decode()
    assert "already sent with another document" in html and 'value="form-1"' not in html
    assert ProcessingTask.objects.count() == 1
