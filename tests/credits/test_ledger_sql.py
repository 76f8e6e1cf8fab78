"""On PostgreSQL, reserve, settle and refund run as two statements each (credits/ledger_sql.py)
instead of the ORM's ten. The same operations through either path must leave the same books:
every balance, reservation, ledger entry, pot and draw, with the clock moved so that pots
expire between operations (which sends the statements back to the ORM path where they must)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from credits import ledger_sql, services
from credits.models import CreditAccount, CreditDraw, CreditGrant, LedgerEntry, Reservation
from credits.selectors import find_breaches
from tasks.models import ProcessingTask

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the two-statement path is PostgreSQL's"),
]

hours = st.one_of(st.none(), st.integers(1, 6))
grant = st.tuples(st.just("grant"), st.integers(1, 200), hours)  # (amount, expires in hours or never)
reserve = st.tuples(st.just("reserve"), st.integers(0, 120))
settle = st.tuples(st.just("settle"), st.integers(0, 30), st.integers(0, 120))  # (which reservation, cost)
# Weighted towards the moves the two-statement path makes, with the clock moving now and then.
operation = st.one_of(
    grant, grant, reserve, reserve, reserve, settle, settle,
    st.tuples(st.just("refund"), st.integers(0, 30)),
    st.tuples(st.just("again"), st.integers(0, 30)),  # reserve a round made before once more
    st.tuples(st.just("adjust"), st.integers(-150, 150).filter(bool)),
    st.tuples(st.just("later"), st.integers(1, 4)),  # the clock moves on by hours
    st.tuples(st.just("upkeep")),
)


class _Rollback(Exception):
    pass


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=4, max_size=30), welcome=st.integers(0, 300))
def test_both_paths_leave_the_same_books(ops, welcome, settings):
    settings.ZHIYI_WELCOME_CREDITS = welcome
    settings.ZHIYI_WELCOME_CREDITS_DAYS = 0
    try:
        with transaction.atomic():  # each example starts from an empty database
            user = get_user_model().objects.create_user("differential")
            tasks = [_task(user).pk for op in ops if op[0] == "reserve"]
            start = timezone.now()
            fast = _books_after(ops, user.pk, tasks, start, sql=True)
            orm = _books_after(ops, user.pk, tasks, start, sql=False)
            assert fast == orm
            raise _Rollback
    except _Rollback:
        pass


def _task(user) -> ProcessingTask:  # noqa: ANN001
    return ProcessingTask.objects.create(user=user, engine="opencc", source_lang="zh-Hans", target_lang="zh-Hant",
                                         format="txt", filename="t.txt", original="originals/none.txt")


def _books_after(ops, user_id: int, tasks: list[int], start: datetime, *, sql: bool):  # noqa: ANN001
    """Run `ops` from the same start through one path; the outcome of each and the books after,
    in a form that does not depend on the rows' ids (sequences are not rolled back)."""
    clock = [start]
    outcomes: list[object] = []
    with mock.patch.object(ledger_sql, "enabled", sql), mock.patch.object(timezone, "now", lambda: clock[0]):
        try:
            with transaction.atomic():
                _apply(ops, user_id, iter(tasks), clock, outcomes)
                assert find_breaches() == []
                books = _books(user_id)
                raise _Rollback
        except _Rollback:
            pass
    return outcomes, books


def _apply(ops, user_id: int, tasks, clock: list, outcomes: list) -> None:  # noqa: ANN001, C901
    made: list[Reservation] = []
    if settings.ZHIYI_WELCOME_CREDITS:  # with none, the first move also opens the account
        services.get_or_create_account(user_id=user_id)
    for n, op in enumerate(ops):
        kind, key = op[0], f"{op[0]}:{n}"
        try:
            if kind == "grant":
                expires = clock[0] + timedelta(hours=op[2]) if op[2] else None
                services.grant(user_id=user_id, amount=op[1], reason="g", expires_at=expires,
                               idempotency_key=key)
            elif kind == "reserve":
                made.append(services.reserve(user_id=user_id, task_id=next(tasks), number=1, amount=op[1]))
            elif kind == "adjust":
                services.adjust(user_id=user_id, amount=op[1], reason="a", idempotency_key=key)
            elif kind == "later":
                clock[0] += timedelta(hours=op[1])
            elif kind == "upkeep":
                outcomes.append(services.expire_grants())
            elif made:
                r = made[op[1] % len(made)]
                if kind == "again":
                    again = services.reserve(user_id=user_id, task_id=r.task_ref, number=r.number, amount=r.amount)
                    outcomes.append(again.pk == r.pk)
                elif kind == "settle":
                    outcomes.append(services.settle(reservation_id=r.pk, actual_cost=op[2]).charged)
                else:
                    outcomes.append(services.refund(reservation_id=r.pk, note_code="failed",
                                                    note_params={"why": "x"}).state)
        except services.InsufficientCredits as exc:
            outcomes.append(("short", exc.balance, exc.cost))


def _books(user_id: int) -> dict:
    account = CreditAccount.objects.filter(user_id=user_id).first()

    def index(model) -> dict[int, int]:  # noqa: ANN001
        return {pk: n for n, pk in enumerate(model.objects.order_by("id").values_list("id", flat=True))}

    grants, reservations = index(CreditGrant), index(Reservation)

    def key(text: str) -> str:
        return re.sub(r"^expire:grant:(\d+):", lambda m: f"expire:grant:#{grants[int(m[1])]}:", text)

    return {
        "account": account and (account.balance, account.updated_at),
        "pots": list(CreditGrant.objects.order_by("id").values_list(
            "source", "amount", "remaining", "expired", "expires_at", "created_at")),
        "reservations": list(Reservation.objects.order_by("id").values_list(
            "task_ref", "number", "amount", "charged", "state", "created_at", "ended_at")),
        "entries": [(e.amount, e.kind, e.balance_after, key(e.idempotency_key), reservations.get(e.reservation_id),
                     e.task_id, e.reason, e.note_code, e.note_params, grants.get(e.grant_id), e.created_at)
                    for e in LedgerEntry.objects.order_by("id")],
        "draws": [(grants[d.grant_id], reservations.get(d.reservation_id), d.amount, d.returned)
                  for d in CreditDraw.objects.order_by("id")],
    }


def _statements(queries) -> list[str]:  # noqa: ANN001
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def test_reserve_settle_and_refund_are_two_statements_each(user, task_row, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    services.grant(user_id=user.pk, amount=500, reason="g")
    services.grant(user_id=user.pk, amount=50, reason="soon", expires_at=timezone.now() + timedelta(hours=1))
    tasks = [task_row().pk, task_row().pk]
    with CaptureQueriesContext(connection) as reserving:
        first = services.reserve(user_id=user.pk, task_id=tasks[0], number=1, amount=120)
    second = services.reserve(user_id=user.pk, task_id=tasks[1], number=1, amount=30)
    with CaptureQueriesContext(connection) as settling:
        services.settle(reservation_id=first.pk, actual_cost=100)
    with CaptureQueriesContext(connection) as refunding:
        services.refund(reservation_id=second.pk)
    assert [len(_statements(q.captured_queries)) for q in (reserving, settling, refunding)] == [2, 2, 2]
    assert services.get_or_create_account(user_id=user.pk).balance == 450
    assert find_breaches() == []


def test_a_pot_past_its_expiry_sends_reserve_to_the_orm_path_which_expires_it(user, task_row, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    services.grant(user_id=user.pk, amount=40, reason="soon", expires_at=timezone.now() + timedelta(hours=1))
    services.grant(user_id=user.pk, amount=100, reason="forever")
    later = timezone.now() + timedelta(hours=2)
    with mock.patch.object(timezone, "now", lambda: later):
        with pytest.raises(services.InsufficientCredits) as short:
            services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=101)
        reservation = services.reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=100)
    assert short.value.balance == 100  # the 40 had expired by then
    assert [(e.kind, e.amount) for e in LedgerEntry.objects.filter(account__user=user).order_by("id")][2:] == [
        ("expire", -40), ("reserve", -100)]
    assert list(reservation.draws.values_list("grant__remaining", "amount")) == [(0, 100)]
    assert find_breaches() == []
