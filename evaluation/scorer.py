"""The scorer of ANNOTATION.md, "Scoring": pure functions over gold and prediction dicts.

A *gold* document is a corpus/seeds-gold JSON object (document fields at top level, `items`
with `optional` and `responsible` as strings). A *prediction* is one `minutes extract` JSON
object (`document` + `items`, `responsible` as {"name", "kind"} objects); both shapes of
`responsible` are accepted on either side.

Choices where ANNOTATION.md leaves room (see evaluation/README.md; tested in tests/test_scorer.py):
- token overlap counts tokens as multisets; thresholds are inclusive (>= 60% / >= 30%);
- greedy matching takes candidate pairs by Dice overlap 2c/(|g|+|p|), then gold coverage,
  then document order;
- a deadline on one side only is wrong, none on both sides is right; with no labelled date,
  texts "overlap" when more than half of the shorter text's tokens occur in the other;
- responsible F1 of two empty lists is 1.0; the mean is taken over matched actions;
- a document field that is null in gold is right only when the prediction is null too.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import mean
from typing import Any, Callable, Iterable, Optional

from evaluation.tokens import common, contains_name, norm, tokens

TYPES = ("decision", "action")
GOLD_MIN = Fraction(3, 5)  # share of the labelled item's tokens that must occur in the prediction
PRED_MIN = Fraction(3, 10)  # share of the prediction's tokens that must occur in the labelled item


@dataclass
class PRF:
    """True positive, false positive and false negative counts with P/R/F1 (None if undefined)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> Optional[float]:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass
class Pair:
    """A matched (gold, prediction) pair of one type."""

    type: str
    gold: dict
    pred: dict


@dataclass
class DocScore:
    """Everything scored on one document."""

    doc_id: str
    language: str
    body_type: str
    items: dict[str, PRF]
    pairs: list[Pair]  # matched pairs with a non-optional gold item
    false_positives: list[dict]
    false_negatives: list[dict]
    ignored: int  # predictions matched to optional gold items
    responsible_f1: list[float]  # one per matched action
    deadline_ok: list[bool]  # one per matched action
    deadline_labelled_ok: list[bool]  # matched actions whose gold item has a deadline
    language_ok: bool
    date_ok: bool
    country_ok: bool
    county_ok: bool
    municipalities: PRF
    topics: dict[str, PRF]
    confusion: Counter  # (gold type | "none", predicted type | "none") -> count


@dataclass
class CorpusScore:
    """Scores pooled over documents (micro-averaged counts; means over items or documents)."""

    n_docs: int
    items: dict[str, PRF]
    responsible_f1: Optional[float]
    n_matched_actions: int
    deadline_accuracy: Optional[float]
    deadline_labelled_accuracy: Optional[float]
    n_deadline_labelled: int
    language_accuracy: Optional[float]
    date_accuracy: Optional[float]
    country_accuracy: Optional[float]
    county_accuracy: Optional[float]
    municipalities: PRF
    topics: dict[str, PRF]
    topic_micro: PRF
    topic_macro_f1: Optional[float]
    confusion: Counter
    docs: list[DocScore] = field(default_factory=list)


# --- helpers -----------------------------------------------------------------------------

def actor_names(responsible: Iterable[Any] | None) -> list[str]:
    """Actor names from a list of strings or of {"name", "kind"} objects."""
    out = []
    for r in responsible or []:
        name = r.get("name") if isinstance(r, dict) else r
        if name and str(name).strip():
            out.append(str(name).strip())
    return out


def _is_match(g_tok: list[str], p_tok: list[str]) -> bool:
    c = common(g_tok, p_tok)  # exact fractions: 3 of 5 tokens is exactly 60%
    return bool(g_tok) and bool(p_tok) and c >= GOLD_MIN * len(g_tok) and c >= PRED_MIN * len(p_tok)


def _greedy(gold: list[dict], pred: list[dict], same_type_first: bool = False) -> list[tuple[int, int]]:
    """One-to-one greedy pairing of items meeting the 60%/30% rule, best overlap first
    (Dice 2c/(|g|+|p|), then gold coverage, then document order)."""
    g_toks = [tokens(g.get("text")) for g in gold]
    p_toks = [tokens(p.get("text")) for p in pred]
    candidates = []
    for gi, gt in enumerate(g_toks):
        for pi, pt in enumerate(p_toks):
            if _is_match(gt, pt):
                c = common(gt, pt)
                other_type = same_type_first and gold[gi].get("type") != pred[pi].get("type")
                candidates.append((other_type, -2 * c / (len(gt) + len(pt)), -c / len(gt), gi, pi))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for *_, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def match_items(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Match gold and predicted items of one type: (gold index, prediction index) pairs."""
    return _greedy(gold, pred)


def name_prf(gold: list[str], pred: list[str]) -> PRF:
    """Set P/R/F1 counts over actor names: case-insensitive, one name containing the other
    counts; names are paired one-to-one, exact matches first."""
    free_g, free_p = list(range(len(gold))), list(range(len(pred)))
    for same in (lambda a, b: norm(a) == norm(b), contains_name):
        for gi in list(free_g):
            pi = next((k for k in free_p if same(gold[gi], pred[k])), None)
            if pi is not None:
                free_g.remove(gi)
                free_p.remove(pi)
    return PRF(tp=len(gold) - len(free_g), fp=len(free_p), fn=len(free_g))


def responsible_f1(gold: Iterable[Any] | None, pred: Iterable[Any] | None) -> float:
    """Set F1 of the responsible actors of one matched item (1.0 when both are empty)."""
    g, p = actor_names(gold), actor_names(pred)
    if not g and not p:
        return 1.0
    return name_prf(g, p).f1 or 0.0


def texts_overlap(a: str | None, b: str | None) -> bool:
    """Deadline texts overlap: more than half of the shorter text's tokens occur in the other."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return False
    return 2 * common(ta, tb) > min(len(ta), len(tb))


def _deadline(d: Any) -> Optional[dict]:
    if not isinstance(d, dict) or not (d.get("text") or d.get("date")):
        return None
    return d


def deadline_correct(gold: Any, pred: Any) -> bool:
    """A predicted deadline is correct when the dates are equal, or, with no labelled date,
    when the texts overlap. No deadline on either side is correct; on one side only, wrong."""
    g, p = _deadline(gold), _deadline(pred)
    if g is None or p is None:
        return g is None and p is None
    if g.get("date"):
        return str(g["date"]).strip() == str(p.get("date") or "").strip()
    return texts_overlap(g.get("text"), p.get("text"))


_COUNTY_SUFFIX = ("fylkeskommune", "fylke", "län", "lan")


def _county(c: Any) -> str:
    s = norm(c)
    for suffix in _COUNTY_SUFFIX:
        if s.endswith(" " + suffix):
            s = s[: -len(suffix) - 1]
            if suffix in ("län", "lan") and s.endswith("s"):
                s = s[:-1]  # "Västra Götalands län" -> "västra götaland"
    return s


def _municipality(m: Any) -> str:
    s = norm(m.get("name") if isinstance(m, dict) else m)
    for suffix in ("kommune", "kommun"):
        if s.endswith(" " + suffix):
            s = s[: -len(suffix) - 1]
    return s


def _same(g: Any, p: Any, key: Callable[[Any], str] = norm) -> bool:
    """Document field equality; a gold list means any of its values is accepted."""
    if g in (None, "", []):
        return p in (None, "", [])
    if p in (None, "", []):
        return False
    options = g if isinstance(g, list) else [g]
    guesses = p if isinstance(p, list) else [p]
    return any(key(o) == key(q) for o in options for q in guesses)


def set_prf(gold: Iterable[str], pred: Iterable[str]) -> PRF:
    g, p = set(gold), set(pred)
    return PRF(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def type_confusion(gold: list[dict], pred: list[dict]) -> Counter:
    """Counts of (gold type, predicted type) over items matched regardless of type
    ("none" for unmatched); same-type pairs are preferred, optional gold items left out."""
    pairs = _greedy(gold, pred, same_type_first=True)
    out: Counter = Counter((gold[gi]["type"], pred[pi]["type"]) for gi, pi in pairs
                           if not gold[gi].get("optional"))
    matched_g, matched_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
    out.update((g["type"], "none") for gi, g in enumerate(gold) if gi not in matched_g and not g.get("optional"))
    out.update(("none", p["type"]) for pi, p in enumerate(pred) if pi not in matched_p)
    return out


# --- scoring -----------------------------------------------------------------------------

def score_document(gold: dict, pred: dict | None) -> DocScore:
    """Score one prediction (a `minutes extract` object, or None for a missing one) against
    one gold document."""
    pred = pred or {}
    pdoc = pred.get("document") or {}
    gold_items = [i for i in gold.get("items", []) if i.get("type") in TYPES]
    pred_items = [i for i in pred.get("items", []) or [] if i.get("type") in TYPES]
    items: dict[str, PRF] = {}
    pairs: list[Pair] = []
    fps: list[dict] = []
    fns: list[dict] = []
    ignored = 0
    for t in TYPES:
        g = [i for i in gold_items if i["type"] == t]
        p = [i for i in pred_items if i["type"] == t]
        matched = match_items(g, p)
        prf = PRF()
        for gi, pi in matched:
            if g[gi].get("optional"):
                ignored += 1
            else:
                prf.tp += 1
                pairs.append(Pair(t, g[gi], p[pi]))
        mg = {gi for gi, _ in matched}
        mp = {pi for _, pi in matched}
        new_fn = [x for k, x in enumerate(g) if k not in mg and not x.get("optional")]
        new_fp = [x for k, x in enumerate(p) if k not in mp]
        prf.fn, prf.fp = len(new_fn), len(new_fp)
        fns += new_fn
        fps += new_fp
        items[t] = prf
    actions = [x for x in pairs if x.type == "action"]
    g_topics = set(gold.get("topics") or [])
    p_topics = set(pdoc.get("topics") or [])
    return DocScore(
        doc_id=str(gold.get("id")),
        language=str(gold.get("language") or "und"),
        body_type=str(gold.get("body_type") or "unknown"),
        items=items,
        pairs=pairs,
        false_positives=fps,
        false_negatives=fns,
        ignored=ignored,
        responsible_f1=[responsible_f1(x.gold.get("responsible"), x.pred.get("responsible")) for x in actions],
        deadline_ok=[deadline_correct(x.gold.get("deadline"), x.pred.get("deadline")) for x in actions],
        deadline_labelled_ok=[deadline_correct(x.gold.get("deadline"), x.pred.get("deadline"))
                              for x in actions if _deadline(x.gold.get("deadline"))],
        language_ok=_same(gold.get("language"), pdoc.get("language")),
        date_ok=_same(gold.get("meeting_date"), pdoc.get("meeting_date"), key=lambda d: str(d).strip()),
        country_ok=_same(gold.get("country"), pdoc.get("country")),
        county_ok=_same(gold.get("county"), pdoc.get("county"), key=_county),
        municipalities=set_prf(filter(None, map(_municipality, gold.get("municipalities") or [])),
                               filter(None, map(_municipality, pdoc.get("municipalities") or []))),
        topics={t: set_prf([t] if t in g_topics else [], [t] if t in p_topics else [])
                for t in sorted(g_topics | p_topics)},
        confusion=type_confusion(gold_items, pred_items),
    )


def _acc(flags: list[bool]) -> Optional[float]:
    return sum(flags) / len(flags) if flags else None


def aggregate(docs: list[DocScore]) -> CorpusScore:
    """Pool document scores: item and set counts are summed (micro), accuracies are over
    documents or matched actions, topic macro-F1 is the mean F1 over topics seen in gold or
    predictions."""
    items = {t: sum((d.items[t] for d in docs), PRF()) for t in TYPES}
    topics: dict[str, PRF] = {}
    for d in docs:
        for t, prf in d.topics.items():
            topics[t] = topics.get(t, PRF()) + prf
    resp = [f for d in docs for f in d.responsible_f1]
    dl = [f for d in docs for f in d.deadline_ok]
    dl_lab = [f for d in docs for f in d.deadline_labelled_ok]
    topic_f1 = [p.f1 for p in topics.values() if p.f1 is not None]
    confusion: Counter = Counter()
    for d in docs:
        confusion.update(d.confusion)
    return CorpusScore(
        n_docs=len(docs),
        items=items,
        responsible_f1=mean(resp) if resp else None,
        n_matched_actions=len(resp),
        deadline_accuracy=_acc(dl),
        deadline_labelled_accuracy=_acc(dl_lab),
        n_deadline_labelled=len(dl_lab),
        language_accuracy=_acc([d.language_ok for d in docs]),
        date_accuracy=_acc([d.date_ok for d in docs]),
        country_accuracy=_acc([d.country_ok for d in docs]),
        county_accuracy=_acc([d.county_ok for d in docs]),
        municipalities=sum((d.municipalities for d in docs), PRF()),
        topics=dict(sorted(topics.items())),
        topic_micro=sum(topics.values(), PRF()),
        topic_macro_f1=mean(topic_f1) if topic_f1 else None,
        confusion=confusion,
        docs=docs,
    )


def score_corpus(gold: dict[str, dict], preds: dict[str, dict]) -> CorpusScore:
    """Score predictions (keyed by document id) against gold documents (keyed by id). A gold
    document without a prediction counts as an empty prediction."""
    return aggregate([score_document(g, preds.get(doc_id)) for doc_id, g in sorted(gold.items())])


GROUP_KEYS: dict[str, Callable[[DocScore], str]] = {
    "language": lambda d: d.language,
    "body": lambda d: d.body_type,
    "document": lambda d: d.doc_id,
}


def group(score: CorpusScore, by: str) -> dict[str, CorpusScore]:
    """Split a corpus score by "language", "body" (gold body_type) or "document"."""
    key = GROUP_KEYS[by]
    buckets: dict[str, list[DocScore]] = {}
    for d in score.docs:
        buckets.setdefault(key(d), []).append(d)
    return {k: aggregate(v) for k, v in sorted(buckets.items())}
