from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Translation tasks"

    def ready(self) -> None:
        from tasks import signals  # noqa: F401  (connects the stream-bus receivers)
        from tasks import checks  # noqa: F401  (registers the webhook system checks)
