"""Copy a trained model-best into models/<lang>/, set its meta, measure it, write the card.

Usage: python -m pipeline.training.package <lang> [--no-eval]
Writes models/<lang>/ (the pipeline), models/<lang>/README.md (model card),
models/<lang>/floors.json (accuracy floors used by tests/test_nlp.py) and
models/<lang>/metrics.json (the measured figures).
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import spacy  # noqa: E402

import pipeline.components.segmenter  # noqa: E402,F401
import pipeline.lang_rules  # noqa: E402,F401  (tokenizer rules, minutes_lemma_backoff)

from .corpora import REPO, TRAINING_DIR  # noqa: E402
from .evaluate import evaluate, speed  # noqa: E402

VERSION = "0.1.0"
FLOOR_MARGIN = 1.5  # points below the measured figure

DATA_TEXT = {
    "nb": """\
* Tagger, morphology, lemmas, parser: the NDT **train** split of NorNE (`norne/ndt/nob`, 15,696
  sentences, 244,776 tokens), converted from the NDT scheme to UD with
  `pipeline/training/ndt2ud.py` (agreement with the real UD dev split below). NDT annotations:
  CC0 (National Library of Norway); the underlying texts are third-party and are not redistributed.
* NER: the NorNE tags of the same sentences (`name=B-PER` …).
* Model selection (spaCy dev set): real UD Norwegian-Bokmaal dev trees (CC BY-SA 4.0) with the NorNE
  tags of the parallel NDT dev sentences. The converter's closed-class lexicon was also learned
  from this parallel dev split.
* Test figures: UD Norwegian-Bokmaal **test** (tagging, lemmas, parsing, sentences) and NorNE UD
  test (NER); neither was used for training or tuning.""",
    "nn": """\
* Tagger, morphology, lemmas, parser: the NDT **train** split of NorNE (`norne/ndt/nno`, 14,174
  sentences, 246,732 tokens), converted from the NDT scheme to UD with
  `pipeline/training/ndt2ud.py` (agreement with the real UD dev split below). NDT annotations:
  CC0 (National Library of Norway); the underlying texts are third-party and are not redistributed.
* NER: the NorNE tags of the same sentences.
* Model selection (spaCy dev set): real UD Norwegian-Nynorsk dev trees (CC BY-SA 4.0) with the NorNE
  tags of the parallel NDT dev sentences. The converter's closed-class lexicon was also learned
  from this parallel dev split.
* Test figures: UD Norwegian-Nynorsk **test** and NorNE UD test (NER); not used for training or tuning.""",
    "sv": """\
* Tagger, morphology, lemmas, parser: UD Swedish-Talbanken **dev** (504 sentences) + the first 900
  sentences of UD Swedish-PUD (CC BY-SA 4.0). The last 100 PUD sentences are the spaCy dev set.
  UD Swedish-LinES (CC BY-NC-SA, non-commercial) is **not** used.
* NER: swedish-ner-corpus train (CC BY 4.0; Webbnyheter 2012), all but its last 500 sentences
  (those are the NER part of the dev set). Its labels have no B/I prefixes, so adjacent entities
  of the same type are merged into one span in training and in the test figures.
* Test figures: UD Swedish-Talbanken **test** (tagging, lemmas, parsing, sentences) and
  swedish-ner-corpus test (NER).""",
}

LIMITS = {
    "nb": """\
* The training trees are **converted** NDT trees, not the real UD train split (which was not
  available). The converter reaches about 96 % LAS agreement with real UD on dev, so the
  parser learns some systematic conversion errors (mostly punctuation attachment,
  appositions/names, ccomp vs xcomp, some cop vs aux decisions).
* Text genre: news, parliament, blogs, government reports (NDT). Meeting minutes are
  shorter, list-like and full of abbreviations; expect lower accuracy there.
* NER labels follow NorNE: PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV (MISC dropped).
  Map GPE_LOC→LOC and GPE_ORG→ORG downstream if a coarse set is needed.
* NER is the weakest part (short training on one shared core; rare types such as EVT, PROD and
  LOC have few examples), see the per-label table.
* Lemmas follow the treebank conventions (punctuation lemmas `$,` / `$.`, pronoun `det` → `den`).""",
    "sv": """\
* Very little treebank data (about 1,400 sentences, 29k tokens): tagging and parsing are
  well below the official sv_core_news_* pipelines, which train on Talbanken train.
* The NER corpus is news text from 2012 with automatically-derived, partly noisy labels
  (PER, ORG, LOC, MISC); adjacent same-type entities cannot be separated.
* Install sv_core_news_sm/md/lg for better quality: pipeline/nlp.py prefers it automatically.""",
}
LIMITS["nn"] = LIMITS["nb"].replace("news, parliament, blogs, government reports", "news, blogs, government reports")

COMPONENTS = """\
| component | what |
|---|---|
| tokenizer | spaCy's {lang} rules + minutes exceptions from `pipeline/lang_rules.py` (stored in the tokenizer: `kl.`, `ca.`, `bl.a.`, `jf.`, `t.ex.`, `m.m.`, `v/`, `ev.`, dates `29.09.17`, `26/1-18`, case numbers `3/2022`, `23/17`, times `18.30`) |
| tok2vec | shared; MultiHashEmbed (NORM, PREFIX, SUFFIX, SHAPE) + MaxoutWindowEncoder, width 96, depth 4; no static vectors |
| morphologizer | UPOS + UD features |
| trainable_lemmatizer | edit-tree lemmatizer trained on the treebank lemmas |
| minutes_lemma_backoff | (only if listed in `meta.json` pipeline) simplemma dictionary lemma for known words, trained lemma otherwise; kept only when it raised lemma accuracy on the dev set |
| minutes_segmenter | rules (`pipeline/components/segmenter.py`): a new sentence at bullet/numbered list items, case headings (`Sak 12/23`), blank lines and lines after headings; the parser keeps these boundaries |
| parser | transition-based dependency parser, UD relations; also sets the other sentence boundaries |
| ner | transition-based NER |

Loading needs `import pipeline.components.segmenter` and `import pipeline.lang_rules` first (they
register the two rule components; `pipeline/nlp.py` does this)."""


def du_mb(path: Path) -> float:
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return round(total / 1_000_000, 1)


def write_card(lang: str, out: Path, metrics: dict, agreement: dict | None) -> None:
    m = metrics["accuracy"]
    rows = "\n".join(
        f"| {k} | {v['p']} | {v['r']} | {v['f']} |" for k, v in sorted(m["ner_per_type"].items()))
    agree_txt = ""
    if agreement:
        a = agreement["agreement_dev_crossfit"]
        b = agreement["agreement_dev_rules_only"]
        if a["LAS"] >= 95.0:
            decision = ("The dependency conversion reaches the required ≥ 95 % LAS agreement on dev, so the parser\n"
                        "is trained on **UD** trees (the converted NDT train split) and outputs UD relations directly.")
        else:
            decision = ("The dependency conversion stays below 95 % LAS agreement on dev (see the issue's rule);\n"
                        "treat the parser's relations with care.")
        agree_txt = f"""
## NDT→UD converter agreement (UD dev split)

{decision}
Measured on {agreement['dev_pairs']} of {agreement['dev_ud_sents']} UD dev sentences (the ones with a token-identical NDT twin),
{a['tokens']} tokens, LAS with full labels (subtypes included), punctuation included.

| | UPOS | feats | lemma | UAS | LAS |
|---|---:|---:|---:|---:|---:|
| rules + closed-class lexicon (2-fold cross-fitted on dev) | {a['UPOS']} | {a['feats']} | {a['lemma']} | {a['UAS']} | {a['LAS']} |
| rules only | {b['UPOS']} | {b['feats']} | {b['lemma']} | {b['UAS']} | {b['LAS']} |

The structural rules were written while inspecting dev errors, so the dev figures are optimistic;
{test_agree_txt(agreement)}
"""
    nb_target = """
Targets for comparison (spaCy's nb_core_news_sm 3.8, trained on the real UD train split):
UPOS 96.7, morph 95.3, lemma 96.8, UAS 88.1, LAS 84.8, sent F 92.6, NER F 74.8.""" if lang != "sv" else """
Targets for comparison (spaCy's sv_core_news_sm 3.8, trained on Talbanken train): UPOS 94.9, LAS 76.5, NER F 74.7."""
    sp = metrics["speed"]
    card = f"""# minutes_{lang} {VERSION}

Small spaCy {spacy.__version__} pipeline for {dict(nb='Norwegian Bokmål', nn='Norwegian Nynorsk', sv='Swedish')[lang]}, trained by
`pipeline/training/build.sh` from `../shared/data` (config: `models/configs/{lang}.cfg`).
No word vectors. Loaded by `pipeline/nlp.py` when no official
{'nb_core_news_lg/md/sm' if lang != 'sv' else 'sv_core_news_lg/md/sm'} pipeline is installed.

## Data and licence

{DATA_TEXT[lang]}

Licence of this pipeline: CC BY-SA 4.0 (it is derived from CC BY-SA 4.0 treebank data;
the NDT/NorNE annotations are CC0, swedish-ner-corpus CC BY 4.0). Attribution: see
`../shared/data/README.md` (citations).

## Components

{COMPONENTS.format(lang=lang)}

## Accuracy (held-out test split)

spaCy Scorer figures; UAS/LAS exclude punctuation (as in spaCy's own model cards);
gold tokenisation; documents of 10 sentences.

| UPOS | morph | lemma | UAS | LAS | sentence F |
|---:|---:|---:|---:|---:|---:|
| {m['upos']} | {m['morph']} | {m['lemma']} | {m['uas']} | {m['las']} | {m['sent_f']} |

NER (P / R / F): **{m['ner_p']} / {m['ner_r']} / {m['ner_f']}**

| label | P | R | F |
|---|---:|---:|---:|
{rows}
{nb_target}
{agree_txt}
Lemma backoff decision (dev set, lemma accuracy): trained lemmatizer {metrics['lemma_backoff']['dev_lemma_trained']},
with simplemma backoff {metrics['lemma_backoff']['dev_lemma_with_simplemma_backoff']} →
{'**used**' if metrics['lemma_backoff']['used'] else 'not used'}.
Pipeline components: {', '.join(metrics['pipe_names'])}.

## Speed and size

* Speed: **{sp['words_per_cpu_s']:,} words per CPU-second** ({sp['words_per_s']:,} words/s wall clock) with
  `nlp.pipe` (batch 256, raw test text, tokenizer included, best of 3 runs) in one process on one
  CPU core (OMP_NUM_THREADS=1) of this build machine ({metrics['machine']}): {sp['words']} words in
  {sp['cpu_seconds']} CPU-s / {sp['seconds']} s. The 2-core machine was shared (1-minute load average
  {sp.get('load_avg', '?')} during the measurement), so wall-clock speed understates an idle core;
  the CPU-time figure is the benchmark number.
* Size on disk: **{metrics['size_mb']} MB** (limit 30 MB).
* Training time (`spacy train`, one core, shared machine): {_minutes(metrics.get('train_seconds'))}
  (packaged from `{metrics.get('trained_from')}`).

## Known limits

{LIMITS[lang]}
* Sentence F is measured on running treebank text; on minutes, list items and headings are
  split by `minutes_segmenter`, not learned.

## Tests

`tests/test_nlp.py` re-measures this pipeline on the test split and fails if a figure drops below
`floors.json` (measured value − {FLOOR_MARGIN} points).
"""
    (out / "README.md").write_text(card, encoding="utf-8")


def _minutes(sec) -> str:
    return "not recorded" if not sec else f"{sec / 60:.0f} min"


def test_agree_txt(agreement: dict) -> str:
    t = agreement.get("agreement_test")
    if not t:
        return "no unseen-split check was run."
    return (f"as an unseen check, the same converter on the test split ({t['tokens']} tokens) gives "
            f"UPOS {t['UPOS']}, feats {t['feats']}, lemma {t['lemma']}, UAS {t['UAS']}, LAS {t['LAS']} "
            "(this check was run once, after all rules were fixed).")


def dev_lemma_acc(nlp, lang: str) -> float:
    from spacy.tokens import Doc, DocBin
    from spacy.training import Example

    docs = DocBin().from_disk(TRAINING_DIR / lang / "dev.spacy").get_docs(nlp.vocab)
    exs = [Example(Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]), d)
           for d in docs if d.has_annotation("LEMMA")]
    return round(100 * nlp.evaluate(exs)["lemma_acc"], 2)


def add_lemma_backoff_if_better(nlp, lang: str) -> dict:
    """Add the simplemma dictionary backoff after the trained lemmatizer if it improves
    lemma accuracy on the spaCy dev set (never on test)."""
    base = dev_lemma_acc(nlp, lang)
    nlp.add_pipe("minutes_lemma_backoff", after="trainable_lemmatizer", config={"lang": lang})
    with_backoff = dev_lemma_acc(nlp, lang)
    keep = with_backoff > base
    if not keep:
        nlp.remove_pipe("minutes_lemma_backoff")
    return {"dev_lemma_trained": base, "dev_lemma_with_simplemma_backoff": with_backoff, "used": keep}


def _train_seconds(lang: str) -> float | None:
    total = None
    for name in (f"{lang}.time",):
        f = TRAINING_DIR / "logs" / name
        if f.exists():
            total = (total or 0.0) + float(f.read_text().strip())
    return total


def pick_model_best(lang: str) -> Path:
    """The model-best of `spacy train` (its weighted dev score is logged)."""
    outs = REPO / "models" / "training" / "out"
    best, best_score = outs / lang / "model-best", -1.0
    for cand in (outs / lang / "model-best",):
        meta = cand / "meta.json"
        if meta.exists():
            perf = json.loads(meta.read_text()).get("performance", {})
            # the configs' [training.score_weights]
            weights = {"pos_acc": 0.15, "morph_acc": 0.1, "lemma_acc": 0.15, "dep_las": 0.3,
                       "sents_f": 0.05, "ents_f": 0.25}
            score = round(sum(w * (perf.get(k) or 0.0) for k, w in weights.items()), 4)
            print(f"{cand}: dev score {score}")
            if score > best_score:
                best, best_score = cand, score
    return best


def main(lang: str, do_eval: bool = True) -> None:
    src = pick_model_best(lang)
    print("packaging", src)
    out = REPO / "models" / lang
    nlp = spacy.load(src)
    backoff = add_lemma_backoff_if_better(nlp, lang)
    print("lemma backoff:", backoff)
    nlp.meta.update({
        "name": f"minutes_{lang}",
        "version": VERSION,
        "description": f"minutes project {lang} pipeline (bundled; trained from ../shared/data)",
        "license": "CC BY-SA 4.0",
        "author": "minutes project",
        "url": "",
        "email": "",
        "sources": [],
        "minutes_bundled": True,
    })
    keep = {}
    for f in ("README.md",):
        if (out / f).exists():
            keep[f] = (out / f).read_text(encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    for f, text in keep.items():
        (out / f).write_text(text, encoding="utf-8")
    if not do_eval:
        return
    nlp = spacy.load(out)
    acc = evaluate(nlp, lang)
    sp = speed(nlp, lang)
    sp["load_avg"] = round(os.getloadavg()[0], 2)
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    metrics = {
        "pipeline": f"minutes_{lang} {VERSION}",
        "accuracy": acc,
        "speed": sp,
        "size_mb": du_mb(out),
        "machine": f"{cpu}, {os.cpu_count()} cores",
        "train_seconds": _train_seconds(lang),
        "lemma_backoff": backoff,
        "pipe_names": list(nlp.pipe_names),
        "trained_from": str(src.relative_to(REPO)),
    }
    agreement = None
    ag = TRAINING_DIR / lang / "converter_agreement.json"
    if lang in ("nb", "nn") and ag.exists():
        agreement = json.loads(ag.read_text())
        metrics["converter_agreement"] = agreement
    floors = {k: round(max(0.0, acc[k] - FLOOR_MARGIN), 1) for k in
              ("upos", "morph", "lemma", "uas", "las", "sent_f", "ner_f") if acc.get(k) is not None}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / "floors.json").write_text(json.dumps(floors, indent=1), encoding="utf-8")
    write_card(lang, out, metrics, agreement)
    print(json.dumps(metrics, indent=1, ensure_ascii=False))


def card_only(lang: str) -> None:
    """Rewrite README.md from the stored metrics.json (no training, no evaluation)."""
    out = REPO / "models" / lang
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    write_card(lang, out, metrics, metrics.get("converter_agreement"))


if __name__ == "__main__":
    if "--card-only" in sys.argv:
        card_only(sys.argv[1])
    else:
        main(sys.argv[1], "--no-eval" not in sys.argv)
