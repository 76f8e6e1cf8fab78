from __future__ import annotations

from django.core.management.base import BaseCommand

from notifications import jobs


class Command(BaseCommand):
    help = "Delete notifications older than ZHIYI_HISTORY_DAYS."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--days", type=int, default=None, help="override ZHIYI_HISTORY_DAYS")

    def handle(self, *args: object, days: int | None = None, **options: object) -> None:
        self.stdout.write(jobs.prune_notifications(days=days))
