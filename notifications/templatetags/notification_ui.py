"""Template helpers of the header bell, on every page."""
from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> dict:
    """{count, last_id} of the signed-in user's unread notifications."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"count": 0, "last_id": 0}
    unread = Notification.objects.filter(user=user, read_at=None)
    last = Notification.objects.filter(user=user).order_by("-id").values_list("id", flat=True).first()
    return {"count": unread.count(), "last_id": last or 0}


@register.simple_tag
def bell_texts() -> dict:
    return {"newNotification": _("New notification")}
