"""The spec's compliance policies (packs, custom rules, waivers) and its safety settings: ownership
(prune, adopt), destroy guards, capabilities and freeze windows."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    Tag,
    model_validator,
)

from oa_spec.config.fields import DomainPattern, Name, RuleId, Severity, SeverityOverride, StrictModel, Weekday
from oa_spec.kinds.registry import GuardedKind


# --- policies -------------------------------------------------------------------------------------
class PolicySettings(StrictModel):
    """Settings the rule packs read. Only the fields a level sets override the level below it."""

    allowed_domains: list[DomainPattern] | None = Field(
        default=None, description="hosts links may point at; '*.bank.cn' allows its subdomains")
    allowed_miniprograms: list[str] | None = Field(default=None, description="mini-program appids allowed")
    elderly_tags: list[str] | None = Field(default=None, description="tags that mark the elderly segment")
    student_tags: list[str] | None = Field(default=None, description="tags that mark students")
    cadence_horizon_days: Annotated[StrictInt, Field(ge=1, le=1100)] | None = Field(
        default=None, description="how far ahead cadence rules check broadcast quotas")


class PackRef(StrictModel):
    name: Name
    settings: PolicySettings = PolicySettings.at_defaults()


def _pack_form(value: Any) -> str:
    return "mapping" if isinstance(value, dict) else "name"


# A pack is named, or named with its settings: told apart by the value's shape, so that an empty or blank name is one
# error at its place (attack review 50 F7), not a second "expected a mapping" from the other form.
PackEntry = Annotated[Annotated[Name, Tag("name")] | Annotated[PackRef, Tag("mapping")], Discriminator(_pack_form)]


class CustomRuleSpec(StrictModel):
    """A bank's own rule, without Python. Exactly one of forbidden, pattern, required, allowed_domains."""

    id: RuleId
    severity: Severity = "error"
    message: Name = Field(description="one line shown with every finding")
    basis: Name = Field(description="the internal rule or law this rule enforces")
    explain: str | None = None
    forbidden: list[Name] = Field(default=[], description="terms that must not appear (negation-aware)")
    pattern: str | None = Field(default=None, description="a regular expression that must not match")
    required: list[Name] = Field(default=[], description="a text in scope must contain one of these")
    allowed_domains: list[DomainPattern] = Field(default=[], description="links in scope must point at these hosts")
    scope: list[Literal["replies", "menus", "modules", "streams", "templates"]] = Field(
        default=[], description="where the rule looks; empty means everywhere")
    when_contexts: list[str] = Field(default=[], description="only texts in one of these contexts (loan, wealth...)")
    when_terms: list[Name] = Field(default=[], description="only texts containing one of these terms")
    audience_tags: list[str] = Field(default=[], description="only texts delivered to these tags (a segment)")

    @model_validator(mode="after")
    def _one_check(self) -> CustomRuleSpec:
        kinds = [k for k in ("forbidden", "pattern", "required", "allowed_domains") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError("a custom rule has exactly one of forbidden:, pattern:, required: or allowed_domains:")
        # The pattern is RE2's to judge (policy/custom.py, at the pattern's place): Python's `re` refuses valid RE2
        # (\p{Han}) and fails on what RE2 refuses cleanly (nesting past the recursion limit, a{99999999999}).
        return self


# A waiver's words go beside every finding it covers and, approver whole, into the pull-request comment's summary:
# bounded, so that one waiver cannot fill the comment and push out what a reviewer must see (attack review 68 F3).
APPROVER_MAX, REASON_MAX, TICKET_MAX = 100, 1000, 200


class WaiverSpec(StrictModel):
    """Approver, reason and expiry are checked by the policy engine, which reports what is missing."""

    rule: Name
    target: Name = Field(description="address glob, e.g. citybank/replies/keywords/*")
    reason: str | None = Field(default=None, max_length=REASON_MAX)
    approved_by: str | None = Field(default=None, max_length=APPROVER_MAX, description="who accepted the risk")
    expires: datetime.date | None = None
    ticket: str | None = Field(default=None, max_length=TICKET_MAX)


class AccountPoliciesSpec(StrictModel):
    settings: PolicySettings = PolicySettings.at_defaults()
    severity: dict[str, SeverityOverride] = {}


# --- safety: ownership, destroy guards, capabilities, freeze windows -------------------------------
class PruneSpec(StrictModel):
    """Per kind: may oaspec delete live objects it never managed (made by the CRM or in the console)?"""

    tags: StrictBool = False
    templates: StrictBool = False
    conditional_menus: StrictBool = False
    keyword_replies: StrictBool = False


class AdoptSpec(StrictModel):
    """Existing live objects to take under management as they are (same id, same followers)."""

    tags: list[Name] = Field(default=[], description="tag names")
    templates: list[Name] = Field(default=[], description="template titles")
    conditional_menus: list[Name] = Field(default=[], description="names of conditional menus in this spec")
    keyword_replies: list[Name] = Field(default=[], description="keyword rule names")


class GuardSpec(StrictModel):
    """Limits past which apply needs --allow-destroy. Counts, because a menu has at most 18 buttons."""

    max_destroy: dict[GuardedKind, Annotated[StrictInt, Field(ge=0)]] = \
        Field(default={}, description="changes users can feel allowed per kind without --allow-destroy (default 0)")
    max_delete_percent: Annotated[StrictInt, Field(ge=0, le=100)] = Field(
        default=30, description="deleting more than this share of a kind's live objects needs --allow-destroy")
    percent_min_objects: Annotated[StrictInt, Field(ge=1)] = Field(
        default=5, description="the percentage applies to kinds with at least this many live objects")


class CapabilitiesSpec(StrictModel):
    """What the account may use. Unset entries follow from type and verified (see the README)."""

    conditional_menus: StrictBool | None = None
    template_messages: StrictBool | None = None
    miniprogram_links: StrictBool | None = None
    strict: StrictBool = Field(default=True, description="false: leave unsupported features out with a warning")


class WeeklyWindow(StrictModel):
    """From `start` to `end` on each of `days`; an `end` before `start` runs past midnight into the next
    day (a night batch: start: "22:00", end: "02:00")."""

    days: Annotated[list[Weekday], Field(min_length=1)]
    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] = "00:00"
    end: Annotated[str, Field(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$", description=(
        "HH:MM, or 24:00; earlier than start: the window runs past midnight and ends at this time the next day"))] \
        = "24:00"

    @property
    def overnight(self) -> bool:
        """Does the window run past midnight? (HH:MM compares as text.)"""
        return self.end < self.start

    @model_validator(mode="after")
    def _not_empty(self) -> WeeklyWindow:
        if self.start == self.end:
            raise ValueError(f"a weekly window from {self.start} to {self.end} is empty: give it an end other "
                             "than its start (an end before the start runs past midnight into the next day)")
        return self


class FreezeWindow(StrictModel):
    """A change freeze, in Beijing time: a date range, weekly times, or the last days of every month."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    name: Name
    from_date: datetime.date | None = Field(default=None, alias="from")
    to_date: datetime.date | None = Field(default=None, alias="to")
    weekly: WeeklyWindow | None = None
    month_end_days: Annotated[StrictInt, Field(ge=1, le=10)] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> FreezeWindow:
        kinds = [self.from_date is not None or self.to_date is not None, self.weekly is not None,
                 self.month_end_days is not None]
        if sum(kinds) != 1:
            raise ValueError("a freeze window has exactly one of from:/to:, weekly: or month_end_days:")
        if kinds[0] and (self.from_date is None or self.to_date is None or self.from_date > self.to_date):
            raise ValueError("a dated freeze window needs from: and to:, with from: not after to:")
        return self


