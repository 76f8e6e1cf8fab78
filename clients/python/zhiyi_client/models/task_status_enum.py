from enum import StrEnum


class TaskStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    PROCESSING = "processing"
    QUEUED = "queued"
    WAITING_EXTERNAL = "waiting_external"

    def __str__(self) -> str:
        return str(self.value)
