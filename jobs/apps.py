from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Batch jobs"

    def ready(self) -> None:
        from jobs import signals  # noqa: F401  (connects the stream-bus publisher)
        from jobs.streams import JobFeed, open_job_stream
        from streams.routes import register_feed, register_stream

        register_stream(r"^/sse/jobs/(?P<job_id>\d+)/$", open_job_stream)
        register_feed(JobFeed())
