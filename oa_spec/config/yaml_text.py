"""A YAML file's text before it is parsed: what it must not hold, and where a problem is, as git counts lines.

PyYAML reads YAML 1.1, in which U+0085 (NEL), U+2028, U+2029 and a CR on its own end a line. git, a pull
request's diff, an editor's line numbers and grep break lines at LF only, so one line a reviewer reads as a
comment would be a comment and a further spec line to oaspec (attack review 50 F3), and every position after
it would be off by one. A file holding one is refused, at the line and column git shows; CRLF is fine. An
article's Markdown body is refused the same breaks (`hidden_break` as MARKDOWN_READER): the renderer or the
follower's browser breaks the line there, so what is published is not the line a reviewer read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from oa_spec.config.diagnostics import Diagnostic, Position, SpecError
from oa_spec.util.display import visible
from oa_spec.util.yamlio import NestedTooDeeply, SafeLoader, TooManyNodes, compose

_HIDDEN_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
HIDDEN_BREAK_HINT = "save with LF line endings; remove the invisible line separator"


@dataclass(frozen=True)
class BreakReader:
    """Who breaks a line where git does not, what follows from it, and what to do."""

    name: str
    result: str
    text: str  # what the text is, in "(2 more in the file)"
    hint: str


YAML_READER = BreakReader("YAML", "what follows it on this line would be read as a further line that a reviewer "
                          "does not see", "file", HIDDEN_BREAK_HINT)
# An article's body: markdown-it breaks the line at a lone CR; a browser (WeChat's article page) at U+0085,
# U+2028 and U+2029, mandatory breaks in Unicode's line breaking (UAX #14).
MARKDOWN_READER = BreakReader("the Markdown renderer or the follower's browser", "the one line a reviewer reads "
                              "would be published as two", "body",
                              "use an ordinary line break (Enter, LF); remove the invisible line separator")


@dataclass(frozen=True)
class TextProblem:
    """A problem with the text itself, at a 1-based line and column of that text."""

    line: int
    col: int
    message: str
    hint: str

    def diagnostic(self, file: str, first_line: int = 1) -> Diagnostic:
        """As a diagnostic of `file`, where the text starts on `first_line` (an article's front matter: 2)."""
        return Diagnostic(Position(file, self.line + first_line - 1, self.col), "", self.message, self.hint)


def line_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`, lines counted at LF only (as git and editors count them)."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


_PROPERTIES = re.compile(r"(?:[&!]\S*[ \t]+)*")  # an anchor (&name) or a tag (!!str) before a scalar


def block_place(lines: list[str], line: int, col: int, value: str,
                phrase: Callable[[str], int | None]) -> tuple[int, int] | None:
    """The 1-based line and column of `value[phrase(value)]` when `value` is the literal (|) or folded (>) block
    scalar whose header starts at `line`:`col` of the file's `lines`; None for any other scalar (`phrase`, which
    may cost a reading of the text, is then not asked) or when it finds nothing. Each line of the block
    after its indentation is found verbatim in the value, in order, apart only by the line breaks or spaces the
    block's style turns them into, so the place is exact; when the lines do not give the value back (they are not
    the text the value was read from), None. A quoted or plain scalar over several lines is None: its escapes and
    folding would have to be undone to place a character, and the scalar's start names it well enough."""
    header = lines[line - 1] if 0 < line <= len(lines) else ""
    start = _PROPERTIES.match(header, col - 1).end() if col > 0 else len(header)  # type: ignore[union-attr]
    offset = phrase(value) if header[start:start + 1] in ("|", ">") else None
    if offset is None:
        return None
    cursor, indent = 0, -1
    for number in range(line, len(lines)):
        source = lines[number].removesuffix("\r")
        if not source.strip(" "):
            continue  # an empty line is a line break in the value: passed over as the gap before the next line
        if indent < 0:
            first = value.lstrip("\n")
            indent = _spaces(source) - _spaces(first)  # the first line's own extra indentation is in the value
        content = source[indent:]
        found = value.find(content, cursor) if indent >= 0 and _spaces(source) >= indent else -1
        if found < 0 or value[cursor:found].strip(" \n") or offset < found:
            return None
        if offset < found + len(content):
            return number + 1, indent + offset - found + 1
        cursor = found + len(content)
    return None


def _spaces(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def code_point(char: str) -> str:
    """U+2028 (LINE SEPARATOR): a character named so that it can be found, whatever it looks like."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def hidden_break(text: str, reader: BreakReader = YAML_READER) -> TextProblem | None:
    """The first line break YAML 1.1 sees and git does not (U+0085, U+2028, U+2029, a CR not followed by LF), told
    as `reader` breaks it: an article's body is published (MARKDOWN_READER), not read as YAML."""
    if all(char not in text for char in "\x85\u2028\u2029") and text.count("\r") == text.count("\r\n"):
        return None  # found in C, several times faster than the pattern over a large file
    found = _HIDDEN_BREAK.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a CR (U+000D) not followed by LF" if char == "\r" else code_point(char)
    more = len(_HIDDEN_BREAK.findall(text, found.end()))
    line, col = line_col(text, found.start())
    return TextProblem(line, col, f"{what} is a line break to {reader.name} but not to git or a diff: "
                       f"{reader.result}" + (f" ({more} more in the {reader.text})" if more else ""), reader.hint)


CHARACTER_HINT = "remove the character (or write it as an escape in a quoted string if it belongs there)"


def unreadable(text: str, exc: yaml.reader.ReaderError) -> TextProblem:
    """A character PyYAML's reader refuses (ESC, NUL, U+FFFE...), where it is and named. The reader stops at the
    first one, so the character's first place in the text is its place (libyaml's `position` counts UTF-8 bytes,
    the pure-Python reader's characters: neither is a line and column)."""
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)[:1]
    index = text.find(char) if char else -1
    line, col = line_col(text, index if index >= 0 else min(max(exc.position, 0), len(text)))
    return TextProblem(line, col, f"{code_point(char) if char else 'a character'} is not allowed in a YAML file "
                       f"({exc.reason})", CHARACTER_HINT)


# No field takes a number anywhere near this long; Python refuses to read an int of over 4,300 digits at all, with
# a message about Python (sys.set_int_max_str_digits), and reads one below that in time quadratic in its length.
LONGEST_NUMBER = 1000


def number_problem(node: yaml.ScalarNode) -> TextProblem | None:
    if node.tag not in (_CORE + "int", _CORE + "float") or len(node.value) <= LONGEST_NUMBER:
        return None
    return TextProblem(node.start_mark.line + 1, node.start_mark.column + 1,
                       f"a number this long is not a value any field takes ({len(node.value):,} characters)",
                       "write the field's value; quote it if it is text")


def too_deep(where: Position) -> SpecError:
    return SpecError([Diagnostic(where, "", "the YAML is nested too deeply",
                                 "a spec needs only a few levels; check for runaway nesting")])


def composed(text: str, name: str) -> yaml.Node | None:
    """The node tree of a spec file's text; SpecError, located, for any text PyYAML would not read as git shows it
    or cannot read at all."""
    hidden = hidden_break(text)
    if hidden:
        raise SpecError([hidden.diagnostic(name)])
    try:
        return compose(text)
    except NestedTooDeeply as exc:
        mark = exc.problem_mark
        raise too_deep(Position(name, mark.line + 1, mark.column + 1) if mark else Position(name, 1, 1)) from None
    except TooManyNodes as exc:
        mark = exc.problem_mark
        where = Position(name, mark.line + 1, mark.column + 1) if mark else Position(name, 1, 1)
        raise SpecError([Diagnostic(where, "", str(exc.problem), "a spec holds tens of thousands at most: check "
                                    "for a generated or runaway list, or split the accounts with include:")]) from None
    except yaml.reader.ReaderError as exc:
        raise SpecError([unreadable(text, exc).diagnostic(name)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.index >= len(text) - 1:
            mark = exc.context_mark  # an unclosed quote or bracket: point where it opens, not at the end
        pos = Position(name, mark.line + 1, mark.column + 1) if mark else Position(name, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context:
            problem += f" ({exc.context})"
        raise SpecError([Diagnostic(pos, "", f"YAML syntax error: {problem}",
                                    "check indentation, colons and quotes around this place")]) from exc
    except yaml.YAMLError as exc:
        raise SpecError([Diagnostic(Position(name, 1, 1), "", f"YAML error: {exc}", "fix the YAML")]) from exc


_ALIAS_USE = re.compile(r"(?:^|[\s\[{,])\*", re.MULTILINE)  # an alias follows a space, a flow indicator or nothing
_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_START_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)


def alias_places(text: str, root: yaml.Node) -> dict[tuple[int, int], tuple[int, int]]:
    """Where each alias (*name) of `text` is written, by the slot it fills: (id of the mapping or list node holding
    it, id of its key node or its index in the list) -> 1-based (line, col). The composed graph keeps only the
    anchored node, so the parser's events are walked alongside it, and only for a text that has an alias at all."""
    # an alias names an anchor (&name) of its own file: the first two tests in C, for the many files without one
    if "*" not in text or "&" not in text or not _ALIAS_USE.search(text):
        return {}
    places: dict[tuple[int, int], tuple[int, int]] = {}
    stack: list[list[Any]] = []  # [mapping or list node, index of its next child event]
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
        elif isinstance(event, _NODE_EVENTS):
            slot = _child(stack)
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent) and slot is not None and mark is not None:
                places[slot] = mark.line + 1, mark.column + 1
            elif isinstance(event, _START_EVENTS):
                stack.append([_node_of(stack, root), 0])
    return places


def _child(stack: list[list[Any]]) -> tuple[int, int] | None:
    """The slot of the next child of the innermost open node, advancing it; None for a key or the root."""
    if not stack:
        return None
    holder = stack[-1]
    parent, index = holder
    holder[1] += 1
    if isinstance(parent, yaml.MappingNode):
        return (id(parent), id(parent.value[index // 2][0])) if index % 2 else None
    return id(parent), index


def _node_of(stack: list[list[Any]], root: yaml.Node) -> yaml.Node:
    """The node the start event just read (its parent's child counter already advanced past it)."""
    if not stack:
        return root
    parent, index = stack[-1]
    if isinstance(parent, yaml.MappingNode):
        return parent.value[(index - 1) // 2][(index - 1) % 2]  # type: ignore[no-any-return]
    return parent.value[index - 1]  # type: ignore[no-any-return]


_CORE = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_KEY_TAGS = SCALAR_TAGS | {_CORE + "merge"}  # `<<:`, read by the loader itself
_COLLECTION_TAGS: dict[type[yaml.Node], str] = {yaml.SequenceNode: _CORE + "seq", yaml.MappingNode: _CORE + "map"}


def tag_problem(node: yaml.Node, key: bool = False) -> TextProblem | None:
    """A tag other than the core scalar tags (or the default tag of a list or mapping), on a value or a key: refused,
    as !!binary would bring bytes past the text check and a reader who trusts the tag would read another document."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag in (_KEY_TAGS if key else SCALAR_TAGS):
            return None
    elif node.tag == _COLLECTION_TAGS.get(type(node)):
        return None
    tag = str(node.tag)
    shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    return TextProblem(node.start_mark.line + 1, node.start_mark.column + 1,
                       f"the YAML tag {visible(shown)} is not supported" + (" on a key" if key else ""),
                       "remove the tag: a spec holds text, numbers, true/false, dates and null")


def refused_tag(root: yaml.Node) -> TextProblem | None:
    """The first tag `tag_problem` refuses anywhere in a node tree (an article's front matter), keys included."""
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    seen: set[int] = set()  # an alias is the node its anchor made: walked once
    while stack:
        node, key = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        problem = tag_problem(node, key)
        if problem:
            return problem
        if isinstance(node, yaml.MappingNode):
            stack += [item for pair in reversed(node.value) for item in ((pair[1], False), (pair[0], True))]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, False) for item in reversed(node.value)]
    return None
