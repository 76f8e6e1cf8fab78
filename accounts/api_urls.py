from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.TokenApi.as_view(), name="api-token"),
    path("keys/", api.ApiKeyListCreateApi.as_view(), name="api-keys"),
    path("keys/<str:prefix>/", api.ApiKeyDetailApi.as_view(), name="api-key-detail"),
]
