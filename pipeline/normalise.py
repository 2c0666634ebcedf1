"""Normalisation: one canonical text per document, the text every offset indexes into.

Steps, in order: repair encoding damage and apply Unicode NFC; canonicalise spaces, bullets and
line ends; drop page numbers and headers/footers repeated across pages; join words hyphenated
across a line break; join lines broken inside a paragraph; tidy blank lines.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

import ftfy

#: Glyphs used as list bullets by word processors, PDF exports and Symbol fonts.
BULLET_GLYPHS = "·•▪▫■□●○◦◾◽‣⁃∙➢➤►▶✓✔❖\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf0e0\uf02d"
CANONICAL_BULLET = "•"
_BULLET_LINE = re.compile(rf"^[ \t]*(?:[{re.escape(BULLET_GLYPHS)}]|[-–—*o](?=[ \t]))[ \t]*")
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:side|sida|sidan|page|s\.)\s*\d+\s*(?:(?:av|af|of|/)\s*\d+)?|-\s*\d+\s*-|\d+\s*(?:av|of)\s*\d+)\s*$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_LIST_START = re.compile(r"^(?:•|\d{1,2}[.)]\s|[a-zæøå][.)]\s|#)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_HYPHEN_BREAK = re.compile(r"(\w*[^\W\d_])-\n[ \t]*([a-zæøåäöüé]\w*)")
#: After a hyphen these words show a coordination ("barne- og ungdomsskole"), not a broken word.
_COORDINATORS = {"og", "eller", "samt", "och", "eller", "som", "til", "till"}


def normalise(text: str) -> str:
    """Return the canonical text of a document."""
    text = unicodedata.normalize("NFC", ftfy.fix_encoding(text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
    text = _INVISIBLE.sub("", text)
    lines = [_canonical_line(line) for line in text.split("\n")]
    lines = _drop_page_furniture(lines)
    text = "\n".join(lines)
    text = _HYPHEN_BREAK.sub(_join_hyphenated, text)
    text = "\n".join(_join_broken_lines(text.split("\n")))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def document_id(normalised_text: str) -> str:
    """The document id: sha256 of the normalised text."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()


def _canonical_line(line: str) -> str:
    """Spaces collapsed, tabs kept as single column separators, bullets made canonical."""
    cells = [_SPACES.sub(" ", cell).strip(" ") for cell in line.split("\t")]
    line = "\t".join(cell for cell in cells if cell) if len(cells) > 1 else cells[0]
    line = line.strip(" ")
    match = _BULLET_LINE.match(line)
    if match and len(line) > match.end():
        line = f"{CANONICAL_BULLET} {line[match.end():]}"
    elif match and line in BULLET_GLYPHS:
        line = ""  # an empty bullet
    return line


def _drop_page_furniture(lines: list[str]) -> list[str]:
    """Remove page numbers and lines repeated at page boundaries (running headers/footers).

    A page boundary is a form feed (PDF readers put one between pages), a page-number line
    (`Side 2 av 4`, `Sida 3`, `- 4 -`) or a bare number beside a form feed.
    A line is a running header/footer when it occurs at least twice, each time within two
    non-blank lines of a boundary; its first occurrence is kept when it opens the document
    (a title repeated on every page).
    """
    boundary = [line == "\f" or bool(PAGE_NUMBER.match(line)) for line in lines]
    for i, line in enumerate(lines):  # a bare number counts only right beside a page break
        if _BARE_NUMBER.match(line) and any(lines[j] == "\f" for j in (i - 1, i + 1) if 0 <= j < len(lines)):
            boundary[i] = True
    near: list[bool] = [False] * len(lines)
    for i, is_boundary in enumerate(boundary):
        if not is_boundary:
            continue
        for step in (-1, 1):
            j, seen = i + step, 0
            while 0 <= j < len(lines) and seen < 2:
                if lines[j] and not boundary[j]:
                    near[j] = True
                    seen += 1
                j += step
    counts = Counter(line for line, is_near in zip(lines, near) if is_near and line)
    running = {line for line, n in counts.items() if n >= 2 and len(line) < 120}
    first_text = next((i for i, line in enumerate(lines) if line and not boundary[i]), -1)
    kept = []
    for i, line in enumerate(lines):
        if boundary[i] or (line in running and near[i] and i != first_text):
            continue
        kept.append(line)
    return kept


def _join_hyphenated(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if right.lower() in _COORDINATORS:
        return f"{left}- {right}"
    if left[-1].isupper() or any(ch.isdigit() for ch in left):
        return f"{left}-{right}"  # IKT-\nansvarlige: a real hyphen that fell at the line end
    return f"{left}{right}"


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Join a line to the previous one when the previous does not end a sentence and this one
    continues it in lower case; list items, headings and table rows are never joined."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and out[-1]
            and line
            and line[0].islower()
            and not _SENTENCE_END.search(out[-1])
            and "\t" not in line
            and "\t" not in out[-1]
            and not _LIST_START.match(line)
            and not out[-1].startswith("#")
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out
