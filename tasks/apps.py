from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Translation tasks"

    def ready(self) -> None:
        from streams.routes import register_feed, register_stream
        from tasks import signals  # noqa: F401  (connects the stream-bus publisher)
        from tasks.streams import TaskFeed, open_task_stream, open_tasks_stream
        from tasks.webhooks import checks  # noqa: F401  (registers the webhook system checks)

        register_stream(r"^/sse/tasks/(?P<task_id>\d+)/$", open_task_stream)
        register_stream(r"^/sse/tasks/$", open_tasks_stream)
        register_feed(TaskFeed())
