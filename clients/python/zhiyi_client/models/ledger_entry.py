from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ledger_kind_enum import LedgerKindEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="LedgerEntry")


@_attrs_define
class LedgerEntry:
    """
    Attributes:
        id (int):
        kind (LedgerKindEnum): * `grant` - Grant
            * `reserve` - Reserve
            * `settle_refund` - settle refund
            * `refund` - Refund
            * `adjust` - Adjust
            * `expire` - Expire
        amount (int): signed: + credit, − debit
        balance_after (int):
        note (str): what the entry says, in the request's language
        created_at (datetime.datetime):
        task (int | None | Unset): the task it belongs to (null: none, or deleted since)
        reason (str | Unset):
    """

    id: int
    kind: LedgerKindEnum
    amount: int
    balance_after: int
    note: str
    created_at: datetime.datetime
    task: int | None | Unset = UNSET
    reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        amount = self.amount

        balance_after = self.balance_after

        note = self.note

        created_at = self.created_at.isoformat()

        task: int | None | Unset
        if isinstance(self.task, Unset):
            task = UNSET
        else:
            task = self.task

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "amount": amount,
                "balance_after": balance_after,
                "note": note,
                "created_at": created_at,
            }
        )
        if task is not UNSET:
            field_dict["task"] = task
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = LedgerKindEnum(d.pop("kind"))

        amount = d.pop("amount")

        balance_after = d.pop("balance_after")

        note = d.pop("note")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_task(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        task = _parse_task(d.pop("task", UNSET))

        reason = d.pop("reason", UNSET)

        ledger_entry = cls(
            id=id,
            kind=kind,
            amount=amount,
            balance_after=balance_after,
            note=note,
            created_at=created_at,
            task=task,
            reason=reason,
        )

        ledger_entry.additional_properties = d
        return ledger_entry

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
