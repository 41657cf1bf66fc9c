"""A manifest's text as `mille-jours new-source` writes it: YAML that PyYAML reads back as written,
with French comments beside the values and between the keys (ruamel.yaml's round-trip mode)."""

from __future__ import annotations

import io
import sys

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.resolver import VersionedResolver


class _Yaml11Resolver(VersionedResolver):
    """Quote by YAML 1.1 rules: manifests are read with PyYAML, for which `yes`, `on` or `1:20` are no
    strings. Set on the resolver rather than as `YAML.version`, which would write a `%YAML` line."""

    def __init__(
        self, version: object = None, loader: object = None, loadumper: object = None
    ) -> None:
        super().__init__(version=(1, 1), loader=loader, loadumper=loadumper)


class _DoubleQuotingEmitter(RoundTripEmitter):
    """A value that must be quoted is written "…", as in raw/README.md and the manifests under raw/."""

    def choose_scalar_style(self) -> str | None:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _dump(data: object) -> str:
    y = YAML()  # round-trip mode: the comments attached to the maps are written
    y.Resolver = _Yaml11Resolver
    y.Emitter = _DoubleQuotingEmitter
    # One line per value: a contributor edits (and a test rewrites) whole lines.
    y.width = sys.maxsize
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


_GAP = 3  # spaces between a value and its comment, as raw/README.md and the manifests under raw/ write it


def _one_line(text: str) -> str:
    # A line break in a comment would end it and make YAML of the rest (a sheet name, a header label).
    return " ".join(text.splitlines())


def set_value(
    m: CommentedMap, key: str, value: object, note: str | None = None, indent: int = 0
) -> None:
    """`key: value`, with `note` as its end-of-line comment. `indent`: where the key starts in the file."""
    m[key] = value
    if note:
        # ruamel places the comment at a column: the one after the value as written, quotes included.
        width = len(_dump({key: value}).splitlines()[0])
        m.yaml_add_eol_comment(_one_line(note), key, column=indent + width + _GAP)


class ManifestText:
    """The manifest being drafted, and what the contributor must be told about it.

    Comment lines (a commented-out key, a warning) follow what is already written: ruamel keeps them
    as comments before the next top-level key, or at the end of the document after the last one.
    """

    def __init__(self, head: list[str]) -> None:
        self.root = CommentedMap()
        self.root.yaml_set_start_comment("\n".join(head))
        self.to_complete = ["source.publisher", "source.url"]
        self.to_check = ["source.retrieved", "source.licence"]
        self.notes: list[str] = []
        self._pending: list[tuple[str, int]] = []

    def put(self, key: str, value: object, note: str | None = None) -> None:
        set_value(self.root, key, value, note)
        for text, indent in self._pending:
            self.root.yaml_set_comment_before_after_key(key, before=text, indent=indent)
        self._pending = []

    def comment(self, text: str, indent: int = 0) -> None:
        self._pending.append((_one_line(text), indent))

    def text(self) -> str:
        # Comment lines after the last key end the document: plain text, no map to attach them to.
        tail = "".join(f"{' ' * indent}# {text}\n" for text, indent in self._pending)
        self._pending = []
        return _dump(self.root) + tail
