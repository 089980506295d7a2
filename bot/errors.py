"""One exception root for the project; each subclass's docstring is its default message."""

from __future__ import annotations


class BotError(Exception):
    """discourse-bot failed."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())


class ConfigError(BotError):
    """The configuration is not valid."""

    def __init__(self, problems: list["ConfigProblem"]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} configuration error(s):\n{lines}")


class ConfigProblem:
    """One configuration error: the file, the field (dotted path) and the reason."""

    def __init__(self, file: str, field: str, reason: str) -> None:
        self.file, self.field, self.reason = file, field, reason

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"

    def __repr__(self) -> str:
        return f"ConfigProblem({self.file!r}, {self.field!r}, {self.reason!r})"


class SourceError(BotError):
    """A feed or document could not be read."""


class ModelError(BotError):
    """The spaCy model could not be loaded."""


class StoreError(BotError):
    """The database could not be used."""


class DeliveryError(BotError):
    """An alert could not be delivered."""
