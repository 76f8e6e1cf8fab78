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
        message (str): what the task says about itself, in the request's language
        engine (str):
        source_lang (str):
        target_lang (str):
        format_ (str):
        filename (str):
        result_url (None | str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        stream_url (str):
        status (TaskStatusEnum | Unset): * `queued` - Queued
            * `processing` - Processing
            * `waiting_external` - waiting for external engine
            * `completed` - Completed
            * `failed` - Failed
            * `cancelled` - Cancelled
        progress (int | Unset):
        size (int | Unset):
        characters (int | Unset):
        cost (int | Unset): points reserved for the current round
        charged (int | Unset): points finally charged
        error (str | Unset):
        version (int | Unset):
        attempt (int | Unset): worker runs in the current round
        started_at (datetime.datetime | None | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    id: int
    message: str
    engine: str
    source_lang: str
    target_lang: str
    format_: str
    filename: str
    result_url: None | str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    stream_url: str
    status: TaskStatusEnum | Unset = UNSET
    progress: int | Unset = UNSET
    size: int | Unset = UNSET
    characters: int | Unset = UNSET
    cost: int | Unset = UNSET
    charged: int | Unset = UNSET
    error: str | Unset = UNSET
    version: int | Unset = UNSET
    attempt: int | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        message = self.message

        engine = self.engine

        source_lang = self.source_lang

        target_lang = self.target_lang

        format_ = self.format_

        filename = self.filename

        result_url: None | str
        result_url = self.result_url

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        stream_url = self.stream_url

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        progress = self.progress

        size = self.size

        characters = self.characters

        cost = self.cost

        charged = self.charged

        error = self.error

        version = self.version

        attempt = self.attempt

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
                "message": message,
                "engine": engine,
                "source_lang": source_lang,
                "target_lang": target_lang,
                "format": format_,
                "filename": filename,
                "result_url": result_url,
                "created_at": created_at,
                "updated_at": updated_at,
                "stream_url": stream_url,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if progress is not UNSET:
            field_dict["progress"] = progress
        if size is not UNSET:
            field_dict["size"] = size
        if characters is not UNSET:
            field_dict["characters"] = characters
        if cost is not UNSET:
            field_dict["cost"] = cost
        if charged is not UNSET:
            field_dict["charged"] = charged
        if error is not UNSET:
            field_dict["error"] = error
        if version is not UNSET:
            field_dict["version"] = version
        if attempt is not UNSET:
            field_dict["attempt"] = attempt
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        message = d.pop("message")

        engine = d.pop("engine")

        source_lang = d.pop("source_lang")

        target_lang = d.pop("target_lang")

        format_ = d.pop("format")

        filename = d.pop("filename")

        def _parse_result_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        result_url = _parse_result_url(d.pop("result_url"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        stream_url = d.pop("stream_url")

        _status = d.pop("status", UNSET)
        status: TaskStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = TaskStatusEnum(_status)

        progress = d.pop("progress", UNSET)

        size = d.pop("size", UNSET)

        characters = d.pop("characters", UNSET)

        cost = d.pop("cost", UNSET)

        charged = d.pop("charged", UNSET)

        error = d.pop("error", UNSET)

        version = d.pop("version", UNSET)

        attempt = d.pop("attempt", UNSET)

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
            message=message,
            engine=engine,
            source_lang=source_lang,
            target_lang=target_lang,
            format_=format_,
            filename=filename,
            result_url=result_url,
            created_at=created_at,
            updated_at=updated_at,
            stream_url=stream_url,
            status=status,
            progress=progress,
            size=size,
            characters=characters,
            cost=cost,
            charged=charged,
            error=error,
            version=version,
            attempt=attempt,
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
