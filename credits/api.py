"""API of the user's credits: balance, the ledger (paginated, and as CSV), usage by day and engine."""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from credits.models import CreditGrant, LedgerEntry
from credits.selectors import balance_of, entries_of, expiring_grants_of, ledger_between, usage_of
from credits.services import get_or_create_account
from lib.api import authenticated_errors

MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30


class LedgerEntrySerializer(serializers.ModelSerializer):
    note = serializers.CharField(read_only=True, help_text="what the entry says, in the request's language")

    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "amount", "balance_after", "task", "reason", "note", "created_at"]
        extra_kwargs = {"amount": {"help_text": "signed: + credit, − debit"},
                        "task": {"help_text": "the task it belongs to (null: none, or deleted since)"}}


class ExpiringSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditGrant
        fields = ["remaining", "expires_at"]


class BalanceSerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    expiring = ExpiringSerializer(many=True, help_text="points that will expire, soonest first")
    ledger_url = serializers.CharField(help_text="the whole ledger, paginated")
    entries = LedgerEntrySerializer(many=True, help_text="the newest 50 ledger entries: kept for older clients, "
                                    "use `ledger_url` (paginated)")


class CreditsApi(APIView):
    @extend_schema(operation_id="credits_retrieve", tags=["billing"],
                   responses={200: BalanceSerializer, **authenticated_errors()})
    def get(self, request):  # type: ignore[no-untyped-def]
        get_or_create_account(user_id=request.user.pk)
        entries = entries_of(user_id=request.user.pk)[:50]
        return Response({"balance": balance_of(user_id=request.user.pk),
                         "expiring": ExpiringSerializer(expiring_grants_of(user_id=request.user.pk), many=True).data,
                         "ledger_url": reverse("api-credits-ledger"),
                         "entries": LedgerEntrySerializer(entries, many=True).data})


class LedgerApi(ListAPIView):
    serializer_class = LedgerEntrySerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return entries_of(user_id=self.request.user.pk)

    @extend_schema(operation_id="credits_ledger_list", tags=["billing"], responses={200: LedgerEntrySerializer(many=True),
                                                                   **authenticated_errors()},
                   description="Every change of your balance, newest first.")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().get(request, *args, **kwargs)


class DateRangeSerializer(serializers.Serializer):
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD`, both inclusive, in the site's time zone. Default: the
    last 30 days up to today; at most 366 days."""

    start = serializers.DateField(required=False, allow_null=True)
    end = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        end = attrs.get("end") or timezone.localdate()
        start = attrs.get("start") or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
        if start > end:
            raise ValidationError({"start": [_("`from` must not be after `to`.")]})
        if self.context.get("bounded", True) and (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ValidationError({"end": [_("At most %(days)d days at a time.") % {"days": MAX_RANGE_DAYS}]})
        return {"start": start, "end": end}


class RangeError(ValidationError):
    error_code = "invalid_range"


def date_range(query, *, bounded: bool = True) -> tuple[date, date]:  # type: ignore[no-untyped-def]
    """The validated range of a request's `?from=&to=` (at most 366 days when `bounded`), or a
    400 `invalid_range`."""
    params = DateRangeSerializer(data={"start": query.get("from") or None, "end": query.get("to") or None},
                                 context={"bounded": bounded})
    if not params.is_valid():
        names = {"start": "from", "end": "to"}
        raise RangeError({names.get(k, k): v for k, v in params.errors.items()})
    return params.validated_data["start"], params.validated_data["end"]


RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day, inclusive (default: 29 days before `to`)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive (default: today); at most 366 days"),
]


class UsageRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    engine = serializers.CharField(allow_null=True, help_text="null: a task deleted since")
    tasks = serializers.IntegerField(help_text="tasks that ran that day")
    characters = serializers.IntegerField(help_text="their documents' characters, once per run")
    points = serializers.IntegerField(help_text="what those runs cost (reserved while running)")


class UsageTotalsSerializer(serializers.Serializer):
    tasks = serializers.IntegerField()
    characters = serializers.IntegerField()
    points = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    from_ = serializers.DateField()
    to = serializers.DateField()
    totals = UsageTotalsSerializer()
    days = UsageRowSerializer(many=True, help_text="one row per day and engine that had any use, oldest first")

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


def usage_report(*, user_id: int, start: date, end: date) -> dict:
    rows = usage_of(user_id=user_id, start=start, end=end)
    totals = {key: sum(r[key] for r in rows) for key in ("tasks", "characters", "points")}
    return {"from": start, "to": end, "totals": totals, "days": rows}


class UsageApi(APIView):
    @extend_schema(operation_id="usage_retrieve", tags=["billing"], parameters=RANGE_PARAMETERS,
                   responses={200: UsageSerializer, **authenticated_errors("invalid_range")},
                   description="Characters, points and tasks by day and engine. A bounded report (at most 366 "
                               "days times the engines), so answered whole rather than paginated.")
    def get(self, request):  # type: ignore[no-untyped-def]
        start, end = date_range(request.query_params)
        return Response(UsageSerializer(usage_report(user_id=request.user.pk, start=start, end=end)).data)


LEDGER_COLUMNS = ["id", "created_at", "kind", "amount", "balance_after", "task_id", "filename", "reason", "note"]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell starting with one of these as a formula (file names are the user's).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def ledger_csv(entries: Iterable[LedgerEntry], *, language: str | None = None) -> Iterator[str]:
    """`note` in `language`: the rows are written while the response streams, after the view
    (and the request's active language) has returned."""
    class Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Line())
    yield writer.writerow(LEDGER_COLUMNS)
    for e in entries:
        with translation.override(language):
            note = e.note
        yield writer.writerow([_cell(v) for v in (e.pk, e.created_at.isoformat(), e.kind, e.amount, e.balance_after,
                                                  e.task_id, e.task.filename if e.task else "", e.reason, note)])


def ledger_csv_response(*, user_id: int, start: date | None, end: date | None) -> StreamingHttpResponse:
    entries = ledger_between(user_id=user_id, start=start, end=end).iterator(chunk_size=500)
    response = StreamingHttpResponse(ledger_csv(entries, language=translation.get_language()),
                                     content_type="text/csv; charset=utf-8")
    name = f"zhiyi-ledger-{start or 'start'}-{end or timezone.localdate()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class LedgerExportApi(APIView):
    def perform_content_negotiation(self, request, force=False):  # type: ignore[no-untyped-def]
        return super().perform_content_negotiation(request, force=True)  # a CSV answers any Accept

    @extend_schema(operation_id="credits_ledger_export", tags=["billing"], parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE, description="first day, inclusive (default: the first entry)"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive (default: today)")],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=(
            "the ledger, oldest first, as CSV with a header row: " + ", ".join(LEDGER_COLUMNS))),
            **authenticated_errors("invalid_range")})
    def get(self, request):  # type: ignore[no-untyped-def]
        params = request.query_params
        start = end = None
        if params.get("from") or params.get("to"):
            start, end = date_range(params, bounded=False)
            start = start if params.get("from") else None
        return ledger_csv_response(user_id=request.user.pk, start=start, end=end)
