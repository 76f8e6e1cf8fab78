from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Glossary")


@_attrs_define
class Glossary:
    """
    Attributes:
        id (int):
        name (str):
        terms (int):
        created_at (datetime.datetime):
        source_lang (str | Unset):
        target_lang (str | Unset):
    """

    id: int
    name: str
    terms: int
    created_at: datetime.datetime
    source_lang: str | Unset = UNSET
    target_lang: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        terms = self.terms

        created_at = self.created_at.isoformat()

        source_lang = self.source_lang

        target_lang = self.target_lang

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "terms": terms,
                "created_at": created_at,
            }
        )
        if source_lang is not UNSET:
            field_dict["source_lang"] = source_lang
        if target_lang is not UNSET:
            field_dict["target_lang"] = target_lang

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        terms = d.pop("terms")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        source_lang = d.pop("source_lang", UNSET)

        target_lang = d.pop("target_lang", UNSET)

        glossary = cls(
            id=id,
            name=name,
            terms=terms,
            created_at=created_at,
            source_lang=source_lang,
            target_lang=target_lang,
        )

        glossary.additional_properties = d
        return glossary

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
