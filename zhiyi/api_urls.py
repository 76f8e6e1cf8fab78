"""The API's own description: the OpenAPI schema and its docs (Swagger UI, Redoc), both served
from static/ (drf-spectacular-sidecar), so they work with no network. Swagger UI's start-up
script is served by the view itself (the split view), so the pages need no inline script under
the Content-Security-Policy."""
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

# Redoc styles itself at run time (styled-components inserts <style> elements) and searches in a
# web worker: its page alone allows inline styles and blob: workers. Scripts stay 'self' only.
redoc_view = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
    SpectacularRedocView.as_view(url_name="api-schema"))

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", redoc_view, name="api-redoc"),
]
