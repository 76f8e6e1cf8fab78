"""POST /api/tasks/webhook/: the async view around tasks.webhooks.receive. Authenticated by its
signature, not by a session or token; async so that a result download waits in the event loop
rather than in the thread shared by all sync views."""
from __future__ import annotations

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tasks.services.quotes import max_upload_bytes
from tasks.webhooks import signing
from tasks.webhooks.receive import Answer, error_answer, finish_download, receive_webhook, unexpected
from tasks.webhooks.remote_files import RemoteFileError, fetch


async def areceive_webhook(*, body: bytes, headers: dict[str, str]) -> Answer:
    """The whole delivery: short database steps in the sync thread, the download awaited."""
    step = await sync_to_async(receive_webhook)(body=body, headers=headers)
    if isinstance(step, Answer):
        return step
    limit = max_upload_bytes()
    try:
        content = await fetch(step.event.result_url, max_bytes=limit, timeout=settings.ZHIYI_HTTP_TIMEOUT_S,
                              allow_private=settings.ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS)
        problem = ""
    except RemoteFileError as exc:
        content, problem = b"", str(exc)
    except Exception as exc:  # noqa: BLE001 — answered 500 and recorded; the sender retries
        return await sync_to_async(unexpected)(step.row, exc)
    return await sync_to_async(finish_download)(step, content=content, problem=problem)


@csrf_exempt
@require_POST
async def webhook_view(request: HttpRequest) -> JsonResponse:
    limit = settings.ZHIYI_WEBHOOK_MAX_BODY_BYTES
    length = request.META.get("CONTENT_LENGTH") or ""
    if length.isdigit() and int(length) > limit:
        answer = error_answer(413, "The body is too large.", "body_too_large")
    else:
        body = request.read(limit + 1)  # never more than one byte past the limit (already buffered)
        headers = {name: request.headers.get(name, "") for name in signing.HEADERS}
        answer = await areceive_webhook(body=body, headers=headers)
    response = JsonResponse(answer.body, status=answer.status)
    if answer.status == 409:
        response["Retry-After"] = "30"
    return response
