"""`manage.py run_worker`: qcluster under a supervisor. The cluster runs as a child process
group; the supervisor restarts it when it exits or wedges (a SIGKILLed pusher or worker can leave
the others blocked on django-q2's internal queues), runs the reaper itself every
ZHIYI_REAP_INTERVAL_S (so reaping does not depend on the cluster it watches), and sends a probe
job while the queue is idle so a wedged idle cluster shows too. SIGTERM or Ctrl-C stops the
cluster gracefully (the running tasks finish first)."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from ops import figures

logger = logging.getLogger("zhiyi.supervisor")


class Command(BaseCommand):
    help = "Run the qcluster worker under a supervisor that restarts it when it exits or wedges."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=float(os.environ.get("ZHIYI_SUPERVISOR_TICK_S", 5)),
                            help="seconds between checks")

    def handle(self, *args: Any, tick: float, **options: Any) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        cluster, started = self._start(), time.monotonic()
        last_reap = last_probe = 0.0
        restarts = 0
        while not self.stopping:
            self._wait(tick)
            if self.stopping:
                break
            close_old_connections()
            now = time.monotonic()
            try:
                if now - last_reap >= settings.ZHIYI_REAP_INTERVAL_S:
                    last_reap = now
                    from tasks.jobs import reap_tasks

                    reap_tasks()
                if now - last_probe >= settings.ZHIYI_PROBE_INTERVAL_S and figures.oldest_waiting_job_s() == 0:
                    last_probe = now
                    from django_q.tasks import async_task

                    async_task("ops.jobs.probe", task_name="probe", group="probe")
                # A new cluster gets a whole stall window to show life before it is judged.
                young = now - started < settings.ZHIYI_QUEUE_STALL_S
                stalled = "" if young else figures.workers_stalled()
            except Exception:  # noqa: BLE001 — e.g. the database is down: the cluster is not to blame
                logger.warning("supervisor could not read the database", exc_info=True)
                stalled = ""
            if cluster.poll() is not None or stalled:
                restarts += 1
                logger.critical("restarting the worker cluster (%s); restart %d",
                                stalled or f"it exited with {cluster.returncode}", restarts)
                self._kill(cluster)
                self._release_held_jobs()
                cluster, started = self._start(), time.monotonic()
        self._stop_gracefully(cluster)

    def _stop(self, signum: int, frame: Any) -> None:
        self.stopping = True

    def _wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    @staticmethod
    def _start() -> subprocess.Popen:
        env = {**os.environ, "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "600")}
        return subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR, env=env,
                                start_new_session=True)

    @staticmethod
    def _kill(cluster: subprocess.Popen) -> None:
        try:
            os.killpg(cluster.pid, signal.SIGKILL)  # the whole group: sentinel, pusher, monitor, workers
        except ProcessLookupError:
            pass
        cluster.wait()

    @staticmethod
    def _release_held_jobs() -> None:
        """Jobs the killed cluster held go back to the queue now, not after their lock expires
        (Q_CLUSTER retry). A job another machine's cluster is running may then be delivered twice;
        every job here tolerates that (a task's claim turns a second delivery into a no-op)."""
        from django_q.conf import Conf
        from django_q.models import OrmQ

        if Conf.ORM:
            try:
                OrmQ.objects.using(Conf.ORM).filter(lock__gt=timezone.now()).update(lock=timezone.now())
            except Exception:  # noqa: BLE001 — the lock then simply expires
                logger.warning("could not release the jobs of the killed cluster", exc_info=True)

    @staticmethod
    def _stop_gracefully(cluster: subprocess.Popen) -> None:
        """SIGTERM to the cluster's main process only: django-q2 stops taking jobs and lets the
        running ones finish. (SIGTERM to the whole group kills its sentinel where it stands and
        leaves the main process waiting on it: a service manager should signal the main process
        only, as systemd's KillMode=mixed does.)"""
        if cluster.poll() is None:
            os.kill(cluster.pid, signal.SIGTERM)
            try:
                cluster.wait(timeout=settings.ZHIYI_TASK_TIMEOUT_S + 30)
            except subprocess.TimeoutExpired:
                os.killpg(cluster.pid, signal.SIGKILL)
                cluster.wait()
