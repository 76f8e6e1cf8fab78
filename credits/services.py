"""Every change to a balance. Each service is atomic, locks the account row first (then the
reservation row, always in that order, so two services never deadlock), and is idempotent by
the ledger entry's unique key: calling it again with the same key changes nothing."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from credits.models import CreditAccount, LedgerEntry, Reservation


class CreditError(Exception):
    code = "credit_error"


class InsufficientCredits(CreditError):
    code = "insufficient_credits"

    def __init__(self, *, balance: int, cost: int) -> None:
        super().__init__(f"This needs {cost} points and the balance is {balance}.")
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
                _post(account, amount=settings.ZHIYI_WELCOME_CREDITS, kind=LedgerEntry.Kind.GRANT,
                      key=welcome_key(user_id), reason="Welcome credits")
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
          actor_id: int | None = None, known_new: bool = False) -> LedgerEntry:
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
    entry = LedgerEntry.objects.create(
        account=account, amount=amount, kind=kind, balance_after=new_balance, idempotency_key=key,
        reservation=reservation, task_id=task_id, actor_id=actor_id, reason=reason[:300],
    )
    account.balance = new_balance
    account.save(update_fields=["balance", "updated_at"])
    return entry


@transaction.atomic
def grant(*, user_id: int, amount: int, reason: str, actor_id: int | None = None,
          idempotency_key: str | None = None) -> LedgerEntry:
    if amount <= 0:
        raise ValueError("a grant must be positive")
    account = _lock_account(user_id)
    return _post(account, amount=amount, kind=LedgerEntry.Kind.GRANT, reason=reason, actor_id=actor_id,
                 key=idempotency_key or f"grant:{uuid.uuid4().hex}")


@transaction.atomic
def adjust(*, user_id: int, amount: int, reason: str, actor_id: int | None = None,
           idempotency_key: str | None = None) -> LedgerEntry:
    """A signed correction by staff. Raises InsufficientCredits rather than go below zero."""
    if amount == 0:
        raise ValueError("an adjustment must not be zero")
    if not reason.strip():
        raise ValueError("an adjustment needs a reason")
    account = _lock_account(user_id)
    return _post(account, amount=amount, kind=LedgerEntry.Kind.ADJUST, reason=reason, actor_id=actor_id,
                 key=idempotency_key or f"adjust:{uuid.uuid4().hex}")


@transaction.atomic
def reserve(*, user_id: int, task_id: int, number: int, amount: int) -> Reservation:
    """Debit `amount` now for round `number` of a task. The same (task, number) returns the
    reservation made before instead of debiting again."""
    if amount < 0:
        raise ValueError("a reservation cannot be negative")
    account = _lock_account(user_id)
    existing = Reservation.objects.filter(task_ref=task_id, number=number).first()
    if existing is not None:
        return existing
    if account.balance < amount:
        raise InsufficientCredits(balance=account.balance, cost=amount)
    reservation = Reservation.objects.create(account=account, task_id=task_id, task_ref=task_id,
                                             number=number, amount=amount)
    _post(account, amount=-amount, kind=LedgerEntry.Kind.RESERVE, key=f"reserve:task:{task_id}:{number}",
          reservation=reservation, task_id=task_id, known_new=True)
    return reservation


def _lock_reservation(reservation_id: int) -> tuple[CreditAccount, Reservation]:
    # Account first, then the reservation: the same order as every other service.
    account = CreditAccount.objects.select_for_update(of=("self",)).get(reservations__pk=reservation_id)
    return account, Reservation.objects.select_for_update().get(pk=reservation_id)


@transaction.atomic
def settle(*, reservation_id: int, actual_cost: int) -> Reservation:
    """End a reservation by charging `actual_cost` (capped at what was reserved) and refunding
    the rest. A reservation that has already ended is returned unchanged."""
    account, reservation = _lock_reservation(reservation_id)
    if reservation.state != Reservation.State.RESERVED:
        return reservation
    charged = max(0, min(actual_cost, reservation.amount))
    unused = reservation.amount - charged
    if unused:
        _post(account, amount=unused, kind=LedgerEntry.Kind.SETTLE_REFUND, reservation=reservation,
              task_id=reservation.task_id, key=f"settle:task:{reservation.task_ref}:{reservation.number}",
              reason=f"Unused part of the reservation ({charged} of {reservation.amount} charged)", known_new=True)
    reservation.state = Reservation.State.SETTLED
    reservation.charged = charged
    reservation.ended_at = timezone.now()
    reservation.save(update_fields=["state", "charged", "ended_at"])
    return reservation


@transaction.atomic
def refund(*, reservation_id: int, reason: str = "") -> Reservation:
    """End a reservation by giving all of it back. Idempotent like settle."""
    account, reservation = _lock_reservation(reservation_id)
    if reservation.state != Reservation.State.RESERVED:
        return reservation
    if reservation.amount:
        _post(account, amount=reservation.amount, kind=LedgerEntry.Kind.REFUND, reservation=reservation,
              task_id=reservation.task_id, key=f"refund:task:{reservation.task_ref}:{reservation.number}",
              reason=reason, known_new=True)
    reservation.state = Reservation.State.REFUNDED
    reservation.ended_at = timezone.now()
    reservation.save(update_fields=["state", "ended_at"])
    return reservation
