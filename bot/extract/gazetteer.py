"""Offline gazetteer: place names to places in a hierarchy, city ⊂ district ⊂ region ⊂ country.

The name index (`gazetteer_index`) holds geonames' cities with their alternate names and their region (admin
code), countries and US states, every town of 500 people or more in Ukraine and Russia, and the curated
spellings, regions (oblasts, krais, provinces), districts (raions) and villages of `data/spellings.yaml` and
`data/places_ua_ru.yaml`; it is built once and cached on disk. The config's `places` are added on top and win
over everything else. Nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from bot.extract.yaml_data import parse_yaml
from bot.extract.gazetteer_index import IndexData, Row, load_index, normalise
from bot.extract.transliteration import skeleton

__all__ = ["GeoPlace", "Gazetteer", "normalise"]

PlaceKind = Literal["config", "city", "district", "region", "country"]
# geonames lists many obscure alternate spellings; a small town is found by one only where its country is named
ALTERNATE_NAME_MIN_POPULATION = 100_000
_RANK = {"config": 4, "country": 3, "city": 2, "district": 1, "region": 0}   # "Georgia" the country


@dataclass(frozen=True)
class GeoPlace:
    """A resolved place. `admin` is its region ("UA.21" in geonames codes, or the config's); `district` the
    district it lies in (or is), where known."""

    name: str
    country: str
    lat: float | None
    lon: float | None
    admin: str | None
    kind: PlaceKind
    population: int = 0
    primary: bool = True      # matched on the place's own name, not an alternate spelling
    district: str | None = None

    @property
    def level(self) -> str:
        """Where it stands in the hierarchy: city, district, region or country (a config place is a city)."""
        return "city" if self.kind == "config" else self.kind


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    text = resources.files("bot.extract").joinpath("data/demonyms.yaml").read_text(encoding="utf-8")
    return {normalise(k): v for k, v in (parse_yaml(text) or {}).items()}


@lru_cache(maxsize=1)
def _enclaves() -> dict[str, str]:
    text = resources.files("bot.extract").joinpath("data/places_ua_ru.yaml").read_text(encoding="utf-8")
    return {str(k): str(v) for k, v in ((parse_yaml(text) or {}).get("enclaves") or {}).items()}


@lru_cache(maxsize=1)
def _theatres() -> tuple[frozenset[str], ...]:
    text = resources.files("bot.extract").joinpath("data/places_ua_ru.yaml").read_text(encoding="utf-8")
    return tuple(frozenset(str(c) for c in group) for group in (parse_yaml(text) or {}).get("theatres") or ())


def theatre_of(countries: Iterable[str]) -> set[str]:
    """The countries whose land the attacks of `countries` fall on: they and the countries at war with them (the
    curated `theatres`)."""
    given = set(countries)
    return given.union(*(group for group in _theatres() if group & given))


def enclosing_region(admin: str | None) -> str | None:
    """The region around a city that is a region of its own (Kyiv's UA.12 → Kyiv Oblast's UA.13, Moscow →
    Moscow Oblast), from the curated `enclaves`; else the region itself."""
    return _enclaves().get(admin, admin) if admin else admin


def region_around(place: GeoPlace) -> GeoPlace:
    """The region a town lies in, as a place ("near Lviv": somewhere in Lviv Oblast; "outside Moscow": Moscow
    Oblast)."""
    admin = enclosing_region(place.admin)
    return GeoPlace(admin or place.country, place.country, None, None, admin, "region")


class Gazetteer:
    """Resolves a place name to the most likely `GeoPlace`, optionally preferring given countries and regions."""

    def __init__(self, places: Iterable[Mapping[str, Any] | Any] = (), *, min_city_population: int = 15000) -> None:
        self.min_city_population = min_city_population
        self._data: IndexData = load_index(min_city_population)
        self._places: dict[int, GeoPlace] = {}
        self._extra: dict[str, list[GeoPlace]] = {}
        self._country_names: dict[str, str] | None = None
        self._skeleton_index: dict[str, dict[str, set[int]]] = {}
        for place in places:
            data = place if isinstance(place, Mapping) else place.model_dump()
            geo = GeoPlace(data["name"], data["country"], float(data["lat"]), float(data["lon"]),
                           data.get("admin"), "config", 0)
            for name in (data["name"], *(data.get("aliases") or ())):
                bucket = self._extra.setdefault(normalise(name), [])
                if geo not in bucket:
                    bucket.append(geo)

    def _place(self, index: int) -> GeoPlace:
        place = self._places.get(index)
        if place is None:
            row: Row = self._data.rows[index]
            place = self._places[index] = GeoPlace(*row)  # type: ignore[arg-type]
        return place

    def _curated(self, key: str) -> list[GeoPlace]:
        return [*self._extra.get(key, ()), *(self._place(i) for i in self._data.curated.get(key, ()))]

    def candidates(self, name: str) -> list[GeoPlace]:
        """Every place the name may stand for, config places and curated spellings first."""
        key = normalise(name)
        found = self._curated(key)
        found += [p for p in (self._place(i) for i in self._data.names.get(key, ())) if p not in found]
        return found

    def resolve(self, name: str, prefer_countries: Iterable[str] = (), prefer_regions: Iterable[str] = (), *,
                spelling_ok: bool = False, nearby: Iterable[str] = (),
                hinted_countries: Iterable[str] = ()) -> GeoPlace | None:
        """The best reading of `name`: config place, then a place in a preferred region and country, then a
        curated spelling, then a country whose name it is, then one in a country only hinted at (a nationality
        adjective: "Russian shelling", "Russian-installed authorities" tell who acts more often than where), then
        the city matched on its own name, then one in a region of `nearby` (the regions of other towns the text
        names), then the most populous. A town below the city list's size, or found by an obscure spelling, needs
        its country preferred or hinted at (named in the text; a side of a curated theatre hints at all of its
        countries for this); a village by another spelling also `spelling_ok`
        (the text tags the name as a place)."""
        key = normalise(name)
        found = self.candidates(name)
        if not found:
            return None
        countries, regions, near = set(prefer_countries), set(prefer_regions), set(nearby)
        hinted = set(hinted_countries) - countries
        curated = set(self._curated(key))
        admitted = countries | theatre_of(hinted)    # one side's adjective admits the other side's towns
        found = [p for p in found
                 if p in curated or p.kind != "city" or self._admits(p, admitted, spelling_ok)]
        if not found:
            return None

        def score(place: GeoPlace) -> tuple[bool, bool, bool, bool, int, bool, bool, bool, int]:
            return (place.kind == "config", place.country in countries, place.admin in regions, place in curated,
                    _RANK[place.kind], place.country in hinted, place.primary, place.admin in near, place.population)

        return max(found, key=score)

    def _admits(self, town: GeoPlace, countries: set[str], spelling_ok: bool = False) -> bool:
        """A geonames town: one of the city list under its own name, or a big one under any spelling, or any of
        its country's (a village under its own name, or any where allowed) where the text names that country."""
        if town.population < self.min_city_population:
            return (town.primary or spelling_ok) and town.country in countries
        return town.primary or town.population >= ALTERNATE_NAME_MIN_POPULATION or town.country in countries

    def spelled_like_in(self, name: str, region: str) -> GeoPlace | None:
        """The town of `region` (an admin code) that `name` is another transliteration of (`skeleton`), the
        most populous if several: "Pervomaiske in the Kharkiv region" is the Kharkiv region's Pervomaiskyi."""
        towns = [self._place(i) for i in self._skeletons_of(region).get(skeleton(name), ())]
        return max(towns, key=lambda t: t.population) if towns else None

    def _skeletons_of(self, region: str) -> dict[str, set[int]]:
        """The skeletons of the names of a region's towns, built the first time the region is asked about."""
        index = self._skeleton_index.get(region)
        if index is None:
            index = self._skeleton_index[region] = {}
            for names in (self._data.names, self._data.curated):
                for key, rows in names.items():
                    inside = [i for i in rows if self._data.rows[i][5] == "city"
                              and enclosing_region(self._data.rows[i][4]) == region]
                    if inside:
                        index.setdefault(skeleton(key), set()).update(inside)
        return index

    def is_curated(self, name: str) -> bool:
        """Whether the name is a config place or a curated spelling, region or district, not only geonames'."""
        key = normalise(name)
        return key in self._extra or key in self._data.curated

    def country(self, name: str) -> GeoPlace | None:
        """The country `name` stands for, if it names one."""
        return next((p for p in self.candidates(name) if p.kind == "country"), None)

    def region_name(self, admin: str | None) -> str | None:
        """The name of a region by its admin code ("UA.17" → "Odesa Oblast"), where the curated data has it."""
        return self._data.regions.get(admin) if admin else None

    def capital(self, country: str) -> GeoPlace | None:
        """The country's capital ("the Afghan capital" → Kabul)."""
        index = self._data.capitals.get(country)
        return self._place(index) if index is not None else None

    def country_of_demonym(self, adjective: str) -> GeoPlace | None:
        """The country a nationality adjective names ("Afghan" → Afghanistan), from data/demonyms.yaml."""
        code = _demonyms().get(normalise(adjective))
        if code is None:
            return None
        if self._country_names is None:
            self._country_names = {r[1]: r[0] for r in self._data.rows if r[5] == "country" and r[6] > 0}
        return GeoPlace(self._country_names.get(code, code), code, None, None, None, "country", 0)
