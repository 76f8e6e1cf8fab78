from enum import StrEnum


class FormalityEnum(StrEnum):
    DEFAULT = "default"
    LESS = "less"
    MORE = "more"
    PREFER_LESS = "prefer_less"
    PREFER_MORE = "prefer_more"

    def __str__(self) -> str:
        return str(self.value)
