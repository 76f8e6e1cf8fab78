"""System checks for the webhook and the external engine (run by `manage.py check` and at
start-up): in production a missing or broken webhook secret is an error, not a surprise."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from tasks.webhooks.signing import parse_secrets


@register("zhiyi")
def check_webhook(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    messages: list[Error | Warning] = []
    external_on = "external" in settings.ZHIYI_ENGINES
    try:
        secrets = parse_secrets(settings.ZHIYI_WEBHOOK_SECRET)
    except ValueError as exc:
        return [Error(str(exc), hint="Use a secret of the form whsec_<base64>.", id="zhiyi.E601")]
    if settings.ZHIYI_PRODUCTION and external_on and not secrets:
        messages.append(Error(
            "The external engine is enabled but ZHIYI_WEBHOOK_SECRET is not set: its webhook could not be verified.",
            hint="Set ZHIYI_WEBHOOK_SECRET=whsec_... (shared with the external service), or remove "
                 "'external' from ZHIYI_ENGINES.", id="zhiyi.E602"))
    if settings.ZHIYI_PRODUCTION and settings.ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS:
        messages.append(Warning(
            "ZHIYI_WEBHOOK_ALLOW_PRIVATE_URLS is on in production: a webhook result_url may make the "
            "server read from the internal network.", id="zhiyi.W603"))
    return messages
