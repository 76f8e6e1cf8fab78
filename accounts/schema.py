"""How the API schema describes an API key (drf-spectacular reads this extension once it is imported:
accounts/apps.py does)."""
from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key zy_<prefix>.<secret>` (or `Bearer zy_…`): a named key, with scopes, made on "
                               "the API keys page or with POST /api/v1/keys/"}
