"""Errors of the job services (shaped by zhiyi.api.exception_handler like every TaskError)."""
from __future__ import annotations

from tasks.errors import TaskError


class DocumentsRefused(TaskError):
    """Some documents of a job cannot be translated: nothing was created. `refused` names each
    document (and target language, when it depends on it) with the reason."""

    code = "documents_refused"

    def __init__(self, message: str, *, refused: list[dict]) -> None:
        super().__init__(message)
        self.refused = refused

    @property
    def extra(self) -> dict:
        return {"documents": self.refused}
