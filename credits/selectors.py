from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from credits.models import CreditAccount, LedgerEntry, Reservation


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
    return breaches
