from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.formality_enum import FormalityEnum
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="TaskUploadRequest")


@_attrs_define
class TaskUploadRequest:
    """The multipart body of a quote or a new task, as documented.

    Attributes:
        file (File): the document: txt, md, html, docx, xlsx, pptx, srt, vtt, po or pdf
        engine (str): an engine's `name` from GET /api/v1/engines/
        source_lang (str): BCP 47 tag, e.g. `en`, `zh-Hans`
        target_lang (str): BCP 47 tag, e.g. `es`, `zh-Hant`
        bilingual (bool | Unset): keep the source beside the translation Default: False.
        glossary (int | Unset): id of one of your glossaries whose terms the engine must use
        formality (FormalityEnum | Unset): * `default` - default
            * `more` - more
            * `less` - less
            * `prefer_more` - prefer_more
            * `prefer_less` - prefer_less
        output_format (str | Unset): the extension of the output wanted, among the format's `outputs` (GET
            /api/v1/formats/); empty: its default (a PDF is delivered as `pdf`, or as `docx` on request)
    """

    file: File
    engine: str
    source_lang: str
    target_lang: str
    bilingual: bool | Unset = False
    glossary: int | Unset = UNSET
    formality: FormalityEnum | Unset = UNSET
    output_format: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        engine = self.engine

        source_lang = self.source_lang

        target_lang = self.target_lang

        bilingual = self.bilingual

        glossary = self.glossary

        formality: str | Unset = UNSET
        if not isinstance(self.formality, Unset):
            formality = self.formality.value

        output_format = self.output_format

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "engine": engine,
                "source_lang": source_lang,
                "target_lang": target_lang,
            }
        )
        if bilingual is not UNSET:
            field_dict["bilingual"] = bilingual
        if glossary is not UNSET:
            field_dict["glossary"] = glossary
        if formality is not UNSET:
            field_dict["formality"] = formality
        if output_format is not UNSET:
            field_dict["output_format"] = output_format

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        files.append(("engine", (None, str(self.engine).encode(), "text/plain")))

        files.append(("source_lang", (None, str(self.source_lang).encode(), "text/plain")))

        files.append(("target_lang", (None, str(self.target_lang).encode(), "text/plain")))

        if not isinstance(self.bilingual, Unset):
            files.append(("bilingual", (None, str(self.bilingual).encode(), "text/plain")))

        if not isinstance(self.glossary, Unset):
            files.append(("glossary", (None, str(self.glossary).encode(), "text/plain")))

        if not isinstance(self.formality, Unset):
            files.append(("formality", (None, str(self.formality.value).encode(), "text/plain")))

        if not isinstance(self.output_format, Unset):
            files.append(("output_format", (None, str(self.output_format).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        engine = d.pop("engine")

        source_lang = d.pop("source_lang")

        target_lang = d.pop("target_lang")

        bilingual = d.pop("bilingual", UNSET)

        glossary = d.pop("glossary", UNSET)

        _formality = d.pop("formality", UNSET)
        formality: FormalityEnum | Unset
        if isinstance(_formality, Unset):
            formality = UNSET
        else:
            formality = FormalityEnum(_formality)

        output_format = d.pop("output_format", UNSET)

        task_upload_request = cls(
            file=file,
            engine=engine,
            source_lang=source_lang,
            target_lang=target_lang,
            bilingual=bilingual,
            glossary=glossary,
            formality=formality,
            output_format=output_format,
        )

        task_upload_request.additional_properties = d
        return task_upload_request

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
