"""The spec as the user writes it (format version 1). Unknown fields are errors.

These models check shapes and types; limits and cross-references are checked in `validate.py`,
so that every problem in a spec is reported in one run.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from oa_spec.config.fields import (
    AppId,
    ButtonType,
    ExactValue,
    Identifier,
    Name,
    SeverityOverride,
    StrictModel,
)
from oa_spec.config.model_safety import (
    AccountPoliciesSpec,
    AdoptSpec,
    CapabilitiesSpec,
    CustomRuleSpec,
    FreezeWindow,
    GuardSpec,
    PackEntry,
    PolicySettings,
    PruneSpec,
    WaiverSpec,
)
from oa_spec.config.model_services import ContentSpec, GatewaySpec, ModuleSpec, RolloutSpec
from oa_spec.util.display import keyword_problem
from oa_spec.util.secret_policy import DEFAULT_API_BASE, SECRET_PATTERN, SECRET_VARIABLE_PATTERN, api_base_problem


# --- providers ------------------------------------------------------------------------------------
class LocalProviderConfig(StrictModel):
    """The embedded account in the state directory: no credentials, for trying and testing."""

    type: Literal["local"]


class WeChatProviderConfig(StrictModel):
    """A real Official Account through the platform's server API."""

    type: Literal["wechat"]
    app_id: AppId
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


ProviderConfig = Annotated[LocalProviderConfig | WeChatProviderConfig, Field(discriminator="type")]
# Fields that name an environment variable as ${OASPEC_...}: the only places `${...}` may appear.
SECRET_FIELDS = frozenset({"app_secret", "token", "encoding_aes_key", "signing_secret"})


# --- menus ---------------------------------------------------------------------------------------
class ButtonSpec(StrictModel):
    name: Name
    type: ButtonType | None = None
    key: ExactValue | None = None
    url: ExactValue | None = None
    media_id: ExactValue | None = None
    article_id: ExactValue | None = None
    appid: ExactValue | None = None
    pagepath: ExactValue | None = None
    module: str | None = Field(default=None, description="id of a module whose entry this button opens")
    sub_buttons: list[ButtonSpec] | None = None


def leaves(buttons: list[ButtonSpec]) -> list[ButtonSpec]:
    """The buttons a menu's taps reach: each top-level button's sub-buttons, or the button itself."""
    return [leaf for b in buttons for leaf in (b.sub_buttons if b.sub_buttons is not None else [b])]


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
    match: Literal["contains", "exact", "regex"] = Field(
        default="contains", description="regex: an RE2 pattern, searched in the message (served accounts only)")
    keywords: Annotated[list[Name], Field(min_length=1)]
    reply: ReplySpec | None = None
    replies: Annotated[list[ReplySpec] | None, Field(min_length=1, description="several replies: all sent "
                                                     "(reply_all) or one drawn at random (random_one)")] = None
    reply_mode: Literal["reply_all", "random_one"] = "reply_all"

    @field_validator("keywords")
    @classmethod
    def _typable(cls, keywords: list[str], info: ValidationInfo) -> list[str]:
        """Keywords as followers type them (display.keyword_problem); a pattern's classes may name full-width ones."""
        for i, keyword in enumerate(keywords):
            if problem := keyword_problem(keyword, pattern=info.data.get("match") == "regex"):
                raise ValueError(f"keyword {i + 1} ({keyword!r}) {problem}")
        return keywords

    @model_validator(mode="after")
    def _one_of(self) -> KeywordReplySpec:
        if (self.reply is None) == (self.replies is None):
            raise ValueError("a keyword rule has exactly one of reply: or replies:")
        return self

    def located_replies(self) -> list[tuple[tuple[str | int, ...], ReplySpec]]:
        """Each reply with its place under the rule: ("reply",) or ("replies", 2)."""
        if self.reply is not None:
            return [(("reply",), self.reply)]
        return [(("replies", i), r) for i, r in enumerate(self.replies or [])]


class ClickReplySpec(StrictModel):
    key: Annotated[ExactValue, Field(min_length=1, description="a click button's key")]
    reply: ReplySpec


class SceneReplySpec(StrictModel):
    scene: Annotated[ExactValue, Field(min_length=1, max_length=64, description="the parametric QR code's scene "
                                "(scene_str, or scene_id as text)")]
    reply: ReplySpec


class RepliesSpec(StrictModel):
    subscribe: ReplySpec | None = None
    default: ReplySpec | None = None
    keywords: list[KeywordReplySpec] = []
    clicks: list[ClickReplySpec] = Field(default=[], description="served accounts: what a click key answers")
    scenes: list[SceneReplySpec] = Field(default=[], description="served accounts: the welcome of a QR scene")



# --- accounts and the whole spec -----------------------------------------------------------------
class AccountSpec(StrictModel):
    id: Identifier
    name: Name
    type: Literal["service", "subscription"] = "service"
    verified: StrictBool = True
    provider: ProviderConfig = LocalProviderConfig.at_defaults(type="local")
    tags: list[TagSpec] = []
    menu: list[ButtonSpec] | None = None
    conditional_menus: list[ConditionalMenuSpec] = []
    industry: IndustrySpec | None = None
    templates: list[TemplateSpec] = []
    replies: RepliesSpec = RepliesSpec.at_defaults()
    modules: list[ModuleSpec] = []
    content: ContentSpec = ContentSpec.at_defaults()
    rollout: RolloutSpec = RolloutSpec.at_defaults()
    policies: AccountPoliciesSpec = AccountPoliciesSpec.at_defaults()
    prune: PruneSpec | StrictBool = Field(default=PruneSpec.at_defaults(), description="true: every kind; or per kind")
    adopt: AdoptSpec = AdoptSpec.at_defaults()
    guards: GuardSpec = GuardSpec.at_defaults()
    capabilities: CapabilitiesSpec = CapabilitiesSpec.at_defaults()
    freeze: list[FreezeWindow] = []
    gateway: GatewaySpec | None = Field(default=None, description="this account's messages are answered by "
                                        "`oaspec serve` (服务器配置); its replies are then written by apply")


class PoliciesSpec(StrictModel):
    packs: list[PackEntry] = []
    settings: PolicySettings = PolicySettings.at_defaults()
    severity: dict[str, SeverityOverride] = Field(default={}, description="rule id -> error, warning or off")
    rules: list[CustomRuleSpec] = []
    waivers: list[WaiverSpec] = []
    waiver_max_days: Annotated[StrictInt, Field(ge=1, le=1096)] = Field(
        default=365, description="longest a waiver of a regulated rule may run, counted from today")


class StateSpec(StrictModel):
    """Where plan, apply and the record commands keep their state when neither --state nor OASPEC_STATE
    says: the environment variable holding the PostgreSQL address (never the address itself, which
    names a host a pull request should not choose, and never a password)."""

    variable: Annotated[str, Field(pattern=SECRET_VARIABLE_PATTERN, description="the environment variable (OASPEC_*) "
                                   "that holds the state's address, e.g. postgresql://oaspec@db.bank.example/oaspec")]


class Spec(StrictModel):
    version: Literal[1]
    bank: Name
    state: StateSpec | None = Field(default=None, description="the shared state (PostgreSQL) this spec's runs use")
    policies: PoliciesSpec = PoliciesSpec.at_defaults()
    freeze: list[FreezeWindow] = Field(default=[], description="freeze windows for every account")
    accounts: list[AccountSpec] = []


INCLUDE_DESCRIPTION = "further files (globs, relative to this file) whose accounts: join this spec"


def json_schema(included: bool = False) -> dict[str, Any]:
    """The JSON Schema editors use to autocomplete the spec (`oaspec schema`); with `included`, the
    schema of a file pulled in by `include:` (accounts only, no version or bank)."""
    for model in _every_model():  # a default taken as valid (at_defaults) is written by its model's serializer
        model.model_rebuild()
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


def _every_model() -> list[type[StrictModel]]:
    found, pending = [], [StrictModel]
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return found
