"""The root URLconf: every app owns its routes; this only includes them."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/", include("accounts.api_urls")),
    path("api/", include("tasks.api_urls")),
    path("api/", include("credits.api_urls")),
    path("api/", include("memory.api_urls")),
    path("api/", include("notifications.api_urls")),
    path("api/", include("zhiyi.api_urls")),
    path("", include("ops.urls")),  # admin/operations/ before admin/
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tasks.urls")),
    path("", include("credits.urls")),
    path("", include("notifications.urls")),
    path("", include("memory.urls")),
    path("", include("accounts.urls")),
]
