from django.core.management.base import BaseCommand, CommandError

from credits.selectors import find_breaches, stale_reservations


class Command(BaseCommand):
    help = ("Check every credit invariant; exit 1 when one is broken. Reservations held by tasks "
            "that have not moved for ZHIYI_STALE_RESERVATION_S are listed, and exit 2 when there are any.")

    def handle(self, *args, **options):
        breaches = find_breaches()
        for line in breaches:
            self.stderr.write(line)
        if breaches:
            raise CommandError(f"{len(breaches)} credit invariant breach(es)")
        stale = list(stale_reservations())
        for reservation in stale:
            self.stderr.write(f"stale: reservation {reservation.pk} of task {reservation.task_ref} "
                              f"holds {reservation.amount} point(s) since {reservation.created_at:%Y-%m-%d %H:%M} UTC")
        if stale:
            raise CommandError(f"{len(stale)} reservation(s) held by tasks that have not moved", returncode=2)
        self.stdout.write("Credits reconcile: all invariants hold.")
