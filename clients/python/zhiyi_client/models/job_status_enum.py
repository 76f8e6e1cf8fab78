from enum import StrEnum


class JobStatusEnum(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    EMPTY = "empty"
    FAILED = "failed"
    PARTIAL = "partial"
    PROCESSING = "processing"
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
