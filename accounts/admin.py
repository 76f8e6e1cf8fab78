"""Staff views of accounts: API keys (revoke only: a secret is never shown again), mail settings,
and unlocking a sign-in that django-axes locked (on the user, or on the attempt rows)."""
from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset as reset_lockout
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_api_key.models import APIKey as LibraryApiKey

from accounts.models import ApiKey, Profile

User = get_user_model()

# The library's own (unused) key model: ours is ApiKey, with an owner and scopes.
if admin.site.is_registered(LibraryApiKey):
    admin.site.unregister(LibraryApiKey)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "scopes", "created", "expiry_date", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    list_select_related = ["user"]
    search_fields = ["prefix", "name", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["prefix", "name", "user", "scopes", "created", "expiry_date", "last_used_at", "revoked",
                       "revoked_at"]
    fields = readonly_fields
    actions = ["revoke_keys"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # keys are made by their owner, who sees the secret once

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = queryset.filter(revoked=False).update(revoked=True, revoked_at=timezone.now())
        self.message_user(request, f"{count} key(s) revoked.", messages.SUCCESS)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "verified_email", "email_verified_at", "mail_task_outcomes", "language"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "verified_email"]
    raw_id_fields = ["user"]
    readonly_fields = ["verified_email", "email_verified_at"]


def _unlock(admin_view, request: HttpRequest, usernames: list[str]) -> None:  # type: ignore[no-untyped-def]
    removed = sum(reset_lockout(username=name) for name in set(usernames))
    admin_view.message_user(request, f"Sign-in unlocked for {len(set(usernames))} account(s) "
                                     f"({removed} failed-attempt record(s) cleared).", messages.SUCCESS)


admin.site.unregister(User)


@admin.register(User)
class ZhiyiUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, "unlock_sign_in"]

    @admin.action(description="Unlock sign-in (clear failed attempts from every address)", permissions=["change"])
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet) -> None:
        _unlock(self, request, [user.get_username() for user in queryset])


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LockoutAttemptAdmin(AccessAttemptAdmin):
    actions = ["unlock"]

    @admin.action(description="Unlock these username + address pairs", permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        pairs = list(queryset.values_list("username", "ip_address").distinct())
        removed = sum(reset_lockout(username=username, ip=ip) for username, ip in pairs)
        self.message_user(request, f"{len(pairs)} pair(s) unlocked ({removed} record(s) cleared).", messages.SUCCESS)
