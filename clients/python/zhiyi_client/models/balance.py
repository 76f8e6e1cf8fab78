from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.expiring import Expiring
    from ..models.ledger_entry import LedgerEntry


T = TypeVar("T", bound="Balance")


@_attrs_define
class Balance:
    """
    Attributes:
        balance (int):
        expiring (list[Expiring]): points that will expire, soonest first
        ledger_url (str): the whole ledger, paginated
        entries (list[LedgerEntry]): the newest 50 ledger entries: kept for older clients, use `ledger_url` (paginated)
    """

    balance: int
    expiring: list[Expiring]
    ledger_url: str
    entries: list[LedgerEntry]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance = self.balance

        expiring = []
        for expiring_item_data in self.expiring:
            expiring_item = expiring_item_data.to_dict()
            expiring.append(expiring_item)

        ledger_url = self.ledger_url

        entries = []
        for entries_item_data in self.entries:
            entries_item = entries_item_data.to_dict()
            entries.append(entries_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balance": balance,
                "expiring": expiring,
                "ledger_url": ledger_url,
                "entries": entries,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.expiring import Expiring  # noqa: PLC0415
        from ..models.ledger_entry import LedgerEntry  # noqa: PLC0415

        d = dict(src_dict)
        balance = d.pop("balance")

        expiring = []
        _expiring = d.pop("expiring")
        for expiring_item_data in _expiring:
            expiring_item = Expiring.from_dict(expiring_item_data)

            expiring.append(expiring_item)

        ledger_url = d.pop("ledger_url")

        entries = []
        _entries = d.pop("entries")
        for entries_item_data in _entries:
            entries_item = LedgerEntry.from_dict(entries_item_data)

            entries.append(entries_item)

        balance = cls(
            balance=balance,
            expiring=expiring,
            ledger_url=ledger_url,
            entries=entries,
        )

        balance.additional_properties = d
        return balance

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
