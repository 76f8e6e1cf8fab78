from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StreamToken")


@_attrs_define
class StreamToken:
    """
    Attributes:
        token (str): append as `?token=` to a stream URL
        expires_in (int): seconds the token can open a stream for
        expires_at (datetime.datetime):
        path (str): the one path it opens (empty: any of yours)
    """

    token: str
    expires_in: int
    expires_at: datetime.datetime
    path: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        expires_in = self.expires_in

        expires_at = self.expires_at.isoformat()

        path = self.path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "expires_in": expires_in,
                "expires_at": expires_at,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        expires_in = d.pop("expires_in")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        path = d.pop("path")

        stream_token = cls(
            token=token,
            expires_in=expires_in,
            expires_at=expires_at,
            path=path,
        )

        stream_token.additional_properties = d
        return stream_token

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
