"""Build Norwegian (nb / nn) training corpora from NorNE's NDT files.

train: NDT train split converted to UD with pipeline.training.ndt2ud (+ NorNE NER tags).
dev  : real UD dev trees (ud/UD_Norwegian-*) + NER tags of the parallel NDT dev sentences.
The closed-class lexicon of the converter is learned from the parallel dev split and stored
in models/training/<lang>/lex.json (a derived file; not committed).

Usage: python -m pipeline.training.build_no nb|nn
"""
from __future__ import annotations

import json
import sys

from spacy.tokens import Doc
from spacy.vocab import Vocab

from .corpora import DATA, TRAINING_DIR, Sent, chunks, fix_iob, read_conllu, write_docbin
from .ndt2ud import LexTable, agreement, convert_sentence, drop_paragraph_tokens, ntoks_from_sent

CODES = {"nb": "nob", "nn": "nno"}
UD_DIRS = {"nb": "UD_Norwegian-Bokmaal/no_bokmaal", "nn": "UD_Norwegian-Nynorsk/no_nynorsk"}
# NorNE types kept (MISC has < 10 training examples and is dropped)
NER_LABELS = {"PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV"}
NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "»", "%", "..."}
NO_SPACE_AFTER = {"(", "«"}


def ndt_path(lang: str, split: str):
    c = CODES[lang]
    return DATA / f"norne/ndt/{c}/{c}-ndt-ner-{split}.conll.gz"


def ud_path(lang: str, split: str):
    return DATA / f"ud/{UD_DIRS[lang]}-ud-{split}.conllu.gz"


def norne_ud_path(lang: str, split: str):
    c = CODES[lang]
    name = {"nb": "no_bokmaal", "nn": "no_nynorsk"}[lang]
    return DATA / f"norne/ud/{c}/{name}-ud-{split}.conllu.gz"


def align(ndt: list[Sent], ud: list[Sent]) -> list[tuple[Sent, Sent]]:
    """Pair NDT and UD sentences that have the same tokens once '|' tokens are dropped."""
    pairs, j = [], 0
    for s in ndt:
        forms = [t.form for t in s.toks if t.form != "|"]
        if not forms:
            continue
        for k in range(j, min(j + 5, len(ud))):
            if [t.form for t in ud[k].toks] == forms:
                pairs.append((s, ud[k]))
                j = k + 1
                break
    return pairs


def ner_tag(misc: str) -> str:
    for item in misc.split("|"):
        if item.startswith("name="):
            tag = item[5:]
            if tag == "O" or tag[2:] not in NER_LABELS:
                return "O"
            return tag
    return "O"


def guess_spaces(words: list[str]) -> list[bool]:
    sp = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        sp.append(nxt is not None and nxt not in NO_SPACE_BEFORE and w not in NO_SPACE_AFTER)
    return sp


def converted_doc(vocab: Vocab, sents: list[list], ner: bool = True) -> Doc:
    """sents: converted NTok lists."""
    words, pos, morphs, lemmas, heads, deps, ents = [], [], [], [], [], [], []
    offset = 0
    for toks in sents:
        for t in toks:
            words.append(t.form)
            pos.append(t.upos)
            morphs.append("" if t.ufeats == "_" else t.ufeats)
            lemmas.append(t.ulemma)
            heads.append(offset + (t.id if t.uhead == 0 else t.uhead) - 1)
            deps.append("ROOT" if t.uhead == 0 else t.udep)
            ents.append(ner_tag(t.misc))
        offset += len(toks)
    return Doc(vocab, words=words, spaces=guess_spaces(words), pos=pos, morphs=morphs, lemmas=lemmas,
               heads=heads, deps=deps, ents=fix_iob(ents) if ner else None)


def ud_doc(vocab: Vocab, sents: list[Sent], ner_tags: list[list[str]] | None = None) -> Doc:
    words, spaces, pos, morphs, lemmas, heads, deps, ents = [], [], [], [], [], [], [], []
    offset = 0
    for k, s in enumerate(sents):
        for i, t in enumerate(s.toks):
            words.append(t.form)
            spaces.append(t.space_after)
            pos.append(t.upos)
            morphs.append("" if t.feats == "_" else t.feats)
            lemmas.append(t.lemma)
            heads.append(offset + (t.id if t.head == 0 else t.head) - 1)
            deps.append("ROOT" if t.head == 0 else t.deprel)
            if ner_tags is not None:
                ents.append(ner_tags[k][i])
        offset += len(s.toks)
    spaces[-1] = False
    kw = {"ents": fix_iob(ents)} if ner_tags is not None else {}
    return Doc(vocab, words=words, spaces=spaces, pos=pos, morphs=morphs, lemmas=lemmas, heads=heads, deps=deps, **kw)


def group_by_doc(sents: list[Sent], n: int = 10) -> list[list[Sent]]:
    """Chunks of n consecutive sentences that never cross a document boundary."""
    groups, cur = [], []
    for s in sents:
        if s.doc_id is not None and cur:
            groups.extend(chunks(cur, n))
            cur = []
        cur.append(s)
    if cur:
        groups.extend(chunks(cur, n))
    return groups


def main(lang: str) -> None:
    out = TRAINING_DIR / lang
    out.mkdir(parents=True, exist_ok=True)
    vocab = Vocab()
    ndt_dev = list(read_conllu(ndt_path(lang, "dev")))
    ud_dev = list(read_conllu(ud_path(lang, "dev")))
    dev_pairs = align(ndt_dev, ud_dev)
    # converter lexicon from the parallel dev split; agreement with 2-fold cross-fitting
    prepared = [(drop_paragraph_tokens(ntoks_from_sent(s)), u.toks) for s, u in dev_pairs]
    half = len(prepared) // 2
    lex_a, lex_b = LexTable.learn(prepared[:half]), LexTable.learn(prepared[half:])
    conv = [(convert_sentence(ntoks_from_sent(s), lex_b if i < half else lex_a), u.toks)
            for i, (s, u) in enumerate(dev_pairs)]
    agree = agreement(conv)
    agree_rules = agreement([(convert_sentence(ntoks_from_sent(s)), u.toks) for s, u in dev_pairs])
    lex = LexTable.learn(prepared)
    lex.to_disk(out / "lex.json")
    # unseen check on the test split (reported only; nothing is tuned on it)
    test_pairs = align(list(read_conllu(ndt_path(lang, "test"))), list(read_conllu(ud_path(lang, "test"))))
    agree_test = agreement([(convert_sentence(ntoks_from_sent(s), lex), u.toks) for s, u in test_pairs])
    stats = {"dev_pairs": len(dev_pairs), "dev_ud_sents": len(ud_dev),
             "agreement_dev_crossfit": agree, "agreement_dev_rules_only": agree_rules,
             "agreement_test": agree_test, "test_pairs": len(test_pairs)}
    print(json.dumps(stats, indent=1))
    (out / "converter_agreement.json").write_text(json.dumps(stats, indent=1))

    # train
    train = list(read_conllu(ndt_path(lang, "train")))
    docs = []
    for group in group_by_doc(train, 10):
        conv_sents = [convert_sentence(ntoks_from_sent(s), lex) for s in group]
        conv_sents = [c for c in conv_sents if c]
        if conv_sents:
            docs.append(converted_doc(vocab, conv_sents))
    print("train docs", write_docbin(docs, out / "train.spacy"))
    # dev: real UD trees + NER from the NDT twin sentence
    ner_by_ud = {id(u): [ner_tag(t.misc) for t in s.toks if t.form != "|"] for s, u in dev_pairs}
    dev_sents = [u for _, u in dev_pairs]
    dev_docs = [ud_doc(vocab, g, [ner_by_ud[id(u)] for u in g]) for g in chunks(dev_sents, 10)]
    print("dev docs", write_docbin(dev_docs, out / "dev.spacy"))


if __name__ == "__main__":
    main(sys.argv[1])
