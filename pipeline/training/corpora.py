"""Readers for the treebanks / NER corpora in ../shared/data and DocBin writers.

Every reader yields ``Sent`` objects (a list of token dicts plus comments). Docs for
training group ``n_sents`` sentences, so the parser also learns sentence boundaries.
Derived corpora go to models/training/ (git-ignored), never into the repository.
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
TRAINING_DIR = REPO / "models" / "training"


@dataclass
class Tok:
    id: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int
    deprel: str
    misc: str

    @property
    def space_after(self) -> bool:
        return "SpaceAfter=No" not in self.misc.split("|")

    @property
    def ner(self) -> str | None:
        for item in self.misc.split("|"):
            if item.startswith("name="):
                return item[5:]
        return None


@dataclass
class Sent:
    toks: list[Tok]
    comments: list[str] = field(default_factory=list)

    @property
    def sent_id(self) -> str:
        for c in self.comments:
            if c.startswith("# sent_id"):
                return c.split("=", 1)[1].strip()
        return ""

    @property
    def doc_id(self) -> str | None:
        for c in self.comments:
            if c.startswith("# newdoc id"):
                return c.split("=", 1)[1].strip()
        return None


def _open(path: Path):
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_conllu(path: Path | str) -> Iterator[Sent]:
    """Minimal CoNLL-U / CoNLL-X reader (skips multiword ranges and empty nodes)."""
    toks: list[Tok] = []
    comments: list[str] = []
    with _open(Path(path)) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    yield Sent(toks, comments)
                toks, comments = [], []
                continue
            if line.startswith("#"):
                comments.append(line)
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            head = cols[6]
            toks.append(
                Tok(int(cols[0]), cols[1], cols[2], cols[3], cols[4], cols[5],
                    int(head) if head not in ("_", "") else -1, cols[7], cols[9] if len(cols) > 9 else "_")
            )
    if toks:
        yield Sent(toks, comments)


def read_swedish_ner(path: Path | str) -> Iterator[list[tuple[str, str]]]:
    """swedish-ner-corpus: token <ws> label; labels 0/PER/ORG/LOC/MISC without B/I."""
    sent: list[tuple[str, str]] = []
    with _open(Path(path)) as f:
        for line in f:
            parts = line.split()
            if not parts:
                if sent:
                    yield sent
                sent = []
                continue
            if len(parts) == 1:  # one line in train has no label
                sent.append((parts[0], "0"))
            else:
                sent.append((parts[0], parts[-1]))
    if sent:
        yield sent


def plain_to_iob(labels: list[str]) -> list[str]:
    out, prev = [], "0"
    for lab in labels:
        if lab in ("0", "O"):
            out.append("O")
        elif lab == prev:
            out.append("I-" + lab)
        else:
            out.append("B-" + lab)
        prev = lab
    return out


def fix_iob(tags: list[str]) -> list[str]:
    """Repair I- tags that do not continue an entity of the same type."""
    out, prev = [], "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def sents_to_doc(vocab: Vocab, sents: list[Sent], *, syntax: bool = True, ner: bool = False,
                 ner_map: dict[str, str | None] | None = None) -> Doc:
    words, spaces, pos, morphs, lemmas, heads, deps, starts, ents = [], [], [], [], [], [], [], [], []
    offset = 0
    for s in sents:
        for k, t in enumerate(s.toks):
            words.append(t.form)
            spaces.append(t.space_after)
            starts.append(k == 0)
            if syntax:
                pos.append(t.upos if t.upos != "_" else "")
                morphs.append(t.feats if t.feats not in ("_", "") else "")
                lemmas.append(t.lemma)
                heads.append(offset + t.id - 1 if t.head == 0 else offset + t.head - 1)
                deps.append("ROOT" if t.head == 0 else t.deprel)
            if ner:
                tag = t.ner or "O"
                if tag != "O" and ner_map is not None:
                    lab = ner_map.get(tag[2:], tag[2:])
                    tag = "O" if lab is None else tag[:2] + lab
                ents.append(tag)
        offset += len(s.toks)
    if spaces:
        spaces[-1] = False
    kwargs = {}
    if syntax:
        kwargs.update(pos=pos, morphs=morphs, lemmas=lemmas, heads=heads, deps=deps)
    else:
        kwargs.update(sent_starts=starts)
    if ner:
        kwargs["ents"] = fix_iob(ents)
    return Doc(vocab, words=words, spaces=spaces, **kwargs)


def ner_sent_to_doc(vocab: Vocab, sent: list[tuple[str, str]]) -> Doc:
    words = [w for w, _ in sent]
    return Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False],
               ents=plain_to_iob([lab for _, lab in sent]))


def chunks(items: list, n: int) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def write_docbin(docs: Iterable[Doc], path: Path) -> int:
    db = DocBin(store_user_data=False)
    n = 0
    for d in docs:
        db.add(d)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return n
