"""Property test of the chart's per-day figures: for any ledger and any reader's time zone, the
days of the window add up to the entries inside it, each entry counted on its local day."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from credits.models import CreditAccount, LedgerEntry
from credits.selectors import daily_flows_of

pytestmark = pytest.mark.django_db

K = LedgerEntry.Kind
TODAY = date(2026, 6, 15)
ZONES = ["UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
entry = st.tuples(
    st.sampled_from([K.GRANT, K.RESERVE, K.SETTLE_REFUND, K.REFUND, K.ADJUST, K.EXPIRE]),
    st.integers(1, 5000),
    st.integers(-100 * 24 * 60, 2 * 24 * 60),  # minutes from TODAY's midnight UTC: before and after the window
)
SIGN = {K.GRANT: 1, K.RESERVE: -1, K.SETTLE_REFUND: 1, K.REFUND: 1, K.EXPIRE: -1}


class _Rollback(Exception):
    pass


@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, max_size=30), zone=st.sampled_from(ZONES), negative=st.booleans())
def test_the_days_add_up_to_the_ledger_in_the_window(entries, zone, negative, user, django_assert_num_queries):
    tz = ZoneInfo(zone)
    start = TODAY - timedelta(days=89)
    midnight = datetime.combine(TODAY, time.min, tzinfo=UTC)
    try:
        with transaction.atomic():
            account, _ = CreditAccount.objects.get_or_create(user=user)
            account.entries.all().delete()
            rows = []
            for n, (kind, amount, _minutes) in enumerate(entries):
                signed = amount * (SIGN.get(kind) or (-1 if negative and n % 2 else 1))
                rows.append(LedgerEntry(account=account, amount=signed, kind=kind, balance_after=0,
                                        idempotency_key=f"p:{n}"))
            LedgerEntry.objects.bulk_create(rows)
            for row, (_kind, _amount, minutes) in zip(rows, entries, strict=True):
                LedgerEntry.objects.filter(pk=row.pk).update(created_at=midnight + timedelta(minutes=minutes))
            with django_assert_num_queries(1):
                days = daily_flows_of(user_id=user.pk, start=start, end=TODAY, tz=tz)

            inside = [(r.amount, r.kind, (midnight + timedelta(minutes=m)).astimezone(tz).date())
                      for r, (_k, _a, m) in zip(rows, entries, strict=True)]
            inside = [x for x in inside if start <= x[2] <= TODAY]
            assert sum(d["granted"] - d["spent"] - d["expired"] for d in days) == sum(a for a, _k, _d in inside)
            assert sum(d["expired"] for d in days) == -sum(a for a, k, _d in inside if k == K.EXPIRE)
            assert sum(d["granted"] for d in days) == sum(
                a for a, k, _d in inside if k == K.GRANT or (k == K.ADJUST and a > 0))
            assert [d["date"] for d in days] == sorted({d for _a, _k, d in inside})
            for d in days:  # each day holds exactly its own entries
                assert d["granted"] - d["spent"] - d["expired"] == sum(a for a, _k, x in inside if x == d["date"])
            raise _Rollback
    except _Rollback:
        pass
