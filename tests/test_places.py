"""Gazetteer: Libyan spellings, airports and air bases, context, common-word filtering, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khaldun.places import PLACES_FILE, Gazetteer, fold_key, skeleton

SHARED = Path(__file__).resolve().parents[2] / "shared" / "refdata"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_default_is_cached_small_and_fast(gaz: Gazetteer) -> None:
    assert Gazetteer.default() is gaz
    assert PLACES_FILE.stat().st_size < 5_000_000
    fresh = Gazetteer()
    assert fresh.load_seconds > 0  # the load is timed for `khaldun bench`, never asserted against a clock
    assert len(fresh) > 30_000


def test_data_file_states_provenance() -> None:
    head = PLACES_FILE.read_text(encoding="utf-8")[:1500]
    assert "GeoNames" in head and "CC BY 4.0" in head and "OurAirports" in head and "public domain" in head


@pytest.mark.parametrize(
    ("written", "gid"),
    [
        ("Misrata", "geonames:2214846"), ("Misurata", "geonames:2214846"), ("Misratah", "geonames:2214846"),
        ("Tripoli", "geonames:2210247"), ("Tarabulus", "geonames:2210247"),
        ("Benghazi", "geonames:88319"), ("Banghazi", "geonames:88319"),
        ("Sirte", "geonames:2210554"), ("Surt", "geonames:2210554"), ("Sirt", "geonames:2210554"),
        ("Tarhuna", "geonames:2210221"), ("Tarhouna", "geonames:2210221"),
        ("Gharyan", "geonames:2217362"), ("Gheryan", "geonames:2217362"),
        ("Zawiya", "geonames:2218970"), ("Zawiyah", "geonames:2218970"), ("al-Zawiya", "geonames:2218970"),
        ("Ajdabiya", "geonames:89113"), ("Agedabia", "geonames:89113"),
        ("Sabha", "geonames:2212775"), ("Sebha", "geonames:2212775"),
        ("Derna", "geonames:87205"), ("Darnah", "geonames:87205"),
        ("Tobruk", "geonames:81302"), ("Tubruq", "geonames:81302"),
        ("Ras Lanuf", "khaldun:city/ras-lanuf"), ("Brega", "geonames:2215210"),
        ("Bani Walid", "geonames:2218840"), ("Zintan", "geonames:2218963"), ("Sabratha", "geonames:2212771"),
    ],
)
def test_libyan_spellings(gaz: Gazetteer, written: str, gid: str) -> None:
    place = gaz.lookup(written)
    assert place is not None and place.gazetteer_id == gid
    assert place.country == "LBY" and place.kind in ("city", "other")


def test_libyan_spellings_in_running_text(gaz: Gazetteer) -> None:
    text = "Forces moved from Tarhouna and Gheryan towards Misurata, Zawiyah and Surt."
    found = gaz.find(text)
    assert [p.name for p in found] == ["Tarhuna", "Gharyan", "Misrata", "Zawiya", "Sirte"]
    for p in found:
        assert text[p.start:p.end] == p.text
        assert p.lat is not None and p.lon is not None


@pytest.mark.parametrize(
    ("written", "gid", "kind"),
    [
        ("Mitiga", "icao:HLLM", "airport"), ("Mitiga airport", "icao:HLLM", "airport"),
        ("Mitiga air base", "icao:HLLM", "base"),
        ("Misrata air base", "icao:HLMS", "base"), ("the air base in Misrata", "icao:HLMS", "base"),
        ("Misrata airport", "icao:HLMS", "airport"), ("Misurata's airport", "icao:HLMS", "airport"),
        ("Benina", "icao:HLLB", "airport"), ("Benghazi airport", "icao:HLLB", "airport"),
        ("al-Watiya", "icao:HL77", "base"), ("Watiya air base", "icao:HL77", "base"),
        ("Al Watiyah airbase", "icao:HL77", "base"), ("Uqba bin Nafi air base", "icao:HL77", "base"),
        ("al-Jufra air base", "icao:HL69", "base"), ("Jufra airbase", "icao:HL69", "base"),
        ("Tamanhint", "icao:HL66", "base"), ("Tamenhint air base", "icao:HL66", "base"),
        ("al-Khadim", "icao:HL59", "base"), ("Al Khadim air base", "icao:HL59", "base"),
        ("Ghardabiya", "icao:HLGD", "base"), ("Gardabya", "icao:HLGD", "base"),
        ("Sirte airport", "icao:HLGD", "airport"), ("the airbase near Sirte", "icao:HLGD", "base"),
        ("Tripoli International Airport", "icao:HLLT", "airport"), ("Tripoli airport", "icao:HLLT", "airport"),
        ("Tripoli air base", "icao:HLLM", "base"),
        ("Gamal Abdel Nasser Air Base", "icao:HLGN", "base"), ("Tobruk air base", "icao:HLGN", "base"),
        ("Brak al-Shati air base", "khaldun:base/brak-al-shati", "base"),
        ("the air base near Sabha", "icao:HL66", "base"), ("Sabha airport", "icao:HLLS", "airport"),
    ],
)
def test_airports_and_bases(gaz: Gazetteer, written: str, gid: str, kind: str) -> None:
    place = gaz.lookup(written)
    assert place is not None, written
    assert (place.gazetteer_id, place.kind, place.country) == (gid, kind, "LBY")
    assert place.text == written


def test_facility_phrases_in_running_text(gaz: Gazetteer) -> None:
    text = ("Drones took off from the air base in Misrata and from Mitiga airport; the LNA held "
            "al-Watiya air base, Jufra airbase and Ghardabiya airbase in Sirte.")
    found = [(p.text, p.gazetteer_id, p.kind) for p in gaz.find(text)]
    assert found == [
        ("air base in Misrata", "icao:HLMS", "base"),
        ("Mitiga airport", "icao:HLLM", "airport"),
        ("al-Watiya air base", "icao:HL77", "base"),
        ("Jufra airbase", "icao:HL69", "base"),
        ("Ghardabiya airbase", "icao:HLGD", "base"),
        ("Sirte", "geonames:2210554", "city"),  # its airbase was already named
    ]


def test_a_town_without_a_facility_stays_a_town(gaz: Gazetteer) -> None:
    place = gaz.lookup("the air base in Tarhuna")
    assert place is not None and place.gazetteer_id == "geonames:2210221" and place.kind == "city"


def test_common_word_city_names_are_not_matched_in_text(gaz: Gazetteer) -> None:
    text = ("Police said Nice weather helped. Of the 20 people, Reading fans and Mobile users were many; "
            "Independence Day, Split decision, Batman returns.")
    assert gaz.find(text) == []
    nice = gaz.lookup("Nice")  # still resolvable when someone asks for it by name
    assert nice is not None and nice.country == "FRA"
    stop = (PLACES_FILE.parent / "common_words.txt").read_text(encoding="utf-8").split()
    for word in ("nice", "police", "mobile", "of", "reading", "batman"):
        assert word in stop
    for city in ("tripoli", "boston", "geneva", "tyre"):
        assert city not in stop


def test_capitalisation_case_and_person_names(gaz: Gazetteer) -> None:
    assert gaz.find("misrata and tripoli") == []
    assert [p.gazetteer_id for p in gaz.find("The US and the UAE, us and them.")] == ["iso:USA", "iso:ARE"]
    found = gaz.find("Hassan Ali met David Anderson and Vladimir Putin in Ankara.")
    assert [p.name for p in found] == ["Ankara"]


def test_ambiguity_and_context(gaz: Gazetteer) -> None:
    assert gaz.lookup("Tripoli").country == "LBY"  # type: ignore[union-attr]  # more populous
    assert gaz.lookup("Tripoli", {"LBN"}).country == "LBN"  # type: ignore[union-attr]
    assert gaz.lookup("Tripoli", {"LB"}).country == "LBN"  # type: ignore[union-attr]  # alpha-2 accepted
    assert gaz.lookup("Homs").country == "SYR"  # type: ignore[union-attr]
    assert gaz.lookup("Homs", {"LBY"}).name == "Khoms"  # type: ignore[union-attr]
    # the text's own countries are the hint when none is given
    assert [p.country for p in gaz.find("Protests in Tripoli, Lebanon.")] == ["LBN", "LBN"]
    assert gaz.find("Clashes in Tripoli and Benghazi.")[0].country == "LBY"
    assert gaz.find("Shelling hit Homs.", context_countries={"LBY"})[0].name == "Khoms"


def test_countries_and_regions(gaz: Gazetteer) -> None:
    for written, gid in [("Libya", "iso:LBY"), ("Turkey", "iso:TUR"), ("Türkiye", "iso:TUR"), ("UAE", "iso:ARE"),
                         ("United Arab Emirates", "iso:ARE"), ("Russia", "iso:RUS"), ("Egypt", "iso:EGY"),
                         ("Qatar", "iso:QAT"), ("Sudan", "iso:SDN"), ("South Sudan", "iso:SSD")]:
        place = gaz.lookup(written)
        assert place is not None and place.gazetteer_id == gid and place.kind == "country", written
    for written, name in [("Cyrenaica", "Cyrenaica"), ("Tripolitania", "Tripolitania"), ("Fezzan", "Fezzan"),
                          ("Jabal Nafusa", "Nafusa Mountains"), ("Nafusa Mountains", "Nafusa Mountains"),
                          ("Western Mountains", "Nafusa Mountains"), ("Oil Crescent", "Oil Crescent")]:
        place = gaz.lookup(written)
        assert place is not None and place.name == name and place.kind == "region" and place.country == "LBY"
    jufra = gaz.lookup("al-Jufra")
    assert jufra is not None and jufra.gazetteer_id == "iso:LY-JU" and jufra.kind == "region"
    found = gaz.find("South Sudan and Sudan; Equatorial Guinea and Guinea.")
    assert [p.gazetteer_id for p in found] == ["iso:SSD", "iso:SDN", "iso:GNQ", "iso:GIN"]


def test_lookup_modifiers(gaz: Gazetteer) -> None:
    for written in ("southern Tripoli", "the city of Tripoli", "Tripoli city", "greater Tripoli"):
        place = gaz.lookup(written)
        assert place is not None and place.gazetteer_id == "geonames:2210247", written
    assert gaz.lookup("Gharyane") is not None  # unseen transliteration: consonant skeleton
    assert gaz.lookup("Xqzvw") is None
    assert gaz.lookup("") is None


def test_arabic_names(gaz: Gazetteer) -> None:
    text = "قصفت طائرات مسيرة قاعدة الوطية وأهدافا في مصراتة وبطرابلس"
    found = gaz.find(text)
    assert [p.gazetteer_id for p in found] == ["icao:HL77", "geonames:2214846", "geonames:2210247"]
    assert all(text[p.start:p.end] == p.text for p in found)
    assert gaz.lookup("ليبيا").gazetteer_id == "iso:LBY"  # type: ignore[union-attr]


def test_offsets_with_accents_and_diacritics(gaz: Gazetteer) -> None:
    text = "From Türkiye to Ţarābulus via Misrata’s port."
    found = gaz.find(text)
    assert [(p.text, p.gazetteer_id) for p in found] == [
        ("Türkiye", "iso:TUR"), ("Ţarābulus", "geonames:2210247"), ("Misrata", "geonames:2214846")]


def test_fold_and_skeleton() -> None:
    assert fold_key("Al-Watiya") == fold_key("al Watiya") == "al watiya"
    assert fold_key("Ţarābulus") == "tarabulus"
    assert skeleton("gheryan") == skeleton("gharyan")
    assert skeleton("misurata") == skeleton("misrata")


def test_find_on_a_long_text(gaz: Gazetteer) -> None:
    # every repeat of a paragraph gives its places again, at its own offsets (speed is `khaldun bench`'s, not a test's)
    para = ("Turkish drones struck LNA positions near Tarhuna and al-Watiya air base on Tuesday, while Russian "
            "mercenaries were seen in Sirte and Jufra, the Libyan National Army said in Benghazi. ")
    text = para * 300  # ~9,000 words
    found = gaz.find(text)
    assert len(found) == 300 * 5
    first = [(p.start, p.end) for p in found[:5]]
    assert [(p.start, p.end) for p in found[-5:]] == [(s + 299 * len(para), e + 299 * len(para)) for s, e in first]


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/refdata not available")
def test_every_libyan_airport_is_in_the_gazetteer(gaz: Gazetteer) -> None:
    airports = json.loads((SHARED / "ourairports_libya" / "airportsdata_LY.json").read_text(encoding="utf-8"))
    for icao in airports:
        rec = gaz.by_id(f"icao:{icao}")
        assert rec is not None and rec.kind in ("airport", "base") and rec.country == "LBY", icao
