"""Account changes besides keys: the profile, email verification."""
from __future__ import annotations

from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile

VERIFY_SALT = "accounts.verify-email"


def profile_of(*, user_id: int) -> Profile:
    return Profile.objects.get_or_create(user_id=user_id)[0]


def is_time_zone(name: str) -> bool:
    return name in available_timezones()


def save_language(*, user_id: int, language: str) -> None:
    """The language the user switched to: their mails and pushed notifications follow it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    Profile.objects.get_or_create(user_id=user_id)
    Profile.objects.filter(user_id=user_id).update(language=language)


def save_time_zone(*, user_id: int, time_zone: str) -> None:
    """The zone the user's browser reports: times are shown in it."""
    if not is_time_zone(time_zone):
        raise ValueError(time_zone)
    Profile.objects.get_or_create(user_id=user_id)
    Profile.objects.filter(user_id=user_id).update(time_zone=time_zone)


def language_of(user_id: int) -> str | None:
    """The language a user chose, for what is written to them outside a request."""
    return Profile.objects.filter(user_id=user_id).values_list("language", flat=True).first() or None


def verification_token(*, user_id: int, email: str) -> str:
    return signing.dumps({"u": user_id, "e": email.lower()}, salt=VERIFY_SALT, compress=True)


def read_verification_token(token: str, *, max_age: int) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        return None
    return data["u"], data["e"]


@transaction.atomic
def mark_email_verified(*, user_id: int, email: str) -> bool:
    """Record that `email` reached its owner. False when it is no longer the account's address
    (changed after the link was sent)."""
    user = get_user_model().objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or not email or user.email.lower() != email.lower():
        return False
    profile = profile_of(user_id=user_id)
    profile.verified_email = user.email
    profile.email_verified_at = timezone.now()
    profile.save(update_fields=["verified_email", "email_verified_at"])
    return True


@transaction.atomic
def update_account(*, user_id: int, email: str, mail_task_outcomes: bool, language: str) -> bool:
    """Save the account's mail settings; True when the address changed (it needs verifying)."""
    user = get_user_model().objects.select_for_update().get(pk=user_id)
    changed = user.email.lower() != email.lower()
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    profile = profile_of(user_id=user_id)
    profile.mail_task_outcomes = mail_task_outcomes
    profile.language = language
    profile.save(update_fields=["mail_task_outcomes", "language"])
    return changed
