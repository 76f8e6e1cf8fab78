from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.format_output import FormatOutput


T = TypeVar("T", bound="Format")


@_attrs_define
class Format:
    """
    Attributes:
        format_ (str): the short name quotes and tasks report
        label (str):
        extensions (list[str]): lower case, without the dot
        kept (str): what the translated file keeps, in plain words
        layout_note (str): what is not kept (empty when the layout is)
        outputs (list[FormatOutput]): what a translation comes back as; the first by default
        bilingual (bool): whether `bilingual` output (source beside translation) exists
    """

    format_: str
    label: str
    extensions: list[str]
    kept: str
    layout_note: str
    outputs: list[FormatOutput]
    bilingual: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        format_ = self.format_

        label = self.label

        extensions = self.extensions

        kept = self.kept

        layout_note = self.layout_note

        outputs = []
        for outputs_item_data in self.outputs:
            outputs_item = outputs_item_data.to_dict()
            outputs.append(outputs_item)

        bilingual = self.bilingual

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "format": format_,
                "label": label,
                "extensions": extensions,
                "kept": kept,
                "layout_note": layout_note,
                "outputs": outputs,
                "bilingual": bilingual,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.format_output import FormatOutput  # noqa: PLC0415

        d = dict(src_dict)
        format_ = d.pop("format")

        label = d.pop("label")

        extensions = cast(list[str], d.pop("extensions"))

        kept = d.pop("kept")

        layout_note = d.pop("layout_note")

        outputs = []
        _outputs = d.pop("outputs")
        for outputs_item_data in _outputs:
            outputs_item = FormatOutput.from_dict(outputs_item_data)

            outputs.append(outputs_item)

        bilingual = d.pop("bilingual")

        format_ = cls(
            format_=format_,
            label=label,
            extensions=extensions,
            kept=kept,
            layout_note=layout_note,
            outputs=outputs,
            bilingual=bilingual,
        )

        format_.additional_properties = d
        return format_

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
