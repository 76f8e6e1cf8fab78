"""When the bus announces a change: with its commit, never for a rollback. On PostgreSQL the
NOTIFY is sent inside the writing transaction (delivered by the database at commit); the other
backends publish after commit."""
from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from streams.bus import stats
from streams.bus.postgres import CHANNEL, listen_dsn
from tests.helpers import is_postgres

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


@pytest.fixture
def listener():
    """A plain LISTEN session beside the test's connection; `heard()` drains what arrived."""
    if not is_postgres():
        pytest.skip("NOTIFY is PostgreSQL's")
    import psycopg

    conn = psycopg.connect(listen_dsn(), autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")

    def heard(wait: float = 0.3) -> list[dict]:
        return [json.loads(n.payload) for n in conn.notifies(timeout=wait)]

    yield heard
    conn.close()


def test_postgres_notifies_inside_the_writing_transaction_and_delivers_at_commit(listener, task_row, settings):
    settings.ZHIYI_BUS = "auto"
    task = task_row()
    listener()  # the creation's own notification
    with transaction.atomic():
        task.progress = 40
        with CaptureQueriesContext(connection) as inside:
            task.save(update_fields=["progress"])
        assert any("pg_notify" in q["sql"] for q in inside.captured_queries)  # in the transaction, not after it
        assert listener(0.2) == []  # queued by PostgreSQL until COMMIT
    heard = listener()
    assert [(h["key"], h["data"]["progress"]) for h in heard] == [(f"task:{task.pk}", 40)]


def test_postgres_drops_the_notification_of_a_rolled_back_write_or_savepoint(listener, task_row, settings):
    settings.ZHIYI_BUS = "auto"
    task = task_row()
    listener()
    with pytest.raises(Boom), transaction.atomic():
        task.progress = 10
        task.save(update_fields=["progress"])
        raise Boom
    assert listener() == []
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint, rolled back
                task.progress = 20
                task.save(update_fields=["progress"])
                raise Boom
        except Boom:
            pass
        task.progress = 30
        task.save(update_fields=["progress"])
    assert [h["data"]["progress"] for h in listener()] == [30]


@pytest.mark.parametrize("bus_name", ["memory", "sqlite"])
def test_the_other_buses_publish_after_commit_and_never_for_a_rollback(bus_name, task_row, settings):
    settings.ZHIYI_BUS = bus_name
    task = task_row()
    before = stats.published
    with pytest.raises(Boom), transaction.atomic():
        task.progress = 10
        task.save(update_fields=["progress"])
        raise Boom
    assert stats.published == before
    with transaction.atomic():
        task.progress = 20
        task.save(update_fields=["progress"])
        assert stats.published == before  # not yet: after commit
    assert stats.published == before + 1
