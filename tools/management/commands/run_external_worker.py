"""Run the reference external translation service (tools/external_service.py) for local use:
`manage.py run_external_worker`, then set ZHIYI_EXTERNAL_URL=http://127.0.0.1:8100/jobs."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tools import external_service


class Command(BaseCommand):
    help = "Run the reference asynchronous external engine (accepts jobs, calls the signed webhook)."

    def add_arguments(self, parser: CommandParser) -> None:
        port = urlsplit(settings.ZHIYI_EXTERNAL_URL).port if settings.ZHIYI_EXTERNAL_URL else None
        external_service.add_arguments(parser, secret=settings.ZHIYI_WEBHOOK_SECRET, port=port or 8100)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["secret"]:
            raise CommandError("Set ZHIYI_WEBHOOK_SECRET (or pass --secret whsec_...).")
        external_service.serve(secret=options["secret"], host=options["host"], port=options["port"],
                               result_mode=options["result_mode"], delay_s=options["delay"],
                               public_url=options["public_url"])
