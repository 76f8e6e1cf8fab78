"""Every change to a balance. Each service is atomic, locks the account row first (then the
reservation row, always in that order, so two services never deadlock), and is idempotent by
the ledger entry's unique key: calling it again with the same key changes nothing."""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from credits import ledger_sql, messages
from credits.models import CreditAccount, CreditDraw, CreditGrant, LedgerEntry, Reservation
from credits.signals import balance_low

# Credits that give back what a reservation drew: they go back into the pots it came from.
_RETURNS = (LedgerEntry.Kind.REFUND, LedgerEntry.Kind.SETTLE_REFUND)


class CreditError(Exception):
    code = "credit_error"


class InsufficientCredits(CreditError):
    code = "insufficient_credits"

    def __init__(self, *, balance: int, cost: int) -> None:
        super().__init__(ngettext("This needs %(cost)s point and the balance is %(balance)s.",
                                  "This needs %(cost)s points and the balance is %(balance)s.", cost)
                         % {"cost": cost, "balance": balance})
        self.balance = balance
        self.cost = cost


def welcome_key(user_id: int) -> str:
    return f"welcome:user:{user_id}"


def get_or_create_account(*, user_id: int) -> CreditAccount:
    """The user's account, created on first use with the welcome grant (once, by its key)."""
    account = CreditAccount.objects.filter(user_id=user_id).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            account = CreditAccount.objects.create(user_id=user_id)
            if settings.ZHIYI_WELCOME_CREDITS > 0:
                days = settings.ZHIYI_WELCOME_CREDITS_DAYS
                _post(account, amount=settings.ZHIYI_WELCOME_CREDITS, kind=LedgerEntry.Kind.GRANT,
                      key=welcome_key(user_id), reason="Welcome credits", note=(messages.WELCOME, {}),
                      expires_at=timezone.now() + timedelta(days=days) if days else None)
    except IntegrityError:
        # Another request created it at the same moment; theirs carries the welcome grant.
        account = CreditAccount.objects.get(user_id=user_id)
    return account


def _lock_account(user_id: int) -> CreditAccount:
    account = CreditAccount.objects.select_for_update().filter(user_id=user_id).first()
    if account is None:
        get_or_create_account(user_id=user_id)
        account = CreditAccount.objects.select_for_update().get(user_id=user_id)
    return account


def _post(account: CreditAccount, *, amount: int, kind: str, key: str, reason: str = "",
          reservation: Reservation | None = None, task_id: int | None = None,
          actor_id: int | None = None, known_new: bool = False, expires_at: datetime | None = None,
          grant: CreditGrant | None = None, pots: list[CreditGrant] | None = None,
          note: tuple[str, dict] = ("", {})) -> LedgerEntry:
    """Write one ledger entry and move the balance. Precondition: `account` is locked (or just
    created) in the current transaction, so its balance is current and nobody else writes it.
    `known_new`: the caller has already established under the lock that this key cannot exist
    (e.g. the reservation was still open), which saves a query; the unique key still backs it."""
    if not known_new:
        existing = LedgerEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
    new_balance = account.balance + amount
    if new_balance < 0:
        raise InsufficientCredits(balance=account.balance, cost=-amount)
    returning = amount > 0 and kind in _RETURNS and reservation is not None
    if amount > 0 and grant is None and not returning:
        grant = CreditGrant.objects.create(account=account, source=kind, amount=amount, remaining=amount,
                                           expires_at=expires_at)
    entry = LedgerEntry.objects.create(
        account=account, amount=amount, kind=kind, balance_after=new_balance, idempotency_key=key,
        reservation=reservation, task_id=task_id, actor_id=actor_id, reason=reason[:300], grant=grant,
        note_code=note[0], note_params=note[1],
    )
    previous, account.balance = account.balance, new_balance
    account.save(update_fields=["balance", "updated_at"])
    if returning:
        _return_to_pots(account, reservation=reservation, amount=amount)  # type: ignore[arg-type]
    elif amount < 0 and kind != LedgerEntry.Kind.EXPIRE:
        _draw(account, amount=-amount, reservation=reservation, pots=pots)
    _announce_low_balance(account.user_id, previous=previous, balance=account.balance)
    return entry


# --- Pots: which points expire when ----------------------------------------------------------
# All of these run under the account's row lock (taken by the public service that called _post),
# so the pots of one account are never written by two transactions at once.

def _pots_in_spending_order(account: CreditAccount) -> list[CreditGrant]:
    return list(CreditGrant.objects.filter(account=account, remaining__gt=0).order_by(
        F("expires_at").asc(nulls_last=True), "id"))


def _draw(account: CreditAccount, *, amount: int, reservation: Reservation | None,
          pots: list[CreditGrant] | None = None) -> None:
    """Take `amount` from the pots that expire first (never-expiring pots last). `pots`: the
    live pots the caller already read under the lock (saves a query inside the lock)."""
    pots = _pots_in_spending_order(account) if pots is None else pots
    for pot, take in _takes(pots, amount):
        pot.save(update_fields=["remaining"])
        CreditDraw.objects.create(grant=pot, reservation=reservation, amount=take)


def _takes(pots: list[CreditGrant], amount: int) -> Iterator[tuple[CreditGrant, int]]:
    """How `amount` is taken from `pots` (in spending order): each pot and what it gives, its
    `remaining` lowered in memory (the caller saves it). Short only when pots and balance disagree
    (a balance edited by hand): find_breaches says so."""
    need = amount
    for pot in pots:
        if not need:
            return
        take = min(pot.remaining, need)
        if take <= 0:
            continue
        pot.remaining -= take
        need -= take
        yield pot, take


def _return_to_pots(account: CreditAccount, *, reservation: Reservation, amount: int) -> None:
    """Put refunded points back where the reservation took them from. A partial return (settle)
    fills the latest-expiring pots first, so what was charged came from the earliest. Points
    returned to a pot that has meanwhile expired expire again at once (they are not spendable)."""
    draws = (CreditDraw.objects.filter(reservation=reservation, returned__lt=F("amount")).select_related("grant")
             .order_by(F("grant__expires_at").desc(nulls_first=True), "-id"))
    left = amount
    now = timezone.now()
    expired_pots: list[CreditGrant] = []
    for draw in draws:
        give = min(draw.amount - draw.returned, left)
        draw.returned += give
        draw.save(update_fields=["returned"])
        pot = draw.grant
        pot.remaining += give
        pot.save(update_fields=["remaining"])
        if pot.expires_at is not None and pot.expires_at <= now:
            expired_pots.append(pot)
        left -= give
        if not left:
            break
    if left:  # a reservation made before pots existed: the points come back as a pot of their own
        CreditGrant.objects.create(account=account, source="refund", amount=left, remaining=left)
    for pot in expired_pots:
        _expire_pot(account, pot)


def _expire_pot(account: CreditAccount, pot: CreditGrant) -> LedgerEntry | None:
    """Precondition: `pot` was read (or last written) under the account lock, so it is current."""
    left = pot.remaining
    if left <= 0:
        return None
    # The key carries the pot's running expired total, which only grows: unique per step, and a
    # re-run under the lock sees remaining == 0 and writes nothing.
    entry = _post(account, amount=-left, kind=LedgerEntry.Kind.EXPIRE, grant=pot,
                  key=f"expire:grant:{pot.pk}:{pot.expired + left}",
                  reason=f"Expired {pot.expires_at:%Y-%m-%d %H:%M} UTC ({pot.source} of {pot.amount})",
                  note=(messages.EXPIRED, {"expires_at": pot.expires_at.isoformat() if pot.expires_at else "",
                                           "amount": pot.amount}))
    pot.remaining, pot.expired = 0, pot.expired + left
    pot.save(update_fields=["remaining", "expired"])
    return entry


def _expire_due(account: CreditAccount, *, now: datetime | None = None) -> list[CreditGrant]:
    """Expire what is left of every pot of the account past its expiry. Returns the pots still
    live, in spending order (one query serves both, since this runs inside the lock)."""
    now = now or timezone.now()
    live: list[CreditGrant] = []
    for pot in _pots_in_spending_order(account):
        if pot.expires_at is not None and pot.expires_at <= now:
            _expire_pot(account, pot)
        else:
            live.append(pot)
    return live


def _announce_low_balance(user_id: int, *, previous: int, balance: int) -> None:
    """Once per crossing: only a change from at-or-above the threshold to below it is announced,
    so it fires again only after the balance has recovered above the threshold. Announced after
    commit (credits.signals.balance_low), so no other app writes inside this locked transaction."""
    threshold = settings.ZHIYI_LOW_BALANCE_THRESHOLD
    if threshold and previous >= threshold > balance:
        transaction.on_commit(lambda: balance_low.send(sender=CreditAccount, user_id=user_id, balance=balance,
                                                       threshold=threshold))


def expire_grants(*, now: datetime | None = None) -> int:
    """Upkeep: expire what is left of every pot past its expiry, one account per transaction.
    Returns the number of points expired. Safe to run concurrently and repeatedly."""
    now = now or timezone.now()
    total = 0
    user_ids = (CreditGrant.objects.filter(remaining__gt=0, expires_at__lte=now)
                .values_list("account__user_id", flat=True).distinct())
    for user_id in list(user_ids):
        with transaction.atomic():
            account = _lock_account(user_id)
            before = account.balance
            _expire_due(account, now=now)
            total += before - account.balance
    return total


@transaction.atomic
def grant(*, user_id: int, amount: int, reason: str, actor_id: int | None = None,
          idempotency_key: str | None = None, expires_at: datetime | None = None) -> LedgerEntry:
    """Add points; with `expires_at`, what is left of them then expires (spending uses them first)."""
    if amount <= 0:
        raise ValueError("a grant must be positive")
    account = _lock_account(user_id)
    return _post(account, amount=amount, kind=LedgerEntry.Kind.GRANT, reason=reason, actor_id=actor_id,
                 key=idempotency_key or f"grant:{uuid.uuid4().hex}", expires_at=expires_at)


@transaction.atomic
def adjust(*, user_id: int, amount: int, reason: str, actor_id: int | None = None,
           idempotency_key: str | None = None) -> LedgerEntry:
    """A signed correction by staff. Raises InsufficientCredits rather than go below zero."""
    if amount == 0:
        raise ValueError("an adjustment must not be zero")
    if not reason.strip():
        raise ValueError("an adjustment needs a reason")
    account = _lock_account(user_id)
    pots = _expire_due(account) if amount < 0 else None  # expired points are not there to take
    return _post(account, amount=amount, kind=LedgerEntry.Kind.ADJUST, reason=reason, actor_id=actor_id,
                 key=idempotency_key or f"adjust:{uuid.uuid4().hex}", pots=pots)


@transaction.atomic
def reserve(*, user_id: int, task_id: int, number: int, amount: int) -> Reservation:
    """Debit `amount` now for round `number` of a task. The same (task, number) returns the
    reservation made before instead of debiting again."""
    if amount < 0:
        raise ValueError("a reservation cannot be negative")
    key = f"reserve:task:{task_id}:{number}"
    if ledger_sql.applies():
        found = ledger_sql.reserve(user_id=user_id, task_id=task_id, number=number, amount=amount, key=key,
                                   now=timezone.now())
        if found.reservation is not None:
            _announce_low_balance(user_id, previous=found.balance, balance=found.balance - amount)
            return found.reservation
        if found.existing is not None:
            return Reservation.objects.get(pk=found.existing)
        if found.account and not found.due:
            raise InsufficientCredits(balance=found.balance, cost=amount)
        # No account yet, or pots to expire first: the ORM path, under the lock already held.
    account = _lock_account(user_id)
    existing = Reservation.objects.filter(task_ref=task_id, number=number).first()
    if existing is not None:
        return existing
    pots = _expire_due(account)  # expired points are not there to spend (the upkeep job may lag)
    if account.balance < amount:
        raise InsufficientCredits(balance=account.balance, cost=amount)
    reservation = Reservation.objects.create(account=account, task_id=task_id, task_ref=task_id,
                                             number=number, amount=amount)
    _post(account, amount=-amount, kind=LedgerEntry.Kind.RESERVE, key=key, reservation=reservation, task_id=task_id,
          known_new=True, pots=pots)
    return reservation


@transaction.atomic
def reserve_many(*, user_id: int, amounts: dict[int, int]) -> list[Reservation]:
    """Debit the first round of many new tasks at once ({task id: amount}), all or nothing: one
    account lock, one read of the pots, and the reservations, ledger entries and draws written
    in bulk — what `reserve` writes for each, in the same order. Raises InsufficientCredits with
    the whole total. For tasks created in this transaction: none of them has a reservation yet
    (the unique round and ledger key would refuse a second one)."""
    if any(amount < 0 for amount in amounts.values()):
        raise ValueError("a reservation cannot be negative")
    account = _lock_account(user_id)
    pots = _expire_due(account)
    total = sum(amounts.values())
    if account.balance < total:
        raise InsufficientCredits(balance=account.balance, cost=total)
    reservations = Reservation.objects.bulk_create(
        [Reservation(account=account, task_id=task_id, task_ref=task_id, number=1, amount=amount)
         for task_id, amount in amounts.items()])
    balance, entries, draws, touched = account.balance, [], [], {}
    for reservation in reservations:
        balance -= reservation.amount
        entries.append(LedgerEntry(account=account, amount=-reservation.amount, kind=LedgerEntry.Kind.RESERVE,
                                   balance_after=balance, idempotency_key=f"reserve:task:{reservation.task_ref}:1",
                                   reservation=reservation, task_id=reservation.task_ref))
        for pot, take in _takes(pots, reservation.amount):
            touched[pot.pk] = pot
            draws.append(CreditDraw(grant=pot, reservation=reservation, amount=take))
    LedgerEntry.objects.bulk_create(entries)
    CreditDraw.objects.bulk_create(draws)
    CreditGrant.objects.bulk_update(list(touched.values()), ["remaining"])
    previous, account.balance = account.balance, balance
    account.save(update_fields=["balance", "updated_at"])
    _announce_low_balance(user_id, previous=previous, balance=balance)
    return reservations


def _lock_reservation(reservation_id: int) -> tuple[CreditAccount, Reservation]:
    # Account first, then the reservation: the same order as every other service.
    account = CreditAccount.objects.select_for_update(of=("self",)).get(reservations__pk=reservation_id)
    return account, Reservation.objects.select_for_update().get(pk=reservation_id)


@transaction.atomic
def settle(*, reservation_id: int, actual_cost: int) -> Reservation:
    """End a reservation by charging `actual_cost` (capped at what was reserved) and refunding
    the rest. A reservation that has already ended is returned unchanged."""
    def terms(amount: int, task_ref: int, number: int) -> ledger_sql.Ending:
        charged = max(0, min(actual_cost, amount))
        return ledger_sql.Ending(charged=charged, back=amount - charged, kind=LedgerEntry.Kind.SETTLE_REFUND,
                                 key=f"settle:task:{task_ref}:{number}",
                                 reason=f"Unused part of the reservation ({charged} of {amount} charged)",
                                 note=(messages.UNUSED_RESERVATION, {"charged": charged, "amount": amount}))

    return _end(reservation_id, Reservation.State.SETTLED, terms)


@transaction.atomic
def refund(*, reservation_id: int, reason: str = "", note_code: str = "", note_params: dict | None = None) -> Reservation:
    """End a reservation by giving all of it back. Idempotent like settle. `note_code` (a code of
    credits/messages.py) and its parameters are what the owner reads; `reason` is the record."""
    def terms(amount: int, task_ref: int, number: int) -> ledger_sql.Ending:
        return ledger_sql.Ending(charged=0, back=amount, kind=LedgerEntry.Kind.REFUND,
                                 key=f"refund:task:{task_ref}:{number}", reason=reason,
                                 note=(note_code, note_params or {}))

    return _end(reservation_id, Reservation.State.REFUNDED, terms)


def _end(reservation_id: int, state: str, terms: Callable[[int, int, int], ledger_sql.Ending]) -> Reservation:
    """End a reservation as `state` (inside the caller's transaction): `terms(amount, task_ref,
    number)` says what is charged, what goes back and how the ledger entry reads."""
    if ledger_sql.applies():
        locked = ledger_sql.lock_for(reservation_id)
        if locked is not None:
            ended = ledger_sql.end(locked, terms(locked.amount, locked.task_ref, locked.number), state=state,
                                   now=timezone.now())
            if ended.reservation is not None:
                return ended.reservation
            # Points to return to an expired pot, or a reservation older than pots: the ORM path.
    account, reservation = _lock_reservation(reservation_id)
    if reservation.state != Reservation.State.RESERVED:
        return reservation
    ending = terms(reservation.amount, reservation.task_ref, reservation.number)
    if ending.back:
        _post(account, amount=ending.back, kind=ending.kind, reservation=reservation, task_id=reservation.task_id,
              key=ending.key, reason=ending.reason, known_new=True, note=ending.note)
    reservation.state = state
    reservation.charged = ending.charged
    reservation.ended_at = timezone.now()
    reservation.save(update_fields=["state", "charged", "ended_at"])
    return reservation
