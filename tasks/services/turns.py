"""Fair turns between users: a job's tasks wait in the database (`waiting_turn`) and are handed
to the worker a few at a time per user, so one user's 500 queued documents never stand between
another user's single document and the next free worker.

django-q2's ORM broker delivers in arrival order. A user with a waiting job holds at most
ZHIYI_TURNS_PER_USER jobs in the broker (queued there or running); each run that ends sends
that user's next one. Another user's task, sent at once, is thus behind at most that many of
the first user's: it starts as soon as one of them ends."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from tasks.models import ProcessingTask, Status
from tasks.services.queue import enqueue_with_transaction


@transaction.atomic
def send_turns(*, user_id: int) -> list[int]:
    """Hand the user's next waiting tasks to the worker, up to their share. Returns their ids."""
    # The user row serialises two runs ending at once (each would otherwise count the same gap).
    get_user_model().objects.select_for_update().filter(pk=user_id).first()
    mine = ProcessingTask.objects.filter(user_id=user_id)
    in_hand = mine.filter(status__in=(Status.QUEUED, Status.PROCESSING), waiting_turn=False).count()
    room = settings.ZHIYI_TURNS_PER_USER - in_hand
    if room <= 0:
        return []
    task_ids = list(mine.filter(status=Status.QUEUED, waiting_turn=True).order_by("id")
                    .values_list("pk", flat=True)[:room])
    if task_ids:
        ProcessingTask.objects.filter(pk__in=task_ids).update(waiting_turn=False)
        for task_id in task_ids:
            enqueue_with_transaction(task_id)
    return task_ids


def users_waiting() -> list[int]:
    """Users with a task waiting for its turn (the reaper sends their turns again)."""
    return list(ProcessingTask.objects.filter(status=Status.QUEUED, waiting_turn=True)
                .values_list("user_id", flat=True).distinct())
