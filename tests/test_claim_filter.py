"""The claim filter, document-level speakers and dates of statements, on sentences written for these tests."""

from __future__ import annotations

import pytest

from khaldun.claim_filter import PageContext


@pytest.fixture(scope="module")
def pipe():  # type: ignore[no-untyped-def]
    from khaldun.pipeline import default_pipeline

    return default_pipeline()


def _kept(doc):  # type: ignore[no-untyped-def]
    return [(c.event.type, c.event.trigger) for c in doc.claims]


def _dropped(doc):  # type: ignore[no-untyped-def]
    return {d.trigger: (d.stage, d.reason) for d in doc.dropped}


def test_page_lines() -> None:
    body = ("Read more: Borduria closes its airspace\n\nA militia convoy near the border [Twitter]\n\n"
            "Heavy fighting\n\nThe army shelled the town on Monday, killing four people.")
    page = PageContext(body, title=None)
    assert page.furniture(body.index("closes")).startswith("furniture: a link")
    assert page.furniture(body.index("convoy")).startswith("furniture: a photo caption")
    assert page.furniture(body.index("fighting")).startswith("furniture: a subheading")
    assert page.furniture(body.index("shelled")) is None


def test_furniture_and_reporter_notes_are_dropped_with_reasons(pipe) -> None:  # type: ignore[no-untyped-def]
    text = ("Ruritanian jets bombed a rebel depot near the river port on Monday, the army said.\n\n"
            "RELATED: Borduria accuses Ruritania of shelling its border posts\n\n"
            "The rebel command did not respond to a request for comment.\n\n"
            "Supplying weapons to the rebels would breach the embargo.\n\n"
            "The resolution allows the government to import rifles.")
    doc = pipe.analyze(text, published="2024-03-14")
    assert ("ASSAULT", "bombed") in _kept(doc)
    assert len(doc.claims) == 1
    stages = {d.stage for d in doc.dropped}
    assert {"furniture", "reporting_act", "modality"} <= stages
    assert all(d.reason and d.evidence.text in doc.text for d in doc.dropped)


def test_conditional_statement_is_no_claim_but_a_conditional_threat_is(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("If the militia takes the port, the next step is that it deploys heavy artillery on the coast.")
    assert not [c for c in doc.claims if c.event.type == "MOBILIZE"]
    doc = pipe.analyze("The rebel commander threatened to attack the port if the talks failed.")
    assert [c for c in doc.claims if c.event.type == "THREATEN"]


def test_a_danger_described_is_no_threat(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The mines pose a serious threat to fishing boats in the bay.")
    assert not [c for c in doc.claims if c.event.type == "THREATEN"]
    assert any(d.stage == "assessment" for d in doc.dropped)


def test_publishing_details_drops_only_the_publishing(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The army released details of the raid on the smugglers' camp.")
    kept = _kept(doc)
    assert ("ASSAULT", "raid") in kept and not any(t == "released" for _, t in kept)


def test_repeated_headline_joins_the_body_claim(pipe) -> None:  # type: ignore[no-untyped-def]
    title = "Borduria sends drones to Ruritanian rebels"
    text = f"Middle East desk\n\n{title}\n\nBorduria sent twelve armed drones to the rebels last week, two officials said."
    doc = pipe.analyze(text, title=title, published="2024-03-14")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert len(aid) == 1
    assert aid[0].evidence.text.startswith("Borduria sent") and aid[0].evidence.more
    assert aid[0].evidence.more[0].text == title


def test_claim_and_quote_share_one_speaker(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Borduria says Ruritania arms the militia. The kingdom denied the accusation on Sunday.\n\n"
                       "The drones hit a fuel depot, a military source told the Daily Planet.")
    deny = [c for c in doc.claims if c.event.type == "REJECT"]
    assert deny and deny[0].attribution.speaker is not None and deny[0].attribution.speaker.text == "kingdom"
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and hit[0].attribution.speaker is not None
    assert hit[0].attribution.speaker.text == "military source" and hit[0].attribution.speaker.id is None
    q = next(q for q in doc.quotes if q.content.start <= hit[0].event.trigger_start < q.content.end)
    assert q.speaker is not None and q.speaker.text == hit[0].attribution.speaker.text


def test_an_outlet_citing_sources_relays_them(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Borduria has sent rifles to the rebels, Reuters reported, citing two rebel commanders.")
    c = next(c for c in doc.claims if c.event.type == "AID")
    assert c.attribution.speaker is not None and "rebel commanders" in c.attribution.speaker.text
    assert [v.name for v in c.attribution.via][:1] == ["Reuters"]


def test_a_statement_speaks_for_its_author_and_evidence_for_no_one(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The Ruritanian navy said in a statement on Friday that it had intercepted a dhow.\n\n"
                       "Rebels also fired two missiles at a tanker, the statement added.\n\n"
                       "Satellite imagery shows the militia moved tanks to the border.")
    fired = next(c for c in doc.claims if c.event.trigger == "fired")
    assert fired.attribution.speaker is not None and "navy" in fired.attribution.speaker.text.lower()
    moved = [c for c in doc.claims if c.event.trigger == "moved"]
    assert all(c.attribution.speaker is None for c in moved)


def test_dates_of_statement_and_act(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Ruritanian drones struck a militia camp on Monday, the defence ministry said Tuesday evening.",
                       published="2024-03-14")
    c = next(c for c in doc.claims if c.event.type == "ASSAULT")
    assert c.when.date == "2024-03-11"
    assert c.attribution.stated is not None and c.attribution.stated.date == "2024-03-12"
    doc = pipe.analyze("The militia has shelled the port since November 2023.", published="2024-03-14")
    c = next(c for c in doc.claims if c.event.type == "ASSAULT")
    assert c.when.date is None


def test_undated_document_says_so_and_its_embargo_check_never_uses_today(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Turkey shipped armoured vehicles to the Government of National Accord in Tripoli.")
    assert any(w.startswith("date unknown") for w in doc.warnings)
    reasons = [f.reason for c in doc.claims for f in c.embargo]
    assert reasons and all("date unknown" in r for r in reasons)
    dated = pipe.analyze("Turkey shipped armoured vehicles to the Government of National Accord in Tripoli.",
                         published="2020-01-10")
    assert not dated.warnings


def test_allegations_lower_certainty(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Investigators pointed to credible allegations that Borduria shipped armoured vehicles to "
                       "the militia.")
    c = next(c for c in doc.claims if c.event.trigger == "shipped")
    assert c.factuality.certainty == "probable"
    doc = pipe.analyze("Ruritania reportedly sent drones to the militia.")
    assert next(c for c in doc.claims if c.event.type == "AID").factuality.certainty == "possible"


def test_a_name_and_its_acronym_are_one_speaker_and_an_agentless_retelling_merges(pipe) -> None:  # type: ignore[no-untyped-def]
    from khaldun.models import Actor
    from khaldun.stages.common import same_speaker

    assert same_speaker(Actor(text="Ruritanian Centre for Civil Rights"), Actor(text="RCCR"))
    assert not same_speaker(Actor(text="Ruritanian Centre for Civil Rights"), Actor(text="UN"))
    doc = pipe.analyze("Bordurian jets bombed a fuel depot near the river port on Monday, killing four guards, the "
                       "Ruritanian Centre for Civil Rights said.\n\nFour guards were killed in the bombing, the "
                       "RCCR added.")
    assaults = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert len(assaults) == 1 and assaults[0].evidence.more


def test_a_speech_act_told_by_another_source_is_that_source_s_claim(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The ship's captain, Omar Haddad, revealed that Karim Salem had threatened to sink the "
                       "vessel if the crew refused.")
    c = next(c for c in doc.claims if c.event.type == "THREATEN")
    assert c.attribution.speaker is not None and c.attribution.speaker.text == "Omar Haddad"


def test_a_text_is_no_agent_and_a_bare_infinitive_no_assertion(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The talks produced guarantees that would let the sanctions be lifted.")
    assert not [c for c in doc.claims if c.event.trigger == "lifted"]
    assert any("bare infinitive" in d.reason for d in doc.dropped)
    # a text may ask for something: that is a claim
    doc = pipe.analyze("The report calls on Ruritania to stop arming the militia.")
    assert [c for c in doc.claims if c.event.type == "REQUEST"]


def test_a_text_or_an_event_is_no_agent(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The incident provided the militia with a pretext to shell the town.")
    assert not [c for c in doc.claims if c.event.type == "AID"]
    assert any(d.stage == "no_agent" for d in doc.dropped)


def test_an_act_and_its_purpose_are_one_claim(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Borduria has provided the militias it backs with new rifles to help them hold the river "
                       "crossings, two officials said.")
    aid = [c for c in doc.claims if c.event.type in ("AID", "SUPPORT")]
    assert len(aid) == 1 and aid[0].event.trigger == "provided"


def test_an_outlet_named_with_its_country_is_the_outlet(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Turkey sent drones to the militia, US news agency Bloomberg reported.")
    sp = next(c for c in doc.claims if c.event.type == "AID").attribution.speaker
    assert sp is not None and sp.kind == "media" and "Bloomberg" in sp.text
    # an intelligence agency is no outlet
    doc = pipe.analyze("Ruritania's National Security Agency said the militia had received rifles from Borduria.")
    c = next(c for c in doc.claims if c.event.type == "AID")
    assert c.attribution.speaker is None or c.attribution.speaker.kind != "media"


def test_the_ministry_points_back_and_two_acts_stay_two(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The Bordurian defence ministry said on Monday its forces shelled rebel positions.\n\n"
                       "The ministry added that its jets had bombed an arms depot.")
    hits = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert len(hits) == 2
    assert all(c.attribution.speaker is not None and c.attribution.speaker.text == "Bordurian defence ministry"
               for c in hits)
    assert all(q.speaker is not None and q.speaker.text == "Bordurian defence ministry" for q in doc.quotes)


def test_a_legal_instrument_supplies_nothing_but_may_ban(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The embargo has been ineffective, allowing arms to reach the rebels.")
    assert not [c for c in doc.claims if c.actors and c.actors[0].text.lower().endswith("embargo")]
    assert any(d.stage == "no_agent" for d in doc.dropped)


def test_conditional_announcements_stay_and_refusals_are_no_reporter_notes(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Ruritania will not send more troops to the border if the talks resume, the minister said.")
    assert [c for c in doc.claims if c.event.type == "REJECT"]
    from khaldun.claim_filter import _compiled

    pats = _compiled()["no_comment"]
    assert any(p.search("The ministry did not immediately respond to a request for comment.") for p in pats)
    assert not any(p.search("The governor refused to answer an ultimatum from the rebels.") for p in pats)


def test_long_running_lines_are_no_furniture_and_conditional_threats_stay(pipe) -> None:  # type: ignore[no-untyped-def]
    body = ("Watch: " + " ".join(["The convoy moved slowly along the coast road for many hours."] * 6))
    page = PageContext(body, title=None)
    assert page.furniture(body.index("convoy")) is None
    doc = pipe.analyze("Unless the ransom is paid, the gang will start executing the hostages, its leader said.")
    assert [c for c in doc.claims if c.event.type in ("ASSAULT", "THREATEN")]


def test_a_press_release_is_a_medium_but_a_prisoner_release_an_act(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze('"We will hold the bridge," the commander said in a press release.')
    assert not [c for c in doc.claims if c.event.trigger == "release"]
    doc = pipe.analyze("The army announced the release of forty prisoners.")
    assert [c for c in doc.claims if c.event.trigger == "release"]


def test_an_event_in_an_adjunct_of_cause_or_time_is_outside_the_modal(pipe) -> None:  # type: ignore[no-untyped-def]
    # the advice is what 'should'/'would' qualifies; the raids it gives as its reason happened
    doc = pipe.analyze("Farmers in the valley should keep their herds inside because of the militia's raids "
                       "on the grazing land.")
    assert ("ASSAULT", "raids") in _kept(doc)
    doc = pipe.analyze("Shops in the old market would stay shut for a week after rebels shelled the bus station.")
    assert ("ASSAULT", "shelled") in _kept(doc)
    # the act the modal governs is still no assertion in the outlet's own voice
    doc = pipe.analyze("The air force should bomb the rebel depots near the river.")
    assert not [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert _dropped(doc)["bomb"][0] == "modality"


@pytest.mark.parametrize("clause", [
    "The ministry did not immediately respond to a request for comment .",
    "The governor refused to answer an ultimatum from the rebels .",
    "A spokesman could not be reached",
    "Officials gave no further details about the convoy",
    "The army declined to comment on the raid",
    "The council remained silent",
    "Neither side gave details of the exchange",
    "The envoy said the talks would resume on Monday",
    "",
])
def test_the_merged_no_comment_pattern_agrees_with_its_patterns(clause: str) -> None:
    from khaldun.claim_filter import _compiled

    merged = _compiled()["no_comment_any"][0]
    assert bool(merged.search(clause)) == any(p.search(clause) for p in _compiled()["no_comment"])


@pytest.mark.parametrize("clause", [
    "THE MINISTRY DECLINED TO RESPOND TO EMAILED QUESTIONS",
    "The Army Declined To Comment on the raid",
    "The council remained silent",
    "The envoy said the talks would resume on Monday",
    "The ministry didn\u2019t respond to questions",
    "Der Sprecher declined to comment \u00fcber den Angriff",
    "The KELVIN \u212a unit could not be reached",
])
def test_the_lower_case_no_comment_test_agrees_with_the_patterns(clause: str) -> None:
    from khaldun.claim_filter import _compiled, _says_no_comment

    assert _compiled()["no_comment_lower"]  # the patterns hold no upper-case letter: the fast test is used
    assert _says_no_comment(clause) == any(p.search(clause) for p in _compiled()["no_comment"])


def test_furniture_is_read_once_per_line() -> None:
    body = "Photo: the convoy at the border\n\nThe convoy crossed the border on Monday, officials said."
    page = PageContext(body, title=None)
    first = page.furniture(body.index("convoy"))
    assert first is not None and first.startswith("furniture")
    assert page.furniture(body.index("border")) == first  # the same line, the cached answer
    assert page.furniture(body.index("crossed")) is None


@pytest.mark.parametrize("text", ["The Convoy CROSSED at 3 a.m.", "Die \u00c4rzte in \u0130zmir sagten", "snake_case and-dash", ""])
def test_the_words_of_a_line_are_its_lower_cased_words(text: str) -> None:
    from khaldun.claim_filter import WORD, _words

    assert _words(text) == [w.lower() for w in WORD.findall(text)]


@pytest.mark.parametrize("line", [
    "Read more: the convoy at the border", "RELATEDNews of the week", "Related stories", "Related news of the day",
    "Photo: the convoy at the border", "Fighters near the port / AFP", "The port at dawn (file photo)",
    "Images courtesy of the ministry", "By Jane Writer", "3 hours ago", "The convoy crossed the border.",
    "Readers wrote to the paper", "by the river the fighters waited", "",
])
def test_each_merged_furniture_pattern_agrees_with_its_patterns(line: str) -> None:
    from khaldun.claim_filter import _compiled

    pats = _compiled()
    for kind in ("link", "caption", "byline"):
        assert bool(pats[f"{kind}_any"][0].search(line)) == any(p.search(line) for p in pats[kind]), (kind, line)
