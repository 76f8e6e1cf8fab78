"""The browser's time zone reaches the account, and the next page shows times in it."""
from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Profile
from tests.e2e.support import user_with_tasks
from tests.servers import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_page_saves_the_browsers_time_zone_and_shows_times_in_it(chromium, stack):
    user, _tasks = user_with_tasks(1, lines=2)
    base = stack["start_web"]()
    client = Client()
    client.force_login(user)
    context = chromium.new_context(locale="en-US", timezone_id="Asia/Shanghai")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
    page = context.new_page()
    page.goto(base + "/tasks/")
    assert "UTC" in page.locator("table.tasks time").first.inner_text()
    wait_for(lambda: Profile.objects.filter(user=user, time_zone="Asia/Shanghai").exists(), timeout=15)
    page.goto(base + "/tasks/")
    assert page.locator("table.tasks time").first.inner_text().endswith("CST")
    assert page.locator("body").get_attribute("data-time-zone") == "Asia/Shanghai"
    context.close()
