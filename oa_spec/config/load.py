"""YAML -> plain data that remembers where every value came from.

PyYAML's own constructors silently keep the last of two duplicate keys and expand aliases without
bound. We compose the node graph (libyaml when available) and build the data ourselves, so that:
- a duplicate key is an error (a bank must not lose a menu to a copy-paste);
- alias expansion is bounded (a "billion laughs" file fails fast);
- every mapping and list knows the file:line:col of its values, for diagnostics.
`include:` pulls further files (globs, relative to the including file, never outside the spec's
root directory) whose `accounts:` join the main list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from oa_spec.config.diagnostics import Diagnostic, Position, SpecError
from oa_spec.config.includes import Budget, IncludeProblem, expand
from oa_spec.config.yaml_text import alias_places, composed, number_problem, tag_problem, too_deep
from oa_spec.util.display import text_problem, visible
from oa_spec.util.fileio import read_regular, sha256_hex
from oa_spec.util.gc_pause import gc_paused
from oa_spec.util.secret_policy import interpolates

_SCALARS = yaml.SafeLoader(stream="")  # for the rare non-string scalar (ints, dates, bools)

MAX_ALIAS_NODES = 50_000  # nodes reached through aliases, per file
MAX_ALIAS_CHARS = 1_000_000  # characters of text reached through aliases, per file
LONG_SCALAR = 32  # texts at least this long are remembered, so that an alias of one is counted
DEFAULT_MAX_SPEC_BYTES = 20 * 1024 * 1024
INCLUDABLE_KEYS = frozenset({"accounts", "include"})


# Where a value is: (file, line, col). Kept as a plain tuple and made a Position only when a diagnostic needs one: a
# Position object per value would double the objects of a large spec, and the garbage collector's work with them.
Spot = tuple[str, int, int]


class PosDict(dict[str, Any]):
    """A mapping that knows where it, its keys and its values are."""

    __slots__ = ("at", "key_at", "value_at")

    def __init__(self, at: Spot) -> None:
        super().__init__()
        self.at = at
        self.key_at: dict[str, Spot] = {}
        self.value_at: dict[str, Spot] = {}

    @property
    def pos(self) -> Position:
        return Position(*self.at)

    def key_pos(self, key: str) -> Position:
        return Position(*self.key_at[key])

    def value_pos(self, key: str) -> Position:
        return Position(*self.value_at[key])


class PosList(list[Any]):
    """A list that knows where it and its items are."""

    __slots__ = ("at", "item_at")

    def __init__(self, at: Spot) -> None:
        super().__init__()
        self.at = at
        self.item_at: list[Spot] = []

    @property
    def pos(self) -> Position:
        return Position(*self.at)

    def item_pos(self, index: int) -> Position:
        return Position(*self.item_at[index])


@dataclass
class Interpolation:
    """A `${NAME}` found in the spec; the validator decides whether the field may carry one."""

    container: PosDict | PosList
    key: str | int  # the field's name, or the item's index in a list
    value: str

    @property
    def position(self) -> Position:
        if isinstance(self.container, PosDict):
            return self.container.value_pos(str(self.key))
        return self.container.item_pos(int(self.key))


@dataclass
class LoadedSpec:
    data: PosDict
    root: Path
    files: dict[Path, str]  # each file read, with the sha256 of its bytes as read (what provenance holds to git)
    interpolations: list[Interpolation] = field(default_factory=list)


def load_spec(path: str | Path, max_bytes: int | None = None) -> LoadedSpec:
    """Read the main spec file and its includes. Raises SpecError with every problem found."""
    main = Path(path)
    if not main.is_file():
        found = main.exists()  # a device or a pipe (-f /dev/zero) is there, but is no file to read
        raise SpecError([Diagnostic(Position(str(main), 1, 1), "", "the spec is not a regular file" if found
                                    else "spec file not found",
                                    "pass the spec with -f FILE (default: oaspec.yaml in this directory)")])
    limit = max_bytes or size_limit()
    loader = _FileLoader(main.resolve().parent, main.parent, limit)
    with gc_paused():
        data = loader.load_file(main, main.resolve())
        if not isinstance(data, PosDict):
            problem = "the spec file is empty" if data is None else "the spec must be a mapping (version:, bank:, ...)"
            raise SpecError([Diagnostic(Position(str(main), 1, 1), "", problem,
                                        "start from specs/examples/minimal/oaspec.yaml")])
        loader.expand_includes(data, main)
    if loader.errors:
        raise SpecError(loader.errors)
    return LoadedSpec(data, loader.root, loader.files, loader.interpolations)


def size_limit() -> int:
    text = os.environ.get("OASPEC_MAX_SPEC_BYTES", "")
    if not text:
        return DEFAULT_MAX_SPEC_BYTES
    if not text.isdigit() or int(text) < 1:
        raise SpecError([Diagnostic(Position("OASPEC_MAX_SPEC_BYTES", 1, 1), "", f"{visible(text)!r} is not a "
                                    "size in bytes", "set OASPEC_MAX_SPEC_BYTES to a whole number, or unset it")])
    return int(text)


class _FileLoader:
    def __init__(self, root: Path, shown_root: Path, max_bytes: int) -> None:
        self.root = root
        self.shown_root = shown_root  # the root as the user wrote it: diagnostics name files the same way
        self.max_bytes = max_bytes
        self.files: dict[Path, str] = {}
        self.loaded: set[Path] = set()  # resolved paths of the files read: each file is read once
        self.listing = Budget()  # directory entries all includes listed
        self.errors: list[Diagnostic] = []
        self.interpolations: list[Interpolation] = []

    def load_file(self, path: Path, resolved: Path) -> Any:
        self.loaded.add(resolved)
        name = str(path)
        try:
            size, raw = read_regular(resolved, self.max_bytes)
        except OSError as exc:
            raise SpecError([Diagnostic(Position(name, 1, 1), "", f"cannot read the file ({exc.strerror})",
                                        "check the path and its permissions")]) from None
        if size > self.max_bytes:
            raise SpecError([Diagnostic(Position(name, 1, 1), "", f"the file is {size} bytes, over the limit of "
                                        f"{self.max_bytes}", "split it with include:, or raise "
                                        "OASPEC_MAX_SPEC_BYTES if this size is intended")])
        self.files[path] = sha256_hex(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[:exc.start]
            line_start = before.rfind(b"\n") + 1
            pos = Position(name, before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", "replace")) + 1)
            raise SpecError([Diagnostic(pos, "", f"the file is not UTF-8 ({exc.reason})",
                                        "save it as UTF-8 (editors: 'Save with encoding')")]) from exc
        node = composed(text, name)
        if node is None:
            return None
        builder = _Builder(name, self, {slot: (name, *place) for slot, place in alias_places(text, node).items()})
        try:
            return builder.build(node)
        except RecursionError:
            raise too_deep(Position(name, 1, 1)) from None

    def expand_includes(self, data: PosDict, path: Path) -> None:
        patterns = data.pop("include", None)
        if patterns is None:
            return
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list):
            self.errors.append(Diagnostic(data.value_pos("include"), "include",
                                          "include must be a list of file globs",
                                          "for example: include: [accounts/*.yaml]"))
            return
        accounts = data.get("accounts")
        if accounts is None:
            accounts = data["accounts"] = PosList(data.at)
            data.key_at["accounts"] = data.value_at["accounts"] = data.at
        base = path.resolve().parent  # once per file: resolving walks every component of the path
        for pattern in dict.fromkeys(map(str, patterns)):  # a pattern written twice is expanded once
            if self.listing.exhausted:
                break  # reported once: the rest would only repeat it
            self._include(pattern, base, accounts, data)

    def _include(self, pattern: str, base: Path, accounts: Any, data: PosDict) -> None:
        pos = data.value_pos("include")
        try:
            matches = expand(pattern, base, self.root, self.listing)
        except IncludeProblem as exc:
            self.errors.append(Diagnostic(pos, "include", f"'{visible(pattern)}': {exc}",
                                          f"keep included files as regular files beside the spec ({self.root})"))
            return
        if not matches:
            self.errors.append(Diagnostic(pos, "include", f"no file matches {pattern!r}",
                                          "paths are relative to the including file"))
        for target in matches:  # resolved, inside the root, regular files
            if target in self.loaded:
                continue  # already loaded: includes are a set, and this also stops cycles
            included = self.load_file(self.shown_root / target.relative_to(self.root), target)
            if included is None:
                continue
            if not isinstance(included, PosDict) or set(included) - INCLUDABLE_KEYS:
                extra = [k for k in included if k not in INCLUDABLE_KEYS] if isinstance(included, PosDict) else []
                where = included.key_pos(extra[0]) if extra else getattr(included, "pos", Position(str(target), 1, 1))
                self.errors.append(Diagnostic(where, "", "an included file may only hold accounts: (and include:)",
                                              "move bank-wide settings into the main spec file"))
                continue
            self.expand_includes(included, target)
            more = included.get("accounts")
            if more is not None and not isinstance(more, PosList):
                self.errors.append(Diagnostic(included.value_pos("accounts"), "accounts",
                                              "accounts: in an included file must be a list of accounts",
                                              "write each account as a list item: '- id: ...'"))
            elif isinstance(more, PosList) and isinstance(accounts, PosList):
                accounts.extend(more)
                accounts.item_at.extend(more.item_at)


class _Builder:
    """Builds PosDict/PosList/scalars from one file's node graph.

    An alias (*name) is the very node its anchor (&name) made, so it has no position of its own:
    problems with one are reported at its *site*, the key whose value it is, or the list holding it.
    """

    def __init__(self, file: str, loader: _FileLoader, aliases: dict[tuple[int, int], Spot]) -> None:
        self.file = file
        self.loader = loader
        self.aliases = aliases  # (id of holding node, id of key node or item index) -> where that alias is: `placed`
        self.seen: set[int] = set()  # container nodes built once already: meeting one again is an alias
        self.building: set[int] = set()  # container nodes being built: meeting one of these is a cycle
        self.alias_depth = 0
        self.alias_nodes = 0
        self.alias_chars = 0
        self.long_scalars: set[int] = set()  # long text nodes built once already: meeting one again is an alias
        self.reported: set[int] = set()  # nodes whose text was refused, so an alias of one is not reported again
        self.alias_site: yaml.Node | None = None  # where the outermost alias being expanded is used

    def at(self, node: yaml.Node) -> Spot:
        return self.file, node.start_mark.line + 1, node.start_mark.column + 1

    def pos(self, node: yaml.Node) -> Position:
        return Position(*self.at(node))

    def build(self, node: yaml.Node, site: yaml.Node | None = None) -> Any:
        if self.alias_depth:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise SpecError([Diagnostic(self.pos(self.alias_site or node), "", "YAML aliases expand to more "
                                            f"than {MAX_ALIAS_NODES} nodes (an alias bomb?)",
                                            "use fewer or smaller anchors (&name / *name)")])
        if isinstance(node, yaml.ScalarNode):
            self.count_alias_text(node, site)
            return self.scalar(node)
        node_id = id(node)
        if node_id in self.building:
            raise SpecError([Diagnostic(self.pos(site or node), "", "recursive YAML alias: an anchor (&name) "
                                        "contains an alias (*name) of itself", "an anchor cannot refer to itself")])
        is_alias = node_id in self.seen
        if is_alias:
            if not self.alias_depth:
                self.alias_site = site or node
            self.alias_depth += 1
        else:
            self.seen.add(node_id)
        self.building.add(node_id)
        self.refuse_tag(node)
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node)
            seq = PosList(self.at(node))
            for index, item in enumerate(node.value):
                value = self.build(item, node)
                seq.append(value)
                used = self.aliases.get((id(node), index)) if self.aliases else None  # most files have no alias
                seq.item_at.append(self.placed(value, used) if used else self.at(item))
                if interpolates(value):
                    self.loader.interpolations.append(Interpolation(seq, len(seq) - 1, value))
            return seq
        finally:
            self.building.discard(node_id)
            if is_alias:
                self.alias_depth -= 1

    def count_alias_text(self, node: yaml.ScalarNode, site: yaml.Node | None) -> None:
        """Text reached through an alias is counted: 1,000 aliases of a 1 MB name are 1 GB to check and print,
        whether the alias is of the text itself or of a mapping holding it."""
        if len(node.value) < LONG_SCALAR and not self.alias_depth:
            return
        if self.alias_depth or id(node) in self.long_scalars:
            self.alias_chars += len(node.value)
            if self.alias_chars > MAX_ALIAS_CHARS:
                raise SpecError([Diagnostic(self.pos((self.alias_site if self.alias_depth else site) or node), "",
                                            "YAML aliases expand to "
                                            f"more than {MAX_ALIAS_CHARS} characters of text (an alias bomb?)",
                                            "use fewer or smaller anchors (&name / *name)")])
        else:
            self.long_scalars.add(id(node))

    def check_text(self, node: yaml.Node, text: str, name: bool = False) -> None:
        """Control, bidirectional and invisible characters are refused wherever they are (display.py decides)."""
        problem = text_problem(text, name)
        if problem and id(node) not in self.reported:
            self.reported.add(id(node))
            self.loader.errors.append(Diagnostic(self.pos(node), "", ("the key " if name else "the text ") + problem,
                                                 "remove the character; write the text as people should see it"))

    def refuse_tag(self, node: yaml.Node, key: bool = False) -> None:
        problem = tag_problem(node, key)
        if problem:
            raise SpecError([problem.diagnostic(self.file)])

    def scalar(self, node: yaml.ScalarNode) -> Any:
        self.refuse_tag(node)
        if node.tag == "tag:yaml.org,2002:str":
            self.check_text(node, node.value)
            return node.value
        too_long = number_problem(node)
        if too_long:
            raise SpecError([too_long.diagnostic(self.file)])
        try:
            return _SCALARS.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, KeyError) as exc:  # a date like 2026-02-30, !!bool maybe
            raise SpecError([Diagnostic(self.pos(node), "", f"cannot read this value: {exc}",
                                        "quote it to make it a string")]) from exc
        finally:
            _SCALARS.constructed_objects.pop(node, None)  # the constructor would keep every node alive

    def mapping(self, node: yaml.MappingNode) -> PosDict:
        out = PosDict(self.at(node))
        merges: list[tuple[Any, yaml.Node]] = []
        for key_node, value_node in node.value:
            used = self.aliases.get((id(node), id(key_node))) if self.aliases else None
            self.refuse_tag(key_node, key=True)
            if key_node.tag == "tag:yaml.org,2002:merge":
                if merges:  # readers disagree on which of two wins: a duplicate key like any other
                    raise SpecError([Diagnostic(self.pos(key_node), "<<", "duplicate merge key (<<)",
                                                "merge several mappings with one key: <<: [*a, *b]")])
                merges.append((source := self.build(value_node, key_node), value_node))
                if used:
                    self.placed(source, used)
                continue
            # Keys are names: take their text, so `on:` stays "on" (YAML 1.1 would make it True).
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(self.build(key_node))
            self.check_text(key_node, key, name=True)
            if key in out:
                raise SpecError([Diagnostic(self.pos(key_node), key, f"duplicate key {key!r} "
                                            f"(first defined at line {out.key_pos(key).line})",
                                            "YAML keeps only the last one: remove or rename one of them")])
            value = self.build(value_node, key_node)
            out[key] = value
            out.key_at[key] = self.at(key_node)
            out.value_at[key] = self.placed(value, used) if used else self.at(value_node)
            if interpolates(value):
                self.loader.interpolations.append(Interpolation(out, key, value))
        for source, source_node in merges:  # after the explicit keys, which win wherever the << is
            self.merge(out, source, source_node)
        return out

    def placed(self, value: Any, used: Spot) -> Spot:
        """`used`, an alias's place, after placing there all its value holds (built afresh for each use): a finding on a
        reply that reuses another's text is about that reply. Within an alias's expansion the outermost alias wins."""
        stack = [] if self.alias_depth else [value]
        while stack:
            container = stack.pop()
            if isinstance(container, PosDict):
                container.at, container.key_at = used, dict.fromkeys(container, used)
                container.value_at = dict(container.key_at)
                stack += container.values()
            elif isinstance(container, PosList):
                container.at, container.item_at = used, [used] * len(container)
                stack += container
        return used

    def merge(self, out: PosDict, source: Any, node: yaml.Node) -> None:
        """`<<: *a` or `<<: [*a, *b]`: keys not yet in `out` come from the first mapping that has them."""
        for src in source if isinstance(source, list) else [source]:
            if not isinstance(src, PosDict):
                raise SpecError([Diagnostic(self.pos(node), "<<", "a merge key (<<) needs a mapping",
                                            "merge an anchored mapping: <<: *defaults")])
            for key, value in src.items():
                if key not in out:
                    out[key] = value
                    out.key_at[key] = src.key_at[key]
                    out.value_at[key] = src.value_at[key]
