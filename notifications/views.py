"""The /notifications/ page and its mark-read actions (changes go through notifications.services)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from notifications import services
from notifications.models import Notification

PER_PAGE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    queryset = Notification.objects.filter(user=request.user)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "notifications": page.object_list,
        "unread": queryset.filter(read_at=None).exists(),
    })


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    services.mark_read(user_id=request.user.pk, notification_id=notification.pk)
    # "Open" marks it read and follows its link; "Mark read" stays on the list.
    target = notification.url if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(user_id=request.user.pk)
    return redirect("notifications")
