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
        ("Krivoi Rog", "Kryvyy Rih", "UA"),
        ("Artemovsk", "Bakhmut", "UA"),     # not the Russian village of that name
        ("Cherkassy", "Cherkasy", "UA"),
        ("Volchansk", "Vovchansk", "UA"),
        ("Balakliia", "Balakliya", "UA"),   # the Kharkiv region's town, not the Poltava village
        ("Kamenskoye", "Kamyanske", "UA"),
        ("Ternopol", "Ternopil", "UA"),
        ("Rovno", "Rivne", "UA"),
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


# -- the place hierarchy: regions, districts, villages, quarters ----------------------------------------

@pytest.mark.parametrize(
    ("written", "name", "kind", "admin"),
    [
        ("Kharkiv region", "Kharkiv Oblast", "region", "UA.07"),
        ("the Kharkov region", "Kharkiv Oblast", "region", "UA.07"),
        ("Zaporozhye oblast", "Zaporizhzhia Oblast", "region", "UA.26"),
        ("Dnipropetrovsk region", "Dnipropetrovsk Oblast", "region", "UA.04"),
        ("LPR", "Luhansk Oblast", "region", "UA.14"),
        ("Belgorod region", "Belgorod Oblast", "region", "RU.09"),
        ("Dagestan", "Dagestan", "region", "RU.17"),
        ("Kramatorsk district", "Kramatorsk district", "district", "UA.05"),
        ("Bilhorod-Dnistrovskyi district", "Bilhorod-Dnistrovskyi district", "district", "UA.17"),
    ],
)
def test_regions_and_districts_by_their_english_names(gazetteer: Gazetteer, written: str, name: str, kind: str,
                                                      admin: str) -> None:
    place = gazetteer.resolve(written)
    assert place is not None and (place.name, place.kind, place.admin) == (name, kind, admin)


@pytest.mark.parametrize(
    ("written", "name", "admin", "district"),
    [
        ("Krivoy Rog", "Kryvyy Rih", "UA.04", "Kryvyi Rih district"),
        ("Nikolaev", "Mykolayiv", "UA.16", "Mykolaiv district"),
        ("Dnepr", "Dnipro", "UA.04", "Dnipro district"),
        ("Serhiyivka", "Serhiivka", "UA.17", "Bilhorod-Dnistrovskyi district"),   # a village in its district
        ("Saltivka", "Kharkiv", "UA.07", "Kharkiv district"),                     # a quarter is its city
        ("Uman", "Uman", "UA.01", "Uman district"),
    ],
)
def test_towns_know_their_region_and_district(gazetteer: Gazetteer, written: str, name: str, admin: str,
                                              district: str) -> None:
    place = gazetteer.resolve(written, prefer_countries=["UA"])
    assert place is not None and (place.name, place.admin, place.district) == (name, admin, district)


def test_a_village_needs_its_country_named_and_is_found_in_the_region_named(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Malokaterynivka") is None
    assert gazetteer.resolve("Malokaterynivka", prefer_countries=["UA"]).admin == "UA.26"
    # several villages share a name: the one in the region the text names
    odesa, mykolaiv = (gazetteer.resolve("Serhiyivka", ["UA"], [code], spelling_ok=True) for code in ("UA.17", "UA.16"))
    assert odesa.admin == "UA.17" and mykolaiv.admin == "UA.16"


def test_capitals_and_region_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.capital("AF").name == "Kabul"
    assert gazetteer.region_name("UA.21") == "Sumy Oblast"


def test_the_index_is_cached_under_a_name_that_changes_with_its_inputs(tmp_path, monkeypatch) -> None:
    from bot.extract import gazetteer_index as index

    monkeypatch.setenv("DISCOURSE_BOT_CACHE_DIR", str(tmp_path))
    digest = index.index_digest(15000)
    assert index.index_digest(500) != digest
    original = index._read
    monkeypatch.setattr(index, "_read", lambda name: original(name) + (b"# edited" if name.endswith("ua_ru.yaml") else b""))
    assert index.index_digest(15000) != digest                 # an edited curated file names another cache file
    monkeypatch.setattr(index, "_read", original)
    data = index.IndexData(rows=[("Testville", "UA", 1.0, 2.0, "UA.01", "city", 10, True, None)],
                           names={"testville": (0,)})
    index.write(tmp_path / f"gazetteer-{digest}.marshal", data.to_plain())
    index.load_index.cache_clear()
    try:
        assert index.load_index(15000).rows == data.rows        # read back, not rebuilt
    finally:
        index.load_index.cache_clear()


@pytest.mark.parametrize(
    ("written", "city"),
    [("Solomianskyi district", "Kyiv"), ("Solomiansky district", "Kyiv"), ("Desnianskyi raion", "Kyiv"),
     ("Saltivskyi district", "Kharkiv"), ("Prymorsky district", "Odesa")],
)
def test_a_large_city_s_districts_are_the_city(gazetteer: Gazetteer, written: str, city: str) -> None:
    place = gazetteer.resolve(written, ["UA"])
    assert place is not None and (place.name, place.kind) == (city, "city")


def test_a_landmark_is_a_place_of_its_own_inside_its_region(gazetteer: Gazetteer) -> None:
    bridge = gazetteer.resolve("Kerch Bridge")
    crimea = gazetteer.resolve("Crimea")
    assert bridge is not None and crimea is not None
    assert (bridge.name, bridge.admin) == ("Crimean Bridge", crimea.admin)


def test_a_town_of_one_name_is_the_one_near_the_towns_named(gazetteer: Gazetteer) -> None:
    chernihiv = gazetteer.resolve("Chernihiv", ["UA"])
    assert chernihiv is not None
    near = gazetteer.resolve("Desna", ["UA"], nearby=[chernihiv.admin or ""])
    assert near is not None and (near.name, near.admin) == ("Desna", chernihiv.admin)


def test_the_region_around_a_city_that_is_a_region_of_its_own(gazetteer: Gazetteer) -> None:
    from bot.extract.gazetteer import region_around

    kyiv, moscow, lviv = (gazetteer.resolve(n) for n in ("Kyiv", "Moscow", "Lviv"))
    assert kyiv is not None and moscow is not None and lviv is not None
    assert gazetteer.region_name(region_around(kyiv).admin) == "Kyiv Oblast"
    assert gazetteer.region_name(region_around(moscow).admin) == "Moscow Oblast"
    assert region_around(lviv).admin == lviv.admin and region_around(lviv).kind == "region"


def test_one_side_of_a_war_hints_at_the_other_sides_towns_without_reordering_homonyms(gazetteer: Gazetteer) -> None:
    # a Ukrainian town below the city list's size, told with only "Russian" in the text: it lies in Ukraine
    assert gazetteer.resolve("Ochakiv") is None
    found = gazetteer.resolve("Ochakiv", hinted_countries=["RU"])
    assert found is not None and found.country == "UA"
    # the hint still ranks: "Ukrainian shelling of Dzerzhinsk" is Toretsk's old name, "Russian" keeps Russia's town
    toretsk, russian = (gazetteer.resolve("Dzerzhinsk", hinted_countries=[c]) for c in ("UA", "RU"))
    assert toretsk is not None and (toretsk.name, toretsk.country) == ("Toretsk", "UA")
    assert russian is not None and russian.country == "RU"
    # a country far from the war admits nothing more
    assert gazetteer.resolve("Ochakiv", hinted_countries=["FR"]) is None
