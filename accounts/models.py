"""What an account holds beyond Django's user: its mail settings, its API keys, the mails sent."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.crypto import KeyGenerator
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

KEY_LABEL = "zy_"  # what every ZhiYi key begins with, so people and secret scanners recognise one


class Profile(models.Model):
    """Mail settings of one account. The address itself is `User.email`; it counts as verified
    only while it is the address a verification (or password-reset) link was followed for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="zhiyi_profile")
    verified_email = models.EmailField(blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    mail_task_outcomes = models.BooleanField(
        default=False, verbose_name=_("Email me when a translation finishes or fails"))
    language = models.CharField(max_length=16, blank=True,
                                help_text="the language they chose (a LANGUAGES code): mails and pushed notifications")
    time_zone = models.CharField(max_length=64, blank=True, help_text="detected by their browser (an IANA name)")

    def __str__(self) -> str:
        return f"profile of user {self.user_id}"

    def email_is_verified(self, email: str) -> bool:
        return bool(email) and self.verified_email.lower() == email.lower()


class ApiKeyGenerator(KeyGenerator):
    """The library's generator (random prefix and secret, SHA-512 of the whole key), with our label
    in front of the prefix: keys read `zy_<8>.<32>`."""

    def get_prefix(self) -> str:
        return KEY_LABEL + get_random_string(self.prefix_length)


class ApiKeyManager(BaseAPIKeyManager):
    key_generator = ApiKeyGenerator()

    def get_usable_keys(self) -> models.QuerySet:
        # Read on every request, never cached: a revoked or expired key stops at once everywhere.
        return (self.filter(revoked=False).filter(Q(expiry_date=None) | Q(expiry_date__gt=timezone.now()))
                .select_related("user"))


class ApiKey(AbstractAPIKey):
    """A named key of one user: shown once, stored as a hash (djangorestframework-api-key), with
    optional expiry and scopes (accounts/scopes.py; none = everything the user may do)."""

    objects = ApiKeyManager()

    prefix = models.CharField(max_length=16, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    scopes = models.JSONField(default=list, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        abstract = False
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        indexes = [models.Index(fields=["user", "revoked"])]

    @property
    def is_live(self) -> bool:
        return not self.revoked and not self.has_expired


class SentMail(models.Model):
    """One mail that must go out at most once, by its key (`task-outcome:<notification id>`). A job
    takes a lease before sending, so a second delivery of the same job skips it. Pruned with the
    notification it reports (ZHIYI_HISTORY_DAYS)."""

    key = models.CharField(max_length=100, unique=True)
    notification = models.ForeignKey("notifications.Notification", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    leased_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
