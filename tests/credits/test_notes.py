"""What a ledger entry says is stored as a code and read in the reader's language."""
from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.utils import timezone, translation

from credits import services
from credits.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user(make_user):  # type: ignore[no-untyped-def]
    return make_user("staffer", is_staff=True)


def _notes(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e.kind: e.note for e in LedgerEntry.objects.filter(account__user=user).order_by("id")}


def test_system_entries_read_in_the_language_of_whoever_reads_them(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 100
    reservation = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=40)
    services.settle(reservation_id=reservation.pk, actual_cost=1)
    with translation.override("en"):
        assert _notes(user) == {"grant": "Welcome credits", "reserve": "",
                                "settle_refund": "Unused part of the reservation (1 of 40 points charged)"}
    with translation.override("zh-hans"):
        notes = _notes(user)
    assert notes["grant"] == "欢迎赠送积分" and notes["settle_refund"] == "预留未用部分退还（40 积分中扣除 1）"


def test_a_staff_cancel_says_stopped_by_staff_and_never_who(user, staff_user, task_row):
    from tasks import services as tasks

    task = task_row(status="queued")
    services.reserve(user_id=user.pk, task_id=task.pk, number=1, amount=10)
    tasks.cancel_task(task_id=task.pk, actor=f"staff:{staff_user.pk}")
    refund = LedgerEntry.objects.get(kind="refund")
    with translation.override("en"):
        assert refund.note == "Translation stopped by staff" and staff_user.username not in refund.note
    task.refresh_from_db()
    with translation.override("zh-hans"):
        assert task.message == "已被管理员停止"


def test_a_staff_grant_says_what_staff_wrote(user):
    entry = services.grant(user_id=user.pk, amount=5, reason="Conference voucher")
    with translation.override("zh-hans"):
        assert entry.note == "Conference voucher"


def test_an_expiry_says_when_in_the_readers_time_zone(user, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    services.grant(user_id=user.pk, amount=3, reason="x", expires_at=timezone.now() - timedelta(hours=1))
    services.expire_grants()
    entry = LedgerEntry.objects.get(kind="expire")
    with translation.override("en"), timezone.override("Asia/Shanghai"):
        note = entry.note
    assert note.startswith("Expired on ") and note.endswith("CST (3 points granted)")


def test_the_migration_gives_old_entries_their_codes():
    code_of = import_module("credits.migrations.0004_ledger_note_codes").code_of
    assert code_of("grant", "Welcome credits", 100, "") == ("welcome", {})
    assert code_of("refund", "Task failed: boom", None, "") == ("task_failed", {})
    assert code_of("settle_refund", "Unused part of the reservation (3 of 9 charged)", None, "") == (
        "unused_reservation", {"charged": 3, "amount": 9})
    assert code_of("grant", "promo", 5, "") == ("", {})
