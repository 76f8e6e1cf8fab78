"""django-q2's tables in a database of their own (the `queue` alias, ZHIYI_SQLITE_QUEUE_DB):
every read and write of the django_q app goes there, nothing else does."""
from __future__ import annotations

from typing import Any

QUEUE_APP = "django_q"


class QueueRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return "queue" if model._meta.app_label == QUEUE_APP else None

    db_for_write = db_for_read

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return (db == "queue") == (app_label == QUEUE_APP)
