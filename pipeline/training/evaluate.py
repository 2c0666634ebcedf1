"""Evaluate a pipeline on the held-out test splits in ../shared/data.

Tagging/parsing: the real UD test split (nb, nn: UD_Norwegian-*; sv: UD_Swedish-Talbanken),
gold tokenisation, documents of 10 sentences (sentence F is measured inside them).
NER: NorNE UD-format test (nb, nn; MISC dropped, the 8 other NorNE types kept) and the
swedish-ner-corpus test file (sv).
Scores are spaCy's Scorer figures (UAS/LAS exclude punctuation, as in spaCy's model cards).

Usage: python -m pipeline.training.evaluate <model_dir> <lang> [--limit N]
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.vocab import Vocab

from .corpora import DATA, Sent, chunks, fix_iob, ner_sent_to_doc, plain_to_iob, read_conllu, read_swedish_ner

UD_TEST = {
    "nb": DATA / "ud/UD_Norwegian-Bokmaal/no_bokmaal-ud-test.conllu.gz",
    "nn": DATA / "ud/UD_Norwegian-Nynorsk/no_nynorsk-ud-test.conllu.gz",
    "sv": DATA / "ud/UD_Swedish-Talbanken/sv_talbanken-ud-test.conllu.gz",
}
NER_TEST = {
    "nb": DATA / "norne/ud/nob/no_bokmaal-ud-test.conllu.gz",
    "nn": DATA / "norne/ud/nno/no_nynorsk-ud-test.conllu.gz",
    "sv": DATA / "ner_sv/swedish-ner-corpus/test_corpus.txt.gz",
}
NO_NER_LABELS = {"PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV"}


def _gold_syntax_doc(vocab: Vocab, sents: list[Sent]) -> Doc:
    words, spaces, pos, morphs, lemmas, heads, deps = [], [], [], [], [], [], []
    off = 0
    for s in sents:
        for t in s.toks:
            words.append(t.form)
            spaces.append(t.space_after)
            pos.append(t.upos)
            morphs.append("" if t.feats == "_" else t.feats)
            lemmas.append(t.lemma)
            heads.append(off + (t.id if t.head == 0 else t.head) - 1)
            deps.append("ROOT" if t.head == 0 else t.deprel)
        off += len(s.toks)
    spaces[-1] = False
    return Doc(vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, lemmas=lemmas, heads=heads, deps=deps)


def syntax_examples(nlp: Language, lang: str, limit: int = 0) -> list[Example]:
    sents = list(read_conllu(UD_TEST[lang]))
    if limit:
        sents = sents[:limit]
    out = []
    for g in chunks(sents, 10):
        gold = _gold_syntax_doc(nlp.vocab, g)
        pred = Doc(nlp.vocab, words=[t.text for t in gold], spaces=[bool(t.whitespace_) for t in gold])
        out.append(Example(pred, gold))
    return out


def ner_examples(nlp: Language, lang: str, limit: int = 0) -> list[Example]:
    out = []
    if lang == "sv":
        sents = list(read_swedish_ner(NER_TEST["sv"]))
        if limit:
            sents = sents[:limit]
        for s in sents:
            gold = ner_sent_to_doc(nlp.vocab, s)
            out.append(Example(Doc(nlp.vocab, words=[t.text for t in gold]), gold))
        return out
    sents = list(read_conllu(NER_TEST[lang]))
    if limit:
        sents = sents[:limit]
    for s in sents:
        words = [t.form for t in s.toks]
        spaces = [t.space_after for t in s.toks]
        tags = []
        for t in s.toks:
            tag = t.ner or "O"
            if tag != "O" and tag[2:] not in NO_NER_LABELS:
                tag = "O"
            tags.append(tag)
        gold = Doc(nlp.vocab, words=words, spaces=spaces, ents=fix_iob(tags))
        out.append(Example(Doc(nlp.vocab, words=words, spaces=spaces), gold))
    return out


def _r(x):
    return None if x is None else round(100 * x, 2)


def evaluate(nlp: Language, lang: str, limit: int = 0) -> dict:
    syn = nlp.evaluate(syntax_examples(nlp, lang, limit))
    ner_names = [n for n in nlp.pipe_names if n != "ner"]
    ner = nlp.evaluate(ner_examples(nlp, lang, limit)) if "ner" in nlp.pipe_names else {}
    res = {
        "upos": _r(syn.get("pos_acc")),
        "morph": _r(syn.get("morph_acc")),
        "lemma": _r(syn.get("lemma_acc")),
        "uas": _r(syn.get("dep_uas")),
        "las": _r(syn.get("dep_las")),
        "sent_f": _r(syn.get("sents_f")),
        "ner_p": _r(ner.get("ents_p")),
        "ner_r": _r(ner.get("ents_r")),
        "ner_f": _r(ner.get("ents_f")),
        "ner_per_type": {k: {m: _r(v[m]) for m in ("p", "r", "f")} for k, v in (ner.get("ents_per_type") or {}).items()},
    }
    del ner_names
    return res


def speed(nlp: Language, lang: str, n_sents: int = 2000, batch_size: int = 256) -> dict:
    """Words per second of nlp.pipe on raw test text (tokenizer included), one process."""
    sents = list(read_conllu(UD_TEST[lang]))[:n_sents]
    texts = []
    for g in chunks(sents, 10):
        texts.append("".join(t.form + (" " if t.space_after else "") for s in g for t in s.toks).strip() + " ")
        texts[-1] = texts[-1].strip()
    list(nlp.pipe(texts[:10]))  # warm-up
    best = None
    for _ in range(3):  # best of 3 runs (the build machine is shared)
        t0, c0 = time.perf_counter(), time.process_time()
        n = 0
        for doc in nlp.pipe(texts, batch_size=batch_size):
            n += len(doc)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        if best is None or dt < best[0]:
            best = (dt, dc)
    dt, dc = best
    return {"words": n, "seconds": round(dt, 2), "words_per_s": int(n / dt),
            "cpu_seconds": round(dc, 2), "words_per_cpu_s": int(n / dc),
            "threads": os.environ.get("OMP_NUM_THREADS", "unset")}


def main() -> None:
    import spacy

    import pipeline.components.segmenter  # noqa: F401
    import pipeline.lang_rules  # noqa: F401

    model, lang = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else 0
    nlp = spacy.load(model)
    res = evaluate(nlp, lang, limit)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
