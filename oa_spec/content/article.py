"""One article: a Markdown file that starts with YAML front matter between `---` lines.

Every value keeps the file:line:col it was written at, so a limit broken by the title is reported
on the title's line, and a problem in the body on the body's line (`Article.body_position`).
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from oa_spec.config.diagnostics import Diagnostic, Position, SpecError
from oa_spec.config.yaml_text import MARKDOWN_READER, hidden_break, refused_tag, unreadable
from oa_spec.util.display import text_problem
from oa_spec.util.yamlio import compose

# The rendered body must stay under 20,000 characters (limits.ARTICLE_BODY_MAX_CHARS): a Markdown source
# of more than 128 KB cannot render under that, and parsing it (pure Python) would take seconds per check.
MAX_SOURCE_BYTES = 128 * 1024
FENCES = ("---", "...")


@dataclass(frozen=True)
class FrontMatter:
    title: str
    cover: str  # path of the cover image, relative to the article
    author: str = ""
    digest: str = ""
    stream: str = ""  # the content stream whose slot the article fills
    audience: tuple[str, ...] = ()  # follower tags; () means the stream's audience
    date: datetime.date | None = None  # the slot it fills
    source_url: str = ""  # "阅读原文" (content_source_url)
    comments: bool = False  # need_open_comment


FIELDS = ("title", "cover", "author", "digest", "stream", "audience", "date", "source_url", "comments")
REQUIRED = ("title", "cover")


@dataclass(frozen=True)
class Article:
    file: str  # as shown in diagnostics
    path: Path
    front: FrontMatter
    body: str
    body_line: int  # 1-based line of the file where the body starts
    positions: tuple[tuple[str, Position], ...] = field(default=())  # field -> position of its value
    sha256: str = field(default="", compare=False)  # of the file's bytes as read (what provenance holds to git)

    def position_of(self, name: str) -> Position:
        """Where a front-matter field's value was written; the front matter's first line if it was not."""
        for key, pos in self.positions:
            if key == name:
                return pos
        return Position(self.file, 1, 1)

    def body_position(self, body_line: int, col: int = 1) -> Position:
        """A 0-based line of the body (as markdown-it counts) as a position in the file."""
        return Position(self.file, self.body_line + body_line, col)

    @cached_property
    def body_lines(self) -> list[str]:
        """The body split once: positions are looked up per block, and a split per lookup is quadratic."""
        return self.body.split("\n")

    @property
    def directory(self) -> Path:
        return self.path.parent


def load_article(path: Path, display: str | None = None) -> Article:
    """Read and check one article's front matter; raise SpecError with every problem found."""
    name = display or str(path)
    text, sha256 = _read_text(path, name)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise _error(Position(name, 1, 1), "the article does not start with front matter",
                     "begin the file with a line '---', the fields (title:, cover:, ...), then '---'")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in FENCES), None)
    if end is None:
        raise _error(Position(name, 1, 1), "the front matter is never closed",
                     "end the fields with a line '---' before the body")
    front_text = "\n".join(lines[1:end])
    values, positions, problems = _read_front(front_text, name, first_line=2)
    body = "\n".join(lines[end + 1:])
    hidden = hidden_break(body, MARKDOWN_READER)  # git shows one line where the follower would see two
    if hidden:
        problems.append(hidden.diagnostic(name, end + 2))
    if problems and not values:  # unreadable YAML: listing every field as missing would only add noise
        raise SpecError(problems)
    front = _build_front(values, positions, problems, name)
    if problems:
        raise SpecError(sorted(problems, key=lambda d: (d.position.line, d.position.col)))
    assert front is not None  # no problems means every field was built
    return Article(file=name, path=path, front=front, body=body, body_line=end + 2,
                   positions=tuple(sorted(positions.items())), sha256=sha256)


def _read_text(path: Path, name: str) -> tuple[str, str]:
    """The article's text, and the sha256 of the bytes it was read from."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise _error(Position(name, 1, 1), f"cannot read the article ({exc.strerror})", "check the path") from exc
    if len(data) > MAX_SOURCE_BYTES:
        raise _error(Position(name, 1, 1), f"the article is larger than {MAX_SOURCE_BYTES} bytes",
                     "an article's rendered body must stay under 20,000 characters; split it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error(Position(name, line, 1), "the article is not valid UTF-8", "save it as UTF-8") from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n"), hashlib.sha256(data).hexdigest()


def _read_front(text: str, name: str, first_line: int) -> tuple[dict[str, Any], dict[str, Position],
                                                                 list[Diagnostic]]:
    def at(node: yaml.Node) -> Position:
        return Position(name, node.start_mark.line + first_line, node.start_mark.column + 1)

    hidden = hidden_break(text)
    if hidden:
        return {}, {}, [hidden.diagnostic(name, first_line)]
    try:
        root = compose(text)
    except yaml.reader.ReaderError as exc:
        return {}, {}, [unreadable(text, exc).diagnostic(name, first_line)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = Position(name, mark.line + first_line, mark.column + 1) if mark else Position(name, 1, 1)
        return {}, {}, [Diagnostic(pos, "", f"the front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                                   "fix the YAML between the '---' lines")]
    if root is None:  # nothing between the fences: the required fields are reported missing
        return {}, {}, []
    tagged = refused_tag(root)
    if tagged:
        return {}, {}, [tagged.diagnostic(name, first_line)]
    if not isinstance(root, yaml.MappingNode):
        return {}, {}, [Diagnostic(at(root), "", "the front matter is not a mapping of fields",
                                   "write one 'field: value' per line")]
    values: dict[str, Any] = {}
    positions: dict[str, Position] = {}
    problems: list[Diagnostic] = []
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key not in FIELDS:
            problems.append(_unknown_field(at(key_node), key))
        elif key in values:
            problems.append(Diagnostic(at(key_node), key, f"the field '{key}' is given twice", "keep one"))
        else:
            values[key] = value_node
            positions[key] = at(value_node)
    return values, positions, problems


def _unknown_field(pos: Position, key: object) -> Diagnostic:
    close = difflib.get_close_matches(str(key), FIELDS, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"the fields are: {', '.join(FIELDS)}"
    return Diagnostic(pos, one_line(str(key)), f"unknown front-matter field '{one_line(str(key))}'", hint)


def _build_front(nodes: dict[str, Any], positions: dict[str, Position], problems: list[Diagnostic],
                 name: str) -> FrontMatter | None:
    built: dict[str, Any] = {}
    for key in REQUIRED:
        if key not in nodes:
            problems.append(Diagnostic(Position(name, 1, 1), key, f"the front matter has no '{key}'",
                                       f"add '{key}:' between the '---' lines"))
    for key, node in nodes.items():
        value, message = _CONVERTERS[key](node)
        if message:
            problems.append(Diagnostic(positions[key], key, message, _HINTS[key]))
            continue
        built[key] = value
        # As every spec string: no control, bidirectional or invisible character (shown in the plan, the
        # calendar and the draft, and read by the policy packs).
        texts = value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ()
        unsafe = next(filter(None, (text_problem(text, name=key in _NAMES) for text in texts)), None)
        if unsafe:
            problems.append(Diagnostic(positions[key], key, f"the text {unsafe}",
                                       "remove the character; write the text as people should see it"))
    if problems:
        return None
    return FrontMatter(**built)


_NAMES = ("stream", "audience")  # ids and follower tags: names, one line of visible characters
_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _text(node: yaml.Node) -> tuple[object, str]:
    if isinstance(node, yaml.ScalarNode) and node.tag in _TEXT_TAGS and node.value.strip():
        return node.value.strip(), ""
    return None, "expected a non-empty text"


def _tags(node: yaml.Node) -> tuple[object, str]:
    if isinstance(node, yaml.ScalarNode):
        node = yaml.SequenceNode("tag:yaml.org,2002:seq", [node])
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        return None, "expected a list of follower tags"
    tags = [item.value.strip() for item in node.value if isinstance(item, yaml.ScalarNode)]
    if len(tags) != len(node.value) or not all(tags):
        return None, "expected a list of follower tags"
    return tuple(tags), ""


# A slot's date is this century's: a year beyond it is a typo, and the calendar walked around it would step past
# the last date Python has (9999-12-31: attack review 36).
FIRST_DATE, LAST_DATE = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def _date(node: yaml.Node) -> tuple[object, str]:
    if isinstance(node, yaml.ScalarNode):
        try:
            day = datetime.date.fromisoformat(node.value.strip())
        except ValueError:
            return None, "expected a date, YYYY-MM-DD"
        if FIRST_DATE <= day <= LAST_DATE:
            return day, ""
        return None, f"{day} is not a slot this century ({FIRST_DATE} to {LAST_DATE}): is the year mistyped?"
    return None, "expected a date, YYYY-MM-DD"


def _flag(node: yaml.Node) -> tuple[object, str]:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("true", "yes", "on"), ""
    return None, "expected on or off"


_CONVERTERS: dict[str, Callable[[yaml.Node], tuple[object, str]]] = {
    "title": _text, "cover": _text, "author": _text, "digest": _text, "stream": _text, "source_url": _text,
    "audience": _tags, "date": _date, "comments": _flag,
}
_HINTS = {
    "title": "write the headline as text", "cover": "give the cover image's path, relative to the article",
    "author": "write the author as text", "digest": "write the summary as text",
    "stream": "name the content stream's id", "source_url": "give the '阅读原文' link as https://...",
    "audience": "write audience: [tag, ...]", "date": "write the slot's date, e.g. 2026-12-09",
    "comments": "write comments: on (or off)",
}


def one_line(text: str, most: int = 60) -> str:
    """Fit for a one-line message: no line breaks or control characters, at most `most` characters."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= most else text[: most - 3] + "..."


def _error(pos: Position, message: str, hint: str) -> SpecError:
    return SpecError([Diagnostic(pos, "", message, hint)])
