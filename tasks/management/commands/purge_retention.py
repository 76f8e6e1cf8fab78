from __future__ import annotations

from django.core.management.base import BaseCommand

from tasks import jobs


class Command(BaseCommand):
    help = "Delete originals and results of tasks that ended over ZHIYI_RETENTION_DAYS ago (rows are kept)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--days", type=int, default=None, help="override ZHIYI_RETENTION_DAYS")

    def handle(self, *args: object, days: int | None = None, **options: object) -> None:
        self.stdout.write(jobs.purge_retention(days=days))
