"""HTML: the main text; scripts, styles, navigation and page chrome dropped."""
from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from .text import decode

DROP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
        "svg", "iframe", "button", "select", "head", "menu"}
BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
         "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "hr", "br", "figure",
         "figcaption", "address", "body"}
HEADINGS = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### "}


def read(data: bytes, path: Path) -> str:
    """Read an .html file."""
    soup = BeautifulSoup(decode(data), "lxml")
    for tag in soup.find_all(DROP):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    parts: list[str] = []
    _walk(root, parts)
    return "".join(parts)


def _walk(node: Tag, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__ is NavigableString:  # skip comments, CDATA, doctype
                parts.append(" ".join(str(child).split()) + (" " if str(child)[-1:].isspace() else ""))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name in {"td", "th"}:
            parts.append("\t")
        elif name in BLOCK:
            parts.append("\n")
        if name in HEADINGS:
            parts.append(HEADINGS[name])
        elif name == "li":
            parts.append("• ")
        _walk(child, parts)
        if name in BLOCK:
            parts.append("\n")
