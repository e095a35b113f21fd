"""Tests for khaldun.actors: the actor registry (find, lookup, to_actor, user files, agents)."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from khaldun import actors as A
from khaldun.actors import ActorRegistry, agent_sector
from khaldun.models import Actor

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFDATA = SHARED / "refdata"
SEED = SHARED / "seed" / "000_d4524581ef7f097a.txt"


@pytest.fixture(scope="module")
def reg() -> ActorRegistry:
    return ActorRegistry.default()


def ids(reg: ActorRegistry, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.entry.id, m.how) for m in reg.find(text)]


# --------------------------------------------------------------------------- load


def test_load_time_printed() -> None:
    """Cold load of the whole default registry (new instance, first find builds the automaton)."""
    ActorRegistry.default.cache_clear()
    t0 = time.perf_counter()
    reg = ActorRegistry.default()
    t1 = time.perf_counter()
    reg.find("Haftar")
    t2 = time.perf_counter()
    print(f"\nactor registry: {len(reg)} entries; default() {t1 - t0:.3f}s, first find() "
          f"{t2 - t1:.3f}s, total {t2 - t0:.3f}s")
    assert ActorRegistry.default() is reg  # cached
    assert len(reg) > 5000


# --------------------------------------------------------------------------- people by date


def test_erdogan_resolved_by_date(reg: ActorRegistry) -> None:
    e = reg.lookup("Erdogan")
    assert e is not None and e.id == "person/recep-tayyip-erdogan"
    a2019 = reg.to_actor(e, "Erdogan", date(2019, 5, 1))
    assert isinstance(a2019, Actor)
    assert (a2019.country, a2019.sector, a2019.kind) == ("TUR", "GOV", "person")
    assert "President of Turkey" in (a2019.why or "")
    a2010 = reg.to_actor(e, "Erdogan", date(2010, 1, 1))
    assert (a2010.country, a2010.sector) == ("TUR", "GOV")
    assert "Prime Minister" in (a2010.why or "")
    # between offices he is a former official, not government
    assert reg.to_actor(e, "Erdogan", date(2000, 1, 1)).sector == "ELI"
    assert a2019.wikidata == "Q39259"


def test_tamim_head_of_state_and_stale_emir(reg: ActorRegistry) -> None:
    tamim = reg.lookup("Tamim")
    assert tamim is not None and tamim.id == "person/tamim-bin-hamad-al-thani"
    a = reg.to_actor(tamim, "Sheikh Tamim", date(2019, 1, 1))
    assert (a.country, a.sector) == ("QAT", "GOV") and "Emir of Qatar" in (a.why or "")
    hamad = reg.lookup("Hamad bin Khalifa Al Thani")
    assert hamad is not None and hamad.id == "person/hamad-bin-khalifa-al-thani"
    assert reg.to_actor(hamad, "Hamad bin Khalifa", date(2019, 1, 1)).sector == "ELI"  # not GOV
    assert reg.to_actor(hamad, "Hamad bin Khalifa", date(2010, 1, 1)).sector == "GOV"
    # the role title resolves to whoever held it on the date
    assert reg.lookup("Emir of Qatar", on=date(2019, 1, 1)).id == tamim.id
    assert reg.lookup("Emir of Qatar", on=date(2010, 1, 1)).id == hamad.id
    # the Phoenix record of the same man (open-ended QATGOV >950627) was folded in, not kept apart
    assert reg.get("person/sheikh-hamad-ibn-khalifah-al-thani") is None
    assert reg.lookup("Sheikh Hamad ibn Khalifah al Thani").id == hamad.id


def test_roles_of_igo_officials_have_no_country(reg: ActorRegistry) -> None:
    g = reg.lookup("Antonio Guterres")
    a = reg.to_actor(g, "Guterres", date(2019, 1, 1))
    assert a.country is None and a.kind == "person"
    assert reg.to_actor(g, "Guterres", date(2000, 1, 1)).country == "PRT"
    assert reg.lookup("UN envoy for Libya", on=date(2018, 6, 1)).id == "person/ghassan-salame"
    assert reg.lookup("UN envoy for Libya", on=date(2023, 6, 1)).id == "person/abdoulaye-bathily"


def test_generated_open_roles_do_not_leak(reg: ActorRegistry) -> None:
    """Phoenix open-ended roles ('>date') are closed at the dictionary's horizon."""
    e = reg.get("person/muftah-muhammad-kaiba")  # [LBYGOV >080303] in Phoenix
    assert e is not None
    assert reg.to_actor(e, "Kaiba", date(2010, 1, 1)).sector == "GOV"
    assert reg.to_actor(e, "Kaiba", date(2020, 1, 1)).sector != "GOV"
    assert reg.role_on(e, None) is None


def test_org_roles_change_sector(reg: ActorRegistry) -> None:
    rsf = reg.lookup("RSF")
    assert reg.to_actor(rsf, "RSF", date(2020, 1, 1)).sector == "PRM"
    assert reg.to_actor(rsf, "RSF", date(2024, 1, 1)).sector == "REB"
    lna = reg.lookup("LNA")
    a = reg.to_actor(lna, "LNA", date(2020, 1, 1))
    assert (a.kind, a.country, a.sector) == ("armed_group", "LBY", "MIL")
    assert reg.lookup("GNA").sector == "GOV" and reg.lookup("HoR").sector == "LEG"


# --------------------------------------------------------------------------- spellings


@pytest.mark.parametrize("name", ["Haftar", "Hafter", "Hifter", "Heftar", "Khalifa Hifter", "Marshal Haftar",
                                  "Field Marshal Khalifa Haftar"])
def test_haftar_spellings_same_id(reg: ActorRegistry, name: str) -> None:
    assert reg.lookup(name).id == "person/khalifa-haftar"
    assert ids(reg, f"On Monday {name} said")[0][1] == "person/khalifa-haftar"


@pytest.mark.parametrize("name", ["Ahmed al-Mesmari", "Ahmad al-Mismari", "Mismari", "Mesmari", "Mismary",
                                  "Ahmed Al Mismari", "Ahmed el-Mesmari", "Ahmed Mesmari"])
def test_mesmari_spellings(reg: ActorRegistry, name: str) -> None:
    assert reg.lookup(name).id == "person/ahmed-al-mesmari"
    assert ids(reg, f"spokesman {name} told reporters")[0][1] == "person/ahmed-al-mesmari"


def test_lookup_fallbacks(reg: ActorRegistry) -> None:
    assert reg.lookup("Khalifa Haftr").id == "person/khalifa-haftar"          # skeleton
    assert reg.lookup("Abdulhamid Dbeibeh").id == "person/abdul-hamid-dbeibah"
    assert reg.lookup("President Erdoğan").id == "person/recep-tayyip-erdogan"  # honorific stripped
    assert reg.lookup("Mohammed bin Zayed al Nahyan").id == "person/mohamed-bin-zayed"
    assert reg.lookup("Fayez Al Sarraj").id == "person/fayez-al-sarraj"
    assert reg.lookup("Gadhafi").id == "person/muammar-gaddafi"
    assert reg.lookup("Libyan Nationl Army").id == "org/lna"                   # fuzzy, multi-word
    assert reg.lookup("xyzzy qwerty") is None
    assert reg.lookup("") is None


def test_a_name_starting_inside_another_name(reg: ActorRegistry) -> None:
    # a longer alias starting inside a name ("Sudan's army" inside "South Sudan's army") does not take it over
    assert ids(reg, "South Sudan's army moved north")[0][:2] == ("South Sudan", "SSD")
    assert ids(reg, "Sudan's army moved north")[0][1] == "org/saf"
    # a determiner is not where a name starts: "the U.N" does not cut "U.N. Security Council"
    assert ids(reg, "the U.N. Security Council met")[0][1] == "igo/unsc"
    # but where the shared words are the earlier name's own entity, the longer alias stands
    assert ids(reg, "Khalifa Haftar's forces advanced")[0][1] == "org/lna"


def test_tolerant_matching(reg: ActorRegistry) -> None:
    assert ids(reg, "Erdoğan and Erdogan")[0][1] == ids(reg, "Erdoğan and Erdogan")[1][1]
    assert [i for _, i, _ in ids(reg, "al-Qa’ida, al-Qa'ida and al Qaida")] == ["org/al-qaeda"] * 3
    assert ids(reg, "Abu Salim Martyrs Brigade")[0][1] == "org/abu-salim-martyrs-brigade"
    assert ids(reg, "Ban Ki-moon spoke")[0][1] == ids(reg, "Ban Ki moon spoke")[0][1]
    assert ids(reg, "Türkiye and Turkiye")[0][1:] == ("TUR", "alias")
    assert ids(reg, "Türkiye and Turkiye")[1][1] == "TUR"
    # punctuation inside names: "U.N. Security Council" is one mention, not "U.N" + "Security Council"
    assert ids(reg, "the U.N. Security Council met") == [("U.N. Security Council", "igo/unsc", "alias")]
    assert reg.lookup("U.N. Security Council").id == reg.lookup("UN Security Council").id == "igo/unsc"


def test_longest_non_overlapping(reg: ActorRegistry) -> None:
    got = ids(reg, "Saddam Haftar and the Libyan National Army (LNA) met Haftar's forces.")
    assert got == [("Saddam Haftar", "person/saddam-haftar", "alias"),
                   ("Libyan National Army", "org/lna", "alias"),
                   ("LNA", "org/lna", "alias"),
                   ("Haftar's forces", "org/lna", "alias")]
    text = "the Turkish army advanced"
    m = reg.find(text)
    assert [(x.text, x.entry.id) for x in m] == [("Turkish army", "org/turkish-armed-forces")]
    assert text[m[0].start:m[0].end] == m[0].text


# --------------------------------------------------------------------------- states


def test_capitals_and_demonyms(reg: ActorRegistry) -> None:
    got = ids(reg, "Ankara and Doha back the Turkish and Qatari plans; Emirati drones hit Tripoli.")
    assert got == [("Ankara", "TUR", "capital"), ("Doha", "QAT", "capital"), ("Turkish", "TUR", "demonym"),
                   ("Qatari", "QAT", "demonym"), ("Emirati", "ARE", "demonym"), ("Tripoli", "LBY", "capital")]
    got = ids(reg, "Turkey, Qatar and the UAE; Abu Dhabi, Cairo, Moscow and Washington")
    assert [g[1] for g in got] == ["TUR", "QAT", "ARE", "ARE", "EGY", "RUS", "USA"]


def test_seats_of_power(reg: ActorRegistry) -> None:
    got = ids(reg, "The Kremlin, the White House, the Pentagon and the Elysee declined to comment.")
    assert [(g[1], g[2]) for g in got] == [("RUS", "capital"), ("USA", "capital"), ("USA", "capital"),
                                           ("FRA", "capital")]
    rus = reg.get("RUS")
    a = reg.to_actor(rus, "The Kremlin", date(2020, 1, 1))
    assert (a.kind, a.country, a.sector) == ("state", "RUS", "GOV")
    assert reg.to_actor(reg.get("USA"), "the Pentagon").sector == "MIL"
    # a plain capital named as an actor stands for the government ("Ankara rejected the offer")
    assert reg.to_actor(reg.get("TUR"), "Ankara").sector == "GOV"
    assert "capital" in (reg.to_actor(reg.get("TUR"), "Ankara").why or "")
    assert reg.to_actor(reg.get("TUR"), "Turkey").sector is None
    assert reg.get("TUR").wikidata == "Q43"


def test_every_iso_state_present(reg: ActorRegistry) -> None:
    pycountry = pytest.importorskip("pycountry")

    missing = [c.alpha_3 for c in pycountry.countries if reg.get(c.alpha_3) is None]
    assert missing == []
    assert reg.get("XKX").name == "Kosovo"


# --------------------------------------------------------------------------- case rules


def test_acronyms_exact_case(reg: ActorRegistry) -> None:
    assert [g[1] for g in ids(reg, "The LNA and the GNA told AA and the UN")] == [
        "org/lna", "org/gna", "media/anadolu", "igo/un"]
    assert ids(reg, "the lna and the gna, aa, un-named sources") == []
    assert ids(reg, "Lna") == []


def test_proper_names_need_capital(reg: ActorRegistry) -> None:
    assert ids(reg, "haftar and erdogan and turkish") == []
    assert ids(reg, "HAFTAR MEETS ERDOGAN")[0][1] == "person/khalifa-haftar"  # headline case


def test_media(reg: ActorRegistry) -> None:
    got = ids(reg, "Sky News Arabia, Al Jazeera, al-Jazeera, Anadolu Agency, Hawar (ANHA), Libya Observer, "
                   "218 TV, Reuters, AFP, the Associated Press, TASS, RIA Novosti and Asharq Al-Awsat "
                   "reported")
    assert [g[1] for g in got] == [
        "media/sky-news-arabia", "media/al-jazeera", "media/al-jazeera", "media/anadolu", "media/hawar",
        "media/hawar", "media/libya-observer", "media/218-tv", "media/reuters", "media/afp", "media/ap",
        "media/tass", "media/ria-novosti", "media/asharq-al-awsat"]
    e = reg.get("media/sky-news-arabia")
    assert (e.kind, e.sector, e.country) == ("media", "JRN", "ARE")


def test_seed_article(reg: ActorRegistry) -> None:
    if not SEED.exists():
        pytest.skip("../shared absent")
    text = SEED.read_text(encoding="utf-8")
    found = {m.entry.id for m in reg.find(text)}
    for want in ("TUR", "QAT", "LBY", "org/lna", "person/ahmed-al-mesmari", "person/khalifa-haftar",
                 "media/sky-news-arabia", "org/al-qaeda", "person/recep-tayyip-erdogan",
                 "person/tamim-bin-hamad-al-thani", "igo/unsc"):
        assert want in found, want


# --------------------------------------------------------------------------- user files


def test_user_csv(reg: ActorRegistry, tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(
        "id,name,kind,country,sector,aliases,role,start,end\n"
        "person/john-doe,John Doe,person,LBY,,J. Doe|Johnny Doe,,,\n"
        "person/john-doe,John Doe,person,LBY,MIL,,commander of the Green Brigade,2019-01-01,2020-12-31\n"
        "org/green-brigade,Green Brigade,armed_group,LBY,PRM,green brigade|GB-7,,,\n", encoding="utf-8")
    mine = reg.with_file(p)
    assert mine is not reg and reg.get("person/john-doe") is None
    assert [g[1] for g in ids(mine, "Johnny Doe of the green brigade and GB-7")] == [
        "person/john-doe", "org/green-brigade", "org/green-brigade"]
    doe = mine.get("person/john-doe")
    assert mine.to_actor(doe, "John Doe", date(2020, 1, 1)).sector == "MIL"
    assert mine.to_actor(doe, "John Doe", date(2022, 1, 1)).sector is None  # role over, no leak
    assert mine.lookup("Haftar").id == "person/khalifa-haftar"  # packaged data still there


def test_user_yaml_overrides(reg: ActorRegistry, tmp_path: Path) -> None:
    p = tmp_path / "mine.yaml"
    p.write_text(
        "source: test\n"
        "entries:\n"
        "  - id: org/lna\n"
        "    name: Libyan Arab Armed Forces\n"
        "    kind: armed_group\n"
        "    country: LBY\n"
        "    sector: REB\n"
        "    aliases: [Karama forces]\n"
        "  - id: person/x-y\n"
        "    name: Xavier Yusuf\n"
        "    kind: person\n"
        "    aliases: [Yusuf]\n"
        "    roles:\n"
        "      - {title: Commander, org: org/lna, country: LBY, sector: MIL, start: 2019-01-01, end: null}\n",
        encoding="utf-8")
    mine = reg.with_file(p)
    lna = mine.get("org/lna")
    assert lna.name == "Libyan Arab Armed Forces" and lna.sector == "REB"
    assert "Libyan National Army" in lna.aliases  # packaged aliases kept
    assert ids(mine, "Karama forces")[0][1] == "org/lna"
    xy = mine.lookup("Yusuf", on=date(2020, 1, 1))
    assert xy.id == "person/x-y" and mine.to_actor(xy, "Yusuf", date(2020, 1, 1)).sector == "MIL"


@pytest.mark.parametrize("content,suffix,needle", [
    ("id,name,kind\norg/a,A,state_actor\n", ".csv", "line 2"),
    ("id,name,kind,country\norg/a,A,organization,LBY\norg/b,B,organization,Libya\n", ".csv", "line 3"),
    ("id,name,colour\norg/a,A,red\n", ".csv", "line 1"),
    ("id,name,kind,role,start\norg/a,A,person,chief,2020-13-45\n", ".csv", "line 2"),
    ("source: x\nentries:\n  - id: a\n    name: A\n  - id: b\n    name: B\n    sector: XYZ\n", ".yaml",
     "line 5"),
    ("source: x\nentries:\n  - id: a\n    name: A\n    roles:\n      - {title: t, start: 2020-02-01, "
     "end: 2019-01-01}\n", ".yaml", "line 6"),
    ("source: x\nentries:\n  - id: a\n    nmae: A\n", ".yaml", "line 3"),
    ("not: [valid\n", ".yaml", "YAML"),
])
def test_bad_user_file(reg: ActorRegistry, tmp_path: Path, content: str, suffix: str, needle: str) -> None:
    p = tmp_path / f"bad{suffix}"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        reg.with_file(p)
    assert str(p) in str(err.value) and needle in str(err.value), str(err.value)


def test_bad_user_file_kind(reg: ActorRegistry, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="want a .yaml"):
        reg.with_file(tmp_path / "x.txt") if (tmp_path / "x.txt").write_text("x") else None
    with pytest.raises(ValueError, match="no such file"):
        reg.with_file(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- agents


@pytest.mark.parametrize("word,sector", [
    ("army", "MIL"), ("troops", "MIL"), ("soldier", "MIL"), ("soldiers", "MIL"), ("rebels", "REB"),
    ("rebel", "REB"), ("gunmen", "UAF"), ("gunman", "UAF"), ("militants", "UAF"), ("police", "COP"),
    ("mercenaries", "UAF"), ("insurgents", "REB"), ("journalists", "JRN"), ("Army", "MIL"),
    ("security forces", "COP"), ("spokesman", None), ("spokeswoman", None), ("table", None), ("", None),
])
def test_agent_sector(word: str, sector: str | None) -> None:
    assert agent_sector(word) == sector


# --------------------------------------------------------------------------- agent phrases


@pytest.mark.parametrize(("name", "country", "sector"), [
    ("an American destroyer", "USA", "MIL"),
    ("a US destroyer", "USA", "MIL"),
    ("two Chinese warplanes", "CHN", "MIL"),
    ("the Kenyan police", "KEN", "COP"),
    ("Iraqi Prime Minister", "IRQ", "GOV"),
    ("Armenian Prime Minister Nikol Pashinyan", "ARM", "GOV"),
    ("Chile's Defense Ministry", "CHL", "GOV"),
    ("Minister of Foreign Affairs of Iraq", "IRQ", "GOV"),
    ("Canadian Ambassador to the United Nations", "CAN", "GOV"),
    ("Kyiv police", "UKR", "COP"),
    ("Kano State government", "NGA", "GOV"),
    ("soldiers", None, "MIL"),
    ("crowd control police", None, "COP"),
    ("retired vice president", None, "ELI"),
    ("a former CIA official", "USA", "ELI"),
    ("Beijing", "CHN", "GOV"),
])
def test_resolve_agent_phrases(reg: ActorRegistry, name: str, country: str | None, sector: str) -> None:
    a = reg.resolve(name)
    assert a is not None, name
    assert (a.country, a.sector) == (country, sector), a.why


@pytest.mark.parametrize("name", ["a cat named Frank", "Frank", "a cat", "xyzzy", ""])
def test_resolve_nothing(reg: ActorRegistry, name: str) -> None:
    assert reg.resolve(name) is None


def test_phrase_rule_parts(reg: ActorRegistry) -> None:
    p = reg.parse_phrase("the two Kenyan police officers")
    assert p is not None and p.owner is not None and p.owner.id == "KEN"
    assert (p.agent, p.sector, p.former) == ("police officers", "COP", False)
    assert reg.parse_phrase("Kenya") is None  # a name alone is not a phrase
    # lookup returns the phrase's owner; a misspelt registered name of the owner's country wins
    assert reg.lookup("the Kenyan police").id == "KEN"
    assert reg.lookup("Libyan Nationl Army").id == "org/lna"
    # ... but not a registered name of another country ("US ambassador to the UN")
    assert reg.lookup("Canadian Ambassador to the United Nations").id == "CAN"
    # one-word acronyms get no transliteration skeleton ("DRC" is not Draghi)
    assert reg.lookup("DRC").id == "COD"


def test_institution_sectors(reg: ActorRegistry) -> None:
    assert reg.resolve("Knesset").sector == "LEG"
    assert reg.resolve("FSB").sector == "SPY"
    abkhazia = reg.resolve("Abkhazia")
    assert (abkhazia.country, abkhazia.sector) == ("GEO", "PRE")
    assert reg.resolve("CSTO").kind == "igo"
    # generated IGOs keep the organisation their CAMEO code sits under
    assert reg.lookup("World Health Organization").affiliation == "igo/un"
    # a titled alias ("Secretary of State Kerry") does not make a person an organisation
    assert reg.lookup("Secretary Kerry").kind == "person"


# --------------------------------------------------------------------------- data integrity


def test_curated_data_is_valid(reg: ActorRegistry) -> None:
    states = {e.id for e in reg if e.kind == "state"}
    seen: dict[str, str] = {}
    for path in sorted(A.DATA_DIR.glob("*.yaml")):
        doc = A._load_yaml(path, track_lines=True)
        assert doc.get("source"), path
        for raw in doc["entries"]:
            A._check_entry(raw, f"{path}: line {raw['__line__']}", states)
            for role in raw.get("roles") or ():
                if role.get("org"):
                    assert reg.get(role["org"]) is not None, (raw["id"], role["org"])
            if raw.get("affiliation"):
                assert reg.get(raw["affiliation"]) is not None, (raw["id"], raw["affiliation"])
            # no alias names two curated entries (that would make find() order-dependent)
            for alias, _how, _sec in ActorRegistry._raw_aliases(raw):
                key = A.norm_key(alias)
                assert seen.setdefault(key, raw["id"]) == raw["id"], (alias, seen[key], raw["id"])


def test_generated_forms_match_runtime() -> None:
    """The precomputed forms in the generated JSON equal what khaldun.actors computes now."""
    for name in A.GENERATED_FILES:
        doc = json.loads((A.DATA_DIR / name).read_text(encoding="utf-8"))
        assert doc["source"] and doc["columns"] == list(A.GENERATED_COLUMNS)
        rows = doc["rows"]
        want = set(doc["forms"].split("\n"))
        sample = rows[:: max(1, len(rows) // 300)]
        for row in sample:
            idx = rows.index(row)
            names = [(row[1], "alias", None)] + [(a, "alias", None) for a in row[6] or ()]
            got = A.forms_tsv([(idx, names)]).split("\n")
            for line in got:
                key, flags, ctoks, i, _how, sector = line.split("\t")
                assert any(w.startswith(f"{key}\t{flags}\t{ctoks}\t{i}\t") for w in want), (name, line)


# --------------------------------------------------------------------------- speed


def test_find_speed_one_megabyte(reg: ActorRegistry) -> None:
    base = SEED.read_text(encoding="utf-8") if SEED.exists() else (
        "Turkish drones struck positions of the Libyan National Army near Tripoli on Tuesday, "
        "LNA spokesman Ahmed al-Mesmari said, accusing Qatar and Ankara of backing militias. ")
    text = (base + "\n") * (1_000_000 // (len(base) + 1) + 1)
    reg.find("warm up")
    t0 = time.perf_counter()
    matches = reg.find(text)
    dt = time.perf_counter() - t0
    words = len(text.split())
    print(f"\nfind(): {len(text) / 1e6:.2f} MB, {words} words, {len(matches)} matches in {dt:.2f}s "
          f"= {words / dt:,.0f} words/s")
    assert matches


# --------------------------------------------------------------------------- build script


def _build_module():
    spec = importlib.util.spec_from_file_location("build_actors", ROOT / "scripts" / "build_actors.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_actors"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_build_parsers() -> None:
    b = _build_module()
    assert b.parse_date("690908") == date(1969, 9, 8)
    assert b.parse_date("140608") == date(2014, 6, 8)
    assert b.parse_date("19690901") == date(1969, 9, 1)
    assert b.phrase_to_name("MUAMMAR_AL_QADDAFI_") == "Muammar al Qaddafi"
    assert b.phrase_to_name("BAN_KI-MOON") == "Ban Ki-Moon"
    assert b.phrase_to_name("UN_") == "UN"
    assert b.split_code("TURGOVMIL", {"TUR"}) == ("TUR", "GOV", "TUR")
    assert b.split_code("IGOUNOHLHWHO", {"TUR"})[:2] == (None, "MED")  # CAMEO HLH = health = PLOVER MED
    blk = b.Block(["X_"], 1)
    b.parse_codes("\t[TURGOV > 140608] [TURELI]", blk)
    assert blk.dated == [("TURGOV", date(2014, 6, 8), None)] and blk.default == "TURELI"


def test_build_agents_not_drifted() -> None:
    if not REFDATA.exists():
        pytest.skip("../shared/refdata absent")
    b = _build_module()
    table, _counts = b.load_agents(REFDATA)
    committed = json.loads((A.DATA_DIR / A.AGENTS_FILE).read_text(encoding="utf-8"))["agents"]
    assert table == committed


def test_to_actor_remembers_all_but_the_offsets(reg: ActorRegistry) -> None:
    """to_actor's answers for an entry's words on a date are remembered: a second mention gets its own offsets,
    another date its own role, an agent phrase its own sector."""
    e = reg.lookup("Erdogan")
    assert e is not None
    a = reg.to_actor(e, "Erdogan", date(2019, 5, 1), start=3, end=10)
    b = reg.to_actor(e, "Erdogan", date(2019, 5, 1), start=40, end=47)
    assert (a.start, a.end, b.start, b.end) == (3, 10, 40, 47)
    assert a is not b and a.model_dump(exclude={"start", "end"}) == b.model_dump(exclude={"start", "end"})
    assert a.model_fields_set == b.model_fields_set
    assert "Prime Minister" in (reg.to_actor(e, "Erdogan", date(2010, 1, 1)).why or "")
    ken = reg.lookup("Kenya")
    assert ken is not None
    p1 = reg.to_actor(ken, "the Kenyan police", date(2019, 5, 1), start=0, end=17)
    p2 = reg.to_actor(ken, "the Kenyan police", date(2019, 5, 1), start=20, end=37)
    assert (p1.sector, p2.sector, p1.start, p2.start) == ("COP", "COP", 0, 20)
