from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications import signals  # noqa: F401  (stream-bus publisher, balance_low receiver)
        from notifications.streams import NotificationFeed, open_notifications_stream
        from streams.routes import register_feed, register_stream

        register_stream(r"^/sse/notifications/$", open_notifications_stream)
        register_feed(NotificationFeed())
