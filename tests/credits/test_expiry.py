"""Grants with expiry: spending draws from the grant that expires first, refunds go back where
they came from, the upkeep job expires what is left with a ledger entry; low-balance notices."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from credits import services
from credits.models import CreditGrant, LedgerEntry
from credits.selectors import balance_of, expiring_grants_of, find_breaches
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_welcome(settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    settings.ZHIYI_LOW_BALANCE_THRESHOLD = 0


def _left(user) -> list[tuple[str, int]]:  # noqa: ANN001
    return [(g.reason_key, g.remaining) for g in _pots(user)]


def _pots(user):  # noqa: ANN001, ANN202
    pots = list(CreditGrant.objects.filter(account__user=user).order_by("id"))
    for pot in pots:
        pot.reason_key = pot.entries.get(kind__in=["grant", "adjust"]).reason
    return pots


def _grants(user) -> None:  # noqa: ANN001
    now = timezone.now()
    services.grant(user_id=user.pk, amount=100, reason="forever")
    services.grant(user_id=user.pk, amount=50, reason="tomorrow", expires_at=now + timedelta(days=1))
    services.grant(user_id=user.pk, amount=30, reason="soon", expires_at=now + timedelta(hours=2))


def test_spending_draws_from_the_grant_that_expires_first(user, task_row):
    _grants(user)
    services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=40)
    assert _left(user) == [("forever", 100), ("tomorrow", 40), ("soon", 0)]
    services.adjust(user_id=user.pk, amount=-45, reason="correction")
    assert _left(user) == [("forever", 95), ("tomorrow", 0), ("soon", 0)]
    assert balance_of(user_id=user.pk) == 95
    assert find_breaches() == []


def test_a_refund_goes_back_to_the_grants_it_came_from_and_settle_charges_the_earliest(user, task_row):
    _grants(user)
    first = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=60)
    assert _left(user) == [("forever", 100), ("tomorrow", 20), ("soon", 0)]
    services.refund(reservation_id=first.pk)
    assert _left(user) == [("forever", 100), ("tomorrow", 50), ("soon", 30)]
    second = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=60)
    services.settle(reservation_id=second.pk, actual_cost=35)  # 25 unused come back, latest expiry first
    assert _left(user) == [("forever", 100), ("tomorrow", 45), ("soon", 0)]
    assert find_breaches() == []


def test_upkeep_expires_what_is_left_once_with_its_own_ledger_entry(user, task_row):
    _grants(user)
    services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=40)  # 30 soon + 10 tomorrow
    CreditGrant.objects.filter(account__user=user, expires_at__isnull=False).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    call_command("expire_credits")
    call_command("expire_credits")  # nothing left to expire: no second entry
    expiries = LedgerEntry.objects.filter(account__user=user, kind="expire")
    assert [(e.amount, e.grant.entries.get(kind="grant").reason) for e in expiries] == [(-40, "tomorrow")]
    assert expiries.get().idempotency_key.startswith("expire:grant:")
    assert balance_of(user_id=user.pk) == 100 and expiring_grants_of(user_id=user.pk).count() == 0
    assert find_breaches() == []


def test_points_refunded_to_an_expired_grant_expire_at_once(user, task_row):
    services.grant(user_id=user.pk, amount=50, reason="promo", expires_at=timezone.now() + timedelta(hours=1))
    reservation = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=20)
    CreditGrant.objects.filter(account__user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    services.expire_grants()  # the 30 not reserved expire
    services.refund(reservation_id=reservation.pk)  # the 20 come back to an expired grant
    kinds = list(LedgerEntry.objects.filter(account__user=user).order_by("id").values_list("kind", "amount"))
    assert kinds == [("grant", 50), ("reserve", -20), ("expire", -30), ("refund", 20), ("expire", -20)]
    assert balance_of(user_id=user.pk) == 0
    assert find_breaches() == []


def test_expired_points_cannot_be_spent_before_the_job_runs(user, task_row):
    services.grant(user_id=user.pk, amount=10, reason="keeps")
    services.grant(user_id=user.pk, amount=50, reason="promo", expires_at=timezone.now() - timedelta(seconds=1))
    assert balance_of(user_id=user.pk) == 60  # the job has not run yet
    with pytest.raises(services.InsufficientCredits):
        services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=20)
    services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=5)
    assert balance_of(user_id=user.pk) == 5
    assert LedgerEntry.objects.filter(account__user=user, kind="expire").get().amount == -50
    assert find_breaches() == []


def test_expiring_grants_selector_lists_what_expires_when_soonest_first(user, task_row):
    _grants(user)
    services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=10)
    assert [(g.remaining, g.amount) for g in expiring_grants_of(user_id=user.pk)] == [(20, 30), (50, 50)]


def test_the_welcome_grant_can_expire(user, settings):
    settings.ZHIYI_WELCOME_CREDITS = 200
    settings.ZHIYI_WELCOME_CREDITS_DAYS = 14
    services.get_or_create_account(user_id=user.pk)
    pot = expiring_grants_of(user_id=user.pk).get()
    assert pot.remaining == 200
    assert abs((pot.expires_at - timezone.now()) - timedelta(days=14)) < timedelta(minutes=1)


def test_low_balance_notifies_once_per_crossing_after_commit(user, settings, django_capture_on_commit_callbacks):
    settings.ZHIYI_LOW_BALANCE_THRESHOLD = 100
    services.grant(user_id=user.pk, amount=150, reason="start")
    notices = Notification.objects.filter(user=user, kind="credits")
    for amount in (-60, -10, +50, -40, -5):  # 90 (crossing), 80, 130 (recovered), 90 (crossing), 85
        before = notices.count()
        with django_capture_on_commit_callbacks(execute=False) as pending:
            services.adjust(user_id=user.pk, amount=amount, reason="step")
        assert notices.count() == before  # nothing written inside the locked transaction
        for callback in pending:  # the commit: only now may the notifications app react
            callback()
        assert notices.count() - before == (1 if amount in (-60, -40) else 0)
    assert notices.count() == 2
    assert "90 points left" in notices.first().body


def test_existing_balances_became_one_never_expiring_grant(user):
    """The data migration's rule, applied to an account made the old way (no grants)."""
    from importlib import import_module

    from django.apps import apps

    from credits.models import CreditAccount

    account = CreditAccount.objects.create(user=user)
    LedgerEntry.objects.create(account=account, amount=70, kind="grant", balance_after=70, idempotency_key="old")
    CreditAccount.objects.filter(pk=account.pk).update(balance=70)
    import_module("credits.migrations.0002_grants_with_expiry").open_pots(apps, None)
    assert [(g.source, g.remaining, g.expires_at) for g in CreditGrant.objects.filter(account=account)] == [
        ("opening", 70, None)]
    assert find_breaches() == []


def test_the_credits_api_says_what_expires_when(api, user):
    services.grant(user_id=user.pk, amount=40, reason="promo", expires_at=timezone.now() + timedelta(days=3))
    body = api.get("/api/credits/").json()
    assert body["balance"] == 40 and [e["remaining"] for e in body["expiring"]] == [40]
    assert body["expiring"][0]["expires_at"] and body["entries"][0]["kind"] == "grant"


_expiry_ops = st.lists(st.one_of(
    st.tuples(st.just("grant"), st.integers(1, 200), st.sampled_from([None, -60, 60, 3600])),  # expiry offset s
    st.tuples(st.just("reserve"), st.integers(0, 150)),
    st.tuples(st.just("settle"), st.integers(0, 20), st.integers(0, 150)),
    st.tuples(st.just("refund"), st.integers(0, 20)),
    st.tuples(st.just("adjust"), st.integers(-150, 150).filter(bool)),
    st.tuples(st.just("lapse"),),  # every expiry moves into the past, then the upkeep job runs
), max_size=20)


class _Rollback(Exception):
    pass


@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_expiry_ops)
def test_books_and_grants_stay_consistent_whatever_expires_when(ops, task_row, user):
    try:
        with transaction.atomic():
            _run_expiry_ops(ops, task_row, user)
            raise _Rollback
    except _Rollback:
        pass


def _run_expiry_ops(ops, task_row, user) -> None:  # noqa: ANN001
    open_ids: list[int] = []
    for op in ops:
        if op[0] == "grant":
            expires = timezone.now() + timedelta(seconds=op[2]) if op[2] is not None else None
            services.grant(user_id=user.pk, amount=op[1], reason="p", expires_at=expires)
        elif op[0] == "reserve":
            try:
                r = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=op[1])
                open_ids.append(r.pk)
            except services.InsufficientCredits:
                pass
        elif op[0] in ("settle", "refund") and open_ids:
            rid = open_ids.pop(op[1] % len(open_ids))
            if op[0] == "settle":
                services.settle(reservation_id=rid, actual_cost=op[2])
            else:
                services.refund(reservation_id=rid)
        elif op[0] == "adjust":
            try:
                services.adjust(user_id=user.pk, amount=op[1], reason="p")
            except services.InsufficientCredits:
                pass
        elif op[0] == "lapse":
            CreditGrant.objects.filter(expires_at__isnull=False).update(
                expires_at=timezone.now() - timedelta(seconds=1))
            services.expire_grants()
            assert not CreditGrant.objects.filter(expires_at__isnull=False, remaining__gt=0).exists()
        assert find_breaches() == [], op
