from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status_enum import TaskStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="JobTask")


@_attrs_define
class JobTask:
    """
    Attributes:
        id (int):
        filename (str):
        path (str): the document's folder inside the job ('' or 'a/b/')
        target_lang (str):
        progress (int): percent done
        format_ (str):
        characters (int): billable characters of the document
        cost (int): points reserved for the current round
        charged (int): points finally charged
        error (str): why it failed, in the request's language (empty unless failed)
        url (str): the task in the API
        stream_url (str):
        status (TaskStatusEnum | Unset): * `queued` - Queued
            * `processing` - Processing
            * `waiting_external` - waiting for external engine
            * `completed` - Completed
            * `failed` - Failed
            * `cancelled` - Cancelled
    """

    id: int
    filename: str
    path: str
    target_lang: str
    progress: int
    format_: str
    characters: int
    cost: int
    charged: int
    error: str
    url: str
    stream_url: str
    status: TaskStatusEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        filename = self.filename

        path = self.path

        target_lang = self.target_lang

        progress = self.progress

        format_ = self.format_

        characters = self.characters

        cost = self.cost

        charged = self.charged

        error = self.error

        url = self.url

        stream_url = self.stream_url

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "filename": filename,
                "path": path,
                "target_lang": target_lang,
                "progress": progress,
                "format": format_,
                "characters": characters,
                "cost": cost,
                "charged": charged,
                "error": error,
                "url": url,
                "stream_url": stream_url,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        filename = d.pop("filename")

        path = d.pop("path")

        target_lang = d.pop("target_lang")

        progress = d.pop("progress")

        format_ = d.pop("format")

        characters = d.pop("characters")

        cost = d.pop("cost")

        charged = d.pop("charged")

        error = d.pop("error")

        url = d.pop("url")

        stream_url = d.pop("stream_url")

        _status = d.pop("status", UNSET)
        status: TaskStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = TaskStatusEnum(_status)

        job_task = cls(
            id=id,
            filename=filename,
            path=path,
            target_lang=target_lang,
            progress=progress,
            format_=format_,
            characters=characters,
            cost=cost,
            charged=charged,
            error=error,
            url=url,
            stream_url=stream_url,
            status=status,
        )

        job_task.additional_properties = d
        return job_task

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
