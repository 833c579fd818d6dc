"""The project: one spec file loaded, validated, compiled and checked against the policies.

A frozen value: what `validate` reports and what `plan` and `apply` start from. Reading live accounts
and the state directory is the workspace's business (workspace.py), so `validate` never imports a
provider or the history store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oa_spec.config.compile import CompiledAccount, compile_spec
from oa_spec.config.diagnostics import Diagnostic, SpecError
from oa_spec.config.load import load_spec
from oa_spec.config.locate import Locator
from oa_spec.config.model import Spec
from oa_spec.config.validate import check
from oa_spec.errors import OaspecError
from oa_spec.policy import Finding, PolicyReport, evaluate
from oa_spec.util import clock
from oa_spec.util.gc_pause import gc_paused


@dataclass(frozen=True)
class Project:
    spec_path: Path
    spec: Spec
    locator: Locator
    accounts: list[CompiledAccount]
    warnings: list[Diagnostic]
    policy: PolicyReport
    files: tuple[Path, ...] = ()  # every file the spec read: its YAML, articles and their images
    digests: tuple[tuple[Path, str], ...] = ()  # each YAML file's sha256 as read

    def read_files(self) -> tuple[Path, ...]:
        """What a revision's provenance holds to git: a file read but never committed makes it dirty."""
        from oa_spec.content.spec import resolved  # lazy: validate of a spec without articles never needs it

        content = [resolved(a.spec) for a in self.accounts if a.spec.content.articles]
        return tuple(dict.fromkeys([*self.files, *(a.source.path for c in content for a in c.articles),
                                    *(path for c in content for path in c.files.values())]))

    def as_read(self) -> dict[Path, str]:
        """Every file the spec read (read_files), with the sha256 of the bytes it was compiled from: provenance judges
        those, not the file as it is when the revision is written, which may have been put back since (attack review
        78 F1)."""
        from oa_spec.content.spec import resolved

        content = [resolved(a.spec) for a in self.accounts if a.spec.content.articles]
        return {**dict(self.digests), **{a.source.path: a.source.sha256 for c in content for a in c.articles},
                **{path: key.rpartition(":")[2] for c in content for key, path in c.files.items()}}

    @staticmethod
    def open(spec_path: str | Path) -> Project:
        """Load, validate and compile; raises SpecError listing every problem."""
        with gc_paused():
            loaded = load_spec(spec_path)
            spec, diagnostics = check(loaded)
            if spec is None or any(d.severity == "error" for d in diagnostics):
                raise SpecError(diagnostics)
            locator = Locator(loaded.data)
            accounts = compile_spec(spec)
            report = evaluate(spec, accounts, locator, clock.now().astimezone(clock.BEIJING).date())
            return Project(Path(spec_path), spec, locator, accounts,
                           [d for d in diagnostics if d.severity == "warning"], report, tuple(loaded.files),
                           tuple(loaded.files.items()))

    def account(self, account_id: str) -> CompiledAccount:
        for compiled in self.accounts:
            if compiled.id == account_id:
                return compiled
        known = ", ".join(c.id for c in self.accounts) or "none"
        raise OaspecError(f"no account {account_id!r} in {self.spec_path} (accounts: {known})")

    def select(self, account_id: str | None) -> list[CompiledAccount]:
        return [self.account(account_id)] if account_id else list(self.accounts)

    def bank_wide_findings(self) -> list[Finding]:
        """Policy findings of no single account (waivers, packs): they concern every account."""
        ids = [c.id for c in self.accounts]
        return [f for f in self.policy.findings
                if not any(f.address == a or f.address.startswith(a + "/") for a in ids)]

    def blocking_findings(self, account_id: str) -> list[Finding]:
        return [f for f in (*self.policy.for_account(account_id), *self.bank_wide_findings()) if f.blocking]
