"""Money and callbacks under contention, against two real web processes on one database:
200 creations from 10 users with credits for half of them; 20 copies of one Idempotency-Key;
a storm of 1,000 webhook deliveries (30 % repeats, 10 % forged), shuffled and concurrent."""
from __future__ import annotations

import base64
import random
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from credits import services as credits
from credits.selectors import balance_of, find_breaches
from tasks import services
from tasks.models import ProcessingTask, Status, WebhookDelivery
from tasks.services.quotes import quote_document
from tests.helpers import SIMPLIFIED, upload
from tests.reliability.conftest import record
from tests.servers import daphne_server
from tests.webhooks.conftest import SECRET, WEBHOOK_PATH, event, signed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

USERS, TRIES_PER_USER = 10, 20


def post_task(base: str, token: str, key: str | None = None) -> int:
    headers = {"Authorization": f"Token {token}", **({"Idempotency-Key": key} if key else {})}
    files = {"file": ("doc.txt", SIMPLIFIED.encode(), "text/plain")}
    data = {"engine": "opencc", "source_lang": "zh-Hans", "target_lang": "zh-Hant"}
    response = httpx.post(f"{base}/api/tasks/", headers=headers, files=files, data=data, timeout=60)
    return response.status_code if response.status_code != 201 else response.json()["id"] * 1000 + 201


def test_creations_race_for_credits_and_one_key_makes_one_task(settings, tmp_path, real_queue):
    from tasks import engines

    settings.ZHIYI_WELCOME_CREDITS = 0
    cost = quote_document(filename="doc.txt", data=SIMPLIFIED.encode(), engine=engines.get_engine("opencc")).cost
    tokens = []
    for n in range(USERS):
        user = get_user_model().objects.create_user(f"payer{n}", password="x")
        credits.grant(user_id=user.pk, amount=cost * TRIES_PER_USER // 2, reason="half of what they try")
        tokens.append((user, Token.objects.create(user=user).key))
    env = {"ZHIYI_WELCOME_CREDITS": "0"}
    with daphne_server(log_path=tmp_path / "a.log", **env) as a, daphne_server(log_path=tmp_path / "b.log", **env) as b:
        attempts = [(random.choice([a, b]), token) for _, token in tokens for _ in range(TRIES_PER_USER)]
        random.shuffle(attempts)
        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(lambda item: post_task(*item), attempts))
            user, token = tokens[0]
            credits.grant(user_id=user.pk, amount=cost, reason="one more")
            key = uuid.uuid4().hex
            same = list(pool.map(lambda base: post_task(base, token, key), [a, b] * 10))
    created = [x for x in answers if x % 1000 == 201]
    refused = [x for x in answers if x == 402]
    record("money under contention", creations=len(attempts), created=len(created), refused_402=len(refused),
           other=len(answers) - len(created) - len(refused), key_copies=len(same), key_tasks=len(set(same)),
           negative_balances=sum(balance_of(user_id=u.pk) < 0 for u, _ in tokens), breaches=len(find_breaches()))
    assert len(created) == USERS * TRIES_PER_USER // 2 and len(refused) == len(attempts) - len(created)
    assert all(balance_of(user_id=u.pk) == 0 for u, _ in tokens[1:])
    assert len(set(same)) == 1 and same[0] % 1000 == 201  # twenty copies, one task, each answered with it
    assert ProcessingTask.objects.filter(idempotency_key=key).count() == 1 and balance_of(user_id=tokens[0][0].pk) == 0
    assert find_breaches() == []


def test_a_storm_of_webhook_deliveries_applies_each_valid_event_once(settings, tmp_path, real_queue):
    settings.ZHIYI_WEBHOOK_SECRET = SECRET
    settings.ZHIYI_EXTERNAL_URL = "http://127.0.0.1:9/jobs"
    user = get_user_model().objects.create_user("storm", password="x")
    credits.grant(user_id=user.pk, amount=10**6, reason="storm")
    rng = random.Random(7)
    tasks, valid = [], []
    for n in range(300):
        task = services.create_task(user_id=user.pk, upload=upload(SIMPLIFIED), engine_name="external",
                                    source_lang="zh-Hans", target_lang="zh-Hant")
        run = services.claim_task(task_id=task.pk).run
        services.wait_for_external(task_id=task.pk, run=run, external_id=f"ext_{n}")
        tasks.append(task)
        valid.append(signed(event("task.progress", f"ext_{n}", progress=40)))
        outcome = ("task.completed", {"result_base64": base64.b64encode("漢字".encode()).decode(), "characters": 2}) \
            if n % 4 else ("task.failed", {"error": "the service gave up"})
        valid.append(signed(event(outcome[0], f"ext_{n}", **outcome[1])))
    valid = valid[:600]
    repeats = [rng.choice(valid) for _ in range(300)]  # the same webhook id again
    forged = [signed(event("task.completed", f"ext_{rng.randrange(300)}", result_base64="eA=="),
                     secret="whsec_" + base64.b64encode(b"x" * 24).decode()) for _ in range(100)]
    deliveries = [("valid", d) for d in valid] + [("repeat", d) for d in repeats] + [("forged", d) for d in forged]
    rng.shuffle(deliveries)
    env = {"ZHIYI_WEBHOOK_SECRET": SECRET, "ZHIYI_EXTERNAL_URL": "http://127.0.0.1:9/jobs"}
    with daphne_server(log_path=tmp_path / "a.log", **env) as a, daphne_server(log_path=tmp_path / "b.log", **env) as b:
        def send(item: tuple[int, tuple[str, tuple[bytes, dict]]]) -> tuple[str, int]:
            n, (kind, (body, headers)) = item
            base = (a, b)[n % 2]
            for _ in range(5):  # a sender retries what is not final (409 in progress, 404 not yet known)
                status = httpx.post(base + WEBHOOK_PATH, content=body, timeout=60,
                                    headers={**headers, "Content-Type": "application/json"}).status_code
                if status not in (409, 500):
                    break
            return kind, status

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(send, enumerate(deliveries)))
    by_kind: dict[str, list[int]] = {}
    for kind, status in answers:
        by_kind.setdefault(kind, []).append(status)
    ended = ProcessingTask.objects.filter(pk__in=[t.pk for t in tasks])
    completed = ended.filter(status=Status.COMPLETED).count()
    failed = ended.filter(status=Status.FAILED).count()
    record("webhook storm", deliveries=len(deliveries), repeats=len(repeats), forged=len(forged),
           answers_5xx=sum(s >= 500 for _, s in answers), forged_401=by_kind["forged"].count(401),
           completed=completed, failed=failed, delivery_rows=WebhookDelivery.objects.count())
    assert all(s == 401 for s in by_kind["forged"]) and not any(s >= 500 for _, s in answers)
    assert all(s == 200 for s in by_kind["valid"] + by_kind["repeat"])
    assert WebhookDelivery.objects.count() == len(valid)  # one row per webhook id: repeats applied nothing
    assert (completed, failed) == (225, 75)  # each task's outcome applied once
    assert find_breaches() == []
