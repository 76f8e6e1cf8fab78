from __future__ import annotations

import pytest

from credits import services
from credits.models import LedgerEntry, Reservation
from credits.selectors import balance_of, find_breaches

pytestmark = pytest.mark.django_db


def test_account_is_created_on_first_use_with_welcome_grant(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 250
    account = services.get_or_create_account(user_id=user.pk)
    again = services.get_or_create_account(user_id=user.pk)
    assert account.pk == again.pk
    assert account.balance == 250
    assert LedgerEntry.objects.filter(account=account, kind="grant").count() == 1


def test_welcome_grant_can_be_turned_off(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 0
    assert services.get_or_create_account(user_id=user.pk).balance == 0
    assert not LedgerEntry.objects.exists()


def test_reserve_debits_at_once_and_settle_refunds_the_unused_part(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 100
    reservation = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=40)
    assert balance_of(user_id=user.pk) == 60
    settled = services.settle(reservation_id=reservation.pk, actual_cost=25)
    assert settled.state == Reservation.State.SETTLED and settled.charged == 25
    assert balance_of(user_id=user.pk) == 75
    assert find_breaches() == []


def test_settle_never_charges_more_than_reserved(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 100
    reservation = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=40)
    assert services.settle(reservation_id=reservation.pk, actual_cost=400).charged == 40
    assert balance_of(user_id=user.pk) == 60


def test_reservation_ends_exactly_once(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 100
    reservation = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=40)
    services.refund(reservation_id=reservation.pk)
    services.refund(reservation_id=reservation.pk)
    services.settle(reservation_id=reservation.pk, actual_cost=10)
    assert balance_of(user_id=user.pk) == 100
    assert LedgerEntry.objects.filter(kind__in=["refund", "settle_refund"]).count() == 1
    assert Reservation.objects.get().state == Reservation.State.REFUNDED


def test_the_same_reservation_round_debits_once(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 100
    first = services.reserve(user_id=user.pk, task_id=(t := task_row()).pk, number=1, amount=30)
    second = services.reserve(user_id=user.pk, task_id=t.pk, number=1, amount=30)
    assert first.pk == second.pk
    assert balance_of(user_id=user.pk) == 70


def test_insufficient_credits_is_a_typed_error_and_changes_nothing(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 10
    with pytest.raises(services.InsufficientCredits) as info:
        services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=11)
    assert (info.value.balance, info.value.cost) == (10, 11)
    assert balance_of(user_id=user.pk) == 10
    assert not Reservation.objects.exists()


def test_adjust_cannot_go_below_zero_and_records_who_and_why(user, other_user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 10
    with pytest.raises(services.InsufficientCredits):
        services.adjust(user_id=user.pk, amount=-11, reason="mistake", actor_id=other_user.pk)
    entry = services.adjust(user_id=user.pk, amount=-4, reason="refund of a refund", actor_id=other_user.pk)
    assert (entry.balance_after, entry.actor_id, entry.reason) == (6, other_user.pk, "refund of a refund")


def test_grant_is_idempotent_by_key(user, settings, task_row):
    settings.ZHIYI_WELCOME_CREDITS = 0
    services.grant(user_id=user.pk, amount=50, reason="promo", idempotency_key="promo:1")
    services.grant(user_id=user.pk, amount=50, reason="promo", idempotency_key="promo:1")
    assert balance_of(user_id=user.pk) == 50


def test_reconcile_detects_a_balance_edited_by_hand(user, settings, task_row):
    from credits.models import CreditAccount

    settings.ZHIYI_WELCOME_CREDITS = 10
    services.get_or_create_account(user_id=user.pk)
    CreditAccount.objects.filter(user=user).update(balance=11)
    assert any("sum of entries" in line for line in find_breaches())
