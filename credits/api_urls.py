from django.urls import path

from credits.api import CreditsApi, LedgerApi, LedgerExportApi, UsageApi

urlpatterns = [
    path("credits/", CreditsApi.as_view(), name="api-credits"),
    path("credits/ledger/", LedgerApi.as_view(), name="api-credits-ledger"),
    path("credits/ledger/export/", LedgerExportApi.as_view(), name="api-credits-ledger-export"),
    path("usage/", UsageApi.as_view(), name="api-usage"),
]
