from enum import StrEnum


class NotificationKindEnum(StrEnum):
    CREDITS = "credits"
    SYSTEM = "system"
    TASK_CANCELLED = "task_cancelled"
    TASK_COMPLETED = "task_completed"
    TASK_FAILED = "task_failed"

    def __str__(self) -> str:
        return str(self.value)
