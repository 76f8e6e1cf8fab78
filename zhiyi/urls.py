"""The root URLconf: every app owns its routes; this only includes them.

The API is versioned in the path: `/api/v1/` is its documented prefix, and `/api/` serves the
same views as an alias for clients written before the version was named. The alias comes first
so that `reverse()` (which takes the last pattern of a name) gives `/api/v1/` links."""
from django.contrib import admin
from django.urls import include, path

API = [
    path("", include("accounts.api_urls")),
    path("", include("tasks.api_urls")),
    path("", include("jobs.api_urls")),
    path("", include("credits.api_urls")),
    path("", include("memory.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("streams.api_urls")),
    path("", include("zhiyi.api_urls")),
]

urlpatterns = [
    path("api/", include("tasks.webhook_urls")),
    path("api/", include(API)),
    path("api/v1/", include(API)),
    path("", include("ops.urls")),  # admin/operations/ before admin/
    path("admin/", admin.site.urls),
    path("", include("tasks.urls")),
    path("", include("jobs.urls")),
    path("", include("credits.urls")),
    path("", include("notifications.urls")),
    path("", include("memory.urls")),
    path("", include("accounts.urls")),
]

handler404 = "zhiyi.api.not_found"
handler500 = "zhiyi.api.server_error"
