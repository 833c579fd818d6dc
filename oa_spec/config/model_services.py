"""The spec's service modules (their rollout phase, entry, audience and data) and the content matrix
(streams per audience with their cadence)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
)

from oa_spec.config.fields import (
    AppId,
    ExactValue,
    HolidayName,
    Identifier,
    ModuleKind,
    Name,
    OpenId,
    PersonalDataKind,
    SecretRef,
    StrictModel,
    Weekday,
)


class ModuleEntry(StrictModel):
    url: ExactValue | None = None
    key: ExactValue | None = Field(default=None,
                                   description="click key, when the entry is handled by the bank's server")
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


class WebhookSpec(StrictModel):
    """The bank's service that answers for a module (a balance query): `oaspec serve` POSTs the message to it,
    signed with HMAC-SHA256 with the secret `signing_secret` names (validate requires one), and replies with its
    answer."""

    url: ExactValue
    # Past the gateway's 4.5 s budget the customer gets the answer through the customer-service API.
    timeout_seconds: Annotated[StrictFloat | StrictInt, Field(gt=0, le=30)] = 3.0
    signing_secret: SecretRef | None = None


class FaqAnswerSpec(StrictModel):
    text: str


class FaqEntrySpec(StrictModel):
    """One question of the smart customer service, the ways customers ask it, and its answer."""

    id: Identifier
    questions: Annotated[list[Name], Field(min_length=1)]
    answer: FaqAnswerSpec
    module: str | None = Field(default=None, description="answer by this module's webhook instead")


class GatewaySpec(StrictModel):
    """The account's 服务器配置, answered by `oaspec serve`; the Token and key only from the environment."""

    token: SecretRef
    encoding_aes_key: SecretRef | None = None
    mode: Literal["plain", "compatible", "safe"] = "safe"
    app_id: AppId | None = Field(default=None, description="defaults to the wechat provider's app_id")


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
    audience: AudienceSpec = AudienceSpec.at_defaults()
    accessibility: AccessibilitySpec = AccessibilitySpec.at_defaults()
    review: ReviewSpec | None = None
    cost_disclosure: str | None = Field(default=None, description="loan modules: where 年化综合融资成本 is shown")
    human_handoff: StrictBool = Field(default=False, description="customer_service: routes to a human agent")
    share_reward: StrictBool = Field(default=False, description="campaigns: rewards for sharing (platform forbids)")
    share_required: StrictBool = Field(default=False, description="campaigns: sharing gates participation")
    invite_reward: StrictBool = Field(default=False, description="campaigns: rewards for inviting friends")
    webhook: WebhookSpec | None = Field(default=None, description="served accounts: the service that answers")
    faq: list[FaqEntrySpec] = Field(default=[], description="customer_service: questions `oaspec serve` answers")


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


PREVIEW_MAX_REVIEWERS = 10  # oaspec's bound: each reviewer is one message/mass/preview call per slot


class PreviewSpec(StrictModel):
    """Reviewers who get each slot's article on their phone (message/mass/preview) just before it goes out.
    OpenIDs are personal data: oaspec prints, logs and records how many reviewers, never which."""

    reviewers: list[OpenId] = Field(min_length=1, max_length=PREVIEW_MAX_REVIEWERS,
                                    description="the reviewers' OpenIDs on this account (they must follow it)")


class StreamSpec(StrictModel):
    id: Identifier
    title: Name
    description: str | None = None
    audience: AudienceSpec = AudienceSpec.at_defaults()
    cadence: CadenceSpec
    format: str = "article"
    broadcast: StrictBool = False
    review: ReviewSpec | None = None
    preview: PreviewSpec | None = Field(default=None, description="a preview before each send (instead of the "
                                        "account's content.preview)")


class ContentSpec(StrictModel):
    articles: list[str] = Field(default=[], description="globs of Markdown articles (front matter, then the body), "
                                "relative to the file that names them, e.g. content/**/*.md")
    streams: list[StreamSpec] = []
    preview: PreviewSpec | None = Field(default=None, description="a preview before every stream's sends (a "
                                        "stream's own preview: replaces it)")
    # What validate found, checked and compiled for `articles` (content/spec.py ResolvedContent), so that
    # compile and the providers use exactly what was checked.
    _resolved: Any = PrivateAttr(default=None)


class RolloutSpec(StrictModel):
    max_phase: Annotated[StrictInt, Field(ge=1, le=3)] = 3


