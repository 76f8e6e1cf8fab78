from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RefusedDocument")


@_attrs_define
class RefusedDocument:
    """
    Attributes:
        name (str): the document's path inside the job (a zip's folders kept)
        target_lang (str): '' when every language is refused
        code (str): a code from the catalogue
        detail (str): why, in plain words
    """

    name: str
    target_lang: str
    code: str
    detail: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        target_lang = self.target_lang

        code = self.code

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "target_lang": target_lang,
                "code": code,
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        target_lang = d.pop("target_lang")

        code = d.pop("code")

        detail = d.pop("detail")

        refused_document = cls(
            name=name,
            target_lang=target_lang,
            code=code,
            detail=detail,
        )

        refused_document.additional_properties = d
        return refused_document

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
