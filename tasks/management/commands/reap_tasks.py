from __future__ import annotations

from django.core.management.base import BaseCommand

from tasks import jobs


class Command(BaseCommand):
    help = "Requeue (or fail and refund) tasks whose worker stopped; fail external tasks past their deadline."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(jobs.reap_tasks())
