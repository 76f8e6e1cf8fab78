from enum import StrEnum


class ScopesEnum(StrEnum):
    GLOSSARIES = "glossaries"
    READ = "read"
    TRANSLATE = "translate"

    def __str__(self) -> str:
        return str(self.value)
