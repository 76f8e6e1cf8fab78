from __future__ import annotations

from django.core.management.base import BaseCommand

from zhiyi import upkeep


class Command(BaseCommand):
    help = "Requeue (or fail and refund) tasks whose worker stopped; fail external tasks past their deadline."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(upkeep.reap_tasks())
