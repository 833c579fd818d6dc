"""Where a spec path (accounts[0].menu[1].url) sits in the YAML: file:line:col for every diagnostic."""

from __future__ import annotations

from typing import Any

from oa_spec.config.diagnostics import Position
from oa_spec.config.load import PosDict, PosList

Loc = tuple[str | int, ...]


class Locator:
    """Finds the source position of a path in the loaded data."""

    def __init__(self, data: PosDict) -> None:
        self.data = data

    def find(self, loc: Loc, key_position: bool = False) -> tuple[Position, str]:
        """(position, readable path). Path elements not in the data (union tags) are skipped."""
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
        return pos, path


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
