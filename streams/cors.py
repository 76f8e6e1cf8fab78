"""CORS for the streams, which are served beside Django and so miss its middleware.

The answer is django-cors-headers' own (its middleware's header logic, its settings:
CORS_ALLOWED_ORIGINS, CORS_URLS_REGEX, ...), so a stream answers another origin exactly as the
API does. Used around the HTTP application in zhiyi/asgi.py; only /sse/ paths are touched.
"""
from __future__ import annotations

import io

from corsheaders.middleware import CorsMiddleware
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse

_cors = CorsMiddleware(lambda request: HttpResponse())


def cors_headers(request: ASGIRequest) -> list[tuple[bytes, bytes]]:
    response = HttpResponse()
    _cors.add_response_headers(request, response)
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response.items()
            if name.lower().startswith("access-control-") or name.lower() == "vary"]


def with_cors(app):  # type: ignore[no-untyped-def]
    async def wrapped(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http" or not scope["path"].startswith("/sse/"):
            return await app(scope, receive, send)
        request = ASGIRequest(scope, io.BytesIO(b""))
        if "origin" not in request.headers:
            return await app(scope, receive, send)
        extra = cors_headers(request)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in request.headers:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"0"), *extra]})
            await send({"type": "http.response.body", "body": b""})
            return None

        async def send_with_cors(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await app(scope, receive, send_with_cors)

    return wrapped
