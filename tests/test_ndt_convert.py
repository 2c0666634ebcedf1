"""Rules of the NDT -> UD converter (pipeline/training/ndt2ud.py) on small hand-made sentences."""
from __future__ import annotations

import pytest

from pipeline.training.ndt2ud import (
    LexTable,
    NTok,
    agreement,
    convert_sentence,
    drop_paragraph_tokens,
    map_feats,
    map_pos,
)


def ndt(text: str) -> list[NTok]:
    """Rows: id form lemma pos feats head deprel (whitespace separated, feats '_' if none)."""
    toks = []
    for line in text.strip().splitlines():
        i, form, lemma, pos, feats, head, rel = line.split()
        toks.append(NTok(int(i), form, lemma, pos, feats, int(head), rel, "name=O"))
    return toks


def tree(toks: list[NTok]) -> dict[str, tuple[str, str]]:
    """form -> (UD relation, head form)."""
    by = {t.id: t for t in toks}
    return {t.form: (t.udep, by[t.uhead].form if t.uhead else "ROOT") for t in toks}


def test_preposition_becomes_case_and_complement_obl():
    toks = convert_sentence(ndt("""
1 Han han pron mask|ent|pers|hum|3|nom 2 SUBJ
2 bor bo verb pres 0 FINV
3 i i prep _ 2 ADV
4 Oslo Oslo subst prop 3 PUTFYLL
5 . $. clb <punkt> 2 IP
"""))
    t = tree(toks)
    assert t["i"] == ("case", "Oslo")
    assert t["Oslo"] == ("obl", "bor")
    assert t["Han"] == ("nsubj", "bor")
    assert t["bor"] == ("root", "ROOT")
    assert t["."] == ("punct", "bor")


def test_prepositional_attribute_of_noun_is_nmod():
    t = tree(convert_sentence(ndt("""
1 Møtet møte subst appell|nøyt|be|ent 0 FRAG
2 i i prep _ 1 ATR
3 styret styre subst appell|nøyt|be|ent 2 PUTFYLL
""")))
    assert t["styret"] == ("nmod", "Møtet")
    assert t["i"] == ("case", "styret")


def test_auxiliary_chain_main_verb_heads():
    toks = convert_sentence(ndt("""
1 Styret styre subst appell|nøyt|be|ent 2 SUBJ
2 har ha verb pres 0 FINV
3 behandlet behandle verb perf-part 2 INFV
4 saken sak subst appell|mask|be|ent 3 DOBJ
5 . $. clb <punkt> 2 IP
"""))
    t = tree(toks)
    assert t["behandlet"] == ("root", "ROOT")
    assert t["har"] == ("aux", "behandlet")
    assert t["Styret"] == ("nsubj", "behandlet")
    assert t["saken"] == ("obj", "behandlet")
    assert t["."] == ("punct", "behandlet")
    upos = {x.form: x.upos for x in toks}
    assert upos["har"] == "AUX" and upos["behandlet"] == "VERB"


def test_modal_chain_two_auxiliaries():
    t = tree(convert_sentence(ndt("""
1 Saken sak subst appell|mask|be|ent 2 SUBJ
2 må måtte verb pres 0 FINV
3 bli bli verb inf 2 INFV
4 utsatt utsette verb perf-part 3 INFV
5 . $. clb <punkt> 2 IP
""")))
    assert t["utsatt"] == ("root", "ROOT")
    assert t["må"] == ("aux", "utsatt")
    assert t["bli"] == ("aux:pass", "utsatt")
    assert t["Saken"] == ("nsubj:pass", "utsatt")


def test_copula_predicate_heads():
    toks = convert_sentence(ndt("""
1 Kari Kari subst prop|fem 2 SUBJ
2 er være verb pres 0 FINV
3 rektor rektor subst appell|mask|ub|ent 2 SPRED
4 . $. clb <punkt> 2 IP
"""))
    t = tree(toks)
    assert t["rektor"] == ("root", "ROOT")
    assert t["er"] == ("cop", "rektor")
    assert t["Kari"] == ("nsubj", "rektor")
    assert {x.form: x.upos for x in toks}["er"] == "AUX"


def test_bli_with_predicative_is_main_verb_xcomp():
    t = tree(convert_sentence(ndt("""
1 Det det pron nøyt|ent|pers|3 2 SUBJ
2 ble bli verb pret 0 FINV
3 enighet enighet subst appell|fem|ub|ent 2 SPRED
""")))
    assert t["ble"] == ("root", "ROOT")
    assert t["enighet"] == ("xcomp", "ble")


def test_infinitive_marker_is_mark():
    t = tree(convert_sentence(ndt("""
1 Vi vi pron fl|pers|hum|nom|1 2 SUBJ
2 foreslår foreslå verb pres 0 FINV
3 å å inf-merke _ 2 DOBJ
4 utsette utsette verb inf 3 INFV
5 saken sak subst appell|mask|be|ent 4 DOBJ
""")))
    assert t["å"] == ("mark", "utsette")
    assert t["utsette"] == ("xcomp", "foreslår")
    assert t["saken"] == ("obj", "utsette")


def test_preposition_with_infinitive_clause():
    t = tree(convert_sentence(ndt("""
1 Han han pron mask|ent|pers|hum|3|nom 2 SUBJ
2 slutter slutte verb pres 0 FINV
3 for for prep _ 2 ADV
4 å å inf-merke _ 3 PUTFYLL
5 spare spare verb inf 4 INFV
""")))
    assert t["for"] == ("case", "spare")
    assert t["å"] == ("mark", "spare")
    assert t["spare"] == ("advcl", "slutter")


def test_coordination_cc_and_comma_attach_to_following_conjunct():
    t = tree(convert_sentence(ndt("""
1 Lærere lærer subst appell|mask|ub|fl 0 FRAG
2 , $, <komma> _ 1 IK
3 elever elev subst appell|mask|ub|fl 1 KOORD
4 og og konj <ikke-clb> 5 KONJ
5 foreldre forelder subst appell|mask|ub|fl 1 KOORD
""")))
    assert t["elever"] == ("conj", "Lærere")
    assert t["foreldre"] == ("conj", "Lærere")
    assert t["og"] == ("cc", "foreldre")
    assert t[","] == ("punct", "elever")


def test_subjunction_and_subordinate_clause():
    t = tree(convert_sentence(ndt("""
1 Rektor rektor subst appell|mask|ub|ent 2 SUBJ
2 sa si verb pret 0 FINV
3 at at sbu _ 5 SBU
4 budsjettet budsjett subst appell|nøyt|be|ent 5 SUBJ
5 holder holde verb pres 2 DOBJ
""")))
    assert t["at"] == ("mark", "holder")
    assert t["holder"] == ("ccomp", "sa")
    assert t["budsjettet"] == ("nsubj", "holder")


def test_expletive_subject_and_determiners():
    toks = convert_sentence(ndt("""
1 Det det pron nøyt|ent|pers|3 2 FSUBJ
2 kom komme verb pret 0 FINV
3 to to det fl|kvant 4 DET
4 forslag forslag subst appell|nøyt|ub|fl 2 SUBJ
5 fra fra prep _ 4 ATR
6 sin sin det mask|ent|poss 7 DET
7 gruppe gruppe subst appell|fem|ub|ent 5 PUTFYLL
"""))
    t = tree(toks)
    upos = {x.form: x.upos for x in toks}
    assert t["Det"] == ("expl", "kom")
    assert t["to"] == ("nummod", "forslag") and upos["to"] == "NUM"
    assert t["sin"] == ("nmod:poss", "gruppe") and upos["sin"] == "PRON"
    assert t["gruppe"] == ("nmod", "forslag")


def test_title_before_name_heads_flat_name():
    t = tree(convert_sentence(ndt("""
1 Rektor rektor subst appell|mask|ub|ent 2 APP
2 Kari Kari subst prop|fem 4 SUBJ
3 Nordmann Nordmann subst prop 2 FLAT
4 svarte svare verb pret 0 FINV
""")))
    assert t["Rektor"] == ("nsubj", "svarte")
    assert t["Kari"] == ("flat:name", "Rektor")
    assert t["Nordmann"] == ("flat:name", "Rektor")


def test_paragraph_tokens_are_dropped_and_heads_renumbered():
    toks = ndt("""
1 | $| clb <parantes-beg> 3 IP
2 Saken sak subst appell|mask|be|ent 3 SUBJ
3 utsettes utsette verb pres|pass 0 FINV
4 . $. clb <punkt> 3 IP
""")
    out = drop_paragraph_tokens(toks)
    assert [t.form for t in out] == ["Saken", "utsettes", "."]
    assert [t.head for t in out] == [2, 0, 2]
    t = tree(convert_sentence(toks))
    assert t["Saken"] == ("nsubj:pass", "utsettes")


@pytest.mark.parametrize(
    "pos,feats,form,upos,ufeats",
    [
        ("subst", "appell|mask|be|ent", "saken", "NOUN", "Definite=Def|Gender=Masc|Number=Sing"),
        ("subst", "appell|nøyt|ub|fl", "vedtak", "NOUN", "Definite=Ind|Gender=Neut|Number=Plur"),
        ("subst", "prop|mask", "Per", "PROPN", "Gender=Masc"),
        ("verb", "pres", "vedtar", "VERB", "Mood=Ind|Tense=Pres|VerbForm=Fin"),
        ("verb", "pret", "vedtok", "VERB", "Mood=Ind|Tense=Past|VerbForm=Fin"),
        ("verb", "inf", "vedta", "VERB", "VerbForm=Inf"),
        ("verb", "perf-part", "vedtatt", "VERB", "VerbForm=Part"),
        ("adj", "nøyt|ub|ent|pos", "godt", "ADJ", "Definite=Ind|Degree=Pos|Gender=Neut|Number=Sing"),
        ("adj", "fl|<ordenstall>", "11.", "ADJ", "Number=Plur|NumType=Ord"),
        ("adv", "_", "ikke", "PART", "Polarity=Neg"),
        ("pron", "akk|refl", "seg", "PRON", "Case=Acc|PronType=Prs|Reflex=Yes"),
        ("det", "fl|kvant", "tre", "NUM", "Number=Plur|NumType=Card"),
        ("<komma>", "_", ",", "PUNCT", "_"),
        ("sbu", "_", "at", "SCONJ", "_"),
        ("konj", "<ikke-clb>", "og", "CCONJ", "_"),
    ],
)
def test_tag_mapping(pos, feats, form, upos, ufeats):
    t = NTok(1, form, form.lower(), pos, feats, 0, "FRAG")
    got = map_pos(t)
    assert got == upos
    assert map_feats(t, got) == ufeats


def test_lemma_det_becomes_den_and_lexicon_lookup():
    toks = convert_sentence(ndt("""
1 det det det dem|nøyt|ent 2 DET
2 møtet møte subst appell|nøyt|be|ent 0 FRAG
"""))
    assert toks[0].ulemma == "den"
    lex = LexTable({"det\tdet\tdem|nøyt|ent": ["DET", "Gender=Neut|Number=Sing|PronType=Dem", "den"]})
    toks = convert_sentence(ndt("""
1 det det det dem|nøyt|ent 2 DET
2 møtet møte subst appell|nøyt|be|ent 0 FRAG
"""), lex)
    assert toks[0].ufeats == "Gender=Neut|Number=Sing|PronType=Dem"


def test_agreement_counts():
    class G:  # minimal gold token
        def __init__(self, upos, feats, lemma, head, deprel):
            self.upos, self.feats, self.lemma, self.head, self.deprel = upos, feats, lemma, head, deprel

    conv = convert_sentence(ndt("""
1 Han han pron mask|ent|pers|hum|3|nom 2 SUBJ
2 bor bo verb pres 0 FINV
"""))
    gold = [G("PRON", conv[0].ufeats, "han", 2, "nsubj"), G("VERB", conv[1].ufeats, "bo", 0, "root")]
    res = agreement([(conv, gold)])
    assert res["UAS"] == 100.0 and res["LAS"] == 100.0 and res["tokens"] == 2
