from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.formality_enum import FormalityEnum
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="JobUploadRequest")


@_attrs_define
class JobUploadRequest:
    """The multipart body of a new job, as documented.

    Attributes:
        files (list[File]): one or more documents (txt, md, html, docx, xlsx, pptx, srt, vtt, po, pdf); a `.zip` is
            opened and each document in it becomes part of the job, its folders kept as path prefixes
        engine (str): an engine's `name` from GET /api/v1/engines/
        source_lang (str): BCP 47 tag, e.g. `en`, `zh-Hans`, or `auto`: detected per document
        target_langs (list[str]): one or more BCP 47 tags (repeat the field, or separate them with commas)
        bilingual (bool | Unset): keep the source beside the translation Default: False.
        glossary (int | Unset): id of one of your glossaries whose terms the engine must use
        formality (FormalityEnum | Unset): * `default` - default
            * `more` - more
            * `less` - less
            * `prefer_more` - prefer_more
            * `prefer_less` - prefer_less
        output_format (str | Unset): the extension of the output wanted for every document whose format offers it (GET
            /api/v1/formats/); empty: each format's default
        paths (list[str] | Unset): optional, one per file in `files` order: its path in a dropped folder
            (`docs/en/a.txt`); the folder is kept like a zip's
    """

    files: list[File]
    engine: str
    source_lang: str
    target_langs: list[str]
    bilingual: bool | Unset = False
    glossary: int | Unset = UNSET
    formality: FormalityEnum | Unset = UNSET
    output_format: str | Unset = UNSET
    paths: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_tuple()

            files.append(files_item)

        engine = self.engine

        source_lang = self.source_lang

        target_langs = self.target_langs

        bilingual = self.bilingual

        glossary = self.glossary

        formality: str | Unset = UNSET
        if not isinstance(self.formality, Unset):
            formality = self.formality.value

        output_format = self.output_format

        paths: list[str] | Unset = UNSET
        if not isinstance(self.paths, Unset):
            paths = self.paths

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "files": files,
                "engine": engine,
                "source_lang": source_lang,
                "target_langs": target_langs,
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
        if paths is not UNSET:
            field_dict["paths"] = paths

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        for files_item_element in self.files:
            files.append(("files", files_item_element.to_tuple()))

        files.append(("engine", (None, str(self.engine).encode(), "text/plain")))

        files.append(("source_lang", (None, str(self.source_lang).encode(), "text/plain")))

        for target_langs_item_element in self.target_langs:
            files.append(("target_langs", (None, str(target_langs_item_element).encode(), "text/plain")))

        if not isinstance(self.bilingual, Unset):
            files.append(("bilingual", (None, str(self.bilingual).encode(), "text/plain")))

        if not isinstance(self.glossary, Unset):
            files.append(("glossary", (None, str(self.glossary).encode(), "text/plain")))

        if not isinstance(self.formality, Unset):
            files.append(("formality", (None, str(self.formality.value).encode(), "text/plain")))

        if not isinstance(self.output_format, Unset):
            files.append(("output_format", (None, str(self.output_format).encode(), "text/plain")))

        if not isinstance(self.paths, Unset):
            for paths_item_element in self.paths:
                files.append(("paths", (None, str(paths_item_element).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = File(payload=BytesIO(files_item_data))

            files.append(files_item)

        engine = d.pop("engine")

        source_lang = d.pop("source_lang")

        target_langs = cast(list[str], d.pop("target_langs"))

        bilingual = d.pop("bilingual", UNSET)

        glossary = d.pop("glossary", UNSET)

        _formality = d.pop("formality", UNSET)
        formality: FormalityEnum | Unset
        if isinstance(_formality, Unset):
            formality = UNSET
        else:
            formality = FormalityEnum(_formality)

        output_format = d.pop("output_format", UNSET)

        paths = cast(list[str], d.pop("paths", UNSET))

        job_upload_request = cls(
            files=files,
            engine=engine,
            source_lang=source_lang,
            target_langs=target_langs,
            bilingual=bilingual,
            glossary=glossary,
            formality=formality,
            output_format=output_format,
            paths=paths,
        )

        job_upload_request.additional_properties = d
        return job_upload_request

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
