"""What a locked-out person is told, on every door django-axes guards (the login page, the admin
login, POST /api/auth/token/): when they may try again, in their language. Axes calls
`lockout_response` (settings.AXES_LOCKOUT_CALLABLE) from its middleware."""
from __future__ import annotations

import math
from datetime import datetime

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

LOCKED_OUT = "locked_out"


def unlocked_at(*, username: str | None, ip_address: str | None) -> datetime:
    """When the username + address pair may try again: the cool-off after its latest failure."""
    latest = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        latest=Max("attempt_time"))["latest"]
    return (latest or timezone.now()) + get_cool_off()


def retry_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed sign-in attempts for this account from your address. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts for this account from your address. Try again in %(minutes)d minutes.",
        minutes) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    username = get_client_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    retry_at = unlocked_at(username=username, ip_address=ip_address)
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
    detail = retry_message(seconds)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": detail, "code": LOCKED_OUT, "retry_after": seconds, "retry_at": retry_at.isoformat()},
            status=429)
    else:
        response = render(request, "registration/locked_out.html",
                          {"detail": detail, "retry_at": retry_at, "seconds": seconds,
                           "admin": request.path.startswith("/admin/")}, status=429)
    response["Retry-After"] = str(seconds)
    return response

