"""Staff views of the books. Nothing here edits money by hand: accounts, entries and
reservations are read-only, and the points form calls credits.services.grant / adjust, which
write a ledger entry carrying the staff user and the reason."""
from __future__ import annotations

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from credits import services
from credits.models import CreditAccount, CreditGrant, LedgerEntry, Reservation
from lib.admin import ReadOnlyMixin


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class LatestEntriesFormSet(BaseInlineFormSet):
    """Only the newest entries: an old account has thousands (the full list is one click away)."""

    LIMIT = 50

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return super().get_queryset().order_by("-id")[: self.LIMIT]


class LedgerEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = LedgerEntry
    formset = LatestEntriesFormSet
    verbose_name_plural = f"latest {LatestEntriesFormSet.LIMIT} ledger entries"
    fk_name = "account"
    fields = ["created_at", "kind", "amount", "balance_after", "task", "actor", "reason"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


class PointsForm(forms.Form):
    OPERATIONS = [("grant", "Grant (add points)"), ("adjust", "Adjust (signed correction)")]
    operation = forms.ChoiceField(choices=OPERATIONS)
    amount = forms.IntegerField(help_text="Points. A grant is positive; an adjustment may be negative.")
    reason = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"size": 60}),
                             help_text="Required; recorded in the ledger with your user name.")
    expires_at = forms.DateTimeField(required=False, help_text="Grants only: what is left then expires "
                                     "(YYYY-MM-DD HH:MM, UTC). Empty: never.")
    # A fresh key per rendered form: a double submit posts the same key, and the ledger's unique
    # idempotency key turns the second into a no-op instead of a second grant.
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        amount, operation = data.get("amount"), data.get("operation")
        if amount is not None and operation == "grant" and amount <= 0:
            self.add_error("amount", "A grant must be positive.")
        if amount == 0:
            self.add_error("amount", "An adjustment must not be zero.")
        if not (data.get("reason") or "").strip():
            self.add_error("reason", "A reason is required.")
        if data.get("expires_at") and operation != "grant":
            self.add_error("expires_at", "Only a grant can expire.")
        return data


@admin.register(CreditAccount)
class CreditAccountAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "balance", "updated_at"]
    search_fields = ["=id", "user__username", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "balance", "points", "created_at", "updated_at"]
    fields = readonly_fields
    inlines = [LedgerEntryInline]

    @admin.display(description="grant or adjust")
    def points(self, account: CreditAccount) -> str:
        url = reverse("admin:credits_creditaccount_points", args=[account.pk])
        entries = reverse("admin:credits_ledgerentry_changelist") + f"?account__id__exact={account.pk}"
        return format_html('<a class="button" href="{}">Grant or adjust points…</a> &nbsp; '
                           '<a href="{}">All ledger entries</a>', url, entries)

    def get_urls(self) -> list:
        return [
            path("<int:account_id>/points/", self.admin_site.admin_view(self.points_view),
                 name="credits_creditaccount_points"),
            *super().get_urls(),
        ]

    def points_view(self, request: HttpRequest, account_id: int) -> HttpResponse:
        if not request.user.has_perm("credits.add_ledgerentry"):
            raise PermissionDenied
        account = get_object_or_404(CreditAccount.objects.select_related("user"), pk=account_id)
        form = PointsForm(request.POST or None, initial={"operation": "grant", "token": uuid.uuid4().hex})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            extra = {"expires_at": data["expires_at"]} if data["operation"] == "grant" else {}
            operation = services.grant if data["operation"] == "grant" else services.adjust
            try:
                entry = operation(user_id=account.user_id, amount=data["amount"], reason=data["reason"],
                                  actor_id=request.user.pk, idempotency_key=f"staff:{data['token']}", **extra)
            except services.CreditError as exc:
                form.add_error("amount", str(exc))
            else:
                self.message_user(request, f"{data['operation'].capitalize()} of {data['amount']:+d} points to "
                                           f"{account.user}: balance {entry.balance_after}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:credits_creditaccount_change", args=[account.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "account": account,
                   "form": form, "title": f"Grant or adjust points: {account.user}"}
        return TemplateResponse(request, "admin/credits/points_form.html", context)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "account", "kind", "amount", "balance_after", "task", "actor", "reason"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=id", "account__user__username", "idempotency_key", "reason", "=task__id"]
    list_select_related = ["account__user", "task", "actor"]
    raw_id_fields = ["account", "reservation", "task", "actor"]
    date_hierarchy = "created_at"


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "task_ref", "number", "amount", "charged", "state", "created_at", "ended_at"]
    list_filter = ["state", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["=id", "=task_ref", "account__user__username"]
    list_select_related = ["account__user"]
    raw_id_fields = ["account", "task"]
    date_hierarchy = "created_at"


@admin.register(CreditGrant)
class CreditGrantAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "source", "amount", "remaining", "expired", "expires_at", "created_at"]
    list_filter = ["source", ("expires_at", admin.EmptyFieldListFilter), ("expires_at", admin.DateFieldListFilter)]
    search_fields = ["=id", "account__user__username"]
    list_select_related = ["account__user"]
    raw_id_fields = ["account"]
