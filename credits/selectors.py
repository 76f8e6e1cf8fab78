from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from django.conf import settings
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from credits.models import CreditAccount, CreditGrant, LedgerEntry, Reservation


def balance_of(*, user_id: int) -> int:
    """The balance, creating the account (with its welcome grant) on first use."""
    from credits.services import get_or_create_account

    return get_or_create_account(user_id=user_id).balance


def entries_of(*, user_id: int) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(account__user_id=user_id).select_related("task").order_by("-id")


def find_breaches() -> list[str]:
    """Every broken credit invariant, as readable lines. Empty means the books balance."""
    breaches: list[str] = []
    sums = {row["account_id"]: row["total"] for row in
            LedgerEntry.objects.values("account_id").annotate(total=Sum("amount"))}
    for account in CreditAccount.objects.all().iterator():
        total = sums.get(account.pk, 0) or 0
        if account.balance != total:
            breaches.append(f"account {account.pk} (user {account.user_id}): balance {account.balance} "
                            f"!= sum of entries {total}")
        if account.balance < 0:
            breaches.append(f"account {account.pk}: negative balance {account.balance}")

    # Running balance: each entry's balance_after follows from the one before it.
    running: dict[int, int] = {}
    for entry in LedgerEntry.objects.order_by("id").values("id", "account_id", "amount", "balance_after").iterator():
        value = running.get(entry["account_id"], 0) + entry["amount"]
        if value != entry["balance_after"]:
            breaches.append(f"entry {entry['id']}: balance_after {entry['balance_after']} but running sum {value}")
        running[entry["account_id"]] = value

    K = LedgerEntry.Kind
    per_reservation = Reservation.objects.annotate(
        reserved=Sum("entries__amount", filter=Q(entries__kind=K.RESERVE), default=0),
        reserve_count=Count("entries", filter=Q(entries__kind=K.RESERVE)),
        refunded=Sum("entries__amount", filter=Q(entries__kind=K.REFUND), default=0),
        refund_count=Count("entries", filter=Q(entries__kind=K.REFUND)),
        settle_refunded=Sum("entries__amount", filter=Q(entries__kind=K.SETTLE_REFUND), default=0),
        settle_count=Count("entries", filter=Q(entries__kind=K.SETTLE_REFUND)),
    )
    S = Reservation.State
    for r in per_reservation.iterator():
        label = f"reservation {r.pk} (task {r.task_ref} #{r.number})"
        if r.reserve_count != 1 or -r.reserved != r.amount:
            breaches.append(f"{label}: debited {-r.reserved} in {r.reserve_count} entries, amount {r.amount}")
        if r.refund_count > 1 or r.settle_count > 1 or (r.refund_count and r.settle_count):
            breaches.append(f"{label}: ended more than once")
        if r.refunded + r.settle_refunded > r.amount:
            breaches.append(f"{label}: refunded {r.refunded + r.settle_refunded} of {r.amount} reserved")
        if r.state == S.RESERVED and (r.refund_count or r.settle_count):
            breaches.append(f"{label}: still reserved but has ending entries")
        if r.state == S.REFUNDED and (r.refunded != r.amount or r.charged != 0):
            breaches.append(f"{label}: refunded state but {r.refunded} refunded of {r.amount}")
        if r.state == S.SETTLED and r.settle_refunded != r.amount - r.charged:
            breaches.append(f"{label}: settled, charged {r.charged}, but {r.settle_refunded} given back")
    breaches += _pot_breaches()
    return breaches


def _pot_breaches() -> list[str]:
    """The rules of pots (grants with expiry): balance == sum of what is left in the pots; each
    pot's remaining == amount − drawn + returned − expired, its expiry written in the ledger; a
    reservation drew exactly its amount, and got back exactly what its ending refunded."""
    breaches: list[str] = []
    left = dict(CreditGrant.objects.order_by().values_list("account_id").annotate(total=Sum("remaining")))
    for account_id, balance in CreditAccount.objects.values_list("id", "balance").iterator():
        if balance != (left.get(account_id) or 0):
            breaches.append(f"account {account_id}: balance {balance} != points left in its grants "
                            f"{left.get(account_id) or 0}")
    expired_entries = dict(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.EXPIRE).order_by()
                           .values_list("grant_id").annotate(total=Sum("amount")))
    if None in expired_entries:
        breaches.append("expire ledger entries without the grant they expired")
    pots = CreditGrant.objects.annotate(drawn=Sum("draws__amount", default=0), back=Sum("draws__returned", default=0))
    for pot in pots.iterator():
        if pot.remaining != pot.amount - pot.drawn + pot.back - pot.expired:
            breaches.append(f"grant {pot.pk}: remaining {pot.remaining} != {pot.amount} − {pot.drawn} drawn "
                            f"+ {pot.back} returned − {pot.expired} expired")
        if -(expired_entries.get(pot.pk) or 0) != pot.expired:
            breaches.append(f"grant {pot.pk}: expired {pot.expired} but the ledger says "
                            f"{-(expired_entries.get(pot.pk) or 0)}")
    S = Reservation.State
    drawn = Reservation.objects.annotate(drawn=Sum("draws__amount"), back=Sum("draws__returned")).filter(
        drawn__isnull=False)
    for r in drawn.iterator():
        label = f"reservation {r.pk} (task {r.task_ref} #{r.number})"
        expected_back = {S.RESERVED: 0, S.REFUNDED: r.amount, S.SETTLED: r.amount - r.charged}[r.state]
        if r.drawn != r.amount:
            breaches.append(f"{label}: drew {r.drawn} from grants for an amount of {r.amount}")
        if r.back != expected_back:
            breaches.append(f"{label}: {r.state}, but {r.back} returned to grants (expected {expected_back})")
    return breaches


def stale_reservations(*, older_than: timedelta | None = None) -> QuerySet[Reservation]:
    """Open reservations whose task has not moved for `older_than` (ZHIYI_STALE_RESERVATION_S):
    points held by work that nothing is doing. Not a breach of the books, but an alarm."""
    cutoff = timezone.now() - (older_than or timedelta(seconds=settings.ZHIYI_STALE_RESERVATION_S))
    return (Reservation.objects.filter(state=Reservation.State.RESERVED, created_at__lt=cutoff)
            .filter(Q(task__isnull=True) | Q(task__updated_at__lt=cutoff)).order_by("created_at"))


def expiring_grants_of(*, user_id: int) -> QuerySet[CreditGrant]:
    """What expires when, soonest first: the user's grants with an expiry and points left
    (fields: remaining, expires_at, source, amount). For the credits page."""
    return CreditGrant.objects.filter(account__user_id=user_id, remaining__gt=0,
                                      expires_at__isnull=False).order_by("expires_at", "id")


def expiry_schedule_of(*, user_id: int) -> list[CreditGrant]:
    """The pots that will expire, soonest first, each with `origin`: the ledger entry that filled
    it (its note says what it was: "Welcome credits", a staff grant's reason)."""
    origin = LedgerEntry.objects.filter(kind__in=[LedgerEntry.Kind.GRANT, LedgerEntry.Kind.ADJUST]).order_by("id")
    pots = list(expiring_grants_of(user_id=user_id).prefetch_related(Prefetch("entries", queryset=origin,
                                                                              to_attr="origins")))
    for pot in pots:
        pot.origin = pot.origins[0] if pot.origins else None  # type: ignore[attr-defined]
    return pots


def daily_flows_of(*, user_id: int, start: date, end: date, tz: tzinfo) -> list[dict]:
    """The user's ledger per day (days begin at midnight in `tz`, the reader's zone), from `start` to
    `end` inclusive, in one grouped query: `granted` (grants and positive adjustments), `spent`
    (what translations took: reservations less the unused parts and refunds returned that day,
    plus negative adjustments; below zero on a day that only gave back), `expired`. So
    granted − spent − expired is the sum of that day's entries. Only days with entries, oldest first."""
    K = LedgerEntry.Kind
    debit_adjust = Q(kind=K.ADJUST, amount__lt=0)
    spent = Q(kind__in=[K.RESERVE, K.SETTLE_REFUND, K.REFUND]) | debit_adjust
    granted = Q(kind=K.GRANT) | Q(kind=K.ADJUST, amount__gt=0)
    rows = (LedgerEntry.objects
            .filter(account__user_id=user_id, created_at__gte=datetime.combine(start, time.min, tzinfo=tz),
                    created_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
            .annotate(day=TruncDate("created_at", tzinfo=tz)).values("day")
            .annotate(granted=Sum("amount", filter=granted, default=0), spent=Sum("amount", filter=spent, default=0),
                      expired=Sum("amount", filter=Q(kind=K.EXPIRE), default=0))
            .order_by("day"))
    return [{"date": r["day"], "granted": r["granted"], "spent": -r["spent"], "expired": -r["expired"]} for r in rows]


def usage_of(*, user_id: int, start: date, end: date) -> list[dict]:
    """What the user's translations used, per day (the site's time zone) and engine, from
    `start` to `end` inclusive: one row per day and engine with `tasks` (tasks that ran),
    `characters` (their documents' characters, once per run: a retry counts again) and `points`
    (what those runs cost: charged when settled, reserved while running, nothing when refunded).
    A run of a task deleted since has `engine` None. Ordered by day, then engine."""
    S = Reservation.State
    rows = (Reservation.objects.filter(account__user_id=user_id, created_at__date__gte=start,
                                       created_at__date__lte=end)
            .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
            .values("day", "task__engine")
            .annotate(tasks=Count("task_ref", distinct=True), characters=Sum("task__characters", default=0),
                      points=Sum(Case(When(state=S.RESERVED, then=F("amount")), When(state=S.SETTLED, then=F("charged")),
                                      default=0), default=0))
            .order_by("day", "task__engine"))
    return [{"date": r["day"], "engine": r["task__engine"], "tasks": r["tasks"], "characters": r["characters"],
             "points": r["points"]} for r in rows]


def ledger_between(*, user_id: int, start: date | None = None, end: date | None = None) -> QuerySet[LedgerEntry]:
    """The user's ledger, oldest first, optionally from `start` to `end` inclusive (for exports)."""
    entries = LedgerEntry.objects.filter(account__user_id=user_id).select_related("task").order_by("id")
    if start:
        entries = entries.filter(created_at__date__gte=start)
    if end:
        entries = entries.filter(created_at__date__lte=end)
    return entries
