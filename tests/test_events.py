"""Event roles: transfers named from the receiving end, relative-clause subjects, reciprocal clashes, and
`Pipeline.code_at` (the roles of an event at a trigger the caller names). Sentences are khaldun's own."""

from __future__ import annotations

import pytest

from khaldun.pipeline import default_pipeline


@pytest.fixture(scope="module")
def pipe():  # type: ignore[no-untyped-def]
    return default_pipeline()


def _ids(actors) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.country or a.text for a in actors}


def test_buyer_is_the_recipient(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The Sudanese army bought four Chinese-made drones from the United Arab Emirates in March.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid, [(c.event.type, c.event.trigger) for c in doc.claims]
    assert "ARE" in _ids(aid[0].actors)
    assert "SDN" in _ids(aid[0].recipients)
    assert aid[0].materiel and "drone" in aid[0].materiel[0].text


def test_import_keeps_its_agent_without_a_source(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The rockets will be imported by the Turkish army, the spokesman said.")
    aid = [c for c in doc.claims if c.event.type in ("AID", "AGREE")]  # AGREE: a side's announced intent
    assert aid and "TUR" in _ids(aid[0].actors)


def test_relative_who_is_its_antecedent(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "A gunman who attacked a checkpoint near Kirkuk on Monday was arrested by Iraqi police."
    _, (claim,) = pipe.code_at(text, [(text.index("attacked"), text.index("attacked") + 8, None)])
    assert claim is not None and claim.event.type == "ASSAULT"
    assert any("gunman" in a.text for a in claim.actors)
    assert any("checkpoint" in a.text for a in claim.recipients) or claim.location is not None


def test_code_at_given_type_and_unknown_word(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Three soldiers died in the fighting near Sirte, the ministry said."
    start = text.index("died")
    _, (none,) = pipe.code_at(text, [(start, start + 4, None)])
    assert none is None  # 'die' is no trigger of the lexicon and no type was given
    _, (claim,) = pipe.code_at(text, [(start, start + 4, "ASSAULT")])
    assert claim is not None and claim.event.type == "ASSAULT"
    assert any("soldiers" in a.text for a in claim.recipients)  # the one who dies undergoes the event
    assert not claim.actors or all("soldiers" not in a.text for a in claim.actors)
    assert claim.location is not None and claim.location.text == "Sirte"
    assert "given by the caller" in claim.why["event"]


def test_code_at_keeps_what_corpus_coding_drops(pipe) -> None:  # type: ignore[no-untyped-def]
    # a hypothetical with no named participant: analyze() codes nothing, code_at() returns the event
    text = "If an offensive comes, the city would not hold out for long."
    doc, (claim,) = pipe.code_at(text, [(text.index("offensive"), text.index("offensive") + 9, None)])
    assert not [c for c in doc.claims if c.event.trigger == "offensive"]
    assert claim is not None and claim.event.type == "ASSAULT"
    assert claim.evidence.text.startswith("If an offensive")


def test_code_at_offsets_survive_normalisation(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "  Rebels   shelled   the airport of Mitiga on Sunday.  "
    start = text.index("shelled")
    doc, (claim,) = pipe.code_at(text, [(start, start + 7, None)])
    assert claim is not None
    assert doc.text[claim.event.trigger_start:claim.event.trigger_end] == "shelled"
    assert any("Rebels" in a.text for a in claim.actors)


def test_clashes_between_two_sides(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Clashes between the Libyan National Army and Misrata brigades killed six people."
    _, (claim,) = pipe.code_at(text, [(0, 7, None)])
    assert claim is not None and claim.event.type == "ASSAULT"
    assert claim.actors and claim.recipients
    assert "reciprocal" in claim.why["recipients"]


def test_a_president_is_not_a_town(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Obama said the strikes on Sirte would continue.")
    places = [m.text for m in doc.mentions if m.kind == "place"]
    assert "Obama" not in places and "Sirte" in places


def test_object_control_and_acting_capitals(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Moscow urged Damascus to bomb the rebel positions."
    start = text.index("bomb")
    _, (claim,) = pipe.code_at(text, [(start, start + 4, None)])
    assert claim is not None and claim.event.type == "ASSAULT"
    assert [a.country for a in claim.actors] == ["SYR"]  # the one urged bombs, not the one urging
    assert claim.location is None or claim.location.text != "Moscow"  # Moscow acts here; it is no location


def test_code_at_takes_the_nearest_place_of_the_sentence(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "Militants attacked a convoy, the army said in Benghazi."
    start = text.index("attacked")
    _, (claim,) = pipe.code_at(text, [(start, start + 8, None)])
    assert claim is not None and claim.location is not None and claim.location.text == "Benghazi"
    assert "Benghazi" in claim.why["location"]


def test_light_verb_object_joins_the_trigger_span(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "The Security Council imposed an arms embargo on South Sudan in 2018."
    (claim,) = [c for c in pipe.analyze(text).claims if c.event.type == "SANCTION"]
    assert claim.event.trigger == "imposed an arms embargo"
    assert text[claim.event.trigger_start:claim.event.trigger_end] == "imposed an arms embargo"


def _at(pipe, text: str, word: str, etype: str | None = None):  # type: ignore[no-untyped-def]
    start = text.index(word)
    _, (claim,) = pipe.code_at(text, [(start, start + len(word), etype)])
    assert claim is not None
    return claim


def test_code_at_transfer_keeps_things_out_of_the_recipients(pipe) -> None:  # type: ignore[no-untyped-def]
    # recipients are who receives (contract): a licence or farmland bought is not one, though RAMS's
    # "artifact" role would score it there
    claim = _at(pipe, "The company bought a fishing license last year.", "bought", "AID")
    assert not any("license" in a.text for a in claim.recipients), [a.text for a in claim.recipients]
    claim = _at(pipe, "Purchases of farmland by foreign firms rose sharply.", "Purchases", "AID")
    assert not any("farmland" in a.text for a in claim.recipients), [a.text for a in claim.recipients]


def test_code_at_coordinated_participle_is_passive(pipe) -> None:  # type: ignore[no-untyped-def]
    claim = _at(pipe, "The minister was bribed or blackmailed by a foreign agency.", "blackmailed", "THREATEN")
    assert any("agency" in a.text for a in claim.actors), [a.text for a in claim.actors]
    assert not any("minister" in a.text for a in claim.actors)


def test_code_at_gerund_after_preposition_takes_the_clause_subject(pipe) -> None:  # type: ignore[no-untyped-def]
    claim = _at(pipe, "The fighters hugged the guards before detonating the bomb.", "detonating", "ASSAULT")
    assert any("fighters" in a.text for a in claim.actors), [a.text for a in claim.actors]


def test_code_at_site_in_the_trigger_phrase(pipe) -> None:  # type: ignore[no-untyped-def]
    claim = _at(pipe, "A man was stabbed at his home on Sunday.", "stabbed", "ASSAULT")
    assert claim.location is not None and "home" in claim.location.text
    assert claim.location.start is not None


def test_code_at_actor_named_after_the_trigger(pipe) -> None:  # type: ignore[no-untyped-def]
    # no syntactic agent and nobody named before the trigger: the nearest actor after it in the sentence
    claim = _at(pipe, "The embargo hurt dairy farmers far more than Russia expected.", "embargo", "SANCTION")
    assert "RUS" in _ids(claim.actors) and "after the trigger" in claim.why["actors"], claim.why


def test_code_at_weapon_object_is_not_the_target(pipe) -> None:  # type: ignore[no-untyped-def]
    # "detonated a bomb at the checkpoint": the bomb is the instrument, the checkpoint what was attacked
    claim = _at(pipe, "The militants detonated a car bomb at a police checkpoint.", "detonated", "ASSAULT")
    assert not any("bomb" in a.text for a in claim.recipients), [a.text for a in claim.recipients]
    assert any("bomb" in m.text for m in claim.materiel), [m.text for m in claim.materiel]
    assert "materiel" in claim.why


def test_code_at_receiver_of_a_giving_verb(pipe) -> None:  # type: ignore[no-untyped-def]
    # the indirect object receives; the subject of "got" receives the funding it names
    claim = _at(pipe, "The bank lent him the money in 2005.", "lent", "AID")
    assert any(a.text == "him" for a in claim.recipients), [a.text for a in claim.recipients]
    assert "indirect object" in claim.why["recipients"]
    claim = _at(pipe, "The charity received aid from the city council.", "aid", "AID")
    assert any("charity" in a.text for a in claim.recipients), [a.text for a in claim.recipients]
    assert any("council" in a.text for a in claim.actors), [a.text for a in claim.actors]
    assert "from" in claim.why["actors"] and "receiver" in claim.why["recipients"], claim.why
    # "pay" keeps its object (money, taxes) out of the recipients
    claim = _at(pipe, "Many families avoid paying taxes.", "paying", "AID")
    assert not any("taxes" in a.text for a in claim.recipients), [a.text for a in claim.recipients]


def test_code_at_place_fallback_only_for_events_on_the_ground(pipe) -> None:  # type: ignore[no-untyped-def]
    # a country a sentence merely names is not where a payment or a request happened ...
    claim = _at(pipe, "Officials urged the bank to release Iraq's frozen funds.", "urged", "REQUEST")
    assert claim.location is None, claim.why.get("location")
    # ... but an attack takes the nearest place of its sentence
    claim = _at(pipe, "Militants attacked a convoy, the army said in Benghazi.", "attacked", "ASSAULT")
    assert claim.location is not None and claim.location.text == "Benghazi"


def test_code_at_attack_takes_no_actor_named_after_it(pipe) -> None:  # type: ignore[no-untyped-def]
    # after an attack word the next name is its victim or a bystander, not the attacker
    claim = _at(pipe, "The shelling went on for hours, Libya's health ministry said.", "shelling", "ASSAULT")
    assert not claim.actors, [a.text for a in claim.actors]


def test_code_at_receiving_end_and_payees(pipe) -> None:  # type: ignore[no-untyped-def]
    # no syntactic subject: the name before a transfer named from the receiving end is the receiver
    claim = _at(pipe, "According to Egypt, the purchase went ahead.", "purchase", "AID")
    assert "EGY" in _ids(claim.recipients) and not claim.actors, (claim.actors, claim.recipients)
    assert "receiving side" in claim.why["recipients"]
    # the subject of "completed the purchase" buys; it does not also become the seller
    claim = _at(pipe, "The Egyptian army completed the purchase from France.", "purchase", "AID")
    assert "EGY" in _ids(claim.recipients) and _ids(claim.actors) == {"FRA"}, (claim.actors, claim.recipients)
    # stipends and wages are named from the payee's end
    claim = _at(pipe, "The nurses' wages were paid late again this year.", "wages", "AID")
    assert any("nurses" in a.text for a in claim.recipients), [a.text for a in claim.recipients]
    assert not any("nurses" in a.text for a in claim.actors)


def test_code_at_purpose_subject_is_not_the_actor(pipe) -> None:  # type: ignore[no-untyped-def]
    # "the goal is to provide aid": the goal does not give anything; its owner does
    claim = _at(pipe, "The primary goal is to provide aid to the displaced families.", "provide", "AID")
    assert not any("goal" in a.text for a in claim.actors), [a.text for a in claim.actors]
    claim = _at(pipe, "The minister said his priority was to provide aid to farmers.", "provide", "AID")
    assert not any("priority" in a.text for a in claim.actors), [a.text for a in claim.actors]
    # as an object, a plan keeps its country ("rejected a Senegalese peace plan")
    doc = pipe.analyze("The rebels rejected a Senegalese peace plan on Friday.")
    rej = [c for c in doc.claims if c.event.type == "REJECT"]
    assert rej and "SEN" in {a.country for a in rej[0].recipients}, [(c.event.type, c.recipients) for c in doc.claims]


def test_purchase_noun_seller_and_buyer(pipe) -> None:  # type: ignore[no-untyped-def]
    # the parser hangs "from France" on the goods; "by the GNA" names the buyer of a purchase, not its seller
    doc = pipe.analyze("Egypt announced the purchase of 24 Rafale jets from France.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and _ids(aid[0].actors) == {"FRA"} and "EGY" in _ids(aid[0].recipients), doc.claims
    doc = pipe.analyze("The purchase of drones from Turkey by the GNA was confirmed.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and _ids(aid[0].actors) == {"TUR"}, [(a.text, a.country) for a in aid[0].actors]
    assert any("GNA" in a.text for a in aid[0].recipients), [a.text for a in aid[0].recipients]


def test_a_weapon_word_modifying_the_object_makes_no_weapon(pipe) -> None:  # type: ignore[no-untyped-def]
    # "destroyed the drone hangar": the hangar is what was hit; no drone was used or destroyed
    doc = pipe.analyze("The air force destroyed the drone hangar at Mitiga airport last week, the spokesman said.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and any("hangar" in a.text for a in hit[0].recipients), [(c.event.type, c.recipients) for c in hit]
    assert not hit[0].materiel, hit[0].materiel
    # "shot down two drones": the drones are the materiel
    doc = pipe.analyze("Air defences shot down two Turkish drones near Misrata on Sunday.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and any("drone" in m.text for m in hit[0].materiel)


def test_between_a_b_and_c_and_a_place_in_another_clause(pipe) -> None:  # type: ignore[no-untyped-def]
    # the parser closes "between" after its first party and makes "B and C" the subject of "show"
    text = ("He said that phone calls between militia commanders, Turkish officers and Qatari officials show that "
            "Turkey will deliver drones to the militias in Tripoli.")
    doc = pipe.analyze(text)
    calls = [c for c in doc.claims if c.event.type == "CONSULT"]
    assert calls, [(c.event.type, c.event.trigger) for c in doc.claims]
    assert {"TUR", "QAT"} <= {a.country for a in calls[0].actors + calls[0].recipients}, calls[0]
    # Tripoli is where the drones go, in the clause of "deliver", not where the calls were made
    assert calls[0].location is None, calls[0].why.get("location")


def test_sanction_measure_is_not_its_target(pipe) -> None:  # type: ignore[no-untyped-def]
    # the embargo is what is imposed; Libya is whom it targets
    doc = pipe.analyze("The UN Security Council imposed an arms embargo on Libya in February 2011.")
    sanc = [c for c in doc.claims if c.event.type == "SANCTION"]
    assert sanc and [a.text for a in sanc[0].recipients] == ["Libya"], [a.text for a in sanc[0].recipients]
    doc = pipe.analyze("The EU lifted its sanctions against Belarus.")
    assert any([a.country for a in c.recipients] == ["BLR"] and not any("sanction" in a.text for a in c.recipients)
               for c in doc.claims), [(c.event.type, c.recipients) for c in doc.claims]


def test_passive_accusation(pipe) -> None:  # type: ignore[no-untyped-def]
    # "X was accused of ...": the accused is the target; what X is accused of is X's act, alleged by someone
    doc = pipe.analyze("The minister was accused of corruption by the opposition.")
    acc = [c for c in doc.claims if c.event.type == "ACCUSE"]
    assert acc and any("minister" in a.text for a in acc[0].recipients), [(c.event.type, c.recipients) for c in acc]
    doc = pipe.analyze("Turkey has been accused of sending weapons to Tripoli.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and "TUR" in _ids(aid[0].actors), [(c.event.type, c.actors) for c in doc.claims]
    # nobody is named, but the outlet does not say it in its own voice: an unnamed source alleges it
    assert aid[0].attribution.speaker is None and aid[0].attribution.quote != "none"
    sig = {s.signal for s in aid[0].attribution.signals}
    assert "anonymous_source" in sig and "outlet_voice" not in sig, sig
    # an active frame is unchanged
    doc = pipe.analyze("Lebanon complained to the Security Council on Friday about Israeli shelling near its border.")
    assert any(c.event.type == "ACCUSE" and "LBN" in _ids(c.actors) for c in doc.claims), doc.claims


def test_weapon_as_the_attacking_subject(pipe) -> None:  # type: ignore[no-untyped-def]
    # "LNA aircraft struck the port": the aircraft is materiel (and makes 'strike' military), the LNA attacks
    doc = pipe.analyze("LNA aircraft struck the port of Misrata on Monday.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and any(a.id == "org/lna" for a in hit[0].actors), [(c.event.type, c.actors) for c in doc.claims]
    assert any("aircraft" in m.text for m in hit[0].materiel)
    doc = pipe.analyze("The convoy was hit by Turkish drones near Sirte.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and "TUR" in _ids(hit[0].actors) and any("drone" in m.text for m in hit[0].materiel), hit


def test_negated_confirmation_commits_to_nothing(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Ankara has not confirmed the delivery of the Korkut air defence systems.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and aid[0].factuality.certainty == "possible" and aid[0].factuality.polarity == "positive"


def test_progressive_is_present(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The UAE is supplying Haftar with drones.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and aid[0].factuality.tense == "present", aid[0].factuality


def test_receiving_weapons_is_a_transfer(pipe) -> None:  # type: ignore[no-untyped-def]
    # "received 20 jets from Egypt": a transfer from Egypt to the LNA, not a visit received
    doc = pipe.analyze("The LNA has received at least 20 Mirage jets from Egypt, an LNA official said.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and _ids(aid[0].actors) == {"EGY"} and any(a.id == "org/lna" for a in aid[0].recipients), doc.claims
    assert not [c for c in doc.claims if c.event.type == "CONSULT"]
    # a delegation received is still a visit
    doc = pipe.analyze("The Egyptian president received a Libyan delegation in Cairo on Monday.")
    assert any(c.event.type == "CONSULT" for c in doc.claims), [(c.event.type, c.event.trigger) for c in doc.claims]


def test_denied_reports_that(pipe) -> None:  # type: ignore[no-untyped-def]
    # the 'that' clause of "reports" is what the reports say: the transfer is coded, denied by the GNA
    doc = pipe.analyze("The GNA denied reports that it had received weapons from Turkey.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and _ids(aid[0].actors) == {"TUR"} and aid[0].factuality.polarity == "negative", doc.claims
    assert aid[0].attribution.speaker is not None and aid[0].attribution.speaker.id == "org/gna"


def test_own_state_is_no_accused(pipe) -> None:  # type: ignore[no-untyped-def]
    # a head of state speaking of his own state's support accuses no one
    doc = pipe.analyze("Erdogan told reporters in Ankara that Turkey would continue to support the government.")
    assert not [c for c in doc.claims if c.event.type == "ACCUSE"], [(c.event.type, c.recipients) for c in doc.claims]
    # the adversary's support is an accusation
    doc = pipe.analyze("The LNA spokesman said Turkey continues to support the militias in Tripoli.")
    assert any(c.event.type == "ACCUSE" and "TUR" in _ids(c.recipients) for c in doc.claims), doc.claims


def test_attack_nouns_and_weapons(pipe) -> None:  # type: ignore[no-untyped-def]
    # the attack is not its own perpetrator; the weapon in its name is materiel
    doc = pipe.analyze("The UN said a drone strike on a migrant detention centre in Tajoura killed 53 people.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and not any("strike" in a.text for a in hit[0].actors), [a.text for a in hit[0].actors]
    assert any("drone" in m.text for m in hit[0].materiel)
    # "mortar fire hit ...": a weapon in the sentence is military context enough for "hit"
    doc = pipe.analyze("Mortar fire hit a residential district of Tripoli.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and any("Mortar" in m.text for m in hit[0].materiel) and not hit[0].actors, hit
    # the owner of an attack noun acts
    doc = pipe.analyze("Israeli air raids killed four fighters in southern Lebanon.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and "ISR" in _ids(hit[0].actors), [(c.event.type, c.actors) for c in doc.claims]


def test_clashes_between_militias_in_a_capital(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Clashes between rival militias in Tripoli left 32 dead.")
    hit = [c for c in doc.claims if c.event.type == "ASSAULT"]
    assert hit and not any(a.text == "Tripoli" for a in hit[0].actors), [a.text for a in hit[0].actors]
    assert hit[0].location is not None and hit[0].location.text == "Tripoli"


def test_conditional_threat_target_and_unlikely(pipe) -> None:  # type: ignore[no-untyped-def]
    # the threat is aimed at the one whose act is the condition
    doc = pipe.analyze("If Turkey sends troops, Egypt will intervene militarily, Sisi warned.")
    thr = [c for c in doc.claims if c.event.type == "THREATEN"]
    assert thr and "TUR" in _ids(thr[0].recipients), [(c.event.type, c.recipients) for c in doc.claims]
    # "unlikely to" is an outside judgement: probably not, and no refusal by Turkey
    text = "Turkey is unlikely to send more troops."
    _, (claim,) = pipe.code_at(text, [(text.index("send"), text.index("send") + 4, None)])
    assert claim is not None and claim.event.type != "REJECT"
    assert claim.factuality.polarity == "negative" and claim.factuality.certainty == "probable"


def test_carrier_is_no_party_its_flag_supplies(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("A Turkish cargo ship delivered weapons to Misrata on Sunday.", published="2020-03-03")
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert [(a.text, a.id) for a in c.actors] == [("Turkish cargo ship", "TUR")]
    assert "carrier" in c.why["actors"]
    # Misrata is a place the recognizer took for a person: not a recipient
    assert c.recipients == [] and c.location is not None and c.location.country == "LBY"
    assert c.embargo and c.embargo[0].status == "potential_violation"
    assert [m.category for m in c.materiel] == ["other"]  # the ship carries; it is not supplied


def test_delivery_with_no_supplier_named_is_kept_where_it_landed(pipe) -> None:  # type: ignore[no-untyped-def]
    # the parser makes "unloaded" a modifier of "vehicles"; the ship only carries
    doc = pipe.analyze("A ship unloaded armoured vehicles at the port of Benghazi last week.", published="2020-03-03")
    (c,) = doc.claims
    assert (c.event.type, c.event.aid_type) == ("AID", "military")
    assert c.actors == [] and "not named" in c.why["actors"]
    assert [m.category for m in c.materiel] == ["armoured_vehicles"]
    assert c.location is not None and c.location.name == "Benghazi"
    assert c.embargo and c.embargo[0].status == "potential_violation"
    doc = pipe.analyze("Hundreds of Syrian mercenaries arrived in Tripoli.", published="2020-03-03")
    (c,) = doc.claims
    assert c.actors == [] and [m.category for m in c.materiel] == ["mercenaries"]  # Syria sent no one here
    # a delivery with neither a party nor a place stays uncoded
    assert pipe.analyze("A ship unloaded armoured vehicles.").claims == []


def test_fighters_crossing_a_border_to_join_a_side(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Dozens of Sudanese fighters crossed the border into southern Libya to join Haftar's forces.",
                       published="2020-03-03")
    (c,) = doc.claims
    assert c.event.type == "MOBILIZE"
    # who they are is after "Dozens of"; the country is theirs, not the place's
    assert [(a.text, a.country) for a in c.actors] == [("Dozens of Sudanese fighters", "SDN")]
    assert [a.id for a in c.recipients] == ["org/lna"] and "join" in c.why["recipients"]
    assert [m.category for m in c.materiel] == ["mercenaries"]
    assert c.location is not None and c.location.country == "LBY"
    (f,) = c.embargo
    assert f.status == "potential_violation" and f.reason.startswith("The reported movement of Sudanese fighters to")
    # crossing a road is no border crossing
    assert pipe.analyze("The convoy crossed the road near Sirte.").claims == []


def test_financing_a_purchase_names_payer_goods_and_receiver(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Saudi Arabia funded the acquisition of armoured vehicles for the LNA last year.",
                       published="2020-03-03")
    (c,) = doc.claims
    assert (c.event.type, c.event.aid_type) == ("AID", "military")
    assert [a.id for a in c.funders] == ["SAU"] and [a.id for a in c.recipients] == ["org/lna"]
    assert [m.category for m in c.materiel] == ["armoured_vehicles"]
    (f,) = c.embargo
    assert f.reason.startswith("The reported financing by Saudi Arabia of armoured vehicles for LNA")


def test_ships_laden_with_goods_carry_them(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Turkey sent several ships laden with explosives and weapons to the armed groups in the "
                       "capital, Tripoli, which alarmed the council.", published="2020-03-03")
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert sorted(m.category for m in c.materiel) == ["explosives", "other"]
    # a relative pronoun is not part of the recipient's name
    assert all("which" not in r.text for r in c.recipients)


def test_a_measure_in_place_is_no_sanction_and_refusals_are_asserted(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The UAE fully respects the embargo.\n\nThe shipment was a breach of the embargo.")
    assert [c.event.type for c in doc.claims] == []
    (c,) = pipe.analyze("The EU imposed an arms embargo on Libya.").claims
    assert c.event.type == "SANCTION"
    (c,) = pipe.analyze("Egypt will not allow Turkey to take Sirte.").claims
    assert c.event.type == "REJECT" and c.factuality.polarity == "positive" and "not" in c.factuality.cues


def test_flights_carry_cargo_not_the_aircraft_flown(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The United Arab Emirates flew at least 37 cargo flights carrying weapons to eastern Libya in "
                       "January.", published="2020-06-02")
    (c,) = doc.claims
    assert c.event.type == "AID" and [a.id for a in c.actors] == ["ARE"]
    assert [m.category for m in c.materiel] == ["other"] and c.location is not None
    assert pipe.analyze("The pilot flew the jet to Cairo.").claims == []


def test_a_speakers_own_forces_and_the_owner_of_what_they_hit(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("An LNA commander, quoted by Al-Marsad, said his forces had shot down a Turkish drone near "
                       "Tarhuna.")
    (c,) = doc.claims
    assert c.event.type == "ASSAULT"
    assert [a.id for a in c.actors] == ["org/lna"]
    assert [a.id for a in c.recipients] == ["TUR"] and [m.category for m in c.materiel] == ["uav"]


def test_routes_appositions_and_shipments_are_not_parties(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Sudan's army accused the RSF of receiving armed drones from a foreign state, a charge the "
                       "group rejected.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and [a.text for a in aid[0].actors] == ["foreign state"]  # not "foreign state, a"
    doc = pipe.analyze("The UAE flew drones through Chad to the RSF.")
    (c,) = doc.claims
    assert [a.id for a in c.actors] == ["ARE"] and "Chad" in c.why["route"]
    doc = pipe.analyze("If the reports are confirmed, the shipments would violate the arms embargo on Darfur.")
    assert doc.claims == []
    (c,) = pipe.analyze("The UAE has repeatedly denied arming either side in the war.").claims
    # a denial is a negative claim by the denier (the convention of the real-articles annotation)
    assert c.event.type == "REJECT" and c.factuality.polarity == "negative" and "denied" in c.factuality.cues


def test_place_of_the_evidence_is_not_the_place_of_the_event(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The spokesman said that documents seized at al-Watiya airbase prove that the UAE will deliver "
                       "drones to Haftar's militias.")
    aid = [c for c in doc.claims if c.event.type in ("AID", "AGREE")]
    assert aid and aid[0].location is None
    # a participant's own description still places it
    doc = pipe.analyze("A newspaper based in Beirut has violated a ban by General Aoun.")
    assert doc.claims and doc.claims[0].location is not None


def test_a_batch_of_what_was_named_before(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("The UAE will deliver Wing Loong drones to the LNA, the spokesman said.\n\n"
                       '"I believe the first batch has already arrived in Benghazi," he said.')
    arrived = [c for c in doc.claims if c.event.trigger == "arrived"]
    assert arrived, [(c.event.type, c.event.trigger) for c in doc.claims]
    c = arrived[0]
    assert [m.designation for m in c.materiel] == ["Wing Loong"] and "batch" in c.why["materiel"]
    assert c.factuality.certainty == "probable" and c.location is not None and c.location.name == "Benghazi"


def test_what_an_attack_destroyed_is_its_materiel(pipe) -> None:  # type: ignore[no-untyped-def]
    (c,) = pipe.analyze("The air force of the GNA targeted a convoy of the Wagner group near Sirte, destroying three "
                        "armoured vehicles.").claims
    assert c.event.type == "ASSAULT" and [m.category for m in c.materiel] == ["armoured_vehicles"]
    assert [a.id for a in c.recipients] == ["org/wagner"]


def test_goods_that_came_from_a_state(pipe) -> None:  # type: ignore[no-untyped-def]
    (c,) = pipe.analyze("The missiles came from Iran.").claims
    assert c.event.type == "AID" and [a.id for a in c.actors] == ["IRN"] and "came from" in c.why["actors"]
    assert pipe.analyze("The missiles came too late.").claims == []


def test_the_group_a_source_speaks_for(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze('An RSF adviser said the claims were "baseless" and that the group had never bought drones.')
    (c,) = [c for c in doc.claims if c.event.type == "AID"]
    assert [a.id for a in c.recipients] == ["org/rsf"] and c.factuality.polarity == "negative"


def test_unnamed_deliveries_keep_their_port_and_date(pipe) -> None:  # type: ignore[no-untyped-def]
    # the parser hangs the port on the goods; in the misparsed sentence also the date
    (c,) = pipe.analyze("A cargo ship unloaded ammunition at the port of Benghazi on 20 June 2020.").claims
    assert c.location is not None and c.location.name == "Benghazi" and c.when.date == "2020-06-20"
    (c,) = pipe.analyze("A ship unloaded armoured vehicles at the port of Benghazi on 3 March 2020.").claims
    assert c.location is not None and c.when.date == "2020-03-03"


def test_weapons_delivered_by_no_one_named_are_still_a_transfer(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = pipe.analyze("Dozens of tanks and rocket launchers have also been delivered, the commander said.")
    aid = [c for c in doc.claims if c.event.type == "AID"]
    assert aid and aid[0].materiel and not aid[0].actors
    assert pipe.analyze("Dozens of letters have also been delivered, the clerk said.").claims == []
