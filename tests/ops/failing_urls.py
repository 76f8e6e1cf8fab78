"""A URLconf with a view that fails, for the error-mail test."""
from django.urls import path


def boom(request):  # type: ignore[no-untyped-def]
    return 1 / 0


urlpatterns = [path("boom/", boom)]
