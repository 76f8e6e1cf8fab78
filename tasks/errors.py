"""Errors of the task services. Each carries the API `code` and HTTP status it maps to."""
from __future__ import annotations


class TaskError(Exception):
    code = "task_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, http_status: int | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status


class InvalidInput(TaskError):
    code = "invalid"


class FileTooLarge(TaskError):
    code = "file_too_large"
    http_status = 413


class UnsupportedMedia(TaskError):
    code = "unsupported_format"
    http_status = 415


class InvalidTransition(TaskError):
    code = "invalid_state"
    http_status = 409


class TaskNoLongerOurs(Exception):
    """Raised to a worker whose task was cancelled, failed or claimed by another run."""


class IdempotencyKeyReused(TaskError):
    """An idempotency key comes back with a request that is not the one it was first used for."""

    code = "idempotency_key_reused"
    http_status = 422
