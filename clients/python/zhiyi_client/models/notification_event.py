from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.notification_kind_enum import NotificationKindEnum

T = TypeVar("T", bound="NotificationEvent")


@_attrs_define
class NotificationEvent:
    """The data of a `notification` event on /sse/notifications/ (notifications/events.py).

    Attributes:
        id (int): the notification's id; also the SSE `id:`
        kind (NotificationKindEnum): * `task_completed` - Task Completed
            * `task_failed` - Task Failed
            * `task_cancelled` - Task Cancelled
            * `credits` - Credits
            * `system` - System
        title (str): in the language of the stream request
        body (str):
        url (str): the page it is about (may be empty)
        created_at (datetime.datetime | None):
    """

    id: int
    kind: NotificationKindEnum
    title: str
    body: str
    url: str
    created_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        title = self.title

        body = self.body

        url = self.url

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "title": title,
                "body": body,
                "url": url,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = NotificationKindEnum(d.pop("kind"))

        title = d.pop("title")

        body = d.pop("body")

        url = d.pop("url")

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("createdAt"))

        notification_event = cls(
            id=id,
            kind=kind,
            title=title,
            body=body,
            url=url,
            created_at=created_at,
        )

        notification_event.additional_properties = d
        return notification_event

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
