"""API error shape: every error answers {"detail": <plain words>, "code": <machine code>}, from
REST framework views (`exception_handler`) and from Django itself for a path under /api/ that
matches no view (`not_found`, `server_error`). The codes are catalogued in lib/api.py."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from credits.services import InsufficientCredits
from tasks.errors import TaskError


def exception_handler(exc, context):  # type: ignore[no-untyped-def]
    if isinstance(exc, InsufficientCredits):
        return Response({"detail": str(exc), "code": exc.code, "balance": exc.balance, "cost": exc.cost},
                        status=status.HTTP_402_PAYMENT_REQUIRED)
    if isinstance(exc, TaskError):
        # Some errors say more than their words (a job's refused documents): `extra` fields.
        return Response({"detail": str(exc), "code": exc.code, **getattr(exc, "extra", {})}, status=exc.http_status)
    response = drf_exception_handler(exc, context)
    if response is not None:  # an APIException, or Django's Http404 / PermissionDenied made one
        data = response.data
        if isinstance(data, dict) and "detail" in data:
            data.setdefault("code", getattr(data["detail"], "code", getattr(exc, "default_code", "error")))
        else:
            # A field-by-field error (REST framework's ValidationError); some name their own code.
            code = getattr(exc, "error_code", "invalid")
            response.data = {"detail": _("The request is not valid."), "code": code, "errors": data}
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Something went wrong on the server; please retry."),
                             "code": "server_error"}, status=500)
    return defaults.server_error(request)
