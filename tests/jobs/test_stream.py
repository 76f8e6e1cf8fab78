"""/sse/jobs/<id>/: one stream for a whole job: every task's status and the job's summary,
ending once the job has ended; someone else's job is a 404."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import HttpCommunicator
from django.db import connections
from rest_framework.authtoken.models import Token

from jobs import services
from jobs.events import job_payload
from jobs.selectors import summarize
from streams import sse
from tests.jobs.helpers import three_documents
from tests.streams.sse_client import Stream, parse
from zhiyi.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _one_db_thread(monkeypatch, settings):
    pool = ThreadPoolExecutor(max_workers=1)
    monkeypatch.setattr(sse, "_db_pool", pool)
    settings.ZHIYI_BUS = "memory"
    yield
    pool.submit(connections.close_all).result()
    pool.shutdown()


def _job(user):
    return services.create_job(user_id=user.pk, uploads=three_documents(), engine_name="opencc",
                               source_lang="zh-Hans", target_langs=["zh-Hant", "zh-TW"])


def test_one_stream_carries_every_task_and_the_job_to_its_end(user, real_queue):
    job = _job(user)
    headers = [(b"authorization", f"Token {Token.objects.create(user=user).key}".encode())]

    async def scenario() -> bytes:
        client = HttpCommunicator(application, "GET", f"/sse/jobs/{job.pk}/", headers=headers)
        await client.send_input({"type": "http.request", "body": b"", "more_body": False})
        assert (await client.receive_output(5))["status"] == 200
        body = b""
        while body.count(b"event: ") < 7:  # the snapshot: six tasks and the job
            body += (await client.receive_output(5))["body"]
        await sync_to_async(services.cancel_job)(job_id=job.pk)
        while True:
            message = await client.receive_output(10)
            body += message["body"]
            if not message.get("more_body"):
                return body

    events = parse(async_to_sync(scenario)().decode().split("\n"), Stream()).events
    snapshot, live = events[:7], events[7:]
    assert [e.event for e in snapshot] == ["status"] * 6 + ["job"]
    assert snapshot[-1].json["status"] == "queued" and snapshot[-1].json["total"] == 6
    assert {e.json["taskId"] for e in live if e.event == "status" and e.json["status"] == "cancelled"} == \
        {e.json["taskId"] for e in snapshot[:6]}
    assert live[-1].event == "job" and live[-1].json["status"] == "cancelled"
    versions = [int(e.id) for e in events if e.event == "job"]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)


def test_someone_elses_job_stream_is_not_found(user, other_user, real_queue):
    job = _job(user)
    headers = [(b"authorization", f"Token {Token.objects.create(user=other_user).key}".encode())]
    response = async_to_sync(HttpCommunicator(application, "GET", f"/sse/jobs/{job.pk}/", headers=headers)
                             .get_response)(5)
    assert response["status"] == 404


def test_the_job_event_matches_its_schema(user, real_queue):
    from jobs.serializers import JobEventSerializer

    job = _job(user)
    payload = job_payload(job, summarize(job))
    serializer = JobEventSerializer(data=payload)
    assert serializer.is_valid(), serializer.errors
    assert set(JobEventSerializer().fields) == set(payload)
