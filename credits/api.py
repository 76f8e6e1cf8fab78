from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from credits.models import CreditGrant, LedgerEntry
from credits.selectors import balance_of, entries_of, expiring_grants_of
from credits.services import get_or_create_account


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "kind", "amount", "balance_after", "task", "reason", "created_at"]


class ExpiringSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditGrant
        fields = ["remaining", "expires_at"]


class CreditsSerializer(serializers.Serializer):
    balance = serializers.IntegerField()
    expiring = ExpiringSerializer(many=True, help_text="points that will expire, soonest first")
    entries = LedgerEntrySerializer(many=True)


class CreditsApi(APIView):
    @extend_schema(responses=CreditsSerializer)
    def get(self, request):  # type: ignore[no-untyped-def]
        get_or_create_account(user_id=request.user.pk)
        entries = entries_of(user_id=request.user.pk)[:200]
        return Response({"balance": balance_of(user_id=request.user.pk),
                         "expiring": ExpiringSerializer(expiring_grants_of(user_id=request.user.pk), many=True).data,
                         "entries": LedgerEntrySerializer(entries, many=True).data})
