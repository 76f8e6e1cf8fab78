from enum import StrEnum


class LedgerKindEnum(StrEnum):
    ADJUST = "adjust"
    EXPIRE = "expire"
    GRANT = "grant"
    REFUND = "refund"
    RESERVE = "reserve"
    SETTLE_REFUND = "settle_refund"

    def __str__(self) -> str:
        return str(self.value)
