"""The offline gazetteer: geonames cities and countries, curated spellings, config places."""

from __future__ import annotations

import pytest

from bot.config.topics import Place
from bot.extract.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize(
    ("written", "name", "country"),
    [
        ("Kiev", "Kyiv", "UA"),
        ("Kyiv", "Kyiv", "UA"),
        ("Zaporozhye", "Zaporizhzhya", "UA"),
        ("Zaporizhzhia", "Zaporizhzhya", "UA"),
        ("Kharkov", "Kharkiv", "UA"),
        ("Odessa", "Odesa", "UA"),      # not Odessa, Texas: the curated spelling wins over population
        ("Sumy", "Sumy", "UA"),
        ("Mogadishu", "Mogadishu", "SO"),
        ("Khan Younis", "Khān Yūnis", "PS"),
    ],
)
def test_spellings_news_uses_resolve_to_one_place(gazetteer: Gazetteer, written: str, name: str, country: str) -> None:
    place = gazetteer.resolve(written)
    assert place is not None
    assert (place.name, place.country) == (name, country)


def test_a_city_has_coordinates_and_a_region(gazetteer: Gazetteer) -> None:
    sumy = gazetteer.resolve("Sumy")
    assert sumy is not None and sumy.lat == pytest.approx(50.9, abs=0.1) and sumy.lon == pytest.approx(34.8, abs=0.1)
    assert sumy.admin and sumy.admin.startswith("UA.")


def test_country_names_and_short_forms(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("the United States").country == "US"
    assert gazetteer.resolve("DR Congo").country == "CD"
    assert gazetteer.resolve("Burma").country == "MM"
    assert gazetteer.resolve("Mexico").kind == "country"


def test_the_most_populous_city_wins_unless_a_named_country_says_otherwise(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Paris").country == "FR"
    assert gazetteer.resolve("Paris", prefer_countries=["US"]).country == "US"


def test_unknown_names_and_ordinary_words_resolve_to_nothing(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Nogolait") is None
    assert gazetteer.resolve("Bruce") is None


def test_config_places_win_and_bring_their_own_spellings() -> None:
    village = Place(name="Nogolait", country="ID", lat=-4.4, lon=138.9, aliases=("Nogolaid",), admin="Highland Papua")
    custom = Gazetteer([village.model_dump(mode="json"), Place(name="Pokrovsk", country="UA", lat=48.28, lon=37.18,
                                                                 aliases=("Krasnoarmeysk",))])
    place = custom.resolve("Nogolaid")
    assert place is not None and (place.name, place.country, place.admin) == ("Nogolait", "ID", "Highland Papua")
    assert custom.resolve("Krasnoarmeysk").name == "Pokrovsk"


@pytest.mark.parametrize(
    ("written", "name", "country", "admin"),
    [
        ("Helmand", "Helmand", "AF", "AF.10"),           # the admin code of its capital, Lashkar Gah
        ("Helmand province", "Helmand", "AF", "AF.10"),
        ("Baluchistan", "Balochistan", "PK", "PK.02"),
        ("Borno", "Borno", "NG", "NG.27"),
        ("North Kivu", "North Kivu", "CD", "CD.11"),
    ],
)
def test_regions_share_their_capitals_admin_code(gazetteer: Gazetteer, written: str, name: str, country: str,
                                                 admin: str) -> None:
    place = gazetteer.resolve(written)
    assert (place.name, place.country, place.admin, place.kind, place.lat) == (name, country, admin, "region", None)
    capital = {"AF.10": "Lashkar Gah", "PK.02": "Quetta", "NG.27": "Maiduguri", "CD.11": "Goma"}[admin]
    assert gazetteer.resolve(capital).admin == admin


def test_a_region_named_like_a_city_is_left_to_the_city(gazetteer: Gazetteer) -> None:
    place = gazetteer.resolve("Baghlan")
    assert (place.kind, place.country) == ("city", "AF")


def test_curated_names_are_told_apart_from_geonames_only(gazetteer: Gazetteer) -> None:
    assert gazetteer.is_curated("Kiev") and gazetteer.is_curated("Helmand")
    assert not gazetteer.is_curated("Lincoln")
