"""The reader's language and time zone: saved on the account when they switch language or
their browser reports its zone, and applied to every page they read."""
from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import services

SESSION_ZONE = "zhiyi_time_zone"


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie, redirect), and the choice kept on the account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and check_for_language(language):
        try:
            services.save_language(user_id=request.user.pk, language=language)
        except ValueError:
            pass  # a language Django knows but this site does not offer: the cookie alone
    return response


@require_POST
def save_time_zone(request: HttpRequest) -> HttpResponse:
    """The page script posts the browser's zone when it differs from the one pages use."""
    name = request.POST.get("time_zone", "")
    if not request.user.is_authenticated or not services.is_time_zone(name):
        return HttpResponse(status=400)
    services.save_time_zone(user_id=request.user.pk, time_zone=name)
    request.session[SESSION_ZONE] = name
    return HttpResponse(status=204)


class ReaderTimeZoneMiddleware:
    """Activates the user's time zone for the request (kept in the session, read from the
    account once per session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = self._zone_of(request)
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)

    @staticmethod
    def _zone_of(request: HttpRequest) -> str:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return ""
        if SESSION_ZONE not in session:
            session[SESSION_ZONE] = services.profile_of(user_id=user.pk).time_zone
        return session[SESSION_ZONE]
