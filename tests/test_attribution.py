"""Tests of the attribution stage: quote spans, speech frames as quotes (source, cue, content), and how
frames reach the claims (who says so). Sentences are made up for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import khaldun
from khaldun.attribution import quote_spans
from khaldun.models import Document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def quotes(text: str) -> list[tuple[str | None, str | None, str, str]]:
    """(source, cue, content, kind) of every quote of `text`."""
    doc = khaldun.analyze(text, published="2020-01-01")
    return [(doc.text[q.speaker_span.start:q.speaker_span.end] if q.speaker_span else None,
             q.cue.text if q.cue else None, q.content.text, q.quote) for q in doc.quotes]


def claims(text: str) -> Document:
    return khaldun.analyze(text, published="2020-01-01")


def test_quote_spans_marks_and_scare_quotes() -> None:
    text = "''We will win this vote,'' he said, calling it a \"fair fight\" and “a test of our resolve today”."
    got = [text[s:e] for s, e in quote_spans(text)]
    assert got == ["We will win this vote,", "a test of our resolve today"]  # "fair fight" is a scare quote
    text = 'He said: "We will not stop until the end'
    assert [text[s:e] for s, e in quote_spans(text)] == ["We will not stop until the end"]  # runs to the end


def test_indirect_speech_with_auxiliaries_and_time_in_the_cue() -> None:
    got = quotes("The foreign minister has also said on Tuesday that the talks will resume next week.")
    assert got == [("The foreign minister", "has also said", "that the talks will resume next week", "indirect")]


def test_interrupted_quote_is_one_content() -> None:
    text = ('“We have done our part and we will keep doing it,” the spokeswoman said. '
            '“The next step is theirs to take.”')
    (src, cue, content, kind), = quotes(text)
    assert (src, cue, kind) == ("the spokeswoman", "said", "direct")
    assert content.startswith("We have done our part") and content.endswith("The next step is theirs to take")


def test_quote_in_a_sentence_of_its_own_before_the_cue() -> None:
    got = quotes("“Who would have thought we could win all four districts?” the mayor said, smiling.")
    assert got == [("the mayor", "said", "Who would have thought we could win all four districts?", "direct")]


def test_participle_and_relative_clause_sources() -> None:
    got = quotes("The governor, who called the plan a disaster, vetoed it on Monday, adding that the state "
                 "could not afford it.")
    assert ("who", "called", "the plan a disaster", "indirect") in got
    assert ("The governor", "adding", "that the state could not afford it", "indirect") in got


def test_according_to_and_colon_layouts() -> None:
    got = quotes("According to the election commission, turnout reached 61 percent.")
    assert got == [("the election commission", "According to", "turnout reached 61 percent", "indirect")]
    text = "The senator said:\n\n“We will not accept this budget as it stands.”\n\nMORRIS: I think we can."
    got = quotes(text)
    assert ("The senator", "said", "We will not accept this budget as it stands", "direct") in got
    assert ("MORRIS", ":", "I think we can", "indirect") in got
    assert [g for g in got if g[1] == "think"] == []  # "I think" is inside MORRIS's words, not a quote of its own


def test_signed_quote_with_a_dash() -> None:
    got = quotes("“The most unqualified candidate I have ever seen.” ― Maria Lopez")
    assert got == [("Maria Lopez", "―", "The most unqualified candidate I have ever seen", "direct")]


def test_negated_cue_is_listed() -> None:
    # keeping silent on something is still reported about a source
    got = quotes("The ministry did not say whether the convoy had left.")
    assert got == [("The ministry", "did not say", "whether the convoy had left", "indirect")]


def test_conditional_and_first_person_listed_generic_you_and_quoted_not() -> None:
    # a conditional or first-person cue is still an attribution the outlet reports (an op-ed's "I think")
    assert quotes("If he thinks that the deal is fair, he should sign it.") == [
        ("he", "thinks", "that the deal is fair", "indirect")]
    assert quotes("We know that the border is closed.") == [("We", "know", "that the border is closed", "indirect")]
    # the generic "you" is nobody's view
    assert quotes("You think the deal is fair, but it is not.") == []
    got = quotes("“I know that they want a war,” the envoy said.")
    assert [g[1] for g in got] == ["said"]  # "know" and "want" inside the quote are the envoy's words


def test_chain_of_cue_words_is_one_cue() -> None:
    got = quotes("The minister went on to explain that the deal would be signed next month.")
    assert got == [("The minister", "went on to explain", "that the deal would be signed next month", "indirect")]
    got = quotes("The army refused to say whether troops had crossed the border.")
    assert got == [("The army", "refused to say", "whether troops had crossed the border", "indirect")]
    got = quotes("He was able to tout his record on jobs.")
    assert got == [("He", "was able to tout", "his record on jobs", "indirect")]
    # "comment on": the preposition is read as a word, not as YAML's boolean
    got = quotes("The army refused to comment on the report.")
    assert got == [("The army", "refused to comment on", "the report", "indirect")]


def test_cue_takes_in_medium_and_time() -> None:
    got = quotes("The general said in an interview that the offensive would resume.")
    assert got == [("The general", "said in an interview", "that the offensive would resume", "indirect")]
    got = quotes("The spokesman said Friday morning that two soldiers were wounded.")
    assert [g[1] for g in got] == ["said Friday morning"]
    # a rally is where it was said, not part of the cue
    got = quotes("The candidate said during a rally that taxes would fall.")
    assert [g[1] for g in got] == ["said"]


def test_stance_object_and_predicate() -> None:
    got = quotes("The ministry offered no proof that the strike had hit an arms depot.")
    assert got == [("The ministry", "offered no proof", "that the strike had hit an arms depot", "indirect")]
    assert quotes("The governor is critical of the new budget.") == [
        ("The governor", "is critical of", "the new budget", "indirect")]
    assert quotes("The rebels were willing to negotiate with the government.") == [
        ("The rebels", "were willing", "to negotiate with the government", "indirect")]
    assert quotes("The senator is a staunch opponent of the treaty.") == [
        ("The senator", "is a staunch opponent of", "the treaty", "indirect")]
    # a place or a time on the verb is not what a stance is about
    assert [g for g in quotes("She made the pledge at a conference in Geneva.") if g[1].startswith("made")] == []


def test_stance_nouns_with_and_without_a_source() -> None:
    assert quotes("The president's disdain for the press is well known.") == [
        ("The president", "disdain for", "the press", "indirect")]
    assert quotes("Growing concerns that the ceasefire will collapse have unsettled markets.") == [
        (None, "Growing concerns", "that the ceasefire will collapse", "indirect")]
    # a noun of intent with no source and no that-clause is not an attribution
    assert quotes("The attempt to reach the port failed.") == []


def test_addressee_in_the_cue_and_document_sources() -> None:
    assert quotes("The prosecutor accused him of lying to investigators.") == [
        ("The prosecutor", "accused him of", "lying to investigators", "indirect")]
    assert quotes("A tweet attacking the mayor drew wide criticism.") == [
        ("A tweet", "attacking", "the mayor", "indirect")]
    got = quotes("Rebels blamed the government, which has strongly denied any involvement in the attack.")
    assert ("which", "has strongly denied", "any involvement in the attack", "indirect") in got


def test_stance_frames_leave_claims_in_the_outlet_voice() -> None:
    doc = claims("The ministry raised concerns about the shelling of Aleppo by government forces.")
    assert any(q.cue and q.cue.text == "raised concerns about" for q in doc.quotes)
    assert doc.claims and all(c.attribution.speaker is None for c in doc.claims)


def test_nested_attitude_keeps_the_outer_speaker_for_claims() -> None:
    doc = claims("Libyan National Army spokesman Ahmed al-Mismari said that Turkey plans to send air defence "
                 "systems to the militias in Tripoli.")
    aid = [c for c in doc.claims if c.event.type in ("AID", "AGREE")]
    assert aid, [(c.event.type, c.event.trigger) for c in doc.claims]
    assert aid[0].attribution.speaker is not None and "Mismari" in aid[0].attribution.speaker.text
    assert aid[0].factuality.tense == "future"
    cues = {q.cue.text for q in doc.quotes if q.cue}
    assert "said" in cues


def test_attitude_frame_alone_is_the_outlet_voice_for_claims() -> None:
    doc = claims("Turkey agreed to send armoured vehicles to the government in Tripoli.")
    assert doc.claims
    assert all(c.attribution.speaker is None for c in doc.claims)
    assert any(q.cue and q.cue.text == "agreed" for q in doc.quotes)  # still listed as an attribution


def test_split_name_subject_is_one_speaker() -> None:
    doc = claims('"I believe Turkey will ship the air defence systems by sea," al-Mismari added.')
    q = [q for q in doc.quotes if q.cue and q.cue.text == "added"]
    assert q and doc.text[q[0].speaker_span.start:q[0].speaker_span.end] == "al-Mismari"


@pytest.mark.skipif(not (SHARED / "eval" / "polnear").is_dir(), reason="../shared/eval/polnear is absent")
def test_polnear_dev_sample() -> None:
    from khaldun.evaluation import run_suite

    report = run_suite("polnear", SHARED, limit=6)
    m = report["metrics"]
    assert m["analyzer_errors"] == 0
    assert m["source_partial_f1"] > 0.5 and m["cue_partial_f1"] > 0.5 and m["content_partial_f1"] > 0.45


def test_agentless_passive_is_a_quote_without_source() -> None:
    got = quotes("The colonel was accused of selling weapons to the militia.")
    assert got == [(None, "was accused of", "The colonel was accused of selling weapons to the militia", "indirect")]
    # perception is not attribution: nobody is reported as saying or thinking anything
    assert quotes("Gunshots were heard near the base.") == []
    # with its agent the passive is an ordinary frame: the agent is the source
    got = quotes("The ceasefire was criticized by the opposition.")
    assert [g[:2] for g in got] == [("the opposition", "was criticized")]


def test_prepositional_content_of_response_and_agreement_verbs() -> None:
    got = quotes("The ministry did not immediately respond to requests for comment.")
    assert got == [("The ministry", "did not immediately respond to", "requests for comment", "indirect")]
    got = quotes("The general apologized for the remarks.")
    assert got == [("The general", "apologized for", "the remarks", "indirect")]


def test_as_clause_and_put_it_take_the_governing_clause() -> None:
    got = quotes("As several analysts have pointed out, the border crossing remains closed.")
    assert got == [("several analysts", "have pointed out", "the border crossing remains closed", "indirect")]
    got = quotes("The truce is over, as one diplomat put it.")
    assert got == [("one diplomat", "put it", "The truce is over", "indirect")]


def test_signed_quotes_one_a_line_in_one_paragraph() -> None:
    text = ("“The shelling went on all night and nobody came to help us” ― Amina Haddad\n"
            "“We have no water and no power in the camp” ― Omar Saleh\n\nThe aid agency did not comment.")
    got = [(g[0], g[2]) for g in quotes(text) if g[1] == "―"]
    assert got == [("Amina Haddad", "The shelling went on all night and nobody came to help us"),
                   ("Omar Saleh", "We have no water and no power in the camp")]


def test_document_issued_with_a_participle_is_the_issuers_cue() -> None:
    # any document noun, not only statements: the issuer speaks, and the cue runs from the verb of issuing
    got = quotes("The ministry filed legal papers opposing the merger.")
    assert got == [("The ministry", "filed legal papers opposing", "the merger", "indirect")]


def test_maintain_reports_a_clause_not_an_object() -> None:
    got = quotes("The minister maintained that the talks would resume.")
    assert got == [("The minister", "maintained", "that the talks would resume", "indirect")]
    # "maintains a program": keeping something up, nothing said
    assert all(g[1] != "maintains" for g in quotes("The foundation maintains a program for young leaders."))


def test_headline_name_or_poll_before_a_colon_is_the_source() -> None:
    got = quotes("Erdogan: Turkish Troops Will Stay in Syria.\n\nThe talks went on.")
    assert got == [("Erdogan", ":", "Turkish Troops Will Stay in Syria", "indirect")]
    got = quotes("Poll: Rebels Gain Support Ahead of Talks.\n\nThe talks went on.")
    assert [g[:2] for g in got] == [("Poll", ":")]


def test_report_noun_with_that_clause() -> None:
    got = quotes("A Reuters report that troops had crossed the border angered the ministry.")
    assert ("Reuters", "report", "that troops had crossed the border", "indirect") in got
    assert quotes("Reports that the rebels had fled spread quickly.") == [
        (None, "Reports", "that the rebels had fled", "indirect")]


def test_according_to_opening_the_sentence() -> None:
    got = quotes("According to the county sheriff, the bridge will stay closed until spring.")
    assert ("the county sheriff", "According to", "the bridge will stay closed until spring", "indirect") in got


def test_cue_after_a_quote_with_a_quoted_say_inside() -> None:
    text = "“If they came to me and said, ‘We are the only ones,’ I would say, ‘That is absurd,’” the mayor added."
    got = quotes(text)
    assert [(src, cue) for src, cue, _, _ in got] == [("the mayor", "added")]


def test_gerund_after_a_preposition_takes_the_governing_subject() -> None:
    got = quotes("The senator refuses to discuss the budget, aside from saying he wants a balanced plan.")
    assert any(cue == "saying" and src == "The senator" for src, cue, _, _ in got)


def test_document_noun_with_a_participle_speaks() -> None:
    got = quotes("The mayor is describing as “reckless” a council tweet attacking the police chief.")
    assert ("a council tweet", "attacking", "the police chief", "indirect") in got


def test_setting_of_a_speech_is_not_its_content() -> None:
    # a participle of speaking and a verb of appearing take no stray quote from the main clause, and a
    # preposition before the verb is no topic
    got = quotes("Speaking at a rally in Ohio, the governor says he is making “a final offer” to the union.")
    assert [(src, cue) for src, cue, _, _ in got] == [("the governor", "says")]
    got = quotes("On Thursday, the governor spoke to a group of farmers, promising to lower fuel taxes.")
    assert [(src, cue) for src, cue, _, _ in got] == [("the governor", "promising")]
    got = quotes("The doctor appeared on a morning show, where the host called his diet “a real miracle cure” twice.")
    assert all(cue != "appeared on" for _, cue, _, _ in got)


def test_survey_a_noun_is_read_in_is_its_source() -> None:
    got = quotes("The senator’s recent gains in several polls may not last through the winter.")
    assert got == [("several polls", "in", "The senator’s recent gains", "indirect")]


def test_outlet_the_registry_does_not_know_is_typed_as_media() -> None:
    """A name the registry lacks, introduced as a news outlet ("the news agency X", "the X newspaper"),
    is a media speaker and a link of the chain; an agency that is not a news agency is not."""
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    (c,) = pipe.analyze("The Albanian news agency ATA reported that Serbian troops shelled the village.").claims
    assert c.attribution.speaker is not None and c.attribution.speaker.kind == "media"
    assert "news outlet" in (c.attribution.speaker.why or "")
    (c,) = pipe.analyze("Turkey sent drones to Tripoli, the Al-Marsad newspaper reported.").claims
    assert [(v.name, v.kind) for v in c.attribution.via] == [("Al-Marsad", "outlet")]
    (c,) = pipe.analyze("The Central Intelligence Agency said Russia had sent fighters to Libya.").claims
    assert c.attribution.speaker is not None and c.attribution.speaker.kind != "media"


def test_sentence_adverbial_hung_on_a_noun_is_not_part_of_the_actor() -> None:
    """The parser sometimes attaches an opening "On 9 May," or "In Tripoli," to the subject noun: the
    actor's words are the noun phrase alone."""
    from khaldun.pipeline import default_pipeline

    text = "On 14 March 2021, striking dock workers protested in Martyrs Square of Tripoli, demanding unpaid wages."
    claims = default_pipeline().analyze(text).claims
    assert claims and all(a.text == "striking dock workers" for c in claims for a in c.actors), \
        [a.text for c in claims for a in c.actors]


def test_publishing_a_text_is_an_attribution() -> None:
    # a text or recording its publisher speaks through; not a release of people or troops
    got = quotes("The senator released a report on the city budget.")
    assert ("The senator", "released a report on", "the city budget", "indirect") in got
    got = quotes("The council sent a letter to the governor opposing the new tax.")
    assert [(s, c) for s, c, _, _ in got] == [("The council", "sent a letter to the governor opposing")]
    assert quotes("The rebels released the hostages on Friday.") == []
    assert quotes("The ministry sent troops to the border.") == []


def test_a_text_that_says_speaks_for_its_publisher() -> None:
    got = quotes("The mayor released a memo last week that says the budget is balanced.")
    assert got == [("The mayor", "released a memo last week that says", "the budget is balanced", "indirect")]


def test_what_a_speaker_casts_the_object_as_is_the_content() -> None:
    got = quotes("The governor described the plan as a dangerous gamble.")
    assert got == [("The governor", "described", "a dangerous gamble", "indirect")]


def test_purpose_infinitive_of_a_cue_keeps_the_subject() -> None:
    got = quotes("The union leaders gathered on Monday to discuss the new contract.")
    assert [(s, c, x) for s, c, x, _ in got] == [("The union leaders", "discuss", "the new contract")]


def test_adverb_between_a_cue_and_its_preposition() -> None:
    got = quotes("The minister spoke warmly of her years in the village.")
    assert got == [("The minister", "spoke warmly of", "her years in the village", "indirect")]


def test_it_shows_a_recording_is_not_the_last_organization() -> None:
    doc = claims("The city police released the footage on Friday. It shows an officer chasing a man.")
    shown = [q for q in doc.quotes if q.cue is not None and q.cue.text == "shows"]
    assert len(shown) == 1 and shown[0].speaker is None
    assert doc.text[shown[0].speaker_span.start:shown[0].speaker_span.end] == "It"


def test_a_text_someone_received_does_not_speak_for_them() -> None:
    got = quotes("The mayor received a memo last week that says the budget is balanced.")
    assert all(s != "The mayor" for s, _, _, _ in got)


def test_quoted_as_saying_and_postposed_sources() -> None:
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    # "quoted X as saying": X speaks, the outlet relays
    doc = pipe.analyze("The Tripoli Herald quoted a military source as saying that the militia withdrew from Bani Walid.")
    (c,) = [c for c in doc.claims if c.event.type == "RETREAT"]
    sp = c.attribution.speaker
    assert sp is not None and sp.id is None and sp.text == "military source", c.attribution
    assert c.attribution.speaker_role == "source"
    assert "anonymous_source" in {s.signal for s in c.attribution.signals}
    assert not any(q.cue is not None and q.cue.text == "quoted" for q in doc.quotes)
    # a source after its words that the parser hung on the last noun ("the GNA, a diplomat told ...")
    doc = pipe.analyze("Turkey sent drones to the GNA, a diplomat told Reuters on condition of anonymity.")
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert c.attribution.quote == "indirect" and c.attribution.speaker is not None, c.attribution
    assert c.attribution.speaker.text == "diplomat" and c.attribution.speaker.id is None
    assert "Reuters" in [v.name for v in c.attribution.via] and "outlet_voice" not in {
        s.signal for s in c.attribution.signals}


def test_evidence_basis_of_a_split_subject() -> None:
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    text = ("He said that recordings of calls between militia commanders, Turkish officers and Qatari officials "
            "show that Turkey will deliver drones to the militias.")
    doc = pipe.analyze(text)
    aid = [c for c in doc.claims if c.event.type in ("AID", "AGREE")]
    assert aid and aid[0].attribution.evidence_basis is not None
    assert aid[0].attribution.evidence_basis.endswith("Qatari officials"), aid[0].attribution.evidence_basis
    doc = pipe.analyze("Satellite images obtained by the BBC show that Russian jets arrived at al-Jufra air base.")
    assert doc.claims and doc.claims[0].attribution.evidence_basis == "Satellite images"


def test_named_unregistered_source_and_findings() -> None:
    from khaldun.pipeline import default_pipeline

    pipe = default_pipeline()
    # an investigative body's finding is its claim; a name no registry knows is still a named source
    doc = pipe.analyze("The Arms Tracing Collective found that the UAE had transferred Wing Loong drones to the LNA.")
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert c.attribution.speaker is not None and c.attribution.speaker.text == "Arms Tracing Collective", \
        c.attribution
    assert c.attribution.speaker.id is None and "anonymous_source" not in {s.signal for s in c.attribution.signals}
    doc = pipe.analyze("The Sentry, a watchdog group, said that the UAE had transferred drones to the LNA.")
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert c.attribution.speaker is not None and c.attribution.speaker.text == "Sentry"
    # unnamed sources stay unnamed
    doc = pipe.analyze("Sources said the UAE had transferred drones to the LNA.")
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert c.attribution.speaker is not None and c.attribution.speaker.id is None
    assert "anonymous_source" in {s.signal for s in c.attribution.signals}


def test_provided_x_with_weapons() -> None:
    from khaldun.pipeline import default_pipeline

    doc = default_pipeline().analyze("Turkey has provided the GNA with Bayraktar TB2 drones since May 2019.")
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert [a.id for a in c.recipients] == ["org/gna"] and c.materiel, c
    assert c.embargo and c.embargo[0].status == "possibly_exempt"


def test_source_after_a_clause_the_parser_did_not_hang_on_the_verb() -> None:
    # the parser makes "unloaded" a modifier and "vehicles" a second subject of "said"
    got = quotes("A ship unloaded armoured vehicles at the port of Benghazi last week, two port workers said.")
    assert got == [("two port workers", "said", "A ship unloaded armoured vehicles at the port of Benghazi last week",
                    "indirect")]
    # a clause of the verb's own is not what the source says
    assert quotes("When the council cut the funds two years later, Mexico said enough.") == []


def test_quotes_carry_their_evidence_basis_and_document_chain() -> None:
    doc = claims("Colonel Ali Fadel said that an analysis of intercepted calls shows that Turkey sent drones to "
                 "Misrata.\n\nA confidential UN report seen by Example Wire said Turkey sent drones to the GNA.\n\n"
                 "An Il-76 landed at al-Khadim on Monday, according to flight-tracking data reviewed by Example Wire.")
    q1, q2, q3 = doc.quotes
    assert q1.speaker is not None and q1.speaker.text == "Ali Fadel"
    assert q1.evidence_basis == "an analysis of intercepted calls"
    # the report speaks for the UN, not for the outlet that saw it
    assert q2.speaker is not None and q2.speaker.id == "igo/un"
    # the outlet that saw the report is the nearest step of the chain, the report the next
    assert [(v.name, v.kind) for v in q2.via] == [("Example Wire", "outlet"), ("confidential UN report", "document")]
    # data are a basis, not a source, even with a name after them
    assert q3.speaker is None and q3.evidence_basis == "flight-tracking data"
    assert [(v.name, v.kind) for v in q3.via] == [("Example Wire", "outlet"), ("flight-tracking data", "document")]
    c = next(c for c in doc.claims if c.evidence.sentence == 1)
    assert c.attribution.speaker is not None and c.attribution.speaker.id == "igo/un"


def test_a_state_body_speaks_for_the_state_as_written() -> None:
    doc = claims('"We have not supplied a single bullet," the Egyptian foreign ministry said in a statement.')
    (q,) = doc.quotes
    assert q.speaker is not None
    assert (q.speaker.text, q.speaker.id, q.speaker.sector) == ("Egyptian foreign ministry", "EGY", "GOV")
    (c,) = doc.claims
    assert c.attribution.speaker is not None and c.attribution.speaker.sector == "GOV"


def test_chains_through_reports_pages_and_datelines() -> None:
    doc = claims("BENGHAZI, Libya, June 2 (Levant Wire) - The UAE sent weapons to the LNA in January, UN experts "
                 "wrote in a confidential report seen by Levant Wire.\n\n"
                 "Egypt's president posted on his Facebook page that Egypt would send troops.\n\n"
                 "Russia sent mercenaries to Sirte, according to two diplomats who spoke on condition of anonymity.")
    q = doc.quotes
    # the dateline is not part of what the experts wrote
    assert q[0].content.text == "The UAE sent weapons to the LNA in January"
    assert [(v.name, v.kind) for v in q[0].via] == [("Levant Wire", "outlet"), ("confidential report", "document")]
    assert [(v.name, v.kind) for v in q[1].via] == [("Facebook", "social_media")]
    # "spoke on condition of anonymity" says how the diplomats spoke, not what
    assert [x.cue.text for x in q if x.cue] == ["wrote", "posted on", "according to"]
    # an outlet the recognizer took for a person is an outlet, and no place ("Levant")
    outlets = [m for m in doc.mentions if m.text == "Levant Wire"]
    assert outlets and all(m.label == "media" for m in outlets)
    assert not any(m.kind == "place" and m.text == "Levant" for m in doc.mentions)


def test_the_same_sources_named_again_by_their_noun() -> None:
    doc = claims("UN experts wrote in a report that the UAE sent weapons to the LNA.\n\n"
                 "The experts said satellite images showed that air defence systems had been delivered to Benghazi.")
    q1, q2 = doc.quotes
    assert q1.speaker is not None and q2.speaker is not None and q2.speaker.id == q1.speaker.id == "igo/un-panel-of-experts-libya"
    assert len(doc.quotes) == 2  # "wrote in a report that ...": one attribution, not a second one for "report"


def test_where_a_source_is_is_not_whom_it_speaks_for() -> None:
    (q,) = claims("Diplomats in Nairobi said the UAE was the source of the drones.").quotes
    # unnamed diplomats, as written, not Kenya
    assert q.speaker is not None and q.speaker.id is None and q.speaker.country is None


def test_the_outlets_comment_on_the_words_is_not_their_content() -> None:
    (q,) = claims("Sudan's army accused the RSF of receiving armed drones from a foreign state, a charge the group "
                  "rejected.").quotes
    assert q.content.text.endswith("from a foreign state")


def test_statement_carried_by_an_agency_is_the_medium_and_passive_quoting() -> None:
    doc = claims("Iran's foreign ministry spokesman said on Monday that Tehran would respond to any attack on its "
                 "ships, according to a statement carried by the official IRNA news agency.\n\n"
                 '"We will not remain silent," he was quoted by the semi-official Tasnim news agency as saying.')
    q1, q2 = doc.quotes  # one attribution for the first sentence, not a second one "according to a statement"
    assert q1.content.text == "that Tehran would respond to any attack on its ships"
    assert [v.kind for v in q1.via] == ["outlet", "statement"]
    assert q2.cue is not None and q2.cue.text and q2.speaker is not None and q2.speaker.id == "IRN"
    assert [v.name for v in q2.via] == ["semi-official Tasnim news agency"]
    assert not any(c.event.type == "ASSAULT" for c in doc.claims)  # "any attack" is no attack in particular


def _speaker_of(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(speaker, role, affiliation text, affiliation id) of the first claim of `text`."""
    c = claims(text).claims[0].attribution
    aff = c.speaker_affiliation
    return (c.speaker.text if c.speaker else None, c.speaker_role, aff.text if aff else None, aff.id if aff else None)


@pytest.mark.parametrize("text", [
    "Rebels shelled the harbour of Kelmora on Sunday, alliance spokesman Colonel Piet Vandermolen said.",
    "Rebels shelled the harbour of Kelmora on Sunday, a spokesman for the alliance, Piet Vandermolen, said.",
    "The alliance's spokesman Piet Vandermolen said rebels shelled the harbour of Kelmora on Sunday.",
])
def test_spokesman_of_an_unresolved_body_carries_the_body(text: str) -> None:
    # the body no registry knows is the affiliation, as written; the speaking role outranks the rank
    assert _speaker_of(text) == ("Piet Vandermolen", "spokesman", "alliance", None)


def test_spokesman_of_a_registry_body_and_a_body_led_by_a_state() -> None:
    got = _speaker_of("NATO spokeswoman Greta Lindqvist said rebels shelled the harbour of Kelmora on Sunday.")
    assert got == ("Greta Lindqvist", "spokeswoman", "NATO", "igo/nato")
    # a state leading a body speaks as written, with the body noun (its spokesmen elsewhere meet it in a corpus)
    c = claims("The Turkish-led alliance said rebels shelled the harbour of Kelmora on Sunday.").claims[0]
    assert (c.attribution.speaker.text, c.attribution.speaker.id) == ("Turkish-led alliance", "TUR")
    # a rank alone is the role
    assert _speaker_of("Colonel Piet Vandermolen said rebels shelled the harbour of Kelmora on Sunday.")[1] == "colonel"


@pytest.mark.parametrize("text,name", [
    ("Militias shelled the port of Dunmore overnight, according to the Sahel Courier.", "Sahel Courier"),
    ("The army moved two brigades north of the river, a commander told the Marrow Gazette on Sunday.",
     "Marrow Gazette"),
    ("Rebels took the airport, witnesses said in a report seen by Sahara Wire.", "Sahara Wire"),
])
def test_an_unregistered_outlet_is_media_whatever_the_recognizer_calls_it(text: str, name: str) -> None:
    # made-up outlets: one recognizer calls them an organisation, another a place or a person
    doc = claims(text)
    found = [m for m in doc.mentions if name in m.text]
    assert found and all(m.label == "media" for m in found)
    assert not any(m.kind == "place" and m.text in name for m in doc.mentions)


def test_the_outlet_carrying_a_statement_comes_before_it() -> None:
    for outlet in ("the official Karvel news agency", "the state-run Karvel Herald"):
        doc = claims("The interior minister said on Friday that the border would stay closed, according to a "
                     f"statement carried by {outlet}.")
        assert [v.kind for v in doc.quotes[0].via] == ["outlet", "statement"]
