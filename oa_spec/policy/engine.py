"""Run the rule packs over the compiled accounts and apply the spec's severities and waivers.

Findings name the plan address and the file:line:col of the offending text. An error finding that
no valid waiver covers is blocking: `apply` refuses (no flag overrides it; only a waiver does).
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from oa_spec.config import cadence
from oa_spec.config.compile import CompiledAccount
from oa_spec.config.diagnostics import Diagnostic, Position
from oa_spec.config.locate import Loc, Locator
from oa_spec.config.model import AccountSpec, Spec
from oa_spec.config.model_safety import PackRef, WaiverSpec
from oa_spec.policy import custom, waivers
from oa_spec.policy.custom import unchecked
from oa_spec.policy.findings import Finding
from oa_spec.policy.packs import BUILTIN_PACKS, META_RULES, builtin_rules
from oa_spec.policy.rules import Hit, Rule, Severity
from oa_spec.policy.subjects import AccountIndex, AccountView, Settings, TextItem, build_index
from oa_spec.policy.text import normalise
from oa_spec.policy.waivers import Standing

__all__ = ["Finding", "PolicyReport", "evaluate"]  # Finding lives in policy.findings (waivers use it too)

# Second line of defence, as custom.RULE_TIME_BUDGET_SECONDS is for each custom rule: all the rules over one account
# together, built-in and custom. A bank's largest account (2,000 keyword replies) is checked in a few seconds; 2,000
# distinct finance-worded replies of 2 KB each took 125 s (attack review 50 F10), and a spec can hold many accounts.
RULES_TIME_BUDGET_SECONDS = 60.0
# The packs a bank's operators require, set outside the spec (in CI): a spec that leaves one out is refused, since
# dropping cn-bank from policies.packs would switch every regulated rule off in one line (attack review 69, F5).
REQUIRED_PACKS_VARIABLE = "OASPEC_REQUIRED_PACKS"


def enabled_packs(spec: Spec) -> tuple[str, ...]:
    """The packs the spec switches on (core is always on, so not named), sorted: what a revision records."""
    names = {ref.name if isinstance(ref, PackRef) else ref for ref in spec.policies.packs}
    return tuple(sorted(name for name in names if name in BUILTIN_PACKS and not BUILTIN_PACKS[name].always_on))


def required_packs() -> list[str]:
    """The packs OASPEC_REQUIRED_PACKS names (comma-separated), in its order."""
    return list(dict.fromkeys(n.strip() for n in os.environ.get(REQUIRED_PACKS_VARIABLE, "").split(",") if n.strip()))


@dataclass
class PolicyReport:
    findings: list[Finding] = field(default_factory=list)
    waivers: list[WaiverSpec] = field(default_factory=list)  # valid waivers in force
    notes: list[str] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)  # every waiver, for `policy waivers`

    @property
    def blocking(self) -> bool:
        """True when apply must refuse: an error finding that no valid waiver covers."""
        return any(f.blocking for f in self.findings)

    @property
    def blocking_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def waived(self) -> list[Finding]:
        return [f for f in self.findings if f.waived]

    def for_address(self, address: str) -> list[Finding]:
        """Findings about one plan address, to show beside the change they concern."""
        return [f for f in self.findings if f.address == address]

    def outside(self, addresses: Iterable[str]) -> list[Finding]:
        """Findings about none of `addresses` (modules, streams, waivers): for a plan's own section."""
        known = set(addresses)
        return [f for f in self.findings if f.address not in known]

    def for_account(self, account: str) -> list[Finding]:
        return [f for f in self.findings if f.address == account or f.address.startswith(account + "/")]

    def diagnostics(self, include_waived: bool = False) -> list[Diagnostic]:
        """For `oaspec validate`: unwaived findings (and waived ones as warnings, if asked)."""
        return [f.to_diagnostic() for f in self.findings if include_waived or not f.waived]

    def summary(self) -> str:
        errors = sum(f.blocking for f in self.findings)
        warnings = sum(f.severity == "warning" and not f.waived for f in self.findings)
        return f"policy: {errors} blocking, {warnings} warnings, {len(self.waived)} waived"

    def to_json(self) -> dict[str, Any]:
        return {"blocking": self.blocking, "findings": [f.to_json() for f in self.findings],
                "waivers": [w.model_dump(mode="json", exclude_none=True) for w in self.waivers],
                "notes": self.notes}


def evaluate(spec: Spec, compiled: list[CompiledAccount], locator: Locator, today: datetime.date) -> PolicyReport:
    """Every finding of the enabled packs (the core pack always) and the spec's own rules, with
    severities overridden and waivers applied. `today` decides waiver expiry and cadence windows."""
    engine = _Engine(spec, locator, today)
    engine.configure()
    positions = {a.id: i for i, a in enumerate(spec.accounts)}
    indexes = [build_index(c, positions[c.id]) for c in compiled if c.id in positions]
    for index in indexes:
        engine.run_account(index)
    engine.apply_waivers(indexes)
    order = {id(f): n for n, f in enumerate(engine.findings)}
    findings = sorted(engine.findings, key=lambda f: (f.position.file, f.position.line, f.position.col,
                                                      order[id(f)]))
    return PolicyReport(findings, engine.valid_waivers, engine.notes + engine.holiday_notes(), engine.standings)


class _Engine:
    def __init__(self, spec: Spec, locator: Locator, today: datetime.date) -> None:
        self.spec = spec
        self.locator = locator
        self.today = today
        self.findings: list[Finding] = []
        self.notes: list[str] = []
        self.valid_waivers: list[WaiverSpec] = []
        self.standings: list[Standing] = []
        self.packs: dict[str, PackRef] = {}
        self.rules: dict[str, Rule] = dict(builtin_rules())

    def emit(self, rule: Rule, hit: Hit, severity: Severity | None = None,
             located: tuple[Position, str] | None = None) -> None:
        position, path = located or self.locator.find(hit.loc, phrase=lambda text: phrase_offset(text, hit.detail))
        self.findings.append(Finding(rule.id, severity or rule.severity, rule.message, rule.basis, hit.address,
                                     position, path, hit.detail, fix=rule.fix))

    def meta(self, rule_id: str, address: str, loc: Loc, detail: str) -> None:
        self.emit(META_RULES[rule_id], Hit(address, loc, detail))

    # --- configuration ---------------------------------------------------------------------------------
    def configure(self) -> None:
        policies = self.spec.policies
        for i, ref in enumerate(policies.packs):
            pack = ref if isinstance(ref, PackRef) else PackRef(name=ref)
            if pack.name not in BUILTIN_PACKS:
                self.meta("policy.config", f"policies/packs/{i}", ("policies", "packs", i),
                          f"unknown pack {pack.name!r} (known: {', '.join(sorted(BUILTIN_PACKS))})")
            else:
                self.packs[pack.name] = pack
        self.check_required_packs()
        for i, spec_rule in enumerate(policies.rules):
            loc: Loc = ("policies", "rules", i)
            if spec_rule.id in self.rules:
                self.meta("policy.config", f"policies/rules/{spec_rule.id}", (*loc, "id"),
                          f"rule id {spec_rule.id!r} is already taken")
                continue
            at, problem = custom.problem(spec_rule)
            if problem:
                self.meta("policy.config", f"policies/rules/{spec_rule.id}", (*loc, at) if at else loc, problem)
                continue
            self.rules[spec_rule.id] = custom.build(spec_rule, i)
        self.check_overrides(policies.severity, ("policies", "severity"), "policies/severity")
        for i, account in enumerate(self.spec.accounts):
            self.check_overrides(account.policies.severity, ("accounts", i, "policies", "severity"),
                                 f"{account.id}/policies/severity")

    def check_required_packs(self) -> None:
        known = ", ".join(sorted(BUILTIN_PACKS))
        for name in required_packs():
            if name not in BUILTIN_PACKS:
                self.meta("policy.config", "policies/packs", ("policies", "packs"),
                          f"{REQUIRED_PACKS_VARIABLE} names the unknown pack {name!r} (known: {known}): fix the "
                          "variable where CI sets it")
            elif not BUILTIN_PACKS[name].always_on and name not in self.packs:
                self.meta("policy.config", "policies/packs", ("policies", "packs"),
                          f"{REQUIRED_PACKS_VARIABLE} requires the pack {name!r}, which policies.packs does not "
                          f"enable: add {name} to policies.packs (the operators set the variable outside the spec, "
                          "so that no change to the spec can switch the pack off)")

    def check_overrides(self, overrides: Mapping[str, str], loc: Loc, address: str) -> None:
        for rule_id in overrides:
            rule = self.rules.get(rule_id)
            if rule is None:
                self.meta("policy.config", f"{address}/{rule_id}", (*loc, rule_id), f"unknown rule {rule_id!r}")
            elif rule.fixed:
                self.meta("policy.config", f"{address}/{rule_id}", (*loc, rule_id),
                          f"{rule_id} is a platform fact or an engine check: its severity cannot change")
            elif rule.regulated and (overrides[rule_id] == "off" or overrides[rule_id] == "warning" != rule.severity):
                # lowered, it would be a waiver of every address with no approver, reason or expiry
                self.meta("policy.config", f"{address}/{rule_id}", (*loc, rule_id),
                          f"{rule_id} is a regulated rule: its severity cannot be lowered; waive one address with "
                          "an approver, a reason and an expiry (policies.waivers)")

    def enabled_rules(self) -> Iterable[tuple[Rule, PackRef | None]]:
        for rule in self.rules.values():
            if rule.check is None:
                continue
            pack = BUILTIN_PACKS.get(rule.pack)
            if pack is None:  # the spec's own rules
                yield rule, None
            elif pack.always_on or rule.pack in self.packs:
                yield rule, self.packs.get(rule.pack)

    # --- running -----------------------------------------------------------------------------------
    def settings(self, account: AccountSpec, pack: PackRef | None) -> Settings:
        settings = Settings().merged(self.spec.policies.settings)
        if pack is not None:
            settings = settings.merged(pack.settings)
        return settings.merged(account.policies.settings)

    def holiday_notes(self) -> list[str]:
        """Cadence rules cannot see holidays the calendar package does not know yet: say so, for the years
        within each account's horizon (settings.cadence_horizon_days, as the core pack's cadence rules read it)."""
        missing: dict[int, list[str]] = {}
        for account in self.spec.accounts:
            if not any(s.cadence.holidays for s in account.content.streams):
                continue
            pack = self.packs.get(self.rules["platform.broadcast-quota"].pack)
            horizon = self.settings(account, pack).cadence_horizon_days
            for year in cadence.missing_holiday_years(self.today, self.today + datetime.timedelta(days=horizon)):
                missing.setdefault(year, []).append(account.id)
        first, last = cadence.HOLIDAY_YEARS
        return [f"no statutory holiday data for {year}: holiday slots that year are not checked for "
                f"{', '.join(accounts)} (chinese-calendar knows {first}-{last}; update it)"
                for year, accounts in sorted(missing.items())]

    def severity(self, rule: Rule, index: AccountIndex) -> Severity | None:
        """The effective severity on this account; None when the rule is off."""
        if rule.fixed:
            return rule.severity
        chosen = index.account.policies.severity.get(rule.id) or self.spec.policies.severity.get(rule.id)
        if chosen == "off":
            return None
        return chosen or rule.severity

    def run_account(self, index: AccountIndex) -> None:
        texts = _Timed(index.texts, time.monotonic() + RULES_TIME_BUDGET_SECONDS)
        try:
            for rule, pack in self.enabled_rules():
                severity = self.severity(rule, index)
                if severity is None or rule.check is None:
                    continue
                view = _TimedView(index, self.settings(index.account, pack), self.today, texts)
                seen: set[tuple[str, Loc, str]] = set()
                for hit in rule.check(view):
                    if (hit.address, hit.loc, hit.detail) not in seen:
                        seen.add((hit.address, hit.loc, hit.detail))
                        self.emit(rule, hit, severity, index.locate(hit.loc, hit.detail))
        except _OutOfTime:
            self.emit(META_RULES["policy.time-budget"], Hit(index.account.id, index.loc, unchecked(
                RULES_TIME_BUDGET_SECONDS, index.account.id, "the rules ran out of their time budget on this account: "
                "give it fewer or shorter texts")))

    def apply_waivers(self, indexes: list[AccountIndex]) -> None:
        policies = self.spec.policies
        outcome = waivers.apply(policies.waivers, self.findings, self.rules, indexes, self.today,
                                policies.waiver_max_days)
        self.standings = outcome.standings
        self.findings = [replace(f, waiver=outcome.covering.get(n)) for n, f in enumerate(self.findings)]
        self.valid_waivers = outcome.valid
        for problem in outcome.problems:
            self.meta(problem.rule, f"policies/waivers/{problem.index}",
                      ("policies", "waivers", problem.index, *problem.field), problem.detail)


def phrase_offset(text: str, detail: str) -> int | None:
    """Where in `text` the first term a finding's detail quotes (“保本”) starts, found as an article's finding is
    (content.texts.quoted_terms, read normalised): Locator.find places a finding in a block text (text: |) there."""
    from oa_spec.content.texts import quoted_terms  # lazy: the content modules load only for specs with articles

    read = normalise(text)
    for term in quoted_terms(detail):
        found = read.norm.find(normalise(term).norm) if term.strip() else -1
        if found >= 0:
            return read.offsets[found]
    return None


class _OutOfTime(Exception):
    """The rules' time budget on an account is spent: raised where a rule reads its next text."""


class _Timed(list[TextItem]):
    """An account's texts that stop being read past a deadline: every rule loops over them, so no rule reads on
    far past it (one text at most)."""

    def __init__(self, items: Iterable[TextItem], deadline: float) -> None:
        super().__init__(items)
        self.deadline = deadline

    def __iter__(self) -> Iterator[TextItem]:
        for item in super().__iter__():
            if time.monotonic() > self.deadline:
                raise _OutOfTime
            yield item


@dataclass(frozen=True)
class _TimedView(AccountView):
    timed: list[TextItem] = field(default_factory=list)

    @property
    def texts(self) -> list[TextItem]:
        return self.timed
