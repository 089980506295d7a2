"""Topics normalise subjects and requirements to stable ids."""

from __future__ import annotations

from pydantic import Field

from bot.config.actors import SLUG
from bot.config.base import Strict


class Topic(Strict):
    id: str = Field(pattern=SLUG)
    label: str = ""
    phrases: tuple[str, ...] = Field(default=(), description="multi-word phrases matched on lemmas, case-insensitive")
    lemmas: tuple[str, ...] = Field(default=(), description="single lemmas that name the topic")
    against: tuple[str, ...] = Field(default=(), description="phrases that name the topic renounced or halted "
                                     "(\"neutrality\" is NATO membership renounced)")

    @property
    def title(self) -> str:
        return self.label or self.id.replace("_", " ")


class Place(Strict):
    """A gazetteer addition: a place name and its spellings."""

    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    aliases: tuple[str, ...] = ()
    admin: str | None = Field(default=None, description="the region the place lies in, for event identity")
