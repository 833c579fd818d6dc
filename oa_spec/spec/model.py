"""The spec as the user writes it (format version 1). Unknown fields are errors.

These models check shapes and types; limits and cross-references are checked in `validate.py`,
so that every problem in a spec is reported in one run.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oa_spec import limits

SECRET_PATTERN = r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$"
Name = Annotated[str, Field(min_length=1)]
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
    api_base: str = "https://api.weixin.qq.com"
    token_endpoint: Literal["stable", "classic"] = "stable"
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0


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
class ModuleEntry(StrictModel):
    url: str | None = None
    key: str | None = Field(default=None, description="click key, when the entry is handled by the bank's server")
    oauth_scope: Literal["snsapi_base", "snsapi_userinfo"] | None = None


class ModuleSpec(StrictModel):
    id: Identifier
    kind: ModuleKind
    title: str | None = None
    phase: Annotated[int, Field(ge=1, le=3)] = 1
    enabled: bool = True
    entry: ModuleEntry | None = None
    template: str | None = Field(default=None, description="id of a template this module sends")
    personal_data: list[str] = []
    consent: str | None = Field(default=None, description="how separate consent is obtained, when personal data")


class AudienceSpec(StrictModel):
    tags: list[str] = []


class CadenceSpec(StrictModel):
    every: Literal["week", "month"] | None = None
    on: str | int | list[str | int] | None = None
    dates: list[datetime.date] = []
    holidays: bool = False


class StreamSpec(StrictModel):
    id: Identifier
    title: Name
    audience: AudienceSpec = AudienceSpec()
    cadence: CadenceSpec
    format: str = "article"
    broadcast: bool = False


class ContentSpec(StrictModel):
    streams: list[StreamSpec] = []


class RolloutSpec(StrictModel):
    max_phase: Annotated[int, Field(ge=1, le=3)] = 3


# --- accounts and the whole spec -----------------------------------------------------------------
class AccountSpec(StrictModel):
    id: Identifier
    name: Name
    type: Literal["service", "subscription"] = "service"
    verified: bool = True
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


class WaiverSpec(StrictModel):
    rule: Name
    target: Name = Field(description="address glob, e.g. citybank/replies/keywords/*")
    reason: Name
    approved_by: Name
    expires: datetime.date


class PoliciesSpec(StrictModel):
    packs: list[str] = []
    settings: dict[str, Any] = {}
    waivers: list[WaiverSpec] = []


class Spec(StrictModel):
    version: Literal[1]
    bank: Name
    policies: PoliciesSpec = PoliciesSpec()
    accounts: list[AccountSpec] = []


def json_schema() -> dict[str, Any]:
    """The JSON Schema editors use to autocomplete the spec (`oaspec schema`)."""
    schema = Spec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "oaspec spec (version 1)"
    schema.setdefault("properties", {})["include"] = {
        "description": "further files (globs, relative to this file) whose accounts: join this spec",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }
    return schema
