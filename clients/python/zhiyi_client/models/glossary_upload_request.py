from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="GlossaryUploadRequest")


@_attrs_define
class GlossaryUploadRequest:
    """
    Attributes:
        file (File): CSV, UTF-8: one `source term,target term` per line
        name (str | Unset): default: the file name
        source_lang (str | Unset):
        target_lang (str | Unset):
    """

    file: File
    name: str | Unset = UNSET
    source_lang: str | Unset = UNSET
    target_lang: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        name = self.name

        source_lang = self.source_lang

        target_lang = self.target_lang

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if source_lang is not UNSET:
            field_dict["source_lang"] = source_lang
        if target_lang is not UNSET:
            field_dict["target_lang"] = target_lang

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        if not isinstance(self.name, Unset):
            files.append(("name", (None, str(self.name).encode(), "text/plain")))

        if not isinstance(self.source_lang, Unset):
            files.append(("source_lang", (None, str(self.source_lang).encode(), "text/plain")))

        if not isinstance(self.target_lang, Unset):
            files.append(("target_lang", (None, str(self.target_lang).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        name = d.pop("name", UNSET)

        source_lang = d.pop("source_lang", UNSET)

        target_lang = d.pop("target_lang", UNSET)

        glossary_upload_request = cls(
            file=file,
            name=name,
            source_lang=source_lang,
            target_lang=target_lang,
        )

        glossary_upload_request.additional_properties = d
        return glossary_upload_request

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
