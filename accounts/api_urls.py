from django.urls import path

from accounts.api import TokenCreateApi

urlpatterns = [
    path("auth/token/", TokenCreateApi.as_view(), name="api-token"),
]
