"""Watched actors: who they are, what names stand for them, and who speaks for them when."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator, model_validator

from bot.config.base import Strict

SLUG = r"^[a-z][a-z0-9_]*$"


class Person(Strict):
    """A person who speaks for an actor, optionally only between two dates."""

    name: str = Field(min_length=1)
    role: str = ""
    aliases: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Person":
        if self.since and self.until and self.until < self.since:
            raise ValueError("'until' is before 'since'")
        return self

    def holds_role_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


class Actor(Strict):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()
    alert_new_positions: bool = True

    @field_validator("aliases", "demonyms", "institutions")
    @classmethod
    def _no_blank(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if any(not v.strip() for v in values):
            raise ValueError("contains an empty name")
        return values

    @property
    def names(self) -> tuple[str, ...]:
        """Every name that stands for the actor itself (not its people)."""
        return (self.name, *self.aliases)
