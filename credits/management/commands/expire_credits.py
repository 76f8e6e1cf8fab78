from __future__ import annotations

from django.core.management.base import BaseCommand

from credits import jobs


class Command(BaseCommand):
    help = "Expire what is left of credit grants past their expiry (one ledger entry per grant)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(jobs.expire_credits())
