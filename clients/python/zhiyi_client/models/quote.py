from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Quote")


@_attrs_define
class Quote:
    """
    Attributes:
        format_ (str): the detected document format (`txt`, `docx`, ...)
        characters (int): billable characters in the document
        segments (int):
        memory_characters (int): of `characters`, found in your translation memory
        billed_characters (int): what the engine is paid for
        cost (int): points a task for this document reserves
        balance (int): your balance now
        balance_after (int): `balance` − `cost` (negative: not enough credits)
        layout_note (str): what the output keeps or not (PDF)
        output_format (str): the extension of what will be delivered
    """

    format_: str
    characters: int
    segments: int
    memory_characters: int
    billed_characters: int
    cost: int
    balance: int
    balance_after: int
    layout_note: str
    output_format: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_

        characters = self.characters

        segments = self.segments

        memory_characters = self.memory_characters

        billed_characters = self.billed_characters

        cost = self.cost

        balance = self.balance

        balance_after = self.balance_after

        layout_note = self.layout_note

        output_format = self.output_format

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "format": format_,
                "characters": characters,
                "segments": segments,
                "memory_characters": memory_characters,
                "billed_characters": billed_characters,
                "cost": cost,
                "balance": balance,
                "balance_after": balance_after,
                "layout_note": layout_note,
                "output_format": output_format,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        format_ = d.pop("format")

        characters = d.pop("characters")

        segments = d.pop("segments")

        memory_characters = d.pop("memory_characters")

        billed_characters = d.pop("billed_characters")

        cost = d.pop("cost")

        balance = d.pop("balance")

        balance_after = d.pop("balance_after")

        layout_note = d.pop("layout_note")

        output_format = d.pop("output_format")

        quote = cls(
            format_=format_,
            characters=characters,
            segments=segments,
            memory_characters=memory_characters,
            billed_characters=billed_characters,
            cost=cost,
            balance=balance,
            balance_after=balance_after,
            layout_note=layout_note,
            output_format=output_format,
        )

        quote.additional_properties = d
        return quote

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
