"""Evaluation reports: `python -m evaluation.report` writes evaluation/reports/latest.md (with
PNG plots beside it), latest.html (self-contained, plots as base64 PNG) and latest.json.

Scores the keyword baseline and pipeline.extract side by side on the corpus test split and
the seeds; without pipeline.extract (or if it fails) the baseline is reported alone, and
the report says so. A learning curve is drawn when `pipeline.trainable` provides
`train(ids) -> model` and `predict(model, path) -> dict` (see evaluation/cv.py).
"""
from __future__ import annotations

import base64
import hashlib
import html
import importlib
import io
import json
import platform
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from statistics import pstdev
from typing import Any, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from evaluation.cv import cross_validate, learning_curve  # noqa: E402
from evaluation.data import CORPUS, REPO, SEEDS_DOCS, SEEDS_GOLD, load_gold, load_splits  # noqa: E402
from evaluation.scorer import TYPES, CorpusScore, group  # noqa: E402
from evaluation.summary import Extractor, Run, attribute_rows, fmt, get_extractor, headline, run  # noqa: E402

REPORTS = Path(__file__).resolve().parent / "reports"
TRAINABLE_MODULE = "pipeline.trainable"
PERF_KEYS = ["token_acc", "sents_f", "pos_acc", "tag_acc", "morph_acc", "lemma_acc",
             "dep_uas", "dep_las", "ents_f", "ents_p", "ents_r", "speed"]


# --- a tiny document model rendered to Markdown and HTML ---------------------------------

@dataclass
class Report:
    blocks: list[tuple[str, Any]] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(("h", (level, text)))

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(("table", (header, rows)))

    def figure(self, name: str, fig: "plt.Figure", caption: str) -> None:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        self.images[name] = buf.getvalue()
        self.blocks.append(("img", (name, caption)))

    def markdown(self, prefix: str) -> str:
        out = []
        for kind, val in self.blocks:
            if kind == "h":
                out.append("#" * val[0] + " " + val[1])
            elif kind == "p":
                out.append(val)
            elif kind == "table":
                header, rows = val
                out.append("\n".join(["| " + " | ".join(header) + " |",
                                      "|" + "|".join("---" for _ in header) + "|"]
                                     + ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]))
            elif kind == "img":
                out.append(f"![{val[1]}]({prefix}{val[0]}.png)")
        return "\n\n".join(out) + "\n"

    def html(self, title: str) -> str:
        body = []
        for kind, val in self.blocks:
            if kind == "h":
                body.append(f"<h{val[0]}>{html.escape(val[1])}</h{val[0]}>")
            elif kind == "p":
                body.append(f"<p>{_inline(val)}</p>")
            elif kind == "table":
                header, rows = val
                head = "".join(f"<th>{html.escape(c)}</th>" for c in header)
                trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>")
            elif kind == "img":
                data = base64.b64encode(self.images[val[0]]).decode("ascii")
                body.append(f'<figure><img alt="{html.escape(val[1])}" src="data:image/png;base64,{data}">'
                            f"<figcaption>{html.escape(val[1])}</figcaption></figure>")
        style = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
                 "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                 "text-align:right}td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}"
                 "img{max-width:100%}figcaption{font-size:90%;color:#555}code{background:#f3f3f3}")
        return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
                f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")


def _inline(text: str) -> str:
    """Escape text, turning `code` spans into <code> and **bold** into <strong>."""
    parts = html.escape(text).split("`")
    out = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", out)


# --- what is scored ----------------------------------------------------------------------

@dataclass
class Dataset:
    name: str
    gold_dir: Path
    docs_dir: Path
    ids: Optional[list[str]]
    note: str = ""


def datasets(corpus: Path = CORPUS) -> list[Dataset]:
    """The corpus test split (all labelled corpus documents, flagged, without a manifest)
    and the seeds; a dataset that is absent is listed with no ids and a note."""
    out = []
    splits = load_splits(corpus)
    labelled = {p.stem for p in (corpus / "gold").glob("*.json")} if (corpus / "gold").exists() else set()
    if splits and splits.get("test"):
        missing = sorted(set(splits["test"]) - labelled)
        note = f"{len(missing)} test id(s) have no gold file yet: {', '.join(missing[:10])}" if missing else ""
        out.append(Dataset("corpus test split", corpus / "gold", corpus / "docs", list(splits["test"]), note))
    elif labelled:
        out.append(Dataset("corpus (all labelled documents)", corpus / "gold", corpus / "docs", None,
                           "corpus/splits.json has no test split yet: these are all labelled corpus "
                           "documents, some of which may have been used in development."))
    else:
        out.append(Dataset("corpus test split", corpus / "gold", corpus / "docs", [], "no labelled corpus documents."))
    if SEEDS_GOLD.exists():
        out.append(Dataset("seeds", SEEDS_GOLD, SEEDS_DOCS, None))
    else:
        out.append(Dataset("seeds", SEEDS_GOLD, SEEDS_DOCS, [], f"{SEEDS_GOLD} not found."))
    return out


def systems() -> tuple[dict[str, Extractor], list[str]]:
    """The baseline and, when importable, pipeline.extract; plus notes on what is missing."""
    found: dict[str, Extractor] = {"baseline": get_extractor("baseline")}
    notes = []
    try:
        found["model"] = get_extractor("model")
    except Exception as exc:  # noqa: BLE001
        notes.append(f"pipeline.extract is unavailable ({type(exc).__name__}: {exc}); "
                     "only the keyword baseline is reported.")
    return found, notes


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> list[list[str]]:
    rows = [["python", platform.python_version()], ["minutes (package)", _version("minutes")],
            ["spacy", _version("spacy")], ["scikit-learn", _version("scikit-learn")]]
    for mod in ("pipeline", "pipeline.extract"):
        m = sys.modules.get(mod)
        if m is not None and getattr(m, "__version__", None):
            rows.append([mod, str(m.__version__)])
        extra = getattr(m, "versions", None)  # optional: pipeline.extract.versions() -> {component: version}
        if callable(extra):
            try:
                rows += [[f"{mod}: {k}", str(v)] for k, v in dict(extra()).items()]
            except Exception as exc:  # noqa: BLE001
                rows.append([f"{mod}.versions()", f"failed: {exc}"])
    for path in sorted((REPO / "models").glob("*/*.skops")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        rows.append([str(path.relative_to(REPO)), f"sha256 {digest}"])
    for meta_path, meta in model_metas():
        rows.append([str(meta_path.parent.relative_to(REPO)),
                     f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')}"
                     f" (spaCy {meta.get('spacy_version', '?')})"])
    return rows


def model_metas(models: Path = REPO / "models") -> list[tuple[Path, dict]]:
    """Every bundled spaCy pipeline's models/<lang>/meta.json."""
    out = []
    for path in sorted(models.glob("*/meta.json")):
        try:
            out.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return out


# --- plots -------------------------------------------------------------------------------

def plot_by_language(runs: dict[str, Run], title: str) -> "plt.Figure":
    """P/R/F1 bars per language (and all), one panel per system and item type."""
    names = list(runs)
    fig, axes = plt.subplots(len(names), len(TYPES), figsize=(10, 3.2 * len(names)), squeeze=False)
    for r, name in enumerate(names):
        score = runs[name].score
        groups = {"all": score, **group(score, "language")}
        for c, t in enumerate(TYPES):
            ax = axes[r][c]
            xs = range(len(groups))
            for k, (metric, off) in enumerate((("precision", -0.27), ("recall", 0), ("f1", 0.27))):
                vals = [getattr(g.items[t], metric) or 0.0 for g in groups.values()]
                ax.bar([x + off for x in xs], vals, width=0.27, label=metric)
            ax.set_xticks(list(xs), list(groups))
            ax.set_ylim(0, 1)
            ax.set_title(f"{name}: {t}")
            if r == 0 and c == 0:
                ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_topics(runs: dict[str, Run], title: str) -> "plt.Figure":
    topics = sorted({t for r in runs.values() for t in r.score.topics})
    fig, ax = plt.subplots(figsize=(8, 0.35 * max(len(topics), 4) + 1))
    h = 0.8 / max(len(runs), 1)
    for k, (name, r) in enumerate(runs.items()):
        vals = [(r.score.topics[t].f1 or 0.0) if t in r.score.topics else 0.0 for t in topics]
        ax.barh([i + k * h for i in range(len(topics))], vals, height=h, label=name)
    ax.set_yticks([i + h * (len(runs) - 1) / 2 for i in range(len(topics))], topics)
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.legend(fontsize=8)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_learning_curve(points: list[tuple[int, CorpusScore]]) -> "plt.Figure":
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for t in TYPES:
        ax.plot([n for n, _ in points], [s.items[t].f1 or 0.0 for _, s in points], marker="o", label=t)
    ax.set_xlabel("training documents")
    ax.set_ylabel("F1 on dev")
    ax.set_ylim(0, 1)
    ax.legend()
    fig.tight_layout()
    return fig


# --- sections ----------------------------------------------------------------------------

def _side_by_side(runs: dict[str, Run]) -> tuple[list[str], list[list[str]]]:
    names = list(runs)
    header = ["measure"] + names
    rows = []
    for t in TYPES:
        for metric in ("precision", "recall", "f1"):
            rows.append([f"{t} {metric}"] + [fmt(getattr(runs[n].score.items[t], metric)) for n in names])
        rows.append([f"{t} TP/FP/FN"] + [f"{runs[n].score.items[t].tp}/{runs[n].score.items[t].fp}/"
                                          f"{runs[n].score.items[t].fn}" for n in names])
    attrs = {n: attribute_rows(runs[n].score) for n in names}
    for i, row in enumerate(attrs[names[0]]):
        rows.append([f"{row[0]} (n)"] + [f"{attrs[n][i][1]} ({attrs[n][i][2]})" for n in names])
    rows.append(["seconds per document"] + [
        f"{runs[n].seconds / max(len(runs[n].gold), 1):.3f}" if runs[n].seconds is not None else "–" for n in names])
    return header, rows


def _confusion_rows(score: CorpusScore) -> list[list[str]]:
    labels = list(TYPES) + ["none"]
    return [[f"gold {g}"] + [str(score.confusion.get((g, p), 0)) if (g, p) != ("none", "none") else "–"
                             for p in labels] for g in labels]


def dataset_section(rep: Report, ds: Dataset, runs: dict[str, Run], slug: str) -> None:
    n = next(iter(runs.values())).score.n_docs
    rep.h(2, f"{ds.name} ({n} documents)")
    if ds.note:
        rep.p(f"Note: {ds.note}")
    for name, r in runs.items():
        if r.failures:
            rep.p(f"{name}: {len(r.failures)} document(s) failed and are scored as empty predictions: "
                  + "; ".join(f"`{i}` {m}" for i, m in list(r.failures.items())[:5]))
    rep.table(*_side_by_side(runs))
    rep.h(3, "By language")
    rows = []
    for name, r in runs.items():
        for lang, sub in group(r.score, "language").items():
            rows.append([name, lang, str(sub.n_docs)] + [fmt(getattr(sub.items[t], m)) for t in TYPES
                                                         for m in ("precision", "recall", "f1")])
    rep.table(["system", "language", "docs"] + [f"{t[:3]} {m}" for t in TYPES for m in ("P", "R", "F1")], rows)
    rep.figure(f"{slug}_by_language", plot_by_language(runs, ds.name), f"{ds.name}: P/R/F1 by language")
    rep.h(3, "Item-type confusion")
    rep.p("Items matched regardless of type (same-type pairs preferred, optional gold items left out); "
          "rows are gold types, columns predicted types, `none` = unmatched.")
    for name, r in runs.items():
        rep.p(f"**{name}**")
        rep.table(["", "pred decision", "pred action", "pred none"], _confusion_rows(r.score))
    rep.h(3, "Topics (document level)")
    topics = sorted({t for r in runs.values() for t in r.score.topics})
    rep.table(["topic"] + [f"{n} F1 (TP/FP/FN)" for n in runs],
              [[t] + [(f"{fmt(r.score.topics[t].f1)} ({r.score.topics[t].tp}/{r.score.topics[t].fp}/"
                       f"{r.score.topics[t].fn})" if t in r.score.topics else "–") for r in runs.values()]
               for t in topics])
    if topics:
        rep.figure(f"{slug}_topics", plot_topics(runs, f"{ds.name}: topic F1"), f"{ds.name}: topic F1 per topic")


def treebank_section(rep: Report, models: Path = REPO / "models") -> None:
    """Accuracy of the spaCy pipelines on their treebanks, from models/<lang>/meta.json."""
    rep.h(2, "spaCy pipelines: treebank accuracy")
    metas = model_metas(models)
    if not metas:
        rep.p("No models/<lang>/meta.json found.")
        return
    perfs = [(path, meta.get("performance") or {}) for path, meta in metas]
    keys = [k for k in PERF_KEYS if any(isinstance(p.get(k), (int, float)) for _, p in perfs)]
    rows = []
    for path, perf in perfs:
        rows.append([str(path.parent.relative_to(models.parent))] + [
            f"{perf[k]:.3f}" if isinstance(perf.get(k), float) and k != "speed" else str(perf.get(k, "–"))
            for k in keys])
    rep.table(["pipeline"] + keys, rows)
    cards = sorted(models.glob("*/README.md"))
    if cards:
        rep.p("Model cards: " + ", ".join(f"`{c.relative_to(models.parent)}`" for c in cards))


def trainable_section(rep: Report, corpus: Path = CORPUS) -> None:
    """k-fold cross-validation on train+dev and a learning curve, when a trainable extractor
    (`pipeline.trainable`: `train(ids)`, `predict(model, path)`) is supplied."""
    rep.h(2, "Trained components: cross-validation and learning curve")
    try:
        mod = importlib.import_module(TRAINABLE_MODULE)
        train, predict = mod.train, mod.predict
    except Exception as exc:  # noqa: BLE001
        rep.p(f"Skipped: no trainable extractor supplied (`{TRAINABLE_MODULE}` with `train(ids)` and "
              f"`predict(model, path)`; {type(exc).__name__}).")
        return
    splits = load_splits(corpus)
    if not splits or not splits.get("train") or not splits.get("dev"):
        rep.p("Skipped: corpus/splits.json with train and dev splits is needed.")
        return
    ids = list(splits["train"]) + list(splits["dev"])
    try:
        where = {"gold_dir": corpus / "gold", "docs": corpus / "docs"}
        cv = cross_validate(ids, train, predict, k=min(5, len(ids)), **where)
        points = learning_curve(splits["train"], splits["dev"], train, predict, **where)
    except Exception as exc:  # noqa: BLE001
        rep.p(f"Skipped: training failed ({type(exc).__name__}: {exc}).")
        return
    rep.p(f"{len(cv.folds)}-fold cross-validation grouped by document on train+dev ({len(ids)} documents).")
    rows = []
    for t in TYPES:
        f1s = [f.items[t].f1 for f in cv.folds if f.items[t].f1 is not None]
        spread = f"{pstdev(f1s):.3f}" if len(f1s) > 1 else "–"
        rows.append([t, fmt(cv.pooled.items[t].precision), fmt(cv.pooled.items[t].recall),
                     fmt(cv.pooled.items[t].f1), spread])
    rep.table(["type", "P (pooled)", "R (pooled)", "F1 (pooled)", "F1 sd over folds"], rows)
    rep.figure("learning_curve", plot_learning_curve(points), "F1 on dev against number of training documents")
    rep.table(["training docs"] + [f"{t} F1" for t in TYPES],
              [[str(n)] + [fmt(s.items[t].f1) for t in TYPES] for n, s in points])


# --- main --------------------------------------------------------------------------------

def build(out_dir: Path = REPORTS, learning: bool = True) -> dict:
    """Score every system on every dataset and write latest.md/.html/.json; returns the summary."""
    rep = Report()
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rep.h(1, "minutes: evaluation report")
    rep.p(f"Generated {now} by `python -m evaluation.report`. Scoring as defined in ANNOTATION.md "
          "(\"Scoring\"): items matched one-to-one per type when >= 60% of the labelled item's tokens "
          "occur in the prediction and >= 30% of the prediction's tokens occur in the labelled item; "
          "optional items neither rewarded nor penalised. The keyword baseline (evaluation/baseline.py) "
          "is the floor. The corpus test split and the seeds are never tuned on.")
    found, notes = systems()
    for note in notes:
        rep.p(f"**Note:** {note}")
    summary: dict[str, Any] = {"generated": now, "notes": notes, "datasets": {}}
    for ds in datasets():
        gold_ids = list(load_gold(ds.gold_dir, ds.ids)) if ds.gold_dir.exists() else []
        if not gold_ids:
            rep.h(2, ds.name)
            rep.p(f"Not scored: {ds.note or 'no gold documents.'}")
            continue
        runs: dict[str, Run] = {}
        for name, extract in found.items():
            r = run(name, ds.gold_dir, ds.docs_dir, ds.ids, extract=extract)
            if name != "baseline" and len(r.failures) == len(gold_ids):
                msg = next(iter(r.failures.values()))
                rep.p(f"**Note:** {name} failed on every {ds.name} document ({msg}); reported baseline only.")
                continue
            runs[name] = r
        slug = ds.name.split()[0].lower()
        dataset_section(rep, ds, runs, slug)
        summary["datasets"][ds.name] = {n: {"n_docs": r.score.n_docs, **headline(r.score),
                                            "failures": len(r.failures)} for n, r in runs.items()}
    if learning:
        trainable_section(rep)
    treebank_section(rep)
    rep.h(2, "Versions")
    rep.table(["component", "version"], versions())
    others = sorted(p.name for p in REPORTS.glob("*.md") if not p.name.startswith("latest"))
    if others:
        rep.p("Other reports in evaluation/reports/: " + ", ".join(f"`{o}`" for o in others))

    out_dir.mkdir(parents=True, exist_ok=True)
    for name, png in rep.images.items():
        (out_dir / f"latest_{name}.png").write_bytes(png)
    (out_dir / "latest.md").write_text(rep.markdown("latest_"), encoding="utf-8")
    (out_dir / "latest.html").write_text(rep.html("minutes: evaluation report"), encoding="utf-8")
    (out_dir / "latest.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    return summary


if __name__ == "__main__":
    result = build()
    for ds_name, by_system in result["datasets"].items():
        for system, nums in by_system.items():
            print(f"{ds_name:34} {system:9} " + " ".join(
                f"{k}={fmt(v)}" for k, v in nums.items() if k.endswith(("f1", "accuracy"))))
    print(f"wrote {REPORTS / 'latest.md'} and {REPORTS / 'latest.html'}")
