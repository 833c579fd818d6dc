"""Diagnostics: a problem in the spec, located at file:line:col, with a hint that says what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oa_spec.errors import OaspecError
from oa_spec.util.display import visible

MAX_MESSAGE_CHARS = 400  # a message quotes spec text: a 1 MB name must not make a 1 MB line
MAX_SHOWN = 200  # diagnostics printed in one run; the rest are counted, not printed


@dataclass(frozen=True)
class Position:
    file: str
    line: int  # 1-based, as editors count
    col: int  # 1-based

    def __str__(self) -> str:
        # A diagnostic's line starts here: a file named `::add-mask::x.yaml` would start it with a command to the
        # CI runner (GitHub Actions reads a printed line starting with `::` as one), so such a name is shown as ./
        file = f"./{self.file}" if self.file.startswith(":") else self.file
        return f"{file}:{self.line}:{self.col}"

    @staticmethod
    def parse(text: str) -> Position | None:
        """The position `str(position)` wrote (a saved plan keeps them as text); None for another text,
        such as a live finding's "live"."""
        file, _, rest = text.rpartition(":")
        file, _, line = file.rpartition(":")
        if not file or not line.isdigit() or not rest.isdigit():
            return None
        return Position(file, int(line), int(rest))


@dataclass(frozen=True)
class Diagnostic:
    position: Position
    path: str  # the field's path in the spec: accounts[0].menu[1].name
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"
    rule: str = ""  # policy rule id, for policy findings

    def __post_init__(self) -> None:
        for name in ("message", "path", "hint"):
            text = getattr(self, name)
            if len(text) > MAX_MESSAGE_CHARS:
                object.__setattr__(self, name, f"{text[:MAX_MESSAGE_CHARS]}… ({len(text)} characters, cut)")

    def __str__(self) -> str:
        """One diagnostic for a terminal: spec text in it is shown, never acted on (display.visible)."""
        where = f"{visible(self.path)}: " if self.path else ""
        rule = f" [{visible(self.rule)}]" if self.rule else ""
        hint = f"\n    hint: {visible(self.hint)}" if self.hint else ""
        return f"{visible(self.position)}: {self.severity}{rule}: {where}{visible(self.message)}{hint}"


def shown(diagnostics: list[Diagnostic], limit: int | None = None) -> list[str]:
    """The lines to print: the first `limit` (MAX_SHOWN) diagnostics, then how many were left out."""
    limit = MAX_SHOWN if limit is None else limit
    lines = [str(d) for d in diagnostics[:limit]]
    if len(diagnostics) > limit:
        lines.append(f"... and {len(diagnostics) - limit} more diagnostic(s) not shown: fix the ones above first")
    return lines


class SpecError(OaspecError):
    """The spec cannot be used; carries every diagnostic found, not only the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(shown(diagnostics)))
