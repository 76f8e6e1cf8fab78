"""The /credits/ page: balance and the ledger, newest first, paginated."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from credits.selectors import balance_of, entries_of

ENTRIES_PER_PAGE = 25


@login_required
def credits_page(request: HttpRequest) -> HttpResponse:
    balance = balance_of(user_id=request.user.pk)  # creates the account on first visit
    page = Paginator(entries_of(user_id=request.user.pk), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "credits/page.html", {"balance": balance, "page": page, "entries": page.object_list})
