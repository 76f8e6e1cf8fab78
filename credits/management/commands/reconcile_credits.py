from django.core.management.base import BaseCommand, CommandError

from credits.selectors import find_breaches


class Command(BaseCommand):
    help = "Check every credit invariant; exit non-zero when one is broken."

    def handle(self, *args, **options):
        breaches = find_breaches()
        for line in breaches:
            self.stderr.write(line)
        if breaches:
            raise CommandError(f"{len(breaches)} credit invariant breach(es)")
        self.stdout.write("Credits reconcile: all invariants hold.")
