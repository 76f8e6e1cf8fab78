"""Property test: any sequence of grant / reserve / settle / refund / adjust keeps the books."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from credits import services
from credits.models import Reservation
from credits.selectors import find_breaches
from tasks.models import ProcessingTask

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=0, max_value=300)
operation = st.one_of(
    st.tuples(st.just("grant"), st.integers(1, 300)),
    st.tuples(st.just("reserve"), amounts),
    st.tuples(st.just("settle"), st.integers(0, 50), amounts),  # (which reservation, actual cost)
    st.tuples(st.just("refund"), st.integers(0, 50)),
    st.tuples(st.just("adjust"), st.integers(-300, 300).filter(bool)),
)


class _Rollback(Exception):
    pass


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, max_size=25), welcome=st.integers(0, 200))
def test_ledger_invariants_hold_after_every_step(ops, welcome, settings):
    settings.ZHIYI_WELCOME_CREDITS = welcome
    try:
        with transaction.atomic():  # each example starts from an empty database
            _run(ops, welcome)
            raise _Rollback
    except _Rollback:
        pass


def _run(ops, welcome: int) -> None:
    user = get_user_model().objects.create_user("prop")
    expected = welcome  # a model of the balance, kept beside the real one
    open_amounts: dict[int, int] = {}
    reservations: list[int] = []
    for op in ops:
        kind = op[0]
        if kind == "grant":
            services.grant(user_id=user.pk, amount=op[1], reason="p")
            expected += op[1]
        elif kind == "adjust":
            if expected + op[1] < 0:
                with pytest.raises(services.InsufficientCredits):
                    services.adjust(user_id=user.pk, amount=op[1], reason="p")
            else:
                services.adjust(user_id=user.pk, amount=op[1], reason="p")
                expected += op[1]
        elif kind == "reserve":
            task = ProcessingTask.objects.create(user=user, engine="opencc", source_lang="a", target_lang="b",
                                                 format="txt", filename="f", original="x")
            if op[1] > expected:
                with pytest.raises(services.InsufficientCredits):
                    services.reserve(user_id=user.pk, task_id=task.pk, number=1, amount=op[1])
            else:
                r = services.reserve(user_id=user.pk, task_id=task.pk, number=1, amount=op[1])
                reservations.append(r.pk)
                open_amounts[r.pk] = op[1]
                expected -= op[1]
        elif reservations:
            rid = reservations[op[1] % len(reservations)]
            if kind == "settle":
                r = services.settle(reservation_id=rid, actual_cost=op[2])
                if rid in open_amounts:
                    expected += open_amounts.pop(rid) - min(op[2], r.amount)
            else:
                services.refund(reservation_id=rid)
                expected += open_amounts.pop(rid, 0)
        assert find_breaches() == []
        assert services.get_or_create_account(user_id=user.pk).balance == expected
        assert expected >= 0
    ended = Reservation.objects.exclude(state=Reservation.State.RESERVED).count()
    assert ended == len(reservations) - len(open_amounts)
