"""reserve_many (a job's first rounds at once) writes what one `reserve` per task writes: the
same balance after each entry, the same draws from the same pots, all or nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from credits import services
from credits.models import CreditDraw, CreditGrant, LedgerEntry, Reservation
from credits.selectors import balance_of, find_breaches
from tasks.models import ProcessingTask

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _account(name: str, pots: list[tuple[int, int | None]]) -> int:
    """A user whose points are `pots` of (amount, days to expiry or None)."""
    user = get_user_model().objects.create_user(name)
    for amount, days in pots:
        services.grant(user_id=user.pk, amount=amount, reason="pot",
                       expires_at=timezone.now() + timedelta(days=days) if days is not None else None)
    return user.pk


def _books(user_id: int, task_ids: list[int]) -> dict:
    entries = [(e.task_id and task_ids.index(e.task_id), e.amount, e.balance_after, e.kind)
               for e in LedgerEntry.objects.filter(account__user_id=user_id, kind="reserve").order_by("id")]
    draws = sorted((task_ids.index(d.reservation.task_ref), d.grant.amount, d.grant.expires_at is None, d.amount)
                   for d in CreditDraw.objects.filter(grant__account__user_id=user_id).select_related("grant",
                                                                                                       "reservation"))
    pots = sorted((g.amount, g.remaining) for g in CreditGrant.objects.filter(account__user_id=user_id))
    return {"balance": balance_of(user_id=user_id), "entries": entries, "draws": draws, "pots": pots}


def _tasks(user_id: int, count: int) -> list[int]:
    return [ProcessingTask.objects.create(user_id=user_id, engine="opencc", source_lang="zh-Hans",
                                          target_lang="zh-Hant", filename=f"{n}.txt", original="x").pk
            for n in range(count)]


@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pots=st.lists(st.tuples(st.integers(1, 200), st.one_of(st.none(), st.integers(1, 60))), max_size=5),
       costs=st.lists(st.integers(0, 150), min_size=1, max_size=8))
def test_the_same_books_as_one_reserve_per_task(pots, costs, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    try:
        with transaction.atomic():
            one_by_one, at_once = _account("one", pots), _account("many", pots)
            tasks_one, tasks_many = _tasks(one_by_one, len(costs)), _tasks(at_once, len(costs))
            affordable = sum(costs) <= sum(amount for amount, _ in pots)
            if affordable:
                for task_id, cost in zip(tasks_one, costs):
                    services.reserve(user_id=one_by_one, task_id=task_id, number=1, amount=cost)
                services.reserve_many(user_id=at_once, amounts=dict(zip(tasks_many, costs)))
                assert _books(at_once, tasks_many) == _books(one_by_one, tasks_one)
            else:
                with pytest.raises(services.InsufficientCredits) as refused, transaction.atomic():
                    services.reserve_many(user_id=at_once, amounts=dict(zip(tasks_many, costs)))
                assert refused.value.cost == sum(costs)
                assert not Reservation.objects.filter(task_ref__in=tasks_many).exists()
                assert balance_of(user_id=at_once) == sum(amount for amount, _ in pots)
            assert find_breaches() == []
            raise _Rollback
    except _Rollback:
        pass
