"""Build the Swedish training corpora (permissive data only; LinES is NOT used).

train: Talbanken dev (504 sents) + PUD (first 900 sents) for syntax/morph/lemma,
       swedish-ner-corpus train (all but the last 500 sents) for NER.
dev (for model selection during spacy train): PUD last 100 sents + NER train last 500.
Final evaluation (pipeline.training.evaluate): Talbanken test + NER test.
"""
from __future__ import annotations

from spacy.vocab import Vocab

from .corpora import DATA, TRAINING_DIR, chunks, ner_sent_to_doc, read_conllu, read_swedish_ner, sents_to_doc, write_docbin

SV_TALBANKEN_DEV = DATA / "ud/UD_Swedish-Talbanken/sv_talbanken-ud-dev.conllu.gz"
SV_TALBANKEN_TEST = DATA / "ud/UD_Swedish-Talbanken/sv_talbanken-ud-test.conllu.gz"
SV_PUD = DATA / "ud/UD_Swedish-PUD/sv_pud-ud-test.conllu.gz"
SV_NER_TRAIN = DATA / "ner_sv/swedish-ner-corpus/train_corpus.txt.gz"
SV_NER_TEST = DATA / "ner_sv/swedish-ner-corpus/test_corpus.txt.gz"


def main() -> None:
    vocab = Vocab()
    out = TRAINING_DIR / "sv"
    tal = list(read_conllu(SV_TALBANKEN_DEV))
    pud = list(read_conllu(SV_PUD))
    ner = list(read_swedish_ner(SV_NER_TRAIN))
    syn_train = tal + pud[:900]
    syn_dev = pud[900:]
    train_docs = [sents_to_doc(vocab, c) for c in chunks(syn_train, 8)]
    train_docs += [ner_sent_to_doc(vocab, s) for s in ner[:-500]]
    dev_docs = [sents_to_doc(vocab, c) for c in chunks(syn_dev, 8)]
    dev_docs += [ner_sent_to_doc(vocab, s) for s in ner[-500:]]
    print("train docs", write_docbin(train_docs, out / "train.spacy"))
    print("dev docs", write_docbin(dev_docs, out / "dev.spacy"))


if __name__ == "__main__":
    main()
