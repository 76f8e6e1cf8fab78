"""The /credits/ page: balance, a chart of the last 90 days, what expires when, usage by day and
engine, and the ledger, newest first, paginated (also as CSV, from the API's export). Days and
times are the reader's (the zone ReaderTimeZoneMiddleware activated)."""
from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from credits.api import DEFAULT_RANGE_DAYS, RangeError, date_range, usage_report
from credits.chart import daily_chart
from credits.selectors import balance_of, entries_of, expiry_schedule_of

ENTRIES_PER_PAGE = 25


@login_required
def credits_page(request: HttpRequest) -> HttpResponse:
    balance = balance_of(user_id=request.user.pk)  # creates the account on first visit
    page = Paginator(entries_of(user_id=request.user.pk), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    range_error = ""
    try:
        start, end = date_range(request.GET)
    except RangeError:
        range_error = _("Choose a start date on or before the end date, at most 366 days apart.")
        end = timezone.localdate()
        start = end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    return render(request, "credits/page.html", {
        "balance": balance, "page": page, "entries": page.object_list, "range_error": range_error,
        "usage": usage_report(user_id=request.user.pk, start=start, end=end),
        "chart": daily_chart(user_id=request.user.pk, today=timezone.localdate(),
                             tz=timezone.get_current_timezone()),
        "expiring": expiry_schedule_of(user_id=request.user.pk)})
