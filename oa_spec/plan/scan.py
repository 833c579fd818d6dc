"""Live compliance (`oaspec scan`): today's text and link rules over everything the live accounts show
followers, for a scheduled job.

Unlike a plan's live findings, which leave out the texts the spec already covers, a scan reads every
live text (menus, conditional menus, the two auto-replies, keyword replies, template titles): what
followers see is what a regulator reads, whatever the spec says. Each finding names its live address,
the rule, its basis, an excerpt of the live text and a one-line fix. A finding of an error rule that no
waiver of the spec covers is blocking; an account that cannot be read makes the scan fail too, since a
scheduled job must not report "clean" for an account it never saw.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from oa_spec.config.compile import CompiledAccount
from oa_spec.config.model import Spec
from oa_spec.errors import OaspecError
from oa_spec.kinds.addresses import parse
from oa_spec.kinds.state import AccountState
from oa_spec.plan import DEFAULT_PARALLELISM
from oa_spec.plan.workspace import Workspace, run_parallel
from oa_spec.policy import custom
from oa_spec.policy.deployed import evaluate_state, state_index
from oa_spec.policy.findings import Finding
from oa_spec.policy.packs import builtin_rules
from oa_spec.policy.rules import Rule
from oa_spec.util import clock
from oa_spec.util.clock import timestamp

WHERE = "live"
EXCERPT_CHARS = 60  # enough to recognise the text in the console, short enough for one line


@dataclass(frozen=True)
class LiveFinding:
    """A policy finding on a live text: where followers see it, what it says, and how to fix it."""

    account: str
    finding: Finding
    excerpt: str  # the live text around what was found, on one line
    fix: str  # one line: where to change it, and to what end

    @property
    def blocking(self) -> bool:
        return self.finding.blocking

    def to_json(self) -> dict[str, Any]:
        return {**self.finding.to_json(), "account": self.account, "excerpt": self.excerpt, "fix": self.fix}


@dataclass
class AccountScan:
    account: str
    provider: str
    findings: list[LiveFinding] = field(default_factory=list)
    error: str | None = None  # why the account could not be read

    def to_json(self) -> dict[str, Any]:
        return {"account": self.account, "provider": self.provider, "error": self.error,
                "findings": [f.to_json() for f in self.findings]}


@dataclass
class ScanReport:
    spec_path: str
    scanned_at: str
    accounts: list[AccountScan]

    @property
    def findings(self) -> list[LiveFinding]:
        return [f for a in self.accounts for f in a.findings]

    @property
    def blocking_findings(self) -> list[LiveFinding]:
        return [f for f in self.findings if f.blocking]

    @property
    def unreadable(self) -> list[AccountScan]:
        return [a for a in self.accounts if a.error is not None]

    @property
    def failed(self) -> bool:
        """The scheduled job must fail: a blocking finding, or an account nobody could read."""
        return bool(self.blocking_findings or self.unreadable)

    def summary(self) -> str:
        findings = self.findings
        waived = sum(f.finding.waived for f in findings)
        warnings = sum(f.finding.severity == "warning" and not f.finding.waived for f in findings)
        text = (f"scan: {len(self.accounts)} account(s), {len(self.blocking_findings)} blocking, "
                f"{warnings} warning(s), {waived} waived")
        return text + (f", {len(self.unreadable)} unreadable" if self.unreadable else "")

    def failure(self) -> str:
        """Why the job fails, and what to do, on one line ("" when it does not)."""
        todo = []
        if any(f.finding.rule == "policy.config" for f in self.blocking_findings):
            todo.append("fix the spec's policy configuration (policy.config above): the rules it sets up are not "
                        "the ones validate accepts")
        if any(f.finding.rule != "policy.config" for f in self.blocking_findings):
            todo.append("fix the live texts above, or waive them with a reason, an approver and an expiry date")
        if self.unreadable:
            todo.append("make " + ", ".join(a.account for a in self.unreadable) + " readable (see the errors)")
        return f"{self.summary()}: {'; '.join(todo)}" if todo else ""

    def to_json(self) -> dict[str, Any]:
        return {"format_version": 1, "spec_path": self.spec_path, "scanned_at": self.scanned_at,
                "failed": self.failed, "summary": self.summary(), "accounts": [a.to_json() for a in self.accounts]}


def scan(ws: Workspace, account_id: str | None = None, parallelism: int = DEFAULT_PARALLELISM,
         today: datetime.date | None = None, progress: Callable[[str], None] | None = None) -> ScanReport:
    """Read every selected account (in parallel: they are independent) and check all its live texts;
    `progress` hears each account's id once it is read (or could not be)."""
    day = today or clock.now().astimezone(clock.BEIJING).date()

    def one(compiled: CompiledAccount) -> AccountScan:
        result = AccountScan(compiled.id, compiled.spec.provider.type)
        try:
            live = ws.provider(compiled.spec).read()
        except OaspecError as exc:  # ProviderError and a missing secret variable: say which account, go on
            message = str(exc)
            result.error = message.removeprefix(f"{compiled.id}: ")  # the report names the account already
        else:
            result.findings = scan_state(ws, compiled, live, day)
        if progress:
            progress(compiled.id)
        return result

    accounts = run_parallel(one, ws.select(account_id), parallelism)
    return ScanReport(str(ws.spec_path), timestamp(), accounts)


def scan_state(ws: Workspace, compiled: CompiledAccount, live: AccountState,
               today: datetime.date) -> list[LiveFinding]:
    """Every finding on `live`'s texts and links, with the spec's waivers applied, after the spec's refused policy
    configuration."""
    texts = _live_texts(compiled, live)
    rules = {rule.id: rule for rule in rule_catalogue(ws.spec)}
    refused = [LiveFinding(compiled.id, f, "", f"change the spec at {f.position}: {f.fix or f.message}")
               for f in refused_configuration(ws, compiled.id)]
    return refused + [LiveFinding(compiled.id, f, excerpt(texts.get(f.path, ""), f.detail),
                                  fix_for(f, rules.get(f.rule)))
                      for f in evaluate_state(ws.spec, compiled.spec, live, WHERE, today)]


def refused_configuration(ws: Workspace, account_id: str) -> list[Finding]:
    """The spec's policy configuration errors on this account (the bank's and its own): a pack OASPEC_REQUIRED_PACKS
    pins that the spec does not enable, a regulated rule's severity lowered. Validate, plan and apply refuse such a
    spec, yet the rules read the spec as it is: a scan under it reported a live guarantee clean (attack review 76 F3),
    so each is a blocking finding of the scan."""
    return [f for f in (*ws.bank_wide_findings(), *ws.policy.for_account(account_id))
            if f.rule == "policy.config" and f.blocking]


def _live_texts(compiled: CompiledAccount, live: AccountState) -> dict[str, str]:
    """Each live text and link by the path the findings name (replies.default.text, menu.0.url)."""
    index = state_index(compiled.spec, live)
    texts = {".".join(str(p) for p in item.loc[1:]): item.text.original for item in index.texts}
    for link in index.links:
        texts.setdefault(".".join(str(p) for p in link.loc[1:]), link.url)
    return texts


def excerpt(text: str, detail: str = "") -> str:
    """The text on one line, cut to a window around what was found when it is long."""
    flat = " ".join(text.split())
    if len(flat) <= EXCERPT_CHARS:
        return flat
    term = detail.strip("“”\"'")
    at = flat.find(term) if term else -1
    start = max(0, min(at - EXCERPT_CHARS // 3, len(flat) - EXCERPT_CHARS)) if at >= 0 else 0
    cut = flat[start:start + EXCERPT_CHARS]
    return ("…" if start else "") + cut + ("…" if start + EXCERPT_CHARS < len(flat) else "")


# Where each kind of live text is changed: auto-replies only in the console (the API cannot write them).
_WHERE_TO_FIX = {
    "reply": "change this auto-reply in the WeChat console (the API cannot write it)",
    "keyword_reply": "change this keyword reply in the WeChat console (the API cannot write it)",
    "menu": "declare a compliant menu in the spec and run oaspec apply",
    "conditional_menu": "declare a compliant conditional menu in the spec and run oaspec apply",
    "template": "replace this template in the spec with a compliant one and run oaspec apply",
}


def fix_for(finding: Finding, rule: Rule | None = None) -> str:
    """One line: the finding's or rule's own fix when it has one (issue 15 asks every finding to carry one),
    else where to change the live text and what it must meet."""
    try:
        kind = parse(finding.address).kind
    except ValueError:
        kind = ""
    where = _WHERE_TO_FIX.get(kind, "change this text where it is edited")
    own = getattr(finding, "fix", "") or getattr(rule, "fix", "")
    if own:
        return f"{where}: " + " ".join(str(own).split())
    return f"{where} so that it meets: {finding.message}; or waive {finding.rule} for {finding.address} with a reason"


# --- output ------------------------------------------------------------------------------------------------


def rule_catalogue(spec: Spec) -> list[Rule]:
    """The built-in rules and the spec's own (those that can run), as SARIF's tool.driver.rules."""
    rules = builtin_rules()
    for spec_rule in spec.policies.rules:
        if spec_rule.id not in rules and not custom.problem(spec_rule):
            rules[spec_rule.id] = custom.build(spec_rule)
    return list(rules.values())
