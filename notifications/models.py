from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        TASK_COMPLETED = "task_completed"
        TASK_FAILED = "task_failed"
        TASK_CANCELLED = "task_cancelled"
        CREDITS = "credits"
        SYSTEM = "system"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # What it says: the kind's templates (notifications/messages.py) filled with these, rendered
    # in the reader's language when read (see `title` and `body`).
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "read_at", "-id"])]

    @property
    def title(self) -> str:
        from notifications.messages import title_of

        return title_of(self.kind, self.params)

    @property
    def body(self) -> str:
        from notifications.messages import body_of

        return body_of(self.kind, self.params)

    def __str__(self) -> str:
        return self.title
