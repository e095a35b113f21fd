"""Tests for khaldun.materiel: generic nouns, designations, quantities, context flags, offsets."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from khaldun.materiel import find_materiel, match_materiel, materiel_lexicon_terms, needs_context
from khaldun.models import MaterielCategory

DATA = Path(__file__).resolve().parents[1] / "khaldun" / "data" / "materiel"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d4524581ef7f097a.txt"
CATEGORIES = set(typing.get_args(MaterielCategory))


def one(text: str) -> tuple[str, str, str | None, int | None]:
    ms = find_materiel(text)
    assert len(ms) == 1, [m.text for m in ms]
    m = ms[0]
    return m.text, m.category, m.designation, m.quantity


@pytest.mark.parametrize("text,category", [
    ("air defense", "air_defence"), ("air defenses", "air_defence"), ("air defence systems", "air_defence"),
    ("air-defense batteries", "air_defence"), ("surface-to-air missiles", "air_defence"), ("SAMs", "air_defence"),
    ("MANPADS", "air_defence"), ("drones", "uav"), ("UAVs", "uav"), ("unmanned aerial vehicles", "uav"),
    ("armed drones", "uav"), ("fighter jets", "aircraft"), ("warplanes", "aircraft"), ("helicopters", "aircraft"),
    ("armoured vehicles", "armoured_vehicles"), ("armored vehicles", "armoured_vehicles"),
    ("APCs", "armoured_vehicles"), ("tanks", "armoured_vehicles"), ("military vehicles", "military_vehicles"),
    ("technicals", "military_vehicles"), ("pickup trucks", "military_vehicles"), ("weapons", "other"),
    ("arms", "other"), ("rifles", "small_arms"), ("machine guns", "small_arms"), ("ammunition", "ammunition"),
    ("munitions", "ammunition"), ("shells", "ammunition"), ("rockets", "missiles"), ("mortars", "artillery"),
    ("artillery", "artillery"), ("howitzers", "artillery"), ("explosives", "explosives"), ("IEDs", "explosives"),
    ("mines", "explosives"), ("warships", "ships"), ("frigates", "ships"), ("ships", "ships"), ("radars", "sensors"),
    ("jammers", "sensors"), ("electronic warfare systems", "sensors"), ("mercenaries", "mercenaries"),
    ("torpedoes", "naval_weapons"), ("anti-tank guided missiles", "missiles"),
])
def test_generic_nouns(text: str, category: str) -> None:
    got = one(f"They sent {text} to the front.")
    assert got[0] == text and got[1] == category and got[2] is None


@pytest.mark.parametrize("text,quantity", [
    ("six drones", 6), ("two batteries", 2), ("several ships", None), ("dozens of drones", None),
    ("12 tanks", 12), ("1,500 mercenaries", 1500), ("twenty-four howitzers", 24), ("half a dozen APCs", 6),
    ("a pair of F-16s", 2), ("six Turkish-made Bayraktar TB2 drones", 6), ("hundreds of rockets", None),
    ("two hundred rifles", 200), ("a dozen tanks", 12), ("at least 30 armoured vehicles", 30),
])
def test_quantity(text: str, quantity: int | None) -> None:
    ms = find_materiel(f"Officials said {text} arrived.")
    assert ms and ms[-1].quantity == quantity


def test_year_is_not_a_quantity() -> None:
    assert find_materiel("In 2019 drones struck the base.")[0].quantity is None


@pytest.mark.parametrize("text,designation,category", [
    ("Bayraktar TB2", "Bayraktar TB2", "uav"), ("TB2", "Bayraktar TB2", "uav"),
    ("Pantsir", "Pantsir-S1", "air_defence"), ("Pantsyr-S1", "Pantsir-S1", "air_defence"),
    ("Wing Loong", "Wing Loong", "uav"), ("Wing Loong II", "Wing Loong II", "uav"),
    ("Kornet", "Kornet", "missiles"), ("Grad", "BM-21 Grad", "artillery"), ("MiG-29", "MiG-29", "aircraft"),
    ("Su-24", "Su-24", "aircraft"), ("Hawk", "MIM-23 Hawk", "air_defence"), ("KORKUT", "Korkut", "air_defence"),
    ("Kirpi", "Kirpi", "armoured_vehicles"), ("T-122", "T-122 Sakarya", "artillery"),
    ("Mi-35", "Mi-24/35", "aircraft"), ("Igla-S", "Igla-S", "air_defence"), ("AK-47", "AK-47", "small_arms"),
])
def test_designations(text: str, designation: str, category: str) -> None:
    got = one(f"Footage showed a {text} near the airport.")
    assert got[0] == text and got[2] == designation and got[1] == category


def test_designation_merges_with_following_noun() -> None:
    assert one("Turkey delivered Bayraktar TB2 drones.")[:3] == ("Bayraktar TB2 drones", "uav", "Bayraktar TB2")
    assert one("The UAE sent Pantsir air-defense systems.")[:3] == (
        "Pantsir air-defense systems", "air_defence", "Pantsir-S1")
    assert one("two MIM-23 Hawk batteries")[1:] == ("air_defence", "MIM-23 Hawk", 2)
    assert one("Grad rockets hit the city.")[2] == "BM-21 Grad"
    assert one("MiG-29s landed at al-Jufra.")[2] == "MiG-29"  # plural designation
    assert one("ZU-23 cannon shells")[1:3] == ("ammunition", "ZU-23-2")  # ammunition for a system


def test_short_designations_are_case_sensitive() -> None:
    assert find_materiel("a grad student watched a hawk") == []
    assert find_materiel("The tb2 was seen.") == []


def test_ambiguous_names_need_a_materiel_noun() -> None:
    assert find_materiel("Cobra Kai and Patriot games; Knox visited Abu Dhabi.") == []
    assert one("They deployed Patriot batteries.")[2] == "MIM-104 Patriot"
    assert one("A Knox-class frigate sailed.")[1:3] == ("ships", "Knox")
    assert one("Selcuk Bayraktar said Bayraktar drones were sold.")[:3] == ("Bayraktar drones", "uav", "Bayraktar")
    # system names that are also places or surnames
    assert find_materiel("Puli Hisar district; Buk (Borno); Mustafa Akinci and Korkut Ozal spoke.") == []
    assert [m.designation for m in find_materiel("Korkut systems and Akinci drones")] == ["Korkut", "Akinci"]


def test_ambiguous_name_takes_the_reading_of_its_noun() -> None:
    got = [(m.category, m.designation) for m in find_materiel("Typhoon jets and Typhoon armoured vehicles")]
    assert got == [("aircraft", "Eurofighter Typhoon"), ("armoured_vehicles", "Typhoon APC")]


def test_longest_match_and_false_friends() -> None:
    assert one("anti-tank missiles were seized")[0] == "anti-tank missiles"
    assert find_materiel("a think tank and a fuel tank") == []
    assert find_materiel("the arms embargo and the drone factory") == []
    assert find_materiel("the destruction of the Turkish aircraft base") == []
    assert find_materiel("gold mines near the border") == []
    assert find_materiel("a suicide bomber; personal protective equipment") == []


def test_offsets_point_into_the_text() -> None:
    text = "Turkey sent\u00a0six\u2011armed drones, Bayraktar TB2 drones and 2,000 Syrian mercenaries."
    ms = find_materiel(text)
    assert ms
    for m in ms:
        assert text[m.start:m.end] == m.text


def test_context_flags() -> None:
    flags = {m.materiel.text: m.needs_context for m in match_materiel(
        "They brought pickup trucks, Syrian fighters, equipment and rifles.")}
    assert flags == {"pickup trucks": True, "Syrian fighters": True, "equipment": True, "rifles": False}
    kept = [m.text for m in find_materiel("pickup trucks and Syrian fighters with rifles", contextual=False)]
    assert kept == ["rifles"]
    syrian = find_materiel("2,000 Syrian fighters")[0]
    assert (syrian.category, syrian.quantity, needs_context(syrian)) == ("mercenaries", 2000, True)
    assert needs_context(find_materiel("Toyota Land Cruiser")[0]) is True
    assert needs_context(find_materiel("Bayraktar TB2")[0]) is False


def test_arabic_terms() -> None:
    ms = find_materiel("أرسلت تركيا طائرات مسيرة ومنظومات دفاع جوي والمرتزقة")
    assert [(m.text, m.category) for m in ms] == [
        ("طائرات مسيرة", "uav"), ("منظومات دفاع جوي", "air_defence"), ("المرتزقة", "mercenaries")]


def test_lexicon_terms() -> None:
    terms = materiel_lexicon_terms()
    assert terms["drones"] == "uav" and terms["drone"] == "uav"
    assert terms["air defenses"] == "air_defence" and terms["air-defence systems"] == "air_defence"
    assert terms["mercenaries"] == "mercenaries" and terms["howitzer"] == "artillery"
    assert all(k == k.lower() for k in terms)
    assert set(terms.values()) <= CATEGORIES
    assert "bayraktar tb2" not in terms  # designations are not head nouns


def test_data_files_have_provenance_and_valid_categories() -> None:
    tsv = (DATA / "designations.tsv").read_text(encoding="utf-8")
    assert "SIPRI" in tsv.splitlines()[3] or "SIPRI" in tsv[:1200]
    rows = [ln.split("\t") for ln in tsv.splitlines() if ln and not ln.startswith("#")]
    assert len(rows) > 2000
    assert all(len(r) == 5 and r[2] in CATEGORIES and r[3] in ("case", "context", "nocase") for r in rows)
    for name in ("generic.yaml", "known_systems.yaml"):
        assert "source:" in (DATA / name).read_text(encoding="utf-8")


def test_speed() -> None:
    find_materiel("warm up")
    text = "Turkey sent six Bayraktar TB2 drones, Pantsir systems and 2,000 Syrian fighters to Tripoli. " * 200
    ms = find_materiel(text)
    assert len(ms) == 600


@pytest.mark.skipif(not SEED.exists(), reason="../shared is absent")
def test_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    found = [(m.text.lower(), m.category) for m in find_materiel(text)]
    for expected in [("air defenses", "air_defence"), ("air defense systems", "air_defence"),
                     ("explosives", "explosives"), ("weapons", "other"), ("military vehicles", "military_vehicles"),
                     ("drones", "uav"), ("ships", "ships")]:
        assert expected in found
    assert not any("aircraft" in t for t, _ in found)  # "Turkish aircraft base" is a place


def test_normalized_text_is_the_dash_table_translation() -> None:
    """The replacements stand for `str.translate(_DASHES)`: the same text, character for character, for every
    character the table maps (and the offsets of the matches stay those of the original)."""
    from khaldun.materiel import _DASHES, _normalized

    mapped = "".join(chr(k) for k in _DASHES)
    text = f"Two\u00a0armoured vehicles \u2014 \u2018new\u2019 ones\tarrived{mapped}\u00e9t\u00e9 x\u2013y"
    assert _normalized(text) == text.translate(_DASHES)
    assert _normalized("plain ascii text") == "plain ascii text"
    ms = find_materiel("Five\u00a0armoured vehicles arrived.")
    assert [(m.text, m.start, m.end) for m in ms] == [("armoured vehicles", 5, 22)]
