"""A finding: one rule firing at one place, with its severity, basis, fix and the waiver covering it.

Its own module because the engine makes findings and the waivers decide which of them they cover:
both import it, neither imports the other's internals (policy.engine imports policy.waivers only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oa_spec.config.diagnostics import Diagnostic, Position
from oa_spec.config.model_safety import WaiverSpec
from oa_spec.policy.rules import Severity


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    basis: str
    address: str
    position: Position
    path: str  # readable spec path: accounts[0].replies.keywords[1].reply.text
    detail: str = ""  # what was found: the term, the missing phrase, the link
    waiver: WaiverSpec | None = None  # the valid waiver that covers this finding
    fix: str = ""  # one line: what to change

    @property
    def waived(self) -> bool:
        return self.waiver is not None

    @property
    def blocking(self) -> bool:
        return self.severity == "error" and self.waiver is None

    def text(self) -> str:
        """The message with what was found, one line."""
        return f"{self.message}：{self.detail}" if self.detail else self.message

    def to_diagnostic(self) -> Diagnostic:
        hint = f"{self.address} · 依据 basis: {self.basis}" + (f" · fix: {self.fix}" if self.fix else "")
        if self.waiver is not None:
            hint += f" · waived by {self.waiver.approved_by} until {self.waiver.expires}: {self.waiver.reason}"
        severity: Severity = "warning" if self.waiver is not None else self.severity
        return Diagnostic(self.position, self.path, self.text(), hint, severity, self.rule)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "severity": self.severity, "message": self.message, "detail": self.detail,
            "basis": self.basis, "fix": self.fix, "address": self.address, "position": str(self.position),
            "path": self.path,
            "blocking": self.blocking,
            "waiver": None if self.waiver is None else self.waiver.model_dump(mode="json", exclude_none=True),
        }
