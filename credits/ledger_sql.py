"""The ledger's everyday moves — reserve, settle, refund — in two statements each on PostgreSQL.

Through the ORM each of them is about ten statements, eight of them while the account row is
locked, and 5–9 ms of Python; one account's operations are serial by design, so that time is
the account's whole throughput. Here each move is:

1. lock the account row (`SELECT … FOR UPDATE`), and
2. one statement of data-modifying CTEs that checks the move's conditions against a snapshot
   taken after the lock (under READ COMMITTED every statement reads afresh, so it sees whatever
   the lock's previous holder committed) and, when they hold, writes what the ORM path writes:
   the reservation, the ledger entry, the balance, the draws from the pots and back into them.

When a condition does not hold the statement writes nothing and says why; credits.services then
raises (not enough points) or takes its ORM path under the lock already held, for the rare cases
this does not cover: no account yet, pots past their expiry to expire first, points returned to
a pot that has expired meanwhile, a reservation older than pots. The order of pots is the ORM
path's (`_takes` and `_return_to_pots`); tests/credits/test_ledger_sql.py checks that both paths
leave the same books after the same operations.

Only credits.services calls this; every caller is inside its transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from credits.models import CreditAccount, CreditDraw, CreditGrant, LedgerEntry, Reservation

# Off only to measure or compare with the ORM path (bench/ledger.py, the differential test).
enabled = True

_TABLES = {"A": CreditAccount._meta.db_table, "R": Reservation._meta.db_table, "L": LedgerEntry._meta.db_table,
           "G": CreditGrant._meta.db_table, "D": CreditDraw._meta.db_table}
_RESERVATION_FIELDS = [field.attname for field in Reservation._meta.concrete_fields]
_ROW = ", ".join(f"x.{name}" for name in _RESERVATION_FIELDS)
_ENTRY_COLUMNS = ("account_id, amount, kind, balance_after, idempotency_key, reservation_id, task_id, actor_id, "
                  "reason, note_code, note_params, grant_id, created_at")


def applies() -> bool:
    return enabled and connection.vendor == "postgresql"


def _sql(text: str) -> str:
    for name, table in _TABLES.items():
        text = text.replace(f"{{{name}}}", f'"{table}"')
    return text


def _reservation(row: tuple) -> Reservation:
    return Reservation.from_db(connection.alias, _RESERVATION_FIELDS, row)


# --- reserve ----------------------------------------------------------------------------------

_LOCK_ACCOUNT = _sql("SELECT id FROM {A} WHERE user_id = %(user)s FOR UPDATE")

# Pots in spending order (earliest expiry first, never-expiring last, then by id); `before` is
# what the pots ahead of each one hold, so a pot gives min(remaining, amount − before).
_RESERVE = _sql(f"""
WITH guard AS (
    SELECT (SELECT id FROM {{R}} WHERE task_ref = %(task)s AND number = %(number)s) AS existing,
           EXISTS (SELECT 1 FROM {{G}} WHERE account_id = %(account)s AND remaining > 0
                   AND expires_at <= %(now)s) AS due,
           (SELECT balance FROM {{A}} WHERE id = %(account)s) AS balance
), go AS (
    SELECT balance FROM guard WHERE existing IS NULL AND NOT due AND balance >= %(amount)s
), made AS (
    INSERT INTO {{R}} (account_id, task_id, task_ref, number, amount, charged, state, created_at, ended_at)
    SELECT %(account)s, %(task)s, %(task)s, %(number)s, %(amount)s, 0, 'reserved', %(now)s, NULL FROM go
    RETURNING *
), moved AS (
    UPDATE {{A}} SET balance = go.balance - %(amount)s, updated_at = %(now)s FROM go WHERE {{A}}.id = %(account)s
), entry AS (
    INSERT INTO {{L}} ({_ENTRY_COLUMNS})
    SELECT %(account)s, %(debit)s, 'reserve', go.balance - %(amount)s, %(key)s, made.id, %(task)s, NULL,
           '', '', '{{}}'::jsonb, NULL, %(now)s FROM go, made
), pots AS (
    SELECT id, remaining,
           SUM(remaining) OVER (ORDER BY expires_at ASC NULLS LAST, id) - remaining AS before
    FROM {{G}} WHERE account_id = %(account)s AND remaining > 0 AND EXISTS (SELECT 1 FROM go)
), takes AS (
    SELECT id, LEAST(remaining, %(amount)s - before) AS take FROM pots WHERE before < %(amount)s
), drained AS (
    UPDATE {{G}} SET remaining = {{G}}.remaining - takes.take FROM takes WHERE {{G}}.id = takes.id
), drawn AS (
    INSERT INTO {{D}} (grant_id, reservation_id, amount, returned)
    SELECT takes.id, made.id, takes.take, 0 FROM takes, made
)
SELECT guard.existing, guard.due, guard.balance, {_ROW} FROM guard LEFT JOIN made x ON TRUE
""")


@dataclass(frozen=True)
class Reserved:
    """What a reserve found: the new reservation, or why there is none (`account` False: the
    user has no account yet; `existing`: the round's reservation made before; `due`: pots to
    expire first; otherwise `balance` is short)."""
    reservation: Reservation | None
    account: bool = True
    existing: int | None = None
    due: bool = False
    balance: int = 0


def reserve(*, user_id: int, task_id: int, number: int, amount: int, key: str, now: datetime) -> Reserved:
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_ACCOUNT, {"user": user_id})
        row = cursor.fetchone()
        if row is None:
            return Reserved(None, account=False)
        cursor.execute(_RESERVE, {"account": row[0], "task": task_id, "number": number, "amount": amount,
                                  "debit": -amount, "key": key, "now": now})
        existing, due, balance, *made = cursor.fetchone()
    reservation = _reservation(tuple(made)) if made[0] is not None else None
    return Reserved(reservation, existing=existing, due=due, balance=balance)


# --- settle and refund: end a reservation -----------------------------------------------------

_LOCK_FOR_RESERVATION = _sql("""
SELECT a.id, r.amount, r.task_ref, r.number FROM {A} a JOIN {R} r ON r.account_id = a.id WHERE r.id = %(id)s FOR UPDATE OF a
""")

# The reservation's draws, latest-expiring pot first (then the newest draw): a partial return
# refills those, so what was charged came from the earliest. `simple`: the draws hold exactly
# what goes back and no pot they refill has expired.
_END = _sql(f"""
WITH r AS (
    SELECT * FROM {{R}} WHERE id = %(id)s
), owed AS (
    SELECT d.id, d.grant_id, g.expires_at, d.amount - d.returned AS owed,
           SUM(d.amount - d.returned) OVER (ORDER BY g.expires_at DESC NULLS FIRST, d.id DESC)
               - (d.amount - d.returned) AS before
    FROM {{D}} d JOIN {{G}} g ON g.id = d.grant_id WHERE d.reservation_id = %(id)s AND d.returned < d.amount
), gives AS (
    SELECT id, grant_id, expires_at, LEAST(owed, %(back)s - before) AS give FROM owed WHERE before < %(back)s
), guard AS (
    SELECT EXISTS (SELECT 1 FROM r WHERE state = 'reserved') AS open,
           COALESCE((SELECT SUM(give) FROM gives), 0) = %(back)s
               AND NOT EXISTS (SELECT 1 FROM gives WHERE expires_at <= %(now)s) AS simple
), go AS (
    SELECT 1 FROM guard WHERE open AND simple
), ended AS (
    UPDATE {{R}} SET state = %(state)s, charged = %(charged)s, ended_at = %(now)s FROM go
    WHERE {{R}}.id = %(id)s RETURNING {{R}}.*
), moved AS (
    UPDATE {{A}} SET balance = {{A}}.balance + %(back)s, updated_at = %(now)s FROM go
    WHERE {{A}}.id = %(account)s AND %(back)s > 0 RETURNING {{A}}.balance
), entry AS (
    INSERT INTO {{L}} ({_ENTRY_COLUMNS})
    SELECT %(account)s, %(back)s, %(kind)s, moved.balance, %(key)s, ended.id, ended.task_id, NULL,
           %(reason)s, %(note_code)s, %(note_params)s::jsonb, NULL, %(now)s FROM moved, ended
), returned AS (
    UPDATE {{D}} SET returned = {{D}}.returned + gives.give FROM gives, go WHERE {{D}}.id = gives.id
), refilled AS (
    UPDATE {{G}} SET remaining = {{G}}.remaining + per_pot.give
    FROM (SELECT grant_id, SUM(give) AS give FROM gives GROUP BY grant_id) per_pot, go
    WHERE {{G}}.id = per_pot.grant_id
)
SELECT guard.open, guard.simple, {_ROW} FROM guard,
       LATERAL (SELECT * FROM ended UNION ALL SELECT * FROM r WHERE NOT EXISTS (SELECT 1 FROM ended)) x
""")


@dataclass(frozen=True)
class Ended:
    """The reservation after an ending (or as it was, if it had ended before); `simple` False:
    the ORM path must end it (nothing was written)."""
    reservation: Reservation | None
    simple: bool = True


@dataclass(frozen=True)
class Ending:
    """The terms a reservation ends on (credits.services computes them, both paths write them):
    what is charged, what goes back, and the ledger entry of what goes back."""
    charged: int
    back: int
    kind: str
    key: str
    reason: str
    note: tuple[str, dict]


@dataclass(frozen=True)
class Locked:
    """A reservation whose account is locked, with the fields that never change."""
    id: int
    account_id: int
    amount: int
    task_ref: int
    number: int


def lock_for(reservation_id: int) -> Locked | None:
    """Lock the account of a reservation; None if there is no such reservation."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_FOR_RESERVATION, {"id": reservation_id})
        row = cursor.fetchone()
    return Locked(reservation_id, *row) if row else None


def end(locked: Locked, ending: Ending, *, state: str, now: datetime) -> Ended:
    """Under the lock of `lock_for`: end the reservation as `state` on the terms of `ending`."""
    with connection.cursor() as cursor:
        cursor.execute(_END, {"id": locked.id, "account": locked.account_id, "state": state,
                              "charged": ending.charged, "back": ending.back, "kind": ending.kind, "key": ending.key,
                              "reason": ending.reason[:300], "note_code": ending.note[0],
                              "note_params": json.dumps(ending.note[1], cls=DjangoJSONEncoder), "now": now})
        # One row always: the reservation as this ended it, or as it was (the lock keeps it there).
        is_open, simple, *fields = cursor.fetchone()
    if is_open and not simple:
        return Ended(None, simple=False)
    return Ended(_reservation(tuple(fields)))
