from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookAnswer")


@_attrs_define
class WebhookAnswer:
    """
    Attributes:
        status (str): `applied`, `ignored` (the task had ended), `result_refused`, or `duplicate` (this webhook-id was
            seen before)
        task (int | Unset):
        outcome (str | Unset): with `duplicate`: the first delivery's outcome
        detail (str | Unset):
    """

    status: str
    task: int | Unset = UNSET
    outcome: str | Unset = UNSET
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        task = self.task

        outcome = self.outcome

        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if task is not UNSET:
            field_dict["task"] = task
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        task = d.pop("task", UNSET)

        outcome = d.pop("outcome", UNSET)

        detail = d.pop("detail", UNSET)

        webhook_answer = cls(
            status=status,
            task=task,
            outcome=outcome,
            detail=detail,
        )

        webhook_answer.additional_properties = d
        return webhook_answer

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
