"""API error shape: every error answers {"detail": <plain words>, "code": <machine code>}."""
from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credits.services import InsufficientCredits
from tasks.errors import TaskError


def exception_handler(exc, context):  # type: ignore[no-untyped-def]
    if isinstance(exc, InsufficientCredits):
        return Response({"detail": str(exc), "code": exc.code, "balance": exc.balance, "cost": exc.cost},
                        status=status.HTTP_402_PAYMENT_REQUIRED)
    if isinstance(exc, TaskError):
        return Response({"detail": str(exc), "code": exc.code}, status=exc.http_status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException):
        data = response.data
        if isinstance(data, dict) and "detail" in data:
            data.setdefault("code", getattr(data["detail"], "code", exc.default_code))
        else:
            response.data = {"detail": "The request is not valid.", "code": "invalid", "errors": data}
    return response
