from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Engine")


@_attrs_define
class Engine:
    """
    Attributes:
        name (str):
        label (str):
        available (bool):
        reason (str): why it is not available
        rate_per_1000 (int): points per 1,000 billed characters
        asynchronous (bool): finishes through the webhook of an external service
        pairs (list[list[str]]): [source, target] language pairs (empty when not available)
    """

    name: str
    label: str
    available: bool
    reason: str
    rate_per_1000: int
    asynchronous: bool
    pairs: list[list[str]]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        label = self.label

        available = self.available

        reason = self.reason

        rate_per_1000 = self.rate_per_1000

        asynchronous = self.asynchronous

        pairs = []
        for pairs_item_data in self.pairs:
            pairs_item = pairs_item_data

            pairs.append(pairs_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "label": label,
                "available": available,
                "reason": reason,
                "rate_per_1000": rate_per_1000,
                "asynchronous": asynchronous,
                "pairs": pairs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        label = d.pop("label")

        available = d.pop("available")

        reason = d.pop("reason")

        rate_per_1000 = d.pop("rate_per_1000")

        asynchronous = d.pop("asynchronous")

        pairs = []
        _pairs = d.pop("pairs")
        for pairs_item_data in _pairs:
            pairs_item = cast(list[str], pairs_item_data)

            pairs.append(pairs_item)

        engine = cls(
            name=name,
            label=label,
            available=available,
            reason=reason,
            rate_per_1000=rate_per_1000,
            asynchronous=asynchronous,
            pairs=pairs,
        )

        engine.additional_properties = d
        return engine

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
