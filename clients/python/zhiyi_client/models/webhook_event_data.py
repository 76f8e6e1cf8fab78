from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEventData")


@_attrs_define
class WebhookEventData:
    """
    Attributes:
        external_task_id (str): the `id` the service answered the submission with
        progress (int | Unset): task.progress
        message (str | Unset): task.progress: a free text shown to the user
        result_url (str | Unset): task.completed: where to download the result
        result_base64 (str | Unset): task.completed: or the result inline
        characters (int | Unset): task.completed: characters translated (capped at the quote)
        error (str | Unset): task.failed: why
    """

    external_task_id: str
    progress: int | Unset = UNSET
    message: str | Unset = UNSET
    result_url: str | Unset = UNSET
    result_base64: str | Unset = UNSET
    characters: int | Unset = UNSET
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        external_task_id = self.external_task_id

        progress = self.progress

        message = self.message

        result_url = self.result_url

        result_base64 = self.result_base64

        characters = self.characters

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "external_task_id": external_task_id,
            }
        )
        if progress is not UNSET:
            field_dict["progress"] = progress
        if message is not UNSET:
            field_dict["message"] = message
        if result_url is not UNSET:
            field_dict["result_url"] = result_url
        if result_base64 is not UNSET:
            field_dict["result_base64"] = result_base64
        if characters is not UNSET:
            field_dict["characters"] = characters
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        external_task_id = d.pop("external_task_id")

        progress = d.pop("progress", UNSET)

        message = d.pop("message", UNSET)

        result_url = d.pop("result_url", UNSET)

        result_base64 = d.pop("result_base64", UNSET)

        characters = d.pop("characters", UNSET)

        error = d.pop("error", UNSET)

        webhook_event_data = cls(
            external_task_id=external_task_id,
            progress=progress,
            message=message,
            result_url=result_url,
            result_base64=result_base64,
            characters=characters,
            error=error,
        )

        webhook_event_data.additional_properties = d
        return webhook_event_data

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
