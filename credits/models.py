"""Prepaid credits (points). Invariants, enforced by credits.services and checked by
`reconcile_credits`:

- CreditAccount.balance == sum of its LedgerEntry.amount, and never below zero;
- a Reservation ends exactly once (settled or refunded);
- every LedgerEntry has a unique idempotency key, so a repeated call cannot move money twice;
- the balance is also the sum of the `remaining` of the account's CreditGrants (the pots its
  points came from, each maybe with an expiry). Spending draws from the pot that expires first
  (CreditDraw records how much from which), a refund puts the points back where they came from,
  and expiry removes what is left of a pot with an `expire` ledger entry.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models


class CreditAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_account")
    balance = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="credit_balance_non_negative")]

    def __str__(self) -> str:
        return f"{self.user} — {self.balance} points"


class Reservation(models.Model):
    class State(models.TextChoices):
        RESERVED = "reserved"
        SETTLED = "settled"
        REFUNDED = "refunded"

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="reservations")
    # The task keeps its money history even after it is deleted (SET_NULL); `task_ref` stays.
    task = models.ForeignKey("tasks.ProcessingTask", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="reservations")
    task_ref = models.BigIntegerField(db_index=True)
    number = models.PositiveIntegerField(help_text="1 for the first run, +1 for each retry")
    amount = models.BigIntegerField()
    charged = models.BigIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RESERVED)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_ref", "number"], name="one_reservation_per_task_round"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="reservation_amount_non_negative"),
            models.CheckConstraint(condition=models.Q(charged__gte=0) & models.Q(charged__lte=models.F("amount")),
                                   name="reservation_charged_within_amount"),
        ]

    def __str__(self) -> str:
        return f"task {self.task_ref} #{self.number}: {self.amount} ({self.state})"


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant"
        RESERVE = "reserve"
        SETTLE_REFUND = "settle_refund", "settle refund"
        REFUND = "refund"
        ADJUST = "adjust"
        EXPIRE = "expire"

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(help_text="signed: + credit, − debit")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    balance_after = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=200, unique=True)
    reservation = models.ForeignKey(Reservation, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    task = models.ForeignKey("tasks.ProcessingTask", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="ledger_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="staff user who made a grant or adjustment")
    # Staff's free text (grants, adjustments) and the English record of system entries.
    reason = models.CharField(max_length=300, blank=True)
    # What the owner reads, rendered when read (credits/messages.py); empty: the reason.
    note_code = models.CharField(max_length=32, blank=True)
    note_params = models.JSONField(default=dict, blank=True)
    # The pot a grant / positive adjustment created, or the pot an `expire` entry emptied.
    grant = models.ForeignKey("CreditGrant", null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["account", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount:+d} → {self.balance_after}"

    @property
    def note(self) -> str:
        """What the entry says, in the active language."""
        from credits.messages import note_of

        return note_of(self.note_code, self.note_params, self.reason)


class CreditGrant(models.Model):
    """A pot of points: a grant (welcome, staff, promotional), a positive adjustment, the opening
    balance from before pots existed, or a refund with no draw to return to. All writes happen
    under the account's row lock. remaining = amount − drawn + returned − expired."""

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="grants")
    source = models.CharField(max_length=16, help_text="grant, adjust, opening or refund")
    amount = models.BigIntegerField()
    remaining = models.BigIntegerField()
    expired = models.BigIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="empty: never expires")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(condition=models.Q(remaining__gte=0) & models.Q(remaining__lte=models.F("amount")),
                                   name="grant_remaining_within_amount"),
        ]
        indexes = [models.Index(fields=["account", "expires_at"])]

    def __str__(self) -> str:
        until = f" until {self.expires_at:%Y-%m-%d %H:%M}" if self.expires_at else ""
        return f"{self.source} {self.remaining}/{self.amount}{until}"


class CreditDraw(models.Model):
    """Points a debit took from one pot; `returned` is what a refund put back into it."""

    grant = models.ForeignKey(CreditGrant, on_delete=models.PROTECT, related_name="draws")
    reservation = models.ForeignKey(Reservation, null=True, blank=True, on_delete=models.PROTECT, related_name="draws")
    amount = models.BigIntegerField()
    returned = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="draw_amount_positive"),
            models.CheckConstraint(condition=models.Q(returned__gte=0) & models.Q(returned__lte=models.F("amount")),
                                   name="draw_returned_within_amount"),
        ]
