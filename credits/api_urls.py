from django.urls import path

from credits.api import CreditsApi

urlpatterns = [
    path("credits/", CreditsApi.as_view(), name="api-credits"),
]
