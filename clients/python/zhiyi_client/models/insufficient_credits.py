from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InsufficientCredits")


@_attrs_define
class InsufficientCredits:
    """
    Attributes:
        detail (str): what went wrong, in plain words (in the request's language)
        code (str): a machine code from the catalogue (docs/api.md, "Errors")
        balance (int): the balance now
        cost (int): what the request needs
    """

    detail: str
    code: str
    balance: int
    cost: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        code = self.code

        balance = self.balance

        cost = self.cost

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "code": code,
                "balance": balance,
                "cost": cost,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        detail = d.pop("detail")

        code = d.pop("code")

        balance = d.pop("balance")

        cost = d.pop("cost")

        insufficient_credits = cls(
            detail=detail,
            code=code,
            balance=balance,
            cost=cost,
        )

        insufficient_credits.additional_properties = d
        return insufficient_credits

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
