from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.documents_refused_errors import DocumentsRefusedErrors
    from ..models.refused_document import RefusedDocument


T = TypeVar("T", bound="DocumentsRefused")


@_attrs_define
class DocumentsRefused:
    """
    Attributes:
        detail (str): what went wrong, in plain words (in the request's language)
        code (str): a machine code from the catalogue (docs/api.md, "Errors")
        errors (DocumentsRefusedErrors | Unset): with code `invalid`: each field's messages
        documents (list[RefusedDocument] | Unset): with code `documents_refused`: each refused document
    """

    detail: str
    code: str
    errors: DocumentsRefusedErrors | Unset = UNSET
    documents: list[RefusedDocument] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        code = self.code

        errors: dict[str, Any] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = self.errors.to_dict()

        documents: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.documents, Unset):
            documents = []
            for documents_item_data in self.documents:
                documents_item = documents_item_data.to_dict()
                documents.append(documents_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "code": code,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if documents is not UNSET:
            field_dict["documents"] = documents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.documents_refused_errors import DocumentsRefusedErrors  # noqa: PLC0415
        from ..models.refused_document import RefusedDocument  # noqa: PLC0415

        d = dict(src_dict)
        detail = d.pop("detail")

        code = d.pop("code")

        _errors = d.pop("errors", UNSET)
        errors: DocumentsRefusedErrors | Unset
        if isinstance(_errors, Unset):
            errors = UNSET
        else:
            errors = DocumentsRefusedErrors.from_dict(_errors)

        _documents = d.pop("documents", UNSET)
        documents: list[RefusedDocument] | Unset = UNSET
        if _documents is not UNSET:
            documents = []
            for documents_item_data in _documents:
                documents_item = RefusedDocument.from_dict(documents_item_data)

                documents.append(documents_item)

        documents_refused = cls(
            detail=detail,
            code=code,
            errors=errors,
            documents=documents,
        )

        documents_refused.additional_properties = d
        return documents_refused

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
