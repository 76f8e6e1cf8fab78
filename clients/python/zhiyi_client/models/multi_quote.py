from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.multi_quote_refused_item import MultiQuoteRefusedItem
    from ..models.quote_line import QuoteLine


T = TypeVar("T", bound="MultiQuote")


@_attrs_define
class MultiQuote:
    """A quote. For one document and language, the first fields only (as they always were); for
    a job's documents and languages, those summed over every line (`format` is `mixed` when the
    documents differ), then each line, each refusal and the total.

        Attributes:
            format_ (str): the documents' format, or `mixed`
            characters (int):
            segments (int):
            memory_characters (int):
            billed_characters (int):
            cost (int): the total: what a job of these documents reserves
            rate_per_1000 (int): the engine's price: points per 1,000 billed characters
            memory_points (int): points your translation memory saves (over every line)
            balance (int):
            balance_after (int): `balance` − `total` (negative: not enough credits)
            layout_note (str):
            output_format (str): the extension of what will be delivered, or `mixed`
            total (int | Unset): a job's quote: the same as `cost`
            documents (list[QuoteLine] | Unset): a job's quote: one line per document × target language
            refused (list[MultiQuoteRefusedItem] | Unset): a job's quote: documents that cannot be translated (`name`,
                `target_lang`, `code`, `detail`): a job of them is refused
    """

    format_: str
    characters: int
    segments: int
    memory_characters: int
    billed_characters: int
    cost: int
    rate_per_1000: int
    memory_points: int
    balance: int
    balance_after: int
    layout_note: str
    output_format: str
    total: int | Unset = UNSET
    documents: list[QuoteLine] | Unset = UNSET
    refused: list[MultiQuoteRefusedItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_

        characters = self.characters

        segments = self.segments

        memory_characters = self.memory_characters

        billed_characters = self.billed_characters

        cost = self.cost

        rate_per_1000 = self.rate_per_1000

        memory_points = self.memory_points

        balance = self.balance

        balance_after = self.balance_after

        layout_note = self.layout_note

        output_format = self.output_format

        total = self.total

        documents: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.documents, Unset):
            documents = []
            for documents_item_data in self.documents:
                documents_item = documents_item_data.to_dict()
                documents.append(documents_item)

        refused: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.refused, Unset):
            refused = []
            for refused_item_data in self.refused:
                refused_item = refused_item_data.to_dict()
                refused.append(refused_item)

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
                "rate_per_1000": rate_per_1000,
                "memory_points": memory_points,
                "balance": balance,
                "balance_after": balance_after,
                "layout_note": layout_note,
                "output_format": output_format,
            }
        )
        if total is not UNSET:
            field_dict["total"] = total
        if documents is not UNSET:
            field_dict["documents"] = documents
        if refused is not UNSET:
            field_dict["refused"] = refused

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.multi_quote_refused_item import MultiQuoteRefusedItem  # noqa: PLC0415
        from ..models.quote_line import QuoteLine  # noqa: PLC0415

        d = dict(src_dict)
        format_ = d.pop("format")

        characters = d.pop("characters")

        segments = d.pop("segments")

        memory_characters = d.pop("memory_characters")

        billed_characters = d.pop("billed_characters")

        cost = d.pop("cost")

        rate_per_1000 = d.pop("rate_per_1000")

        memory_points = d.pop("memory_points")

        balance = d.pop("balance")

        balance_after = d.pop("balance_after")

        layout_note = d.pop("layout_note")

        output_format = d.pop("output_format")

        total = d.pop("total", UNSET)

        _documents = d.pop("documents", UNSET)
        documents: list[QuoteLine] | Unset = UNSET
        if _documents is not UNSET:
            documents = []
            for documents_item_data in _documents:
                documents_item = QuoteLine.from_dict(documents_item_data)

                documents.append(documents_item)

        _refused = d.pop("refused", UNSET)
        refused: list[MultiQuoteRefusedItem] | Unset = UNSET
        if _refused is not UNSET:
            refused = []
            for refused_item_data in _refused:
                refused_item = MultiQuoteRefusedItem.from_dict(refused_item_data)

                refused.append(refused_item)

        multi_quote = cls(
            format_=format_,
            characters=characters,
            segments=segments,
            memory_characters=memory_characters,
            billed_characters=billed_characters,
            cost=cost,
            rate_per_1000=rate_per_1000,
            memory_points=memory_points,
            balance=balance,
            balance_after=balance_after,
            layout_note=layout_note,
            output_format=output_format,
            total=total,
            documents=documents,
            refused=refused,
        )

        multi_quote.additional_properties = d
        return multi_quote

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
