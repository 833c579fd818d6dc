"""Diagnostics: a problem in the spec, located at file:line:col, with a hint that says what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oa_spec.errors import OaspecError


@dataclass(frozen=True)
class Position:
    file: str
    line: int  # 1-based, as editors count
    col: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    position: Position
    path: str  # the field's path in the spec: accounts[0].menu[1].name
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"
    rule: str = ""  # policy rule id, for policy findings

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        rule = f" [{self.rule}]" if self.rule else ""
        hint = f"\n    hint: {self.hint}" if self.hint else ""
        return f"{self.position}: {self.severity}{rule}: {where}{self.message}{hint}"


class SpecError(OaspecError):
    """The spec cannot be used; carries every diagnostic found, not only the first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))
