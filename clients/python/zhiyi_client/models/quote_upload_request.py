from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.formality_enum import FormalityEnum
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="QuoteUploadRequest")


@_attrs_define
class QuoteUploadRequest:
    """The body of a quote: one document for one language (`file`, `target_lang`), or a job's
    documents and languages (`files`, `target_langs`).

        Attributes:
            engine (str): an engine's `name` from GET /api/v1/engines/
            source_lang (str): BCP 47 tag, e.g. `en`, `zh-Hans`
            bilingual (bool | Unset): keep the source beside the translation Default: False.
            glossary (int | Unset): id of one of your glossaries whose terms the engine must use
            formality (FormalityEnum | Unset): * `default` - default
                * `more` - more
                * `less` - less
                * `prefer_more` - prefer_more
                * `prefer_less` - prefer_less
            output_format (str | Unset): the extension of the output wanted, among the format's `outputs` (GET
                /api/v1/formats/); empty: its default (a PDF is delivered as `pdf`, or as `docx` on request)
            file (File | Unset): one document (with `target_lang`)
            target_lang (str | Unset): with `file`: a BCP 47 tag
            files (list[File] | Unset): one or more documents (txt, md, html, docx, xlsx, pptx, srt, vtt, po, pdf); a `.zip`
                is opened and each document in it becomes part of the job, its folders kept as path prefixes
            target_langs (list[str] | Unset): one or more BCP 47 tags (repeat the field, or separate them with commas)
            paths (list[str] | Unset): with `files`: each file's path in a dropped folder
    """

    engine: str
    source_lang: str
    bilingual: bool | Unset = False
    glossary: int | Unset = UNSET
    formality: FormalityEnum | Unset = UNSET
    output_format: str | Unset = UNSET
    file: File | Unset = UNSET
    target_lang: str | Unset = UNSET
    files: list[File] | Unset = UNSET
    target_langs: list[str] | Unset = UNSET
    paths: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        engine = self.engine

        source_lang = self.source_lang

        bilingual = self.bilingual

        glossary = self.glossary

        formality: str | Unset = UNSET
        if not isinstance(self.formality, Unset):
            formality = self.formality.value

        output_format = self.output_format

        file: FileTypes | Unset = UNSET
        if not isinstance(self.file, Unset):
            file = self.file.to_tuple()

        target_lang = self.target_lang

        files: list[FileTypes] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = []
            for files_item_data in self.files:
                files_item = files_item_data.to_tuple()

                files.append(files_item)

        target_langs: list[str] | Unset = UNSET
        if not isinstance(self.target_langs, Unset):
            target_langs = self.target_langs

        paths: list[str] | Unset = UNSET
        if not isinstance(self.paths, Unset):
            paths = self.paths

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "engine": engine,
                "source_lang": source_lang,
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
        if file is not UNSET:
            field_dict["file"] = file
        if target_lang is not UNSET:
            field_dict["target_lang"] = target_lang
        if files is not UNSET:
            field_dict["files"] = files
        if target_langs is not UNSET:
            field_dict["target_langs"] = target_langs
        if paths is not UNSET:
            field_dict["paths"] = paths

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("engine", (None, str(self.engine).encode(), "text/plain")))

        files.append(("source_lang", (None, str(self.source_lang).encode(), "text/plain")))

        if not isinstance(self.bilingual, Unset):
            files.append(("bilingual", (None, str(self.bilingual).encode(), "text/plain")))

        if not isinstance(self.glossary, Unset):
            files.append(("glossary", (None, str(self.glossary).encode(), "text/plain")))

        if not isinstance(self.formality, Unset):
            files.append(("formality", (None, str(self.formality.value).encode(), "text/plain")))

        if not isinstance(self.output_format, Unset):
            files.append(("output_format", (None, str(self.output_format).encode(), "text/plain")))

        if not isinstance(self.file, Unset):
            files.append(("file", self.file.to_tuple()))

        if not isinstance(self.target_lang, Unset):
            files.append(("target_lang", (None, str(self.target_lang).encode(), "text/plain")))

        if not isinstance(self.files, Unset):
            for files_item_element in self.files:
                files.append(("files", files_item_element.to_tuple()))

        if not isinstance(self.target_langs, Unset):
            for target_langs_item_element in self.target_langs:
                files.append(("target_langs", (None, str(target_langs_item_element).encode(), "text/plain")))

        if not isinstance(self.paths, Unset):
            for paths_item_element in self.paths:
                files.append(("paths", (None, str(paths_item_element).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        engine = d.pop("engine")

        source_lang = d.pop("source_lang")

        bilingual = d.pop("bilingual", UNSET)

        glossary = d.pop("glossary", UNSET)

        _formality = d.pop("formality", UNSET)
        formality: FormalityEnum | Unset
        if isinstance(_formality, Unset):
            formality = UNSET
        else:
            formality = FormalityEnum(_formality)

        output_format = d.pop("output_format", UNSET)

        _file = d.pop("file", UNSET)
        file: File | Unset
        if isinstance(_file, Unset):
            file = UNSET
        else:
            file = File(payload=BytesIO(_file))

        target_lang = d.pop("target_lang", UNSET)

        _files = d.pop("files", UNSET)
        files: list[File] | Unset = UNSET
        if _files is not UNSET:
            files = []
            for files_item_data in _files:
                files_item = File(payload=BytesIO(files_item_data))

                files.append(files_item)

        target_langs = cast(list[str], d.pop("target_langs", UNSET))

        paths = cast(list[str], d.pop("paths", UNSET))

        quote_upload_request = cls(
            engine=engine,
            source_lang=source_lang,
            bilingual=bilingual,
            glossary=glossary,
            formality=formality,
            output_format=output_format,
            file=file,
            target_lang=target_lang,
            files=files,
            target_langs=target_langs,
            paths=paths,
        )

        quote_upload_request.additional_properties = d
        return quote_upload_request

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
