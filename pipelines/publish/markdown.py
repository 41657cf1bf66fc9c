"""Contributed text made inert in Markdown (the dataset README, CHANGELOG.md): it reads as written,
on the line where it is put, and never becomes a link, a tag, a heading or a release entry."""

from __future__ import annotations

import re
from typing import Any

# The backslash first among equals: escaped too, « \[ » cannot undo the escape of its bracket.
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"}
)
# Every character a Markdown reader or a text editor may take for the end of a line.
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text)


def markdown_text(value: Any) -> Any:
    """Publisher text as inert Markdown: a `|` keeps the table a table, no tag or link comes alive,
    no line break starts a heading."""
    return one_line(value).translate(_ESCAPES) if isinstance(value, str) else value


def markdown_code(value: Any) -> str:
    """An identifier in a code span, on one line; as escaped text if it holds a backquote, which
    would close the span."""
    text = one_line(str(value))
    return markdown_text(text) if "`" in text else f"`{text}`"
