"""GET /metrics in Prometheus text format.

Web replicas and worker machines are separate processes, so counters kept in process memory
would each see only their own part (and the worker's would never reach a web process). Task,
webhook and credit figures are therefore read from the database at scrape time by a custom
collector: correct across processes and restarts. Counters are derived from append-only rows
(task events, the ledger); a deleted task's events go with it, which Prometheus' rate() treats
like a counter reset. What only exists in a process (open SSE streams, bus traffic) is
per-process: scrape every web replica.
"""
from __future__ import annotations

import hmac
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector

from ops import figures

# prometheus_client's default registry: the process figures, django-prometheus's request figures
# (count, latency, status, by view; its middleware is in settings) and ours below.

# Upper bounds (seconds) of the task duration histogram.
DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)


class DatabaseCollector(Collector):
    def describe(self) -> list[Metric]:
        return []  # no query at import time (registration would otherwise call collect())

    def collect(self) -> Iterator[Metric]:
        from credits.models import LedgerEntry, Reservation
        from tasks.models import ProcessingTask, Status, TaskEvent, WebhookDelivery

        created = CounterMetricFamily("zhiyi_tasks_created", "Tasks created", labels=["engine"])
        for engine, n in ProcessingTask.objects.order_by().values_list("engine").annotate(n=Count("id")):
            created.add_metric([engine], n)
        yield created

        # One event per completed or failed round: a task failed, retried and completed counts in both.
        ended = {Status.COMPLETED: CounterMetricFamily("zhiyi_tasks_completed", "Task rounds completed",
                                                       labels=["engine"]),
                 Status.FAILED: CounterMetricFamily("zhiyi_tasks_failed", "Task rounds failed", labels=["engine"])}
        rows = (TaskEvent.objects.filter(status__in=list(ended)).order_by()
                .values_list("status", "task__engine").annotate(n=Count("id")))
        for status, engine, n in rows:
            ended[status].add_metric([engine], n)
        yield from ended.values()

        by_status = GaugeMetricFamily("zhiyi_tasks", "Tasks by current status", labels=["status"])
        for status, n in figures.tasks_per_status().items():
            by_status.add_metric([status], n)
        yield by_status

        yield self._durations(ProcessingTask)
        yield GaugeMetricFamily("zhiyi_queue_depth", "django-q2 jobs in the ORM broker", value=figures.queue_depth())

        deliveries = GaugeMetricFamily("zhiyi_webhook_deliveries", "Webhook deliveries on record by outcome "
                                       "(older ones are pruned)", labels=["outcome"])
        for outcome, n in WebhookDelivery.objects.order_by().values_list("outcome").annotate(n=Count("id")):
            deliveries.add_metric([outcome or "unknown"], n)
        yield deliveries

        # The ledger is append-only, so these are true counters.
        K = LedgerEntry.Kind
        sums = LedgerEntry.objects.aggregate(
            reserved=Sum("amount", filter=Q(kind=K.RESERVE), default=0),
            refunded=Sum("amount", filter=Q(kind__in=[K.REFUND, K.SETTLE_REFUND]), default=0),
            granted=Sum("amount", filter=Q(kind=K.GRANT), default=0),
            expired=Sum("amount", filter=Q(kind=K.EXPIRE), default=0),
        )
        charged = Reservation.objects.filter(state=Reservation.State.SETTLED).aggregate(
            total=Sum("charged", default=0))["total"]
        yield CounterMetricFamily("zhiyi_credits_reserved", "Points reserved for tasks", value=-sums["reserved"])
        yield CounterMetricFamily("zhiyi_credits_charged", "Points charged for completed tasks", value=charged)
        yield CounterMetricFamily("zhiyi_credits_refunded", "Points given back (failures, cancels, unused)",
                                  value=sums["refunded"])
        yield CounterMetricFamily("zhiyi_credits_granted", "Points granted", value=sums["granted"])
        yield CounterMetricFamily("zhiyi_credits_expired", "Points of grants that expired unused",
                                  value=-sums["expired"])
        yield GaugeMetricFamily("zhiyi_credits_in_flight", "Points held by open reservations",
                                value=figures.credits_in_flight())
        yield GaugeMetricFamily("zhiyi_credits_reserved_stale", "Points held by open reservations whose task has "
                                "not moved for ZHIYI_STALE_RESERVATION_S", value=figures.credits_reserved_stale())
        yield GaugeMetricFamily("zhiyi_queue_oldest_job_seconds", "How long the oldest queued job has waited",
                                value=figures.oldest_waiting_job_s())
        quiet = figures.last_worker_progress_s()
        yield GaugeMetricFamily("zhiyi_worker_last_progress_seconds", "Seconds since a worker finished a job or "
                                "beat while translating (-1: never)", value=-1 if quiet is None else quiet)
        yield GaugeMetricFamily("zhiyi_workers_stalled", "1 when jobs wait and no worker shows life "
                                "(ZHIYI_QUEUE_STALL_S)", value=1 if figures.workers_stalled() else 0)

        yield GaugeMetricFamily("zhiyi_sse_streams_open", "Open SSE streams in this process",
                                value=figures.open_streams())
        yield from self._registry_counters()

    @staticmethod
    def _registry_counters() -> Iterator[Metric]:
        """The realtime layer's own counters (this process only; plain attributes it keeps)."""
        from streams.bus import stats
        from streams.registry import registry as live

        yield CounterMetricFamily("zhiyi_sse_streams_opened", "SSE streams opened by this process",
                                  value=live.opened_total)
        yield GaugeMetricFamily("zhiyi_sse_loops_running", "Stream loops running in this process (one per open "
                                "stream; a higher figure than zhiyi_sse_streams_open is a leak)", value=live.loops)
        yield GaugeMetricFamily("zhiyi_sse_users_streaming", "Users with an open SSE stream in this process",
                                value=len(live.per_user))
        yield CounterMetricFamily("zhiyi_sse_dispatched", "Events handed to SSE connections' mailboxes",
                                  value=live.dispatched)
        yield CounterMetricFamily("zhiyi_sse_superseded", "Task statuses dropped because a newer one for the "
                                  "same task was still waiting in the mailbox (slow clients)",
                                  value=live.superseded)
        yield CounterMetricFamily("zhiyi_events_published", "Stream events published to the bus by this process",
                                  value=stats.published)
        yield CounterMetricFamily("zhiyi_events_delivered", "Stream events handed to SSE connections by this "
                                  "process's bus", value=stats.delivered)
        yield CounterMetricFamily("zhiyi_bus_reconnects", "Times this process's bus listener reconnected",
                                  value=stats.reconnects)
        yield from DatabaseCollector._gc_pauses()

    @staticmethod
    def _gc_pauses() -> Iterator[Metric]:
        """This process's garbage-collection pauses (streams.gcpolicy times each collection)."""
        from streams.gcpolicy import pauses

        count = CounterMetricFamily("zhiyi_gc_collections", "Garbage collections of this process",
                                    labels=["generation"])
        total = CounterMetricFamily("zhiyi_gc_pause_seconds", "Time the process stood still in garbage "
                                    "collection", labels=["generation"])
        longest = GaugeMetricFamily("zhiyi_gc_pause_max_seconds", "Longest garbage-collection pause of this "
                                    "process", labels=["generation"])
        for generation in range(3):
            count.add_metric([str(generation)], pauses.count[generation])
            total.add_metric([str(generation)], pauses.total_s[generation])
            longest.add_metric([str(generation)], pauses.max_s[generation])
        yield count
        yield total
        yield longest
        yield CounterMetricFamily("zhiyi_gc_freezes", "Times the process froze its surviving objects "
                                  "(ZHIYI_GC_FREEZE_S)", value=pauses.freezes)

    @staticmethod
    def _durations(model: type) -> HistogramMetricFamily:
        """Run time of completed tasks (started → finished), bucketed in the database."""
        duration = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        done = model.objects.filter(status="completed", started_at__isnull=False,
                                    finished_at__isnull=False).order_by().annotate(d=duration)
        aggregates = {f"le_{i}": Count("id", filter=Q(d__lte=timedelta(seconds=b)))
                      for i, b in enumerate(DURATION_BUCKETS)}
        row = done.aggregate(total=Count("id"), seconds=Sum("d"), **aggregates)
        buckets = [(str(float(b)), row[f"le_{i}"]) for i, b in enumerate(DURATION_BUCKETS)]
        buckets.append(("+Inf", row["total"]))
        total_seconds = row["seconds"].total_seconds() if row["seconds"] else 0.0
        return HistogramMetricFamily("zhiyi_task_duration_seconds", "Run time of completed tasks",
                                     buckets=buckets, sum_value=total_seconds)


REGISTRY.register(DatabaseCollector())


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus scrape endpoint. With ZHIYI_METRICS_TOKEN set, a matching bearer token is
    required; otherwise keep it off the public internet at the proxy (docs/deployment.md)."""
    token = settings.ZHIYI_METRICS_TOKEN
    offered = request.headers.get("Authorization", "").encode()
    if token and not hmac.compare_digest(offered, f"Bearer {token}".encode()):
        return HttpResponseForbidden("metrics token required\n")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
