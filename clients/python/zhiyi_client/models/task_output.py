from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status_enum import TaskStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskOutput")


@_attrs_define
class TaskOutput:
    """
    Attributes:
        id (int):
        progress (int): percent done
        message (str): what the task says about itself, in the request's language
        engine (str):
        source_lang (str):
        target_lang (str):
        format_ (str):
        filename (str):
        size (int): bytes of the uploaded document
        characters (int): billable characters of the document
        cost (int): points reserved for the current round
        charged (int): points finally charged
        result_url (None | str):
        error (str): why it failed, in the request's language (empty unless failed)
        version (int): bumped by every change (the stream event id)
        attempt (int): worker runs in the current round
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        stream_url (str):
        status (TaskStatusEnum | Unset): * `queued` - Queued
            * `processing` - Processing
            * `waiting_external` - waiting for external engine
            * `completed` - Completed
            * `failed` - Failed
            * `cancelled` - Cancelled
        started_at (datetime.datetime | None | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    id: int
    progress: int
    message: str
    engine: str
    source_lang: str
    target_lang: str
    format_: str
    filename: str
    size: int
    characters: int
    cost: int
    charged: int
    result_url: None | str
    error: str
    version: int
    attempt: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    stream_url: str
    status: TaskStatusEnum | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        progress = self.progress

        message = self.message

        engine = self.engine

        source_lang = self.source_lang

        target_lang = self.target_lang

        format_ = self.format_

        filename = self.filename

        size = self.size

        characters = self.characters

        cost = self.cost

        charged = self.charged

        result_url: None | str
        result_url = self.result_url

        error = self.error

        version = self.version

        attempt = self.attempt

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        stream_url = self.stream_url

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "progress": progress,
                "message": message,
                "engine": engine,
                "source_lang": source_lang,
                "target_lang": target_lang,
                "format": format_,
                "filename": filename,
                "size": size,
                "characters": characters,
                "cost": cost,
                "charged": charged,
                "result_url": result_url,
                "error": error,
                "version": version,
                "attempt": attempt,
                "created_at": created_at,
                "updated_at": updated_at,
                "stream_url": stream_url,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        progress = d.pop("progress")

        message = d.pop("message")

        engine = d.pop("engine")

        source_lang = d.pop("source_lang")

        target_lang = d.pop("target_lang")

        format_ = d.pop("format")

        filename = d.pop("filename")

        size = d.pop("size")

        characters = d.pop("characters")

        cost = d.pop("cost")

        charged = d.pop("charged")

        def _parse_result_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result_url = _parse_result_url(d.pop("result_url"))

        error = d.pop("error")

        version = d.pop("version")

        attempt = d.pop("attempt")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        stream_url = d.pop("stream_url")

        _status = d.pop("status", UNSET)
        status: TaskStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = TaskStatusEnum(_status)

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        task_output = cls(
            id=id,
            progress=progress,
            message=message,
            engine=engine,
            source_lang=source_lang,
            target_lang=target_lang,
            format_=format_,
            filename=filename,
            size=size,
            characters=characters,
            cost=cost,
            charged=charged,
            result_url=result_url,
            error=error,
            version=version,
            attempt=attempt,
            created_at=created_at,
            updated_at=updated_at,
            stream_url=stream_url,
            status=status,
            started_at=started_at,
            finished_at=finished_at,
        )

        task_output.additional_properties = d
        return task_output

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
