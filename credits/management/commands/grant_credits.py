from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from credits import services


class Command(BaseCommand):
    help = "Grant points to a user (operators)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("points", type=int)
        parser.add_argument("--reason", required=True)

    def handle(self, *args, username, points, reason, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        if points <= 0:
            raise CommandError("points must be positive")
        entry = services.grant(user_id=user.pk, amount=points, reason=reason)
        self.stdout.write(f"Granted {points} points to {username}; balance {entry.balance_after}.")
