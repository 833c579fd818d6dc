"""Where a spec path (accounts[0].menu[1].url) sits in the YAML: file:line:col for every diagnostic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from oa_spec.config.diagnostics import Position, SpecError
from oa_spec.config.load import PosDict, PosList, size_limit
from oa_spec.config.yaml_text import block_place
from oa_spec.util.fileio import read_regular

Loc = tuple[str | int, ...]
# Where in a text a finding's phrase starts (an offset into the text as loaded), or None: the policy engine's reading.
Phrase = Callable[[str], int | None]


class Locator:
    """Finds the source position of a path in the loaded data."""

    def __init__(self, data: PosDict) -> None:
        self.data = data
        self.lines: dict[str, list[str]] = {}  # each file's lines, read again only for a finding in a block text

    def find(self, loc: Loc, key_position: bool = False, phrase: Phrase | None = None) -> tuple[Position, str]:
        """(position, readable path). Path elements not in the data (union tags) are skipped. With `phrase`, a
        finding in a block text (text: |) is placed on the phrase's line and column (`within`)."""
        node: Any = self.data
        pos = self.data.pos
        path = ""
        for i, elem in enumerate(loc):
            last = i == len(loc) - 1
            if isinstance(node, PosDict) and isinstance(elem, str) and elem in node:
                key_pos, value_pos = node.key_pos(elem), node.value_pos(elem)
                # A block list or mapping starts on the line after its key, which names it better.
                block = isinstance(node[elem], PosDict | PosList) and value_pos.line > key_pos.line
                pos = key_pos if (last and key_position) or block else value_pos
                node = node[elem]
                path += f".{elem}" if path else elem
            elif isinstance(node, PosList) and isinstance(elem, int) and 0 <= elem < len(node):
                pos = node.item_pos(elem)
                node = node[elem]
                path += f"[{elem}]"
            elif last and isinstance(elem, str) and not elem.startswith(("function-", "tagged-union")):
                path += f".{elem}" if path else elem
        if phrase is not None and isinstance(node, str) and not key_position:
            pos = self.within(pos, node, phrase)
        return pos, path

    def within(self, pos: Position, text: str, phrase: Phrase) -> Position:
        """The place of the phrase in a block scalar (| or >), else `pos`, the scalar's start (a quoted, plain or
        aliased text: yaml_text.block_place). The file is read again, once, when a finding first needs it, rather
        than kept by the loader for every spec; block_place checks that its lines still give back the text."""
        if pos.file not in self.lines:
            try:
                raw = read_regular(Path(pos.file), size_limit())[1]
                self.lines[pos.file] = raw.decode("utf-8").split("\n")
            except (OSError, UnicodeDecodeError, SpecError):
                self.lines[pos.file] = []
        place = block_place(self.lines[pos.file], pos.line, pos.col, text, phrase)
        return pos if place is None else Position(pos.file, *place)


def join_path(path: str, elem: str | int) -> str:
    """A field's readable path, as Locator.find writes it: accounts[0].menu[1].name."""
    return f"{path}[{elem}]" if isinstance(elem, int) else f"{path}.{elem}" if path else elem


def container_paths(node: Any, path: str = "", out: dict[int, str] | None = None) -> dict[int, str]:
    """id of every mapping and list in the loaded data -> its readable path (the first, when aliased)."""
    out = {} if out is None else out
    if isinstance(node, PosDict | PosList) and id(node) not in out:
        out[id(node)] = path
        items = node.items() if isinstance(node, PosDict) else enumerate(node)
        for elem, value in items:
            container_paths(value, join_path(path, elem), out)
    return out
