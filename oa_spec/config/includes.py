"""Expand an `include:` glob without ever leaving the spec's root directory.

Python's glob follows symbolic links to directories and only then lets us check where a match is: three
links to `..` under `**` walk for ever, and a link to /usr walks the whole of /usr before being refused.
Git stores symlinks, so these arrive in a pull request. This walk never enters a linked directory (a
pattern that names one is refused), keeps every step inside the root, and matches regular files only:
a FIFO named x.yaml would block the reader for ever. The cost is linear in the entries it lists.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

MAX_LISTED_ENTRIES = 200_000  # directory entries all the includes of one spec may list: a runaway stops


@dataclass
class Budget:
    """What the includes of one spec have listed so far: shared, so 100,000 patterns cannot each list a lot."""

    listed: int = 0

    @property
    def exhausted(self) -> bool:
        return self.listed > MAX_LISTED_ENTRIES


class IncludeProblem(Exception):
    """The pattern cannot be used; the message says why, for the user."""


@dataclass
class _Walk:
    root: Path
    budget: Budget
    matches: list[Path] = field(default_factory=list)
    visited: set[tuple[Path, int]] = field(default_factory=set)

    def entries(self, directory: Path) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(directory) as it:
                found = list(it)
        except OSError:
            return []  # unreadable: nothing matches there, and "no file matches" says so
        self.budget.listed += len(found)
        if self.budget.exhausted:
            raise IncludeProblem(f"the includes list more than {MAX_LISTED_ENTRIES} directory entries")
        return found


def expand(pattern: str, base: Path, root: Path, budget: Budget | None = None) -> list[Path]:
    """Regular files matching `pattern` (relative to the directory `base`), sorted; IncludeProblem if the
    pattern climbs out of `root` or goes through a symbolic link to a directory."""
    if os.path.isabs(pattern):
        raise IncludeProblem("an absolute path reaches outside the spec's directory")
    if "\x00" in pattern:
        raise IncludeProblem("a file name cannot hold a NUL character")
    parts = [p for p in pattern.replace("\\", "/").split("/") if p not in ("", ".")]
    if parts[-1:] == ["**"]:
        parts.append("*")  # as glob's recursive `**` at the end: every file below
    walk = _Walk(root, budget or Budget())
    if parts:  # '' or '.' names the directory itself, which holds no file of its own
        _step(walk, base, parts)
    return sorted(set(walk.matches))


def _step(walk: _Walk, directory: Path, parts: list[str]) -> None:
    state = (directory, len(parts))
    if state in walk.visited:
        return  # `**/**/x` reaches a directory many ways: each (directory, rest of pattern) is walked once
    walk.visited.add(state)
    part, rest = parts[0], parts[1:]
    if part == "..":
        parent = directory.parent
        if not parent.is_relative_to(walk.root) or directory == walk.root:
            raise IncludeProblem("'..' reaches outside the spec's directory")
        _descend(walk, parent, rest)
    elif part == "**":
        for sub in _tree(walk, directory):
            _descend(walk, sub, rest)
    elif not any(ch in part for ch in "*?["):
        _literal(walk, directory / part, rest)
    else:
        hidden_too = part.startswith(".")
        for entry in walk.entries(directory):
            if (hidden_too or not entry.name.startswith(".")) and fnmatch.fnmatchcase(entry.name, part):
                _literal(walk, Path(entry.path), rest, named=False)


def _descend(walk: _Walk, directory: Path, rest: list[str]) -> None:
    if rest:
        _step(walk, directory, rest)


def _literal(walk: _Walk, path: Path, rest: list[str], named: bool = True) -> None:
    """A path the pattern names (or one of its matches): a real directory to go on in, or a file.
    A wildcard passes a linked directory by, as `**` does; a pattern that names one is refused."""
    try:
        own = path.lstat()
    except OSError:
        return
    if rest:
        if named and stat.S_ISLNK(own.st_mode) and path.is_dir():
            if not path.resolve().is_relative_to(walk.root):
                raise IncludeProblem(f"{path.name!r} is a symbolic link that reaches outside the spec's directory")
            raise IncludeProblem(f"{path.name!r} is a symbolic link to a directory, which includes do not follow")
        if stat.S_ISDIR(own.st_mode):
            _step(walk, path, rest)
        return
    _file(walk, path, own)


def _file(walk: _Walk, path: Path, own: os.stat_result) -> None:
    if stat.S_ISDIR(own.st_mode):
        return  # a pattern matches folders too; only files are included
    if stat.S_ISLNK(own.st_mode):
        target = path.resolve()
        if not target.is_relative_to(walk.root):
            raise IncludeProblem(f"{path.name!r} is a symbolic link that reaches outside the spec's directory")
        try:
            own = target.stat()
        except OSError:
            return
        if stat.S_ISDIR(own.st_mode):
            return
        path = target
    if not stat.S_ISREG(own.st_mode):
        raise IncludeProblem(f"{path.name!r} is not a regular file (a pipe, socket or device is never read)")
    walk.matches.append(path)


def _tree(walk: _Walk, top: Path) -> list[Path]:
    """`top` and every real directory under it, not hidden ones, never through a link (as glob's `**`)."""
    found = [top]
    pending = [top]
    while pending:
        directory = pending.pop()
        for entry in walk.entries(directory):
            if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                sub = Path(entry.path)
                found.append(sub)
                pending.append(sub)
    return found
