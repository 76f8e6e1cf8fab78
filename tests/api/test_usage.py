"""GET /api/v1/usage/ and the ledger's CSV export, and both on the credits page."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from credits import services as credits
from credits.models import LedgerEntry, Reservation
from tasks import services
from tasks.models import ProcessingTask
from tests.api.conftest import create

pytestmark = pytest.mark.django_db


def run_round(task: ProcessingTask, *, number: int, amount: int, charged: int | None, days_ago: int = 0) -> None:
    reservation = credits.reserve(user_id=task.user_id, task_id=task.pk, number=number, amount=amount)
    if charged is None:
        credits.refund(reservation_id=reservation.pk)
    elif charged >= 0:
        credits.settle(reservation_id=reservation.pk, actual_cost=charged)
    when = timezone.now() - timedelta(days=days_ago)
    Reservation.objects.filter(task_ref=task.pk, number=number).update(created_at=when)


def test_usage_counts_tasks_characters_and_points_by_day_and_engine(api, user, task_row):
    today = timezone.localdate()
    a = task_row(engine="opencc", characters=1000)
    b = task_row(engine="apertium", characters=300)
    c = task_row(engine="opencc", characters=50)
    run_round(a, number=1, amount=10, charged=None, days_ago=1)   # failed yesterday: refunded
    run_round(a, number=2, amount=10, charged=7)                  # retried today: settled at 7
    run_round(b, number=1, amount=20, charged=-1)                  # still running: 20 reserved
    run_round(c, number=1, amount=3, charged=3, days_ago=40)       # outside the default 30 days
    body = api.get("/api/v1/usage/").json()
    assert body["from"] == str(today - timedelta(days=29)) and body["to"] == str(today)
    assert body["days"] == [
        {"date": str(today - timedelta(days=1)), "engine": "opencc", "tasks": 1, "characters": 1000, "points": 0},
        {"date": str(today), "engine": "apertium", "tasks": 1, "characters": 300, "points": 20},
        {"date": str(today), "engine": "opencc", "tasks": 1, "characters": 1000, "points": 7},
    ]
    assert body["totals"] == {"tasks": 3, "characters": 2300, "points": 27}
    old = api.get("/api/v1/usage/", {"from": str(today - timedelta(days=45)), "to": str(today - timedelta(days=35))})
    assert old.json()["totals"] == {"tasks": 1, "characters": 50, "points": 3}
    # The points in usage are what the ledger lost to these tasks.
    spent = -sum(LedgerEntry.objects.filter(task__in=[a, b]).values_list("amount", flat=True))
    assert spent == 27


@pytest.mark.parametrize("query", [{"from": "2026-02-01", "to": "2026-01-01"}, {"from": "2024-01-01", "to": "2026-01-01"},
                                   {"from": "yesterday"}])
def test_a_bad_range_is_400_invalid_range(api, query):
    response = api.get("/api/v1/usage/", query)
    assert (response.status_code, response.json()["code"]) == (400, "invalid_range")
    assert set(response.json()["errors"]) <= {"from", "to"}


def test_a_deleted_tasks_use_stays_under_no_engine(api, user, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task_id = create(api).json()["id"]
    services.delete_task(task_id=task_id)
    [row] = api.get("/api/v1/usage/").json()["days"]
    assert row["engine"] is None and row["tasks"] == 1 and row["points"] > 0


def test_the_ledger_exports_as_csv_oldest_first(api, user, task_row):
    task = task_row(filename="=cmd|' /C calc'!A0.txt")
    credits.grant(user_id=user.pk, amount=50, reason="promo")
    run_round(task, number=1, amount=5, charged=4)
    response = api.get("/api/v1/credits/ledger/export/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["id", "created_at", "kind", "amount", "balance_after", "task_id", "filename", "reason", "note"]
    body = rows[1:]
    assert [r[2] for r in body] == ["grant", "grant", "reserve", "settle_refund"]  # welcome, promo, then the task
    assert [int(r[3]) for r in body][-2:] == [-5, 1]
    assert body[2][6].startswith("'=")  # a spreadsheet will not run it
    assert int(body[-1][4]) == api.get("/api/v1/credits/").json()["balance"]
    years = api.get("/api/v1/credits/ledger/export/", {"from": "2020-01-01"})  # an export is not a report: no bound
    assert years.status_code == 200 and len(b"".join(years.streaming_content).splitlines()) == 5
    tomorrow = timezone.localdate() + timedelta(days=1)
    future = api.get("/api/v1/credits/ledger/export/", {"from": str(tomorrow), "to": str(tomorrow)})
    assert len(list(csv.reader(io.StringIO(b"".join(future.streaming_content).decode())))) == 1


def test_the_credits_page_shows_usage_and_links_the_csv(client, user, task_row):
    task = task_row(engine="apertium", characters=321)
    run_round(task, number=1, amount=9, charged=9)
    client.force_login(user)
    html = client.get("/credits/").content.decode()
    assert 'id="usage-range"' in html and ">Apertium (rule-based)<" in html and ">321<" in html
    assert 'id="ledger-csv" href="/api/v1/credits/ledger/export/"' in html
    refused = client.get("/credits/", {"from": "2026-02-01", "to": "2026-01-01"}).content.decode()
    assert 'role="alert"' in refused
