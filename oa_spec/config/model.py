"""The spec as the user writes it (format version 1). Unknown fields are errors.

These models check shapes and types; limits and cross-references are checked in `validate.py`,
so that every problem in a spec is reported in one run.
"""

from __future__ import annotations

import datetime
import re
import typing
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
    model_validator,
)

from oa_spec import limits
from oa_spec.kinds.registry import GuardedKind
from oa_spec.util.display import text_problem
from oa_spec.util.urls import is_loopback, split_url

SECRET_PATTERN = r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$"
# A spec may name only variables of this pattern as secrets, so a pull request cannot make CI send
# another of its variables (a cloud key, a deploy token) as an AppSecret.
SECRET_VARIABLE_PREFIX = "OASPEC_"
SECRET_VARIABLE_PATTERN = r"^OASPEC_[A-Z0-9_]+$"
DEFAULT_API_BASE = "https://api.weixin.qq.com"
# Any other api_base must be allowed outside the spec, where a pull request cannot change it.
ALLOWED_API_BASES_VARIABLE = "OASPEC_ALLOWED_API_BASES"


def _displayable_name(value: str) -> str:
    """A name is one line of visible characters (display.py decides which)."""
    problem = text_problem(value, name=True)
    if problem:
        raise ValueError(f"the name {problem}")
    return value


Name = Annotated[str, Field(min_length=1), AfterValidator(_displayable_name)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
ButtonType = Literal[
    "click", "view", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album",
    "pic_weixin", "location_select", "media_id", "view_limited", "article_id", "article_view_limited",
    "miniprogram",
]
assert set(ButtonType.__args__) == set(limits.BUTTON_TYPES)  # type: ignore[attr-defined]
ModuleKind = Literal[
    "account_query", "balance_alert", "customer_service", "appointment", "wealth", "loan",
    "check_in", "quiz", "campaign", "custom",
]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- providers ------------------------------------------------------------------------------------
class LocalProviderConfig(StrictModel):
    """The embedded account in the state directory: no credentials, for trying and testing."""

    type: Literal["local"]


class WeChatProviderConfig(StrictModel):
    """A real Official Account through the platform's server API."""

    type: Literal["wechat"]
    app_id: Annotated[str, Field(pattern=r"^wx[0-9A-Za-z]{16}$")]
    app_secret: Annotated[str, Field(pattern=SECRET_PATTERN,
                                     description="${ENV_VAR} naming the variable that holds the AppSecret")]
    api_base: str = DEFAULT_API_BASE
    token_endpoint: Literal["stable", "classic"] = "stable"
    timeout_seconds: Annotated[StrictFloat, Field(gt=0, le=120)] = 10.0

    @field_validator("api_base")
    @classmethod
    def _https_unless_loopback(cls, value: str) -> str:
        problem = api_base_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @property
    def secret_variable(self) -> str:
        """The name of the environment variable that holds the AppSecret: NAME from `${NAME}`."""
        return self.app_secret[2:-1]


def api_base_problem(api_base: str) -> str | None:
    """Why `api_base` may not be used, or None. The AppSecret and tokens travel to it: never in clear
    text beyond this machine. The spec model and the WeChat provider both ask here."""
    parts = split_url(api_base)
    if parts is not None and parts.hostname and (
            parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))):
        return None
    return (f"api_base {api_base!r} must be an https:// URL (plain http only on a loopback address, such as "
            "the emulator's http://127.0.0.1:PORT)")


def secret_variable_problem(name: str) -> str | None:
    """Why a spec may not name `name` as a secret, or None."""
    if re.fullmatch(SECRET_VARIABLE_PATTERN, name):
        return None
    return (f"app_secret names the environment variable {name}, but a spec may only name variables "
            f"{SECRET_VARIABLE_PREFIX}* (capital letters, digits and '_'), so that a pull request cannot "
            "send other CI variables to the API")


def allowed_api_bases(environ: typing.Mapping[str, str]) -> frozenset[str]:
    """The default base and the exact bases listed in OASPEC_ALLOWED_API_BASES (comma-separated)."""
    listed = environ.get(ALLOWED_API_BASES_VARIABLE, "").split(",")
    return frozenset({DEFAULT_API_BASE, *(b.strip().rstrip("/") for b in listed if b.strip())})


def api_base_allowance_problem(api_base: str, environ: typing.Mapping[str, str]) -> str | None:
    """Why this machine may not send the AppSecret to `api_base`, or None. Asked by the validator
    (before any secret is read) and again by the WeChat provider (before one is sent)."""
    if api_base.rstrip("/") in allowed_api_bases(environ):
        return None
    return (f"api_base {api_base!r} is not allowed here: the AppSecret is sent to it, so any base other "
            f"than {DEFAULT_API_BASE} must be listed in the environment variable {ALLOWED_API_BASES_VARIABLE} "
            "(comma-separated), which the spec cannot set")


ProviderConfig = Annotated[LocalProviderConfig | WeChatProviderConfig, Field(discriminator="type")]
SECRET_FIELDS = frozenset({"app_secret"})


# --- menus ---------------------------------------------------------------------------------------
class ButtonSpec(StrictModel):
    name: Name
    type: ButtonType | None = None
    key: str | None = None
    url: str | None = None
    media_id: str | None = None
    article_id: str | None = None
    appid: str | None = None
    pagepath: str | None = None
    module: str | None = Field(default=None, description="id of a module whose entry this button opens")
    sub_buttons: list[ButtonSpec] | None = None


class MatchSpec(StrictModel):
    tag: str | None = Field(default=None, description="name of a tag declared under tags:")
    client_platform_type: Literal["ios", "android", "others"] | None = None


class ConditionalMenuSpec(StrictModel):
    name: Name
    match: MatchSpec
    menu: list[ButtonSpec]


# --- tags, templates, industry -------------------------------------------------------------------
class TagSpec(StrictModel):
    name: Name
    renamed_from: str | None = Field(default=None, description="the tag's old name: renames keep followers")


class TemplateSpec(StrictModel):
    id: Identifier
    library_id: str | None = Field(default=None, description="template_id_short from the template library, "
                                   "e.g. OPENTM000000; needed to add the template (not for an imported one)")
    title: Name


class IndustrySpec(StrictModel):
    primary: str
    secondary: str


# --- replies -------------------------------------------------------------------------------------
class ReplySpec(StrictModel):
    text: str | None = None
    module: str | None = Field(default=None, description="reply with a link to this module's entry")

    @model_validator(mode="after")
    def _one_of(self) -> ReplySpec:
        if (self.text is None) == (self.module is None):
            raise ValueError("a reply has exactly one of text: or module:")
        return self


class KeywordReplySpec(StrictModel):
    name: Name
    match: Literal["contains", "exact"] = "contains"
    keywords: Annotated[list[Name], Field(min_length=1)]
    reply: ReplySpec


class RepliesSpec(StrictModel):
    subscribe: ReplySpec | None = None
    default: ReplySpec | None = None
    keywords: list[KeywordReplySpec] = []


# --- service modules and content -----------------------------------------------------------------
# Personal-data kinds PIPL art. 28 calls sensitive; the policy packs read this set.
SENSITIVE_DATA = frozenset({"financial_account", "transaction_record", "id_number", "biometric", "location",
                            "track", "health", "minor_u14"})
PersonalDataKind = Literal["financial_account", "transaction_record", "id_number", "biometric", "location",
                           "track", "health", "minor_u14", "phone", "name", "email", "address", "openid"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = typing.get_args(Weekday)  # in datetime.weekday() order: WEEKDAYS[0] is monday
# The names chinese-calendar gives the statutory holidays (kept equal to its Holiday enum by a test).
HolidayName = Literal["元旦", "春节", "清明", "劳动节", "端午", "国庆节", "中秋"]
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$", max_length=80,
                              description="dotted kebab-case, e.g. citybank.no-personal-wechat")]
Severity = Literal["error", "warning"]


def _severity_word(value: Any) -> Any:
    """The one place a YAML 1.1 boolean becomes a severity word: `{rule: off}` (or `no`) reads as False, and
    means "off", as the README shows. True (on, yes, true) names no severity, so it stays an error."""
    if value is False:
        return "off"
    if value is True:
        raise ValueError("yes, on and true are not severities: write error, warning or off")
    return value


SeverityOverride = Annotated[Literal["error", "warning", "off"], BeforeValidator(_severity_word)]


class ModuleEntry(StrictModel):
    url: str | None = None
    key: str | None = Field(default=None, description="click key, when the entry is handled by the bank's server")
    oauth_scope: Literal["snsapi_base", "snsapi_userinfo"] | None = None
    profile_reason: str | None = Field(default=None, description="why snsapi_userinfo (nickname, avatar) is needed")


class ReviewSpec(StrictModel):
    """Who reviews before publishing: the 三审 chain and the 消保审查 record."""

    author: str | None = None
    roles: list[Name] = Field(default=[], description="distinct reviewing roles, in order: 编辑, 合规, 审批")
    consumer_protection: str | None = Field(default=None, description="reference of the 消保审查 record")


class AccessibilitySpec(StrictModel):
    large_text: StrictBool = Field(default=False,
                                   description="H5 main text >= 18pt, line spacing >= 1.3, contrast >= 4.5:1")
    human_service: StrictBool = Field(default=False, description="a one-tap route to a human (一键转人工)")


class AudienceSpec(StrictModel):
    tags: list[str] = Field(default=[], description="tag names; empty means every follower")


class ModuleSpec(StrictModel):
    id: Identifier
    kind: ModuleKind
    title: str | None = None
    description: str | None = None
    phase: Annotated[StrictInt, Field(ge=1, le=3)] = 1
    enabled: StrictBool = True
    entry: ModuleEntry | None = None
    template: str | None = Field(default=None, description="id of a template this module sends")
    personal_data: list[PersonalDataKind] = []
    consent: str | None = Field(default=None, description="separate (单独同意, required for sensitive data), "
                                "opt_in, or how consent is obtained")
    privacy_notice: str | None = Field(default=None, description="https link to the module's privacy notice")
    necessity: str | None = Field(default=None, description="why the sensitive data is necessary (PIPL art. 30)")
    audience: AudienceSpec = AudienceSpec()
    accessibility: AccessibilitySpec = AccessibilitySpec()
    review: ReviewSpec | None = None
    cost_disclosure: str | None = Field(default=None, description="loan modules: where 年化综合融资成本 is shown")
    human_handoff: StrictBool = Field(default=False, description="customer_service: routes to a human agent")
    share_reward: StrictBool = Field(default=False, description="campaigns: rewards for sharing (platform forbids)")
    share_required: StrictBool = Field(default=False, description="campaigns: sharing gates participation")
    invite_reward: StrictBool = Field(default=False, description="campaigns: rewards for inviting friends")


class CadenceSpec(StrictModel):
    """When a stream publishes: every day/week/month, explicit dates, and/or statutory holidays."""

    every: Literal["day", "week", "month"] | None = None
    on: Weekday | StrictInt | list[Weekday | StrictInt] | None = Field(
        default=None, description="weekdays (mon..sun) for every: week; days of month (1-31) for every: month")

    @field_validator("on", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any) -> Any:
        """YAML 1.1 reads on/off/yes/no/true/false as booleans, which would count as days 1 and 0."""
        if any(isinstance(v, bool) for v in (value if isinstance(value, list) else [value])):
            raise ValueError("on: has true or false (YAML reads yes, no, on, off, true and false as booleans), "
                             "not a weekday or a day of the month; write mon..sun, or 1-31")
        return value
    dates: list[datetime.date] = []
    holidays: StrictBool | list[HolidayName] = Field(
        default=False, description="true: the first day of every statutory holiday; or a list of holiday names")


class StreamSpec(StrictModel):
    id: Identifier
    title: Name
    description: str | None = None
    audience: AudienceSpec = AudienceSpec()
    cadence: CadenceSpec
    format: str = "article"
    broadcast: StrictBool = False
    review: ReviewSpec | None = None


class ContentSpec(StrictModel):
    streams: list[StreamSpec] = []


class RolloutSpec(StrictModel):
    max_phase: Annotated[StrictInt, Field(ge=1, le=3)] = 3


# --- policies -------------------------------------------------------------------------------------
class PolicySettings(StrictModel):
    """Settings the rule packs read. Only the fields a level sets override the level below it."""

    allowed_domains: list[str] | None = Field(
        default=None, description="hosts links may point at; '*.bank.cn' allows its subdomains")
    allowed_miniprograms: list[str] | None = Field(default=None, description="mini-program appids allowed")
    elderly_tags: list[str] | None = Field(default=None, description="tags that mark the elderly segment")
    student_tags: list[str] | None = Field(default=None, description="tags that mark students")
    cadence_horizon_days: Annotated[StrictInt, Field(ge=1, le=1100)] | None = Field(
        default=None, description="how far ahead cadence rules check broadcast quotas")


class PackRef(StrictModel):
    name: Name
    settings: PolicySettings = PolicySettings()


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
    allowed_domains: list[Name] = Field(default=[], description="links in scope must point at these hosts")
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
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        return self


class WaiverSpec(StrictModel):
    """Approver, reason and expiry are checked by the policy engine, which reports what is missing."""

    rule: Name
    target: Name = Field(description="address glob, e.g. citybank/replies/keywords/*")
    reason: str | None = None
    approved_by: str | None = None
    expires: datetime.date | None = None
    ticket: str | None = None


class AccountPoliciesSpec(StrictModel):
    settings: PolicySettings = PolicySettings()
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
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-4]):[0-5]\d$", description=(
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

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

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


# --- accounts and the whole spec -----------------------------------------------------------------
class AccountSpec(StrictModel):
    id: Identifier
    name: Name
    type: Literal["service", "subscription"] = "service"
    verified: StrictBool = True
    provider: ProviderConfig = LocalProviderConfig(type="local")
    tags: list[TagSpec] = []
    menu: list[ButtonSpec] | None = None
    conditional_menus: list[ConditionalMenuSpec] = []
    industry: IndustrySpec | None = None
    templates: list[TemplateSpec] = []
    replies: RepliesSpec = RepliesSpec()
    modules: list[ModuleSpec] = []
    content: ContentSpec = ContentSpec()
    rollout: RolloutSpec = RolloutSpec()
    policies: AccountPoliciesSpec = AccountPoliciesSpec()
    prune: PruneSpec | StrictBool = Field(default=PruneSpec(), description="true: every kind; or per kind")
    adopt: AdoptSpec = AdoptSpec()
    guards: GuardSpec = GuardSpec()
    capabilities: CapabilitiesSpec = CapabilitiesSpec()
    freeze: list[FreezeWindow] = []


class PoliciesSpec(StrictModel):
    packs: list[str | PackRef] = []
    settings: PolicySettings = PolicySettings()
    severity: dict[str, SeverityOverride] = Field(default={}, description="rule id -> error, warning or off")
    rules: list[CustomRuleSpec] = []
    waivers: list[WaiverSpec] = []
    waiver_max_days: Annotated[StrictInt, Field(ge=1, le=1096)] = Field(
        default=365, description="longest a waiver of a regulated rule may run, counted from today")


class Spec(StrictModel):
    version: Literal[1]
    bank: Name
    policies: PoliciesSpec = PoliciesSpec()
    freeze: list[FreezeWindow] = Field(default=[], description="freeze windows for every account")
    accounts: list[AccountSpec] = []


INCLUDE_DESCRIPTION = "further files (globs, relative to this file) whose accounts: join this spec"


def json_schema(included: bool = False) -> dict[str, Any]:
    """The JSON Schema editors use to autocomplete the spec (`oaspec schema`); with `included`, the
    schema of a file pulled in by `include:` (accounts only, no version or bank)."""
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "oaspec spec (version 1)"
    properties = schema.setdefault("properties", {})
    properties["include"] = {"description": INCLUDE_DESCRIPTION,
                             "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
    if included:
        schema["title"] = "oaspec included file (version 1): accounts joining the main spec"
        schema["properties"] = {key: properties[key] for key in ("accounts", "include")}
        schema.pop("required", None)
    return schema
