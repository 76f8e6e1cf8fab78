"""The `external` engine: an asynchronous document service. The worker submits the whole
document; the service answers later through the signed webhook (tasks/webhooks.py).

Submission protocol (what tools/external_service.py implements):
    POST ZHIYI_EXTERNAL_URL, JSON {reference, filename, format, source_lang, target_lang,
        callback_url, document_base64}, signed with the Standard Webhooks headers and the
        webhook secret (so the service knows the request is ours), plus an `Idempotency-Key`
        (task and round) so a repeated submission is not processed twice.
    → 200/201/202 {"id": "<external task id>"}
The service then POSTs task.progress / task.completed / task.failed events to callback_url.
"""
from __future__ import annotations

import base64
import json
import time

import httpx
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tasks.engines.base import Availability, Engine, EngineError
from tasks.engines.opencc import CONFIGS as OPENCC_PAIRS
from tasks.webhooks import signing


class ExternalEngine(Engine):
    name = "external"
    label = _("External document service")
    asynchronous = True

    def pairs(self) -> list[tuple[str, str]]:
        configured = [tuple(p.split(":", 1)) for p in settings.ZHIYI_EXTERNAL_PAIRS if ":" in p]
        return [(s, t) for s, t in configured] if configured else list(OPENCC_PAIRS)

    def availability(self) -> Availability:
        if not settings.ZHIYI_EXTERNAL_URL:
            return Availability(False, _("No external document service is connected to this server."),
                                needs="ZHIYI_EXTERNAL_URL")
        try:
            secrets = signing.parse_secrets(settings.ZHIYI_WEBHOOK_SECRET)
        except ValueError:
            return Availability(False, _("The external document service is not set up correctly."),
                                needs="ZHIYI_WEBHOOK_SECRET (not a valid whsec_ secret)")
        if not secrets:
            return Availability(False, _("The external document service is not set up correctly."),
                                needs="ZHIYI_WEBHOOK_SECRET (its answers could not be verified)")
        return Availability(True)

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        raise EngineError(_("The external engine translates whole documents; it has no segment interface."))

    @staticmethod
    def callback_url() -> str:
        return settings.ZHIYI_PUBLIC_URL.rstrip("/") + reverse("api-task-webhook")

    def submit(self, *, task_id: int, round_number: int, filename: str, format: str, source_lang: str,
               target_lang: str, data: bytes) -> str:
        """Hand the document over; returns the service's id for it. Raises EngineError.

        `round_number` is the task's reservation round. The submission key is per round, not
        per attempt: when a worker dies between submitting and recording the external id, the
        requeued attempt gets the same external job back, so that job's webhook still finds its
        task. A retry (a new round) is a new job."""
        reference = f"zhiyi-{task_id}-{round_number}"
        body = json.dumps({
            "reference": reference, "filename": filename, "format": format,
            "source_lang": source_lang, "target_lang": target_lang,
            "callback_url": self.callback_url(), "document_base64": base64.b64encode(data).decode("ascii"),
        }).encode("utf-8")
        response = None
        for attempt in range(settings.ZHIYI_HTTP_RETRIES + 1):
            if attempt:
                time.sleep(min(0.5 * 2 ** (attempt - 1), 5))
            # Signed afresh each time (the timestamp must be current); same key, so no duplicate.
            headers = {**signing.sign_headers(secret=settings.ZHIYI_WEBHOOK_SECRET, webhook_id=reference, body=body),
                       "Idempotency-Key": reference, "Content-Type": "application/json"}
            try:
                response = httpx.post(settings.ZHIYI_EXTERNAL_URL, content=body, headers=headers,
                                      timeout=settings.ZHIYI_HTTP_TIMEOUT_S)
            except httpx.HTTPError:
                response = None
                continue
            if response.status_code < 500 and response.status_code != 429:
                break
        if response is None:
            raise EngineError(_("The external engine could not be reached."), retryable=True)
        if response.status_code not in (200, 201, 202):
            raise EngineError(_("The external engine refused the document (HTTP %(status)s)."),
                              params={"status": response.status_code})
        try:
            external_id = response.json()["id"]
        except (ValueError, KeyError, TypeError):
            external_id = None
        if not isinstance(external_id, str) or not 0 < len(external_id) <= 200:
            raise EngineError(_("The external engine answered without a valid task id."))
        return external_id
