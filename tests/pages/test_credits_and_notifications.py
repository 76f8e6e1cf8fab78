from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Profile
from credits.models import LedgerEntry
from credits.selectors import daily_flows_of
from credits.services import adjust, grant, reserve, settle
from notifications.models import Notification
from notifications.services import notify
from tasks import services
from tests.helpers import upload

pytestmark = pytest.mark.django_db


def test_the_credits_page_lists_the_ledger_with_the_task_it_concerns(browser, user, settings):
    task = services.create_task(user_id=user.pk, upload=upload(name="letter.txt"), engine_name="opencc",
                                source_lang="zh-Hans", target_lang="zh-Hant")
    html = browser.get("/credits/").content.decode()
    assert "Welcome credits" in html and f"+{settings.ZHIYI_WELCOME_CREDITS:,}" in html
    assert f'<a href="/tasks/{task.pk}/" translate="no">letter.txt</a>' in html
    assert f"-{task.cost}" in html and "Reserved" in html


def test_the_credits_page_is_paginated(browser, user):
    for n in range(30):
        grant(user_id=user.pk, amount=1, reason=f"gift {n}")
    first = browser.get("/credits/").content.decode()
    assert first.count("<tr data-kind=") == 25 and "Page 1 of 2" in first
    assert browser.get("/credits/?page=2").content.decode().count("<tr data-kind=") == 6


def test_the_bell_shows_the_unread_count(browser, user):
    notify(user_id=user.pk, kind="system", title="One")
    notify(user_id=user.pk, kind="system", title="Two")
    html = browser.get("/").content.decode()
    assert 'id="bell-count" aria-label="unread" >2<' in html or 'id="bell-count" aria-label="unread">2<' in html
    assert 'data-stream="/sse/notifications/"' in html


def test_notifications_can_be_marked_read_one_and_all(browser, user):
    first = notify(user_id=user.pk, kind="system", title="First", url="/credits/")
    notify(user_id=user.pk, kind="system", title="Second")
    html = browser.get("/notifications/").content.decode()
    assert "First" in html and "Second" in html and 'id="read-all"' in html

    opened = browser.post(f"/notifications/{first.pk}/read/", {"open": "1"})
    assert opened["Location"] == "/credits/"
    assert Notification.objects.filter(user=user, read_at=None).count() == 1
    browser.post("/notifications/read-all/")
    assert Notification.objects.filter(user=user, read_at=None).count() == 0
    assert 'id="read-all"' not in browser.get("/notifications/").content.decode()


def test_a_notification_link_never_leads_off_site(browser, user):
    evil = notify(user_id=user.pk, kind="system", title="x", url="https://evil.example/")
    assert browser.post(f"/notifications/{evil.pk}/read/", {"open": "1"})["Location"] == "/notifications/"


def test_someone_elses_notification_cannot_be_marked(user, other_user):
    mine = notify(user_id=user.pk, kind="system", title="mine")
    client = Client()
    client.force_login(other_user)
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=mine.pk).read_at is None


# --- The credits page's chart and what expires when -------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(entry, moment: datetime) -> None:  # noqa: ANN001
    LedgerEntry.objects.filter(pk=entry.pk).update(created_at=moment)


def _bars(html: str) -> dict[tuple[str, str], int]:
    return {(day, kind): int(value) for day, kind, value in
            re.findall(r'<rect class="bar \w+"[^>]* data-day="([\d-]+)" data-kind="(\w+)" data-value="(-?\d+)"', html)}


def test_the_chart_shows_each_days_points_in_the_readers_time_zone(browser, user, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    Profile.objects.update_or_create(user=user, defaults={"time_zone": "Asia/Shanghai"})
    day = timezone.now().astimezone(SHANGHAI).date() - timedelta(days=3)
    midnight = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    # 00:30 in Shanghai is still the day before in UTC: the reader's day counts.
    _at(grant(user_id=user.pk, amount=100, reason="early"), midnight + timedelta(minutes=30))
    _at(grant(user_id=user.pk, amount=50, reason="late"), midnight + timedelta(hours=23, minutes=59))
    _at(adjust(user_id=user.pk, amount=-30, reason="correction"), midnight + timedelta(hours=12))
    _at(grant(user_id=user.pk, amount=7, reason="eve"), midnight - timedelta(minutes=1))
    _at(grant(user_id=user.pk, amount=9, reason="too old"), midnight - timedelta(days=120))

    html = browser.get("/credits/").content.decode()
    previous = (day - timedelta(days=1)).isoformat()
    assert _bars(html) == {(day.isoformat(), "granted"): 150, (day.isoformat(), "spent"): 30,
                           (previous, "granted"): 7}
    assert f"<title>{day.isoformat()} · Granted: 150</title>" in html  # each bar's tooltip
    table = html[html.index('id="chart-data"'):]
    assert (f'<tr data-day="{day.isoformat()}"><th scope="row">{day.isoformat()}</th>'
            f'<td>150</td><td>30</td><td>0</td></tr>') in table
    assert "157 points granted, 30 points spent, 0 points expired." in html
    assert 'role="img" aria-labelledby="chart-svg-title chart-svg-desc"' in html
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    chinese.force_login(user)
    assert "获得 157 积分，花费 30 积分，过期 0 积分。" in chinese.get("/credits/").content.decode()

    # The same rows read in UTC fall on other days.
    flows = daily_flows_of(user_id=user.pk, start=day - timedelta(days=2), end=day, tz=UTC)
    assert [(r["date"], r["granted"], r["spent"]) for r in flows] == [
        (day - timedelta(days=1), 107, 0), (day, 50, 30)]


def test_the_chart_scales_grants_above_and_spending_below_one_baseline(browser, user, task_row, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    grant(user_id=user.pk, amount=300, reason="gift")
    reservation = reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=100)
    settle(reservation_id=reservation.pk, actual_cost=60)
    html = browser.get("/credits/").content.decode()
    today = timezone.localdate().isoformat()
    assert _bars(html) == {(today, "granted"): 300, (today, "spent"): 60}
    heights = {kind: float(h) for h, kind in re.findall(r'height="([\d.]+)" data-day="[\d-]+" data-kind="(\w+)"', html)}
    assert heights["granted"] == pytest.approx(5 * heights["spent"], rel=0.01)  # 300 up, 60 down, one scale


def test_the_chart_says_when_nothing_happened_in_90_days(browser, user, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    _at(grant(user_id=user.pk, amount=5, reason="long ago"), timezone.now() - timedelta(days=91))
    html = browser.get("/credits/").content.decode()
    assert 'id="chart-empty"' in html and "Nothing was granted or spent in the last 90 days." in html
    assert "<svg id=\"credits-chart\"" not in html


def test_the_credits_page_lists_what_expires_when_soonest_first(browser, user, task_row, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    Profile.objects.update_or_create(user=user, defaults={"time_zone": "Asia/Shanghai"})
    later = datetime(2031, 7, 1, 16, 30, tzinfo=UTC)  # 2031-07-02 00:30 in Shanghai
    grant(user_id=user.pk, amount=80, reason="summer promotion", expires_at=later)
    grant(user_id=user.pk, amount=50, reason="spring promotion", expires_at=datetime(2031, 3, 1, tzinfo=UTC))
    grant(user_id=user.pk, amount=500, reason="forever")
    reserve(user_id=user.pk, task_id=task_row().pk, number=1, amount=20)  # from the soonest first
    html = browser.get("/credits/").content.decode()
    listed = html[html.index('id="expiring"'):html.index("</table>", html.index('id="expiring"'))]
    rows = re.findall(r'<time datetime="[^"]+">([^<]+)</time></td>\s*<td class="num">([\d,]+)</td>'
                      r'<td class="num">([\d,]+)</td>\s*<td>([^<]*)</td>', listed)
    assert rows == [("2031-03-01 08:00 CST", "30", "50", "spring promotion"),
                    ("2031-07-02 00:30 CST", "80", "80", "summer promotion")]
    assert "forever" not in listed


def test_the_credits_page_says_nothing_expires(browser, user, settings):
    settings.ZHIYI_WELCOME_CREDITS = 0
    grant(user_id=user.pk, amount=10, reason="forever")
    html = browser.get("/credits/").content.decode()
    assert 'id="expiring-none"' in html and "None of your points expire." in html
