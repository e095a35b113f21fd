"""Tests for khaldun.embargo: regime data and the claim check (claims built directly from the models)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

import khaldun
from khaldun.embargo import as_of, check_claim, load_regimes
from khaldun.models import (
    Actor,
    Attribution,
    Claim,
    Event,
    Evidence,
    Factuality,
    Materiel,
    Place,
    When,
)

TUR = Actor(text="Turkey", id="TUR", kind="state", country="TUR", sector="GOV")
QAT = Actor(text="Qatar", id="QAT", kind="state", country="QAT", sector="GOV")
ARE = Actor(text="the UAE", id="ARE", kind="state", country="ARE", sector="GOV")
RUS = Actor(text="Russia", id="RUS", kind="state", country="RUS", sector="GOV")
MILITANTS = Actor(text="the militants", kind="armed_group", country="LBY", sector="REB")
GNA = Actor(text="the GNA", id="org/gna", name="Government of National Accord", kind="organization",
            country="LBY", sector="GOV")
LNA = Actor(text="Haftar's forces", id="org/lna", name="Libyan National Army", kind="armed_group",
            country="LBY", sector="MIL")
AIR_DEFENCE = [Materiel(text="air defense systems", category="air_defence")]
DATA = Path(__file__).resolve().parents[1] / "khaldun" / "data" / "embargoes.yaml"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "refdata"


def claim(actors: list[Actor], recipients: list[Actor], materiel: list[Materiel] | None = None,
          when: str | None = None, *, type_: str = "AID", aid_type: str | None = "military",
          funders: list[Actor] | None = None, location: Place | None = None,
          factuality: Factuality | None = None, speaker: Actor | None = None) -> Claim:
    return Claim(
        id="c1", event=Event(type=type_, aid_type=aid_type, trigger="send"),  # type: ignore[arg-type]
        actors=actors, recipients=recipients, funders=funders or [], materiel=materiel or [],
        location=location, when=When(date=when), factuality=factuality or Factuality(),
        attribution=Attribution(speaker=speaker), evidence=Evidence(text="x", start=0, end=1, sentence=0),
    )


def only(findings: list, regime: str = "UN arms embargo on Libya"):  # type: ignore[no-untyped-def]
    hits = [f for f in findings if f.regime == regime]
    assert len(hits) == 1, findings
    return hits[0]


def test_regimes_load_and_are_consistent() -> None:
    regimes = load_regimes()
    assert load_regimes() == regimes  # cached
    ids = [r.id for r in regimes]
    assert len(ids) == len(set(ids))
    libya = next(r for r in regimes if r.id == "libya")
    assert (libya.name, libya.instrument, libya.targets) == ("UN arms embargo on Libya", "UNSCR 1970 (2011)", ("LBY",))
    assert libya.start == date(2011, 2, 26) and libya.end is None
    assert not libya.in_force(date(2011, 2, 25)) and libya.in_force(date(2011, 2, 26))
    for r in regimes:
        assert r.periods and r.instrument.startswith("UNSCR ")
        for p in r.periods:
            assert p.scope in ("territory", "non_state_only", "targeted")
            assert p.direction in ("import", "two_way", "export")
            assert p.end is None or p.start < p.end
    for name in ("drc", "iraq", "car", "somalia", "isil-al-qaida", "taliban", "yemen"):
        assert name in ids
    assert as_of() >= date(2026, 1, 1)


def test_data_file_states_provenance() -> None:
    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    files = " ".join(s.get("file", "") for s in doc["source"])
    assert "libya_embargo_curated" in files and "un_arms_embargoes_curated" in files


def test_seed_like_transfer_to_armed_groups_is_potential_violation() -> None:
    c = claim([TUR], [MILITANTS], AIR_DEFENCE, "2019-07-30", funders=[QAT],
              factuality=Factuality(certainty="possible", tense="future"))
    f = only(check_claim(c, date(2019, 7, 31)))
    assert (f.instrument, f.in_force, f.status) == ("UNSCR 1970 (2011)", True, "potential_violation")
    for part in ("Turkey", "Qatar", "the militants", "2019-07-30", "op.9", "2011-02-26", "non-state", "2174 (2014)"):
        assert part in f.reason


def test_gna_recipient_2019_is_possibly_exempt() -> None:
    f = only(check_claim(claim([TUR], [GNA], [Materiel(text="drones", category="uav")], "2019-12-01"), None))
    assert (f.in_force, f.status) == (True, "possibly_exempt")
    assert "2009 (2011) op.13(a)" in f.reason and "2174 (2014)" in f.reason and "prior approval" in f.reason


def test_lna_is_not_the_government() -> None:
    f = only(check_claim(claim([ARE], [LNA], [Materiel(text="Pantsir", category="air_defence")], "2019-12-01"), None))
    assert f.status == "potential_violation"
    assert "not the recognised government" in f.reason


def test_libyan_state_recipient_before_and_after_2009() -> None:
    libya = Actor(text="Libya", id="LBY", kind="state", country="LBY", sector="GOV")
    rifles = [Materiel(text="rifles", category="small_arms")]
    assert only(check_claim(claim([RUS], [libya], rifles, "2011-04-01"), None)).status == "potential_violation"
    assert only(check_claim(claim([RUS], [libya], rifles, "2012-04-01"), None)).status == "possibly_exempt"


def test_before_the_embargo_one_not_in_force_finding() -> None:
    findings = check_claim(claim([TUR], [MILITANTS], AIR_DEFENCE, "2010-05-01"), None)
    f = only(findings)
    assert len(findings) == 1
    assert (f.instrument, f.in_force, f.status) == ("UNSCR 1970 (2011)", False, "not_covered")
    assert "2011-02-26" in f.reason and "748 (1992)" in f.reason


def test_earlier_libya_regime_in_force_in_1995() -> None:
    f = only(check_claim(claim([TUR], [MILITANTS], AIR_DEFENCE, "1995-05-01"), None),
             "UN arms embargo on Libya (1992-2003)")
    assert (f.instrument, f.in_force, f.status) == ("UNSCR 748 (1992)", True, "potential_violation")


@pytest.mark.parametrize("kwargs", [
    {"type_": "ASSAULT", "aid_type": None},
    {"aid_type": "humanitarian"},
    {"aid_type": None, "materiel": []},
    {"factuality": Factuality(polarity="negative")},
])
def test_non_transfer_claims_get_no_finding(kwargs: dict) -> None:
    args = {"materiel": AIR_DEFENCE, **kwargs}
    assert check_claim(claim([TUR], [MILITANTS], when="2019-07-30", **args), None) == []


def test_economic_aid_with_materiel_and_date_fallbacks() -> None:
    c = claim([QAT], [MILITANTS], AIR_DEFENCE, None, aid_type="economic")
    f = only(check_claim(c, date(2019, 8, 1)))
    assert f.status == "potential_violation" and "2019-08-01" in f.reason and "published" in f.reason
    f = only(check_claim(c, None))
    assert f.in_force and as_of().isoformat() in f.reason


def test_location_and_unknown_recipient() -> None:
    tripoli = Place(text="Tripoli", name="Tripoli", kind="city", country="LBY")
    f = only(check_claim(claim([TUR], [], [Materiel(text="drones", category="uav")], "2020-01-05",
                               location=tripoli), None))
    assert f.status == "potential_violation" and "not identified" in f.reason


def test_export_from_libya() -> None:
    sudan = Actor(text="Sudan", id="SDN", kind="state", country="SDN", sector="GOV")
    f = only(check_claim(claim([GNA], [sudan], [Materiel(text="rifles", category="small_arms")], "2020-03-01"),
                         None))
    assert f.status == "potential_violation" and "op.10" in f.reason


def test_mercenaries_are_never_exempt() -> None:
    fighters = [Materiel(text="Syrian fighters", category="mercenaries")]
    f = only(check_claim(claim([TUR], [GNA], fighters, "2020-03-01", aid_type="personnel"), None))
    assert f.status == "potential_violation" and "mercenary" in f.reason


def test_somalia_federal_government_2024_not_covered() -> None:
    fgs = Actor(text="the Somali government", id="SOM", kind="state", country="SOM", sector="GOV")
    rifles = [Materiel(text="rifles", category="small_arms")]
    f = only(check_claim(claim([TUR], [fgs], rifles, "2024-03-01"), None), "UN arms embargo on Somalia / Al-Shabaab")
    assert (f.in_force, f.status) == (True, "not_covered")
    assert "2023-12-01" in f.reason
    f = only(check_claim(claim([TUR], [fgs], rifles, "2015-03-01"), None), "UN arms embargo on Somalia / Al-Shabaab")
    assert f.status == "possibly_exempt" and "2093 (2013)" in f.reason


def test_al_shabaab_is_targeted() -> None:
    shabaab = Actor(text="al-Shabaab", kind="armed_group", country="SOM", sector="REB")
    f = only(check_claim(claim([Actor(text="smugglers")], [shabaab], [Materiel(text="IEDs", category="explosives")],
                               "2024-03-01"), None), "UN arms embargo on Somalia / Al-Shabaab")
    assert f.status == "potential_violation" and "SOe.001" in f.reason


def test_drc_armed_group_and_government() -> None:
    rwa = Actor(text="Rwanda", id="RWA", kind="state", country="RWA", sector="GOV")
    m23 = Actor(text="M23 rebels", kind="armed_group", country="COD", sector="REB")
    fardc = Actor(text="the Congolese army", kind="organization", country="COD", sector="MIL")
    mortars = [Materiel(text="mortars", category="artillery")]
    regime = "UN arms embargo on the Democratic Republic of the Congo"
    f = only(check_claim(claim([rwa], [m23], mortars, "2024-03-01"), None), regime)
    assert (f.instrument, f.status) == ("UNSCR 1493 (2003)", "potential_violation")
    f = only(check_claim(claim([TUR], [fardc], mortars, "2024-03-01"), None), regime)
    assert f.status == "not_covered" and "non-governmental" in f.reason


def test_car_government_after_2024_not_covered() -> None:
    car = Actor(text="the CAR government", id="CAF", kind="state", country="CAF", sector="GOV")
    rifles = [Materiel(text="rifles", category="small_arms")]
    regime = "UN arms embargo on the Central African Republic"
    assert only(check_claim(claim([RUS], [car], rifles, "2024-08-15"), None), regime).status == "not_covered"
    assert only(check_claim(claim([RUS], [car], rifles, "2020-03-01"), None), regime).status == "possibly_exempt"


def test_targeted_groups_isil_and_houthis() -> None:
    isil = Actor(text="Islamic State fighters", kind="armed_group", country="LBY")
    findings = check_claim(claim([Actor(text="smugglers")], [isil], [Materiel(text="weapons", category="other")],
                                 "2016-03-01"), None)
    assert {f.regime for f in findings} == {"UN arms embargo on Libya",
                                            "UN arms embargo on ISIL (Da'esh), Al-Qaida and associates"}
    houthis = Actor(text="the Houthis", kind="armed_group", country="YEM")
    yemen_gov = Actor(text="the Yemeni government", id="YEM", kind="state", country="YEM", sector="GOV")
    missiles = [Materiel(text="missiles", category="missiles")]
    regime = "UN arms embargo on the Houthis (Yemen)"
    iran = Actor(text="Iran", id="IRN", kind="state", country="IRN", sector="GOV")
    assert only(check_claim(claim([iran], [houthis], missiles, "2023-03-01"), None), regime).status == \
        "potential_violation"
    assert only(check_claim(claim([ARE], [yemen_gov], missiles, "2023-03-01"), None), regime).status == "not_covered"


def test_one_finding_per_regime_with_funders_and_several_recipients() -> None:
    c = claim([TUR], [MILITANTS, GNA], AIR_DEFENCE, "2020-01-10", funders=[QAT])
    findings = check_claim(c, None)
    assert [f.regime for f in findings] == ["UN arms embargo on Libya"]
    assert findings[0].status == "potential_violation"  # one recipient is non-state


def test_domestic_transfer_is_not_a_supply_to_libya() -> None:
    militia = Actor(text="allied militias", kind="armed_group", country="LBY", sector="PRM")
    f = only(check_claim(claim([GNA], [militia], [Materiel(text="rifles", category="small_arms")], "2020-03-01"),
                         None))
    assert f.status == "not_covered"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is absent")
def test_libya_resolutions_match_the_curated_table() -> None:
    import csv

    rows = list(csv.DictReader((SHARED / "libya_embargo_curated" / "libya_unsc_resolutions.csv").open(encoding="utf-8")))
    adopted = {r["resolution"]: r["adopted"] for r in rows}
    libya = next(r for r in load_regimes() if r.id == "libya")
    for resolution, when, _ in libya.history:
        if len(adopted.get(resolution, "")) == 10:
            assert adopted[resolution] == when, resolution


def test_deploying_mercenaries_into_libya_is_flagged() -> None:
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    doc = pipe.analyze("Turkey deployed Syrian mercenaries to Tripoli in January 2020.")
    (c,) = [c for c in doc.claims if c.event.type == "MOBILIZE"]
    assert any(m.category == "mercenaries" for m in c.materiel) and not any("mercenar" in a.text for a in c.recipients)
    assert c.embargo and c.embargo[0].status == "potential_violation" and "1970" in c.embargo[0].regime + c.embargo[0].instrument
    # a side deploying its own troops at home is no supply
    doc = pipe.analyze("The LNA deployed troops to Sirte.")
    assert all(not c.embargo for c in doc.claims)


def test_every_designated_group_resolves_in_the_registry() -> None:
    """A designation the registry cannot resolve is never matched by id: each entry of embargoes.yaml's
    designated lists must name at least one id the actor registry knows."""
    from khaldun.actors import ActorRegistry

    reg = ActorRegistry.default()
    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "khaldun" / "data" / "embargoes.yaml").read_text())
    missing = [(r["id"], d["ids"][0]) for r in data["regimes"] for d in r.get("designated") or []
               if d.get("ids") and not any(reg.get(i) for i in d["ids"])]
    assert missing == []


def test_interdicted_shipment_bound_for_a_designated_group() -> None:
    doc = khaldun.analyze("The US Navy seized a dhow carrying Iranian-made missile components bound for the Houthis "
                          "in the Arabian Sea, US Central Command said.\n\n"
                          "Saudi Arabia said the seizure was proof that Tehran arms the Houthi militia.",
                          published="2023-02-25")
    seize = next(c for c in doc.claims if c.event.type == "COERCE")
    assert [a.id for a in seize.recipients] == ["org/houthis"] and [m.category for m in seize.materiel] == ["missiles"]
    arms = next(c for c in doc.claims if c.event.type == "AID")
    assert [a.id for a in arms.actors] == ["IRN"] and [a.id for a in arms.recipients] == ["org/houthis"]
    assert any(f.instrument.startswith("UNSCR 2216") and f.status == "potential_violation" for f in arms.embargo)
