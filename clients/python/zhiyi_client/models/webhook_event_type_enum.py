from enum import StrEnum


class WebhookEventTypeEnum(StrEnum):
    TASK_COMPLETED = "task.completed"
    TASK_FAILED = "task.failed"
    TASK_PROGRESS = "task.progress"

    def __str__(self) -> str:
        return str(self.value)
