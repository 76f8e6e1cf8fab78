from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QuoteLine")


@_attrs_define
class QuoteLine:
    """
    Attributes:
        name (str): the document's path inside the job
        source_lang (str): as asked, or as detected for `source_lang=auto`
        confidence (float | None): with `auto`: how sure the detection is (0–1)
        target_lang (str):
        format_ (str):
        characters (int):
        segments (int):
        memory_characters (int): of `characters`, found in your translation memory (or in an identical document earlier
            in the request)
        billed_characters (int):
        cost (int):
        rate_per_1000 (int): the engine's price: points per 1,000 billed characters
        memory_points (int): points translation memory saves on this line
        layout_note (str):
        output_format (str): the extension of what will be delivered
    """

    name: str
    source_lang: str
    confidence: float | None
    target_lang: str
    format_: str
    characters: int
    segments: int
    memory_characters: int
    billed_characters: int
    cost: int
    rate_per_1000: int
    memory_points: int
    layout_note: str
    output_format: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        source_lang = self.source_lang

        confidence: float | None
        confidence = self.confidence

        target_lang = self.target_lang

        format_ = self.format_

        characters = self.characters

        segments = self.segments

        memory_characters = self.memory_characters

        billed_characters = self.billed_characters

        cost = self.cost

        rate_per_1000 = self.rate_per_1000

        memory_points = self.memory_points

        layout_note = self.layout_note

        output_format = self.output_format

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "source_lang": source_lang,
                "confidence": confidence,
                "target_lang": target_lang,
                "format": format_,
                "characters": characters,
                "segments": segments,
                "memory_characters": memory_characters,
                "billed_characters": billed_characters,
                "cost": cost,
                "rate_per_1000": rate_per_1000,
                "memory_points": memory_points,
                "layout_note": layout_note,
                "output_format": output_format,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        source_lang = d.pop("source_lang")

        def _parse_confidence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        confidence = _parse_confidence(d.pop("confidence"))

        target_lang = d.pop("target_lang")

        format_ = d.pop("format")

        characters = d.pop("characters")

        segments = d.pop("segments")

        memory_characters = d.pop("memory_characters")

        billed_characters = d.pop("billed_characters")

        cost = d.pop("cost")

        rate_per_1000 = d.pop("rate_per_1000")

        memory_points = d.pop("memory_points")

        layout_note = d.pop("layout_note")

        output_format = d.pop("output_format")

        quote_line = cls(
            name=name,
            source_lang=source_lang,
            confidence=confidence,
            target_lang=target_lang,
            format_=format_,
            characters=characters,
            segments=segments,
            memory_characters=memory_characters,
            billed_characters=billed_characters,
            cost=cost,
            rate_per_1000=rate_per_1000,
            memory_points=memory_points,
            layout_note=layout_note,
            output_format=output_format,
        )

        quote_line.additional_properties = d
        return quote_line

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
