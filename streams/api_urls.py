from django.urls import path

from streams.api import StreamTokenApi

urlpatterns = [
    path("streams/token/", StreamTokenApi.as_view(), name="api-stream-token"),
]
