from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications.jobs import prune_notifications
from tasks.jobs import prune_webhook_deliveries


class Command(BaseCommand):
    help = "Delete notifications and webhook deliveries older than ZHIYI_HISTORY_DAYS (both apps' prunes)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--days", type=int, default=None, help="override ZHIYI_HISTORY_DAYS")

    def handle(self, *args: object, days: int | None = None, **options: object) -> None:
        self.stdout.write(prune_notifications(days=days))
        self.stdout.write(prune_webhook_deliveries(days=days))
