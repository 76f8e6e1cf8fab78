from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from credits import services

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = "Create the demo account (idempotent) and print its login."

    def handle(self, *args, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=DEMO_USERNAME, defaults={"email": "demo@example.com"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        services.get_or_create_account(user_id=user.pk)
        services.grant(user_id=user.pk, amount=5000, reason="Demo credits", idempotency_key="demo:grant:1")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
