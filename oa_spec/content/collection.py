"""An account's articles as a set: found by the `content.articles` globs, each with a stable id, and
checked together (two articles cannot fill the same slot of a stream).

The globs follow `include:` and go through its walk: relative to the file that names them, `**` for
any depth, never reaching outside the spec's directory nor into a linked directory, regular files only.
"""

from __future__ import annotations

import difflib
import itertools
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oa_spec.config.diagnostics import Diagnostic, Position, SpecError
from oa_spec.config.includes import Budget, IncludeProblem, expand
from oa_spec.content.article import Article, load_article, one_line
from oa_spec.content.validate import ContentRules, validate_article
from oa_spec.util.display import fold, text_problem


@dataclass(frozen=True)
class Found:
    paths: tuple[Path, ...]  # sorted, each once
    problems: tuple[Diagnostic, ...]
    ids: tuple[str, ...] = ()  # each path's article id, in the same order


def find_articles(patterns: Sequence[str], naming_file: Path, root: Path, where: Position,
                  positions: Sequence[Position] | None = None) -> Found:
    """The Markdown files the globs match, through the same walk as `include:` (config/includes.py): never
    outside `root`, never into a linked directory, regular files only, bounded. `where` is the position
    of the globs in the spec (`positions`, when given, that of each glob)."""
    base = naming_file.resolve().parent
    budget = Budget()
    found: dict[Path, str] = {}
    problems: list[Diagnostic] = []
    for index, pattern in enumerate(patterns):
        at = positions[index] if positions and index < len(positions) else where
        try:
            matches = [m for m in expand(pattern, base, root.resolve(), budget) if m.suffix.lower() == ".md"]
        except IncludeProblem as exc:
            problems.append(Diagnostic(at, "content.articles", f"{one_line(pattern)!r}: {exc}",
                                       "write globs relative to this file, e.g. content/**/*.md, and keep the "
                                       "articles in regular files beside the spec"))
            continue
        if not matches:
            problems.append(Diagnostic(at, "content.articles", f"no Markdown file matches {one_line(pattern)!r}",
                                       "globs are relative to the file that names them"))
        prefix = literal_prefix(base, pattern)
        for match in matches:
            found.setdefault(match, article_id(match, prefix))
    paths = tuple(sorted(found))
    ids = tuple(found[p] for p in paths)
    # compared as other names are (NFKC, case, spacing): café.md in NFC and NFD read the same in every plan
    folded = Counter(fold(name) for name in ids)
    for path, name in zip(paths, ids, strict=True):
        problem = text_problem(name, name=True)
        if problem:
            problems.append(Diagnostic(where, "content.articles", f"the article {one_line(name)!r} has a name that "
                                       f"{problem}", "rename the file: its path names the article in plans"))
        elif folded[fold(name)] > 1:
            problems.append(Diagnostic(where, "content.articles", f"two files are both the article {name!r} "
                                       f"({path.name}), or names that read the same", "globs from different "
                                       "folders name articles by their path below the folder, and names are "
                                       "compared as read (NFKC, case): rename one of the files"))
    return Found(paths, tuple(problems), ids)


def literal_prefix(base: Path, pattern: str) -> Path:
    """The folder a glob starts in: its leading parts without wildcards (content/**/*.md -> content)."""
    parts = [p for p in pattern.replace("\\", "/").split("/") if p not in ("", ".")][:-1]
    fixed = list(itertools.takewhile(lambda part: not any(ch in part for ch in "*?["), parts))
    return Path(os.path.normpath(base.joinpath(*fixed)))


def article_id(path: Path, folder: Path) -> str:
    """A stable id: the path below the glob's folder, without .md (content/**/*.md: young/deposit-insurance).
    Moving a file changes its id, exactly as renaming a menu key would; its content does not."""
    try:
        relative = path.relative_to(folder)
    except ValueError:
        relative = Path(path.name)
    return relative.with_suffix("").as_posix()


def validate_collection(paths: Sequence[Path], rules: ContentRules, display_base: Path | None = None,
                        streams: Sequence[str] | None = None) -> tuple[list[Article], list[Diagnostic]]:
    """Every article loaded and checked, then the checks across articles; problems sorted by file.
    `streams`, when given, are the account's stream ids: an article naming another is an error."""
    articles: list[Article] = []
    problems: list[Diagnostic] = []
    for path in paths:
        display = str(path.relative_to(display_base)) if display_base and path.is_relative_to(display_base) else None
        try:
            article = load_article(path, display)
        except SpecError as exc:
            problems.extend(exc.diagnostics)
            continue
        articles.append(article)
        problems.extend(validate_article(article, rules))
    problems.extend(check_slots(articles))
    if streams is not None:
        problems.extend(check_streams(articles, streams))
    return articles, sorted(problems, key=lambda d: (d.position.file, d.position.line, d.position.col))


def check_slots(articles: Sequence[Article]) -> list[Diagnostic]:
    """A slot (stream, date) is filled by one article; a date without a stream fills nothing."""
    taken: dict[tuple[str, str], Article] = {}
    problems: list[Diagnostic] = []
    for article in articles:
        front = article.front
        if front.date is None:
            continue
        if not front.stream:
            problems.append(Diagnostic(article.position_of("date"), "date", "a date without a stream fills no slot",
                                       "add stream: <the stream's id>, or remove the date"))
            continue
        slot = (front.stream, front.date.isoformat())
        first = taken.setdefault(slot, article)
        if first is not article:
            problems.append(Diagnostic(article.position_of("date"), "date",
                                       f"the slot {slot[0]} {slot[1]} is already filled by {first.file}",
                                       "give one of the articles another date"))
    return problems


def check_streams(articles: Sequence[Article], streams: Sequence[str]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for article in articles:
        stream = article.front.stream
        if stream and stream not in streams:
            close = difflib.get_close_matches(stream, list(streams), n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else f"the account's streams are: {', '.join(streams)}"
            problems.append(Diagnostic(article.position_of("stream"), "stream", f"no content stream '{stream}'", hint))
    return problems
