"""An account's articles as a set: found by the `content.articles` globs, each with a stable id, and
checked together (two articles cannot fill the same slot of a stream).

The globs follow `include:`: relative to the file that names them, `**` for any depth, never
reaching outside the spec's directory.
"""

from __future__ import annotations

import difflib
import glob
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from oa_spec.config.diagnostics import Diagnostic, Position, SpecError
from oa_spec.content.article import Article, load_article
from oa_spec.content.validate import ContentRules, validate_article


@dataclass(frozen=True)
class Found:
    paths: tuple[Path, ...]  # sorted, each once
    problems: tuple[Diagnostic, ...]


def find_articles(patterns: Sequence[str], naming_file: Path, root: Path, where: Position) -> Found:
    """The Markdown files the globs match. `where` is the position of the globs in the spec."""
    boundary = root.resolve()
    paths: dict[Path, None] = {}
    problems: list[Diagnostic] = []
    for pattern in patterns:
        if Path(pattern).is_absolute():
            problems.append(Diagnostic(where, "content.articles", f"{pattern!r} is an absolute path",
                                       "write globs relative to this file, e.g. content/**/*.md"))
            continue
        matches = sorted(Path(m) for m in glob.glob(str(naming_file.parent / pattern), recursive=True))
        files = [m for m in matches if m.is_file() and m.suffix.lower() == ".md"]
        if not files:
            problems.append(Diagnostic(where, "content.articles", f"no Markdown file matches {pattern!r}",
                                       "globs are relative to the file that names them"))
        for match in files:
            resolved = match.resolve()
            if not resolved.is_relative_to(boundary):
                problems.append(Diagnostic(where, "content.articles", f"{pattern!r} reaches outside the spec's "
                                           f"directory {boundary}", "keep articles beside the spec"))
            else:
                paths[resolved] = None
    return Found(tuple(sorted(paths)), tuple(problems))


def article_id(path: Path, naming_file: Path) -> str:
    """A stable id: the path relative to the naming file's folder, without .md (young/deposit-insurance).
    Moving a file changes its id, exactly as renaming a menu key would; its content does not."""
    relative = path.resolve().relative_to(naming_file.parent.resolve())
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
