"""Norwegian Dependency Treebank (NDT, Oslo-Bergen tagset) -> Universal Dependencies.

Converts NorNE's NDT-format files (``norne/ndt``) to UD: UPOS, features, lemmas,
dependency structure (function heads -> content heads) and labels.

Pieces:
* ``map_pos`` / ``map_feats`` / ``map_lemma``: rule-based tag conversion. Closed-class words
  can additionally be looked up in a ``LexTable`` learned from the parallel NDT/UD dev split
  (the dev sentences exist in both schemes; see ../shared/data/README.md).
* ``convert_tree``: the structural rules (works on UD POS + NDT relations, so it can also be
  applied at run time to a parse predicted in the NDT scheme, see pipeline/components):
    - infinitive marker ``å`` + INFV verb   -> verb heads, ``å`` = mark
    - preposition + PUTFYLL complement      -> complement heads, preposition = case
    - verb + INFV verb (auxiliary chain)    -> main verb heads, auxiliaries = aux / aux:pass
    - ``være`` + SPRED predicative          -> predicative heads, ``være`` = cop
    - other dependents of a demoted function word move to the new head
    - relation labels from the NDT relation + POS of dependent and head
    - punctuation: commas before a conjunct attach to that conjunct
* ``agreement``: token-level agreement (UPOS, feats, lemma, UAS, LAS) with real UD trees.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

PUNCT_POS = {"clb", "<komma>", "<anf>", "<strek>", "<parentes-beg>", "<parentes-slutt>"}
AUX_LEMMAS = {"ha", "være", "vere", "bli", "verte", "kunne", "skulle", "ville", "måtte", "burde",
              "få", "måtta", "skula", "kunna", "vilja", "bør", "tore", "tørre", "la"}
NEG = {"ikke", "ikkje", "ei", "aldri"}
COPULA_LEMMAS = {"være", "vere"}
NUM_WORDS = {"null", "en", "én", "ein", "eitt", "ett", "to", "tre", "fire", "fem", "seks", "sju", "syv",
             "åtte", "ni", "ti", "elleve", "tolv", "tretten", "fjorten", "femten", "seksten", "sytten",
             "atten", "nitten", "tjue", "tjuge", "tretti", "tredve", "førti", "femti", "seksti", "sytti",
             "åtti", "nitti", "hundre", "tusen", "million", "millioner", "milliard", "milliarder",
             "ene", "eneste", "eine", "einaste", "halvannen", "begge"}


@dataclass
class NTok:
    """One token. ``pos``/``feats``/``deprel`` are NDT on input; ``upos``/``ufeats``/``udep``
    and ``uhead`` are filled by the conversion."""
    id: int
    form: str
    lemma: str
    pos: str
    feats: str
    head: int
    deprel: str
    misc: str = "_"
    upos: str = ""
    ufeats: str = "_"
    ulemma: str = ""
    uhead: int = -1
    udep: str = ""
    fixed: bool = field(default=False, repr=False)


# ---------------------------------------------------------------- tags

def _fs(feats: str) -> set[str]:
    return set(feats.split("|")) if feats and feats != "_" else set()


def map_pos(t: NTok, children_rels: Sequence[str] = (), child_forms: Sequence[str] = ()) -> str:
    p, f = t.pos, _fs(t.feats)
    low = t.form.lower()
    if p in PUNCT_POS:
        return "PUNCT"
    if p == "subst":
        return "PROPN" if "prop" in f else "NOUN"
    if p == "verb":
        if "INFV" in children_rels:
            return "AUX"
        if t.lemma in COPULA_LEMMAS and "SPRED" in children_rels:
            return "AUX"
        return "VERB"
    if p == "adj":
        return "ADJ"
    if p == "pron":
        return "PRON"
    if p == "det":
        if "poss" in f:
            return "PRON"
        if "kvant" in f and (low in NUM_WORDS - {"en", "ein", "begge"} or low.replace(".", "").replace(",", "").isdigit()):
            return "NUM"
        return "DET"
    if p == "prep":
        return "ADP" if "PUTFYLL" in children_rels else "ADP"
    if p == "konj":
        return "CCONJ"
    if p == "sbu":
        return "SCONJ"
    if p == "adv":
        return "PART" if low in ("ikke", "ikkje") else "ADV"
    if p == "inf-merke":
        return "PART"
    if p == "interj":
        return "INTJ"
    if p == "symb":
        return "SYM"
    if p == "ukjent":
        return "X"
    return "X"


def _join(d: dict[str, str]) -> str:
    return "|".join(f"{k}={v}" for k, v in sorted(d.items(), key=lambda kv: kv[0].lower())) or "_"


def map_feats(t: NTok, upos: str) -> str:
    f = _fs(t.feats)
    d: dict[str, str] = {}
    gender = {"mask": "Masc", "fem": "Fem", "nøyt": "Neut", "m/f": "Com"}
    if upos in ("NOUN", "PROPN", "ADJ", "DET", "PRON", "NUM"):
        for k, v in gender.items():
            if k in f:
                d["Gender"] = v
        if "ub" in f:
            d["Definite"] = "Ind"
        if "be" in f:
            d["Definite"] = "Def"
        if "ent" in f:
            d["Number"] = "Sing"
        if "fl" in f:
            d["Number"] = "Plur"
        if "gen" in f:
            d["Case"] = "Gen"
    if "fork" in f:
        d["Abbr"] = "Yes"
    if upos == "PROPN":
        d.pop("Definite", None)
        d.pop("Number", None)
    if upos == "ADJ":
        for k, v in (("pos", "Pos"), ("komp", "Cmp"), ("sup", "Sup")):
            if k in f:
                d["Degree"] = v
        if "<perf-part>" in f or "<pres-part>" in f:
            d["VerbForm"] = "Part"
            d.pop("Degree", None)
        if "<ordenstall>" in f:
            d["NumType"] = "Ord"
        if "<pres-part>" in f:
            d = {"VerbForm": "Part"}
    if upos in ("VERB", "AUX"):
        if "pres" in f:
            d.update(Mood="Ind", Tense="Pres", VerbForm="Fin")
        elif "pret" in f:
            d.update(Mood="Ind", Tense="Past", VerbForm="Fin")
        elif "inf" in f:
            d["VerbForm"] = "Inf"
        elif "perf-part" in f:
            d["VerbForm"] = "Part"
        elif "imp" in f:
            d.update(Mood="Imp", VerbForm="Fin")
        if "pass" in f:
            d["Voice"] = "Pass"
    if upos == "PRON":
        if "pers" in f or "refl" in f:
            d["PronType"] = "Prs"
        for k, v in (("1", "1"), ("2", "2"), ("3", "3")):
            if k in f:
                d["Person"] = v
        if "nom" in f:
            d["Case"] = "Nom"
        if "akk" in f:
            d["Case"] = "Acc"
        if "refl" in f:
            d["Reflex"] = "Yes"
        if "hum" in f:
            d["Animacy"] = "Hum"
        if "poss" in f:
            d.update(Poss="Yes", PronType="Prs")
        d.pop("Definite", None)
    if upos == "DET":
        if "dem" in f:
            d["PronType"] = "Dem"
        if "kvant" in f:
            d["PronType"] = "Ind"
        if t.form.lower() in ("den", "det", "de", "dei", "en", "ei", "et", "ein", "eit"):
            d["PronType"] = "Art"
    if upos == "NUM":
        d = {k: v for k, v in d.items() if k in ("Number", "Definite")}
        d["NumType"] = "Card"
    if upos == "PART" and t.form.lower() in ("ikke", "ikkje"):
        d = {"Polarity": "Neg"}
    return _join(d)


def map_lemma(t: NTok, upos: str) -> str:
    if t.pos == "det" and t.lemma == "det":
        return "den"
    return t.lemma


class LexTable:
    """Closed-class lookup learned from parallel NDT/UD data:
    (lower form, NDT pos, NDT feats) -> (UPOS, FEATS, lemma) when unambiguous enough."""

    CLOSED = {"pron", "det", "adv", "prep", "konj", "sbu", "inf-merke", "interj"}

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = table or {}

    @staticmethod
    def key(t: NTok) -> str:
        return f"{t.form.lower()}\t{t.pos}\t{t.feats}"

    def lookup(self, t: NTok) -> tuple[str, str, str] | None:
        v = self.table.get(self.key(t))
        return tuple(v) if v else None  # type: ignore[return-value]

    @classmethod
    def learn(cls, pairs: Iterable[tuple[list[NTok], list]], min_count: int = 2, min_share: float = 0.8) -> "LexTable":
        counts: dict[str, Counter] = defaultdict(Counter)
        for ntoks, utoks in pairs:
            for t, u in zip(ntoks, utoks):
                if t.pos in cls.CLOSED:
                    counts[cls.key(t)][(u.upos, u.feats, u.lemma)] += 1
        table = {}
        for k, c in counts.items():
            (val, n), total = c.most_common(1)[0], sum(c.values())
            if n >= min_count and n / total >= min_share:
                table[k] = list(val)
        return cls(table)

    def to_disk(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.table, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: Path) -> "LexTable":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))


# ---------------------------------------------------------------- structure

def drop_paragraph_tokens(toks: list[NTok]) -> list[NTok]:
    """Remove NDT-only paragraph tokens ('|'), renumber, re-attach their dependents."""
    keep = [t for t in toks if t.form != "|"]
    if len(keep) == len(toks):
        return toks
    by_id = {t.id: t for t in toks}
    new_id = {t.id: i + 1 for i, t in enumerate(keep)}
    out = []
    for t in keep:
        h = t.head
        seen = 0
        while h in by_id and by_id[h].form == "|" and seen < len(toks):
            h = by_id[h].head
            seen += 1
        nt = NTok(new_id[t.id], t.form, t.lemma, t.pos, t.feats, new_id.get(h, 0) if h else 0, t.deprel, t.misc)
        out.append(nt)
    if not any(t.head == 0 for t in out) and out:
        out[0].head = 0
    return out


def tag_sentence(toks: list[NTok], lex: LexTable | None = None) -> None:
    kids: dict[int, list[NTok]] = defaultdict(list)
    for t in toks:
        kids[t.head].append(t)
    for t in toks:
        rels = [c.deprel for c in kids[t.id]]
        upos = map_pos(t, rels)
        feats = map_feats(t, upos)
        lemma = map_lemma(t, upos)
        if lex is not None:
            hit = lex.lookup(t)
            if hit is not None and not (t.pos in ("prep", "adv") and hit[0] in ("ADP", "ADV") and False):
                upos, feats, lemma = hit
        # AUX decision is structural and wins over the lexicon
        if t.pos == "verb":
            upos = "AUX" if ("INFV" in rels or (t.lemma in COPULA_LEMMAS and "SPRED" in rels)) else "VERB"
        t.upos, t.ufeats, t.ulemma = upos, feats, lemma


NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "DET", "SYM", "X", "ADJ"}


def _is_clause(t: NTok, kids: dict[int, list[NTok]]) -> bool:
    return t.upos in ("VERB", "AUX") or any(c.udep in ("cop",) for c in kids.get(t.id, []))


def convert_tree(toks: list[NTok]) -> list[NTok]:
    """Restructure an NDT tree (with UD POS already in ``upos``) into UD heads/labels.
    Input relations are read from ``deprel`` and heads from ``head`` (1-based, 0 = root)."""
    by = {t.id: t for t in toks}
    head = {t.id: t.head for t in toks}
    rel = {t.id: t.deprel for t in toks}  # NDT relation carried by the (new) head of a phrase
    fixed: dict[int, str] = {}
    # original NDT relation of each token (before promotion), used for label decisions
    orig_rel = dict(rel)

    def children(i: int) -> list[int]:
        return [j for j in head if head[j] == i]

    def promote(func: int, content: int, label: str) -> None:
        head[content] = head[func]
        rel[content] = rel[func]
        for c in children(func):
            if c != content:
                head[c] = content
        head[func] = content
        fixed[func] = label

    order = sorted(by, reverse=True)
    # 1. infinitive marker
    for i in order:
        t = by[i]
        if t.pos == "inf-merke" or (t.upos == "PART" and t.form.lower() == "å"):
            infv = [c for c in children(i) if rel[c] == "INFV"]
            if infv:
                promote(i, infv[0], "mark")
    # 2. prepositions
    for i in order:
        t = by[i]
        if t.upos == "ADP" or t.pos == "prep":
            comp = [c for c in children(i) if rel[c] == "PUTFYLL"]
            if comp:
                promote(i, comp[0], "case")
    # 3. auxiliaries (right to left handles chains)
    for i in order:
        t = by[i]
        if t.upos in ("AUX", "VERB") and i not in fixed:
            infv = [c for c in children(i) if rel[c] == "INFV" and by[c].upos in ("VERB", "AUX", "ADJ")]
            if infv:
                m = infv[0]
                lab = "aux"
                if t.ulemma in ("bli", "verte") or (t.lemma in ("bli", "verte")):
                    lab = "aux:pass"
                if t.lemma in COPULA_LEMMAS and by[m].upos == "ADJ":
                    lab = "cop"
                promote(i, m, lab)
    # 4. copula
    for i in order:
        t = by[i]
        if (t.lemma in COPULA_LEMMAS or t.ulemma in COPULA_LEMMAS) and i not in fixed:
            spred = [c for c in children(i) if rel[c] == "SPRED"]
            if spred:
                promote(i, spred[0], "cop")
    # 5. labels
    for t in toks:
        t.uhead = head[t.id]
    kids: dict[int, list[NTok]] = defaultdict(list)
    for t in toks:
        kids[t.uhead].append(t)
    for t in toks:
        t.udep = fixed.get(t.id, "")
    for t in toks:
        if t.udep:
            continue
        t.udep = _label(t, rel[t.id], by.get(t.uhead), kids)
    # passive subjects / aux:pass
    for t in toks:
        if t.udep == "nsubj":
            h = by.get(t.uhead)
            if h is not None and (
                "Voice=Pass" in h.ufeats or any(c.udep == "aux:pass" for c in kids[h.id])
            ):
                t.udep = "nsubj:pass"
        if t.udep == "aux:pass":
            h = by.get(t.uhead)
            if h is not None and "VerbForm=Part" not in h.ufeats:
                t.udep = "aux"
    # 6. parenthetical main clauses: "X, sier han" is PAR under "sier" in NDT, root in UD
    root = next((t for t in toks if t.uhead == 0), None)
    if root is not None:
        par = [t for t in toks if t.uhead == root.id and rel[t.id] == "PAR" and t.upos != "PUNCT" and t.id > root.id]
        if len(par) == 1:
            p = par[0]
            p.uhead, p.udep = 0, "root"
            root.uhead, root.udep = p.id, "ccomp"
    # 7. title + name: "Dommer(APP) Finn(SUBJ) Eilertsen" -> title heads, names = flat:name
    for t in toks:
        if t.upos == "PROPN" and t.uhead != 0:
            app = [c for c in toks if c.uhead == t.id and rel[c.id] == "APP" and c.upos == "NOUN" and c.id == t.id - 1]
            if app:
                a = app[0]
                a.uhead, a.udep = t.uhead, t.udep
                for c in toks:
                    if c.uhead == t.id and c is not a and c.udep in ("flat:name", "flat"):
                        c.uhead = a.id
                        c.udep = "flat:name"
                for c in toks:
                    if c.uhead == t.id and c is not a and c.id > t.id and c.udep != "punct":
                        pass
                t.uhead, t.udep = a.id, "flat:name"
    # 8. punctuation (the Udapi ud.FixPunct procedure)
    fix_punct(toks)
    for t in toks:
        if t.uhead == 0:
            t.udep = "root"
    return toks


def fix_punct(toks: list[NTok]) -> None:
    """Attach each punctuation token to the lower of the two candidates reached by climbing
    from its neighbours without crossing it (as Udapi's ud.FixPunct does)."""
    by = {t.id: t for t in toks}
    is_p = {t.id: t.upos == "PUNCT" for t in toks}
    head = {t.id: t.uhead for t in toks}
    # spans over non-punctuation descendants
    kids: dict[int, list[int]] = defaultdict(list)
    for t in toks:
        if not is_p[t.id]:
            kids[t.uhead].append(t.id)
    lo: dict[int, int] = {}
    hi: dict[int, int] = {}

    def span(i: int) -> tuple[int, int]:
        if i in lo:
            return lo[i], hi[i]
        a = b = i
        stack = [i]
        seen = {i}
        while stack:
            u = stack.pop()
            a, b = min(a, u), max(b, u)
            for c in kids.get(u, []):
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        lo[i], hi[i] = a, b
        return a, b

    def ancestors(i: int) -> list[int]:
        out, seen = [], set()
        while i and i not in seen:
            seen.add(i)
            out.append(i)
            i = head.get(i, 0)
        return out

    n = len(toks)
    for t in toks:
        if not is_p[t.id] or t.uhead == 0:
            continue
        i = t.id
        l = i - 1
        while l >= 1 and is_p[l]:
            l -= 1
        r = i + 1
        while r <= n and is_p[r]:
            r += 1
        l_cand = l if l >= 1 else None
        r_cand = r if r <= n else None
        l_path, r_path = [], []
        if l_cand:
            l_path = [l_cand]
            while head[l_cand] != 0 and head[l_cand] < i and span(l_cand)[1] < i:
                l_cand = head[l_cand]
                l_path.append(l_cand)
        if r_cand:
            r_path = [r_cand]
            while head[r_cand] != 0 and head[r_cand] > i and span(r_cand)[0] > i:
                r_cand = head[r_cand]
                r_path.append(r_cand)
        if l_cand and r_cand and r_cand in ancestors(l_cand):
            cand, path = l_cand, l_path
        elif l_cand and r_cand and l_cand in ancestors(r_cand):
            cand, path = r_cand, r_path
        elif l_cand:
            cand, path = l_cand, l_path + r_path
        else:
            cand, path = r_cand, l_path + r_path
        if cand and t.uhead not in path:
            t.uhead = cand
        t.udep = "punct"


def _span_start(t: NTok, by: dict[int, NTok], kids: dict[int, list[NTok]]) -> int:
    lo = t.id
    stack = [t]
    while stack:
        u = stack.pop()
        lo = min(lo, u.id)
        stack.extend(c for c in kids.get(u.id, []) if c.id != u.id)
    return lo


def _label(t: NTok, r: str, h: NTok | None, kids: dict[int, list[NTok]]) -> str:
    if h is None:
        return "root"
    clause = t.upos in ("VERB", "AUX")
    finite = "VerbForm=Fin" in t.ufeats
    finite = finite or any(c.udep in ("aux", "aux:pass", "cop") and "VerbForm=Fin" in c.ufeats
                           for c in kids.get(t.id, []))
    rel_marker = any(c.form.lower() in ("som", "der", "hvor", "kor", "da") and c.udep == "mark"
                     for c in kids.get(t.id, []))
    has_case = any(c.udep == "case" for c in kids.get(t.id, []))
    nominal_head = h.upos in ("NOUN", "PROPN", "PRON", "NUM", "DET")
    if t.upos == "PUNCT" or r in ("IP", "IK"):
        return "punct"
    if r in ("FINV", "FRAG"):
        return "root"
    if r in ("SUBJ", "PSUBJ"):
        return "csubj" if clause else "nsubj"
    if r in ("FSUBJ", "FOBJ"):
        return "expl"
    if r == "DOBJ":
        if clause:
            return "ccomp" if "VerbForm=Fin" in t.ufeats else "xcomp"
        return "obj"
    if r == "IOBJ":
        return "iobj"
    if r in ("SPRED", "OPRED", "FSPRED", "FOPRED"):
        return "xcomp"
    if r == "KOORD" or r == "KOORD-ELL":
        return "conj"
    if r == "KONJ":
        return "cc"
    if r == "SBU":
        return "mark"
    if r == "FLAT":
        return "flat:foreign" if t.upos == "X" else "flat:name"
    if r == "APP":
        return "appos"
    if r == "PAR":
        return "parataxis"
    if r == "INTERJ":
        return "discourse"
    if r == "UKJENT":
        return "dep"
    if r == "DET":
        if "Poss=Yes" in t.ufeats:
            return "nmod:poss"
        if t.upos == "NUM":
            return "nummod"
        if t.upos in ("NOUN", "PROPN"):
            return "nmod"
        return "det"
    if r == "PUTFYLL":  # complement left without a preposition head (e.g. stranded)
        return "obl" if not nominal_head else "nmod"
    if r in ("ADV", "ATR", "INFV"):
        if t.upos == "SCONJ":
            return "mark"
        if clause:
            if nominal_head and r == "ATR":
                return "acl:relcl" if (finite or rel_marker) else "acl"
            if nominal_head:
                return "acl"
            return "advcl"
        if t.upos in ("ADV", "PART") or (t.upos == "ADJ" and r == "ADV" and not has_case):
            return "advmod"
        if t.upos == "ADJ":
            return "amod" if nominal_head else "advmod"
        if t.upos == "NUM":
            return "nmod" if nominal_head else "obl"
        if t.upos == "DET":
            return "det"
        if t.upos == "ADP":
            return "advmod" if not nominal_head else "case"
        if t.upos in ("NOUN", "PROPN", "PRON", "SYM", "X"):
            if r == "ATR":
                return "nmod"
            return "obl"
        if t.upos == "CCONJ":
            return "cc"
        return "advmod"
    return "dep"


# ---------------------------------------------------------------- IO

def ntoks_from_sent(sent) -> list[NTok]:
    return [NTok(t.id, t.form, t.lemma, t.upos, t.feats, t.head, t.deprel, t.misc) for t in sent.toks]


def convert_sentence(ntoks: list[NTok], lex: LexTable | None = None) -> list[NTok]:
    toks = drop_paragraph_tokens(ntoks)
    tag_sentence(toks, lex)
    return convert_tree(toks)


def agreement(pairs: Iterable[tuple[list[NTok], list]]) -> dict[str, float]:
    """pairs: (converted NTok list, gold UD Tok list). Returns percentages."""
    n = upos = feats = lemma = uas = las = 0
    for conv, gold in pairs:
        for c, g in zip(conv, gold):
            n += 1
            upos += c.upos == g.upos
            feats += c.ufeats == (g.feats or "_")
            lemma += c.ulemma == g.lemma
            if c.uhead == g.head:
                uas += 1
                las += c.udep == g.deprel
    return {k: round(100 * v / max(n, 1), 2) for k, v in
            dict(UPOS=upos, feats=feats, lemma=lemma, UAS=uas, LAS=las).items()} | {"tokens": n}
