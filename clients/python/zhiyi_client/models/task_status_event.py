from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status_enum import TaskStatusEnum

if TYPE_CHECKING:
    from ..models.task_status_event_message_params import TaskStatusEventMessageParams


T = TypeVar("T", bound="TaskStatusEvent")


@_attrs_define
class TaskStatusEvent:
    """The data of a `status` event on /sse/tasks/ and /sse/tasks/{id}/ (tasks/events.py).

    Attributes:
        task_id (int):
        status (TaskStatusEnum): * `queued` - Queued
            * `processing` - Processing
            * `waiting_external` - waiting for external engine
            * `completed` - Completed
            * `failed` - Failed
            * `cancelled` - Cancelled
        progress (int):
        message (str): in the language of the stream request
        message_code (str): the message as a code (tasks/messages.py)
        message_params (TaskStatusEventMessageParams): the code's parameters
        version (int): bumped by every change; also the SSE `id:`
        result_url (None | str): where to download, once completed
        error (None | str):
    """

    task_id: int
    status: TaskStatusEnum
    progress: int
    message: str
    message_code: str
    message_params: TaskStatusEventMessageParams
    version: int
    result_url: None | str
    error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        status = self.status.value

        progress = self.progress

        message = self.message

        message_code = self.message_code

        message_params = self.message_params.to_dict()

        version = self.version

        result_url: None | str
        result_url = self.result_url

        error: None | str
        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taskId": task_id,
                "status": status,
                "progress": progress,
                "message": message,
                "messageCode": message_code,
                "messageParams": message_params,
                "version": version,
                "resultUrl": result_url,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_status_event_message_params import TaskStatusEventMessageParams  # noqa: PLC0415

        d = dict(src_dict)
        task_id = d.pop("taskId")

        status = TaskStatusEnum(d.pop("status"))

        progress = d.pop("progress")

        message = d.pop("message")

        message_code = d.pop("messageCode")

        message_params = TaskStatusEventMessageParams.from_dict(d.pop("messageParams"))

        version = d.pop("version")

        def _parse_result_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result_url = _parse_result_url(d.pop("resultUrl"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        task_status_event = cls(
            task_id=task_id,
            status=status,
            progress=progress,
            message=message,
            message_code=message_code,
            message_params=message_params,
            version=version,
            result_url=result_url,
            error=error,
        )

        task_status_event.additional_properties = d
        return task_status_event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
