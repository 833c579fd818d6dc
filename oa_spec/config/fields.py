"""The building blocks of the spec's models: the strict base model and the scalar types (names,
identifiers, literals) that several parts of the spec share."""

from __future__ import annotations

import re
import typing
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

from oa_spec import limits
from oa_spec.util.display import text_problem, value_problem
from oa_spec.util.secret_policy import SECRET_PATTERN


def _displayable_name(value: str) -> str:
    """A name is one line of visible characters (display.py decides which)."""
    problem = text_problem(value, name=True)
    if problem:
        raise ValueError(f"the name {problem}")
    return value


def _exact_value(value: str) -> str:
    """A value the platform compares exactly reads as itself in a plan (display.py decides)."""
    problem = value_problem(value)
    if problem:
        raise ValueError(f"the value {problem}")
    return value


Name = Annotated[str, Field(min_length=1), AfterValidator(_displayable_name)]
_HOST = re.compile(r"(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?")
# Second-level labels anyone registers a name under (com.cn, gov.cn, com.hk, co.uk, and .cn's province labels: sh.cn,
# bj.cn): a wildcard over one of them, as over a top-level domain, allows every stranger's host with the bank's.
_OPEN_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "co", "mil", "int", "ah", "bj", "cq", "fj",
                                "gd", "gs", "gx", "gz", "ha", "hb", "he", "hi", "hk", "hl", "hn", "jl", "js", "jx",
                                "ln", "mo", "nm", "nx", "qh", "sc", "sd", "sh", "sn", "sx", "tj", "tw", "xj", "xz",
                                "yn", "zj"})


def _domain_pattern(value: str) -> str:
    """A host links may point at (m.bank.cn), or '*.' and a domain the bank owns (*.bank.cn) for its subdomains."""
    if not _HOST.fullmatch(value.lower()):
        raise ValueError(f"{value!r} is not a host name: write one (m.bank.cn), or '*.' and a domain the bank owns "
                         "(*.bank.cn); no scheme, port or path")
    labels = value.lower().split(".")[1:] if value.startswith("*.") else []
    if value.startswith("*.") and (len(labels) < 2 or (len(labels) == 2 and labels[0] in _OPEN_SECOND_LEVEL)):
        raise ValueError(f"{value!r} allows every host under a public suffix, anyone's: name the bank's own domain "
                         "(*.bank.cn)")
    return value


DomainPattern = Annotated[str, AfterValidator(_domain_pattern)]
# A click key, link, appid or scene: printed bare in plans, so no character may pass for another.
ExactValue = Annotated[str, AfterValidator(_exact_value)]
# `${NAME}`: the environment variable that holds a secret (validate.py checks NAME is OASPEC_*).
SecretRef = Annotated[str, Field(pattern=SECRET_PATTERN, description="${OASPEC_...}: the environment variable "
                                 "that holds the secret")]
AppId = Annotated[str, Field(pattern=r"^wx[0-9A-Za-z]{16}$")]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
# A follower's OpenID on the account (28 characters of letters, digits, - and _ on today's platform). Personal
# data: validate names where a malformed one is and what is wrong with it, never its value (config/validate.py).
OPENID_CHARS, OPENID_LENGTHS = "A-Za-z0-9_-", (20, 64)
OPENID_PATTERN = f"^[{OPENID_CHARS}]{{{OPENID_LENGTHS[0]},{OPENID_LENGTHS[1]}}}$"
OpenId = Annotated[str, Field(pattern=OPENID_PATTERN, description="a follower's OpenID on this account")]
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


_Model = TypeVar("_Model", bound="StrictModel")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def at_defaults(cls: type[_Model], **values: Any) -> _Model:
        """The model at its defaults (and `values`), as a field's default. Taken as valid (tests/config check
        each one), so that defining the field does not build this model's own validator at import: the
        spec's validator holds it already, and thirteen such defaults cost every command about 8 ms."""
        return typing.cast(_Model, cls.model_construct(**values))  # the pydantic plugin types it as StrictModel


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

