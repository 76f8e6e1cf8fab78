from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Health, metrics and the staff operations page: read-only views over every other app."""

    name = "ops"
    verbose_name = "Operations"
