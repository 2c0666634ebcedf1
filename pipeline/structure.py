"""Document structure: agenda items and blocks (headings, paragraphs, list items, table rows).

Everything is found on the normalised text and carries character offsets into it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Case-number headings, strongest evidence of an agenda: `Sak 23/17`, `PS 12/19`,
#: `1/2022 Godkjenning av referat`, `2/24 Budsjett`, `§ 45 Dnr BUN 2019/123`, `Ärende 4`, `Sak 3:`.
_CASE_HEADINGS = [
    re.compile(r"^(?:#+\s*)?(?:Sak|Saksnr\.?|PS|RS|DS|Ärende|Sak nr\.?|Punkt)\s+(?P<number>\d{1,4}(?:\s*/\s*\d{2,4})?)\b[.:)]?\s*(?:[-–:]\s*)?(?P<title>.*)$", re.IGNORECASE),
    re.compile(r"^(?:#+\s*)?(?P<number>§\s*\d{1,4})\b[.:]?\s*(?P<title>.*)$"),
    re.compile(r"^(?:#+\s*)?(?P<number>\d{1,3}/(?:19|20)\d{2})\s+(?P<title>\S.*)$"),
    re.compile(r"^(?:#+\s*)?(?P<number>\d{1,3}/\d{2})\s+(?P<title>[A-ZÆØÅÄÖ«].{2,100})$"),
]
#: Closing agenda items that carry no number.
_NAMED_HEADINGS = re.compile(
    r"^(?:#+\s*)?(?:\d{1,2}[.)]?\s*)?(?P<title>Eventuelt|Eventuelle saker|Evt\.?|Övriga frågor|Övrigt|Orienteringssaker|Orienteringar|Referatsaker|Meddelanden|Delegasjonssaker)\s*:?\s*$",
    re.IGNORECASE,
)
#: Weaker evidence: numbered headings (`3. Budsjett 2023`) and Markdown headings.
_NUMBERED_HEADING = re.compile(r"^(?P<number>\d{1,2})[.)]?\s+(?P<title>[A-ZÆØÅÄÖÜ«][^\n]{2,80})$")
_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,3})\s+(?P<title>\S.*)$")
_LIST_ITEM = re.compile(r"^(?:•\s|\d{1,2}[.)]\s|[a-zæøå][.)]\s)", re.IGNORECASE)


@dataclass(frozen=True)
class AgendaItem:
    """One item on the meeting's agenda, spanning from its heading to the next item."""

    number: str | None
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or table row."""

    kind: str
    start: int
    end: int


def _lines(text: str) -> list[tuple[int, str]]:
    offsets, pos = [], 0
    for line in text.split("\n"):
        offsets.append((pos, line))
        pos += len(line) + 1
    return offsets


def blocks(text: str) -> list[Block]:
    """Split the text into blocks: consecutive prose lines form a paragraph."""
    out: list[Block] = []
    para_start: int | None = None
    para_end = 0
    for start, line in _lines(text):
        end = start + len(line)
        stripped = line.strip()
        kind = None
        if not stripped:
            kind = "blank"
        elif "\t" in line:
            kind = "table_row"
        elif _LIST_ITEM.match(stripped):
            kind = "list_item"
        elif _is_heading(stripped):
            kind = "heading"
        if kind is None:
            if para_start is None:
                para_start = start
            para_end = end
            continue
        if para_start is not None:
            out.append(Block("paragraph", para_start, para_end))
            para_start = None
        if kind != "blank":
            out.append(Block(kind, start, end))
    if para_start is not None:
        out.append(Block("paragraph", para_start, para_end))
    return out


def _is_heading(line: str) -> bool:
    return bool(
        _MARKDOWN_HEADING.match(line)
        or _NAMED_HEADINGS.match(line)
        or any(p.match(line) for p in _CASE_HEADINGS)
        or (len(line) < 70 and line.endswith(":") and line.count(" ") < 6)
    )


def agenda_items(text: str) -> list[AgendaItem]:
    """Find agenda items. Case-numbered headings win; otherwise numbered headings in sequence;
    otherwise top-level Markdown headings. Closing items (Eventuelt, Övriga frågor) always count."""
    lines = _lines(text)
    heads = _case_headings(lines, text)
    if not heads:
        heads = _numbered_headings(lines)
    if not heads:
        heads = _markdown_headings(lines)
    heads += [
        (start, None, m.group("title").rstrip(":").strip())
        for start, line in lines
        if (m := _NAMED_HEADINGS.match(line.strip())) and all(start != h[0] for h in heads)
    ]
    heads.sort()
    items = []
    for n, (start, number, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(text.rstrip("\n"))
        items.append(AgendaItem(number=number, title=title, start=start, end=max(end, start)))
    return items


def _case_headings(lines: list[tuple[int, str]], text: str) -> list[tuple[int, str | None, str]]:
    heads = []
    for i, (start, line) in enumerate(lines):
        stripped = line.strip()
        if len(stripped) > 160:
            continue
        for pattern in _CASE_HEADINGS:
            m = pattern.match(stripped)
            if not m:
                continue
            number = re.sub(r"\s+", " ", m.group("number")).replace(" /", "/").replace("/ ", "/")
            title = m.group("title").strip(" :-–")
            if not title:  # `Sak 23/17` alone: the title is the next non-blank line
                title = next((l.strip().rstrip(":") for _, l in lines[i + 1 : i + 4] if l.strip()), "")
            heads.append((start, number, title))
            break
    return heads


def _numbered_headings(lines: list[tuple[int, str]]) -> list[tuple[int, str | None, str]]:
    """`1. Title`, `2. Title`, … counted only as a run that starts at 1 and increases by one."""
    heads, expected = [], 1
    for start, line in lines:
        m = _NUMBERED_HEADING.match(line.strip())
        if m and int(m.group("number")) == expected and not line.rstrip().endswith((".", ",")):
            heads.append((start, m.group("number"), m.group("title").strip()))
            expected += 1
    return heads if len(heads) >= 2 else []


def _markdown_headings(lines: list[tuple[int, str]]) -> list[tuple[int, str | None, str]]:
    found = [(start, m) for start, line in lines if (m := _MARKDOWN_HEADING.match(line.strip()))]
    if not found:
        return []
    top = min(len(m.group("hashes")) for _, m in found)
    return [(start, None, m.group("title").strip()) for start, m in found if len(m.group("hashes")) == top]
