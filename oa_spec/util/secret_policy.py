"""Where secrets may come from and where they may go, decided in one place.

A spec names its secrets as ${OASPEC_*} environment variables only, so a pull request cannot make CI
send another of its variables (a cloud key, a deploy token) to an API; the AppSecret travels only over
https (plain http on a loopback address, for the emulator) and only to the platform's API base or one
the environment (never the spec) allows. The spec's validator and the WeChat provider both ask here.
"""

from __future__ import annotations

import re
import typing

from oa_spec.util.redact import quoted
from oa_spec.util.urls import is_loopback, split_url

SECRET_PATTERN = r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$"
# A spec may name only variables of this pattern as secrets, so a pull request cannot make CI send
# another of its variables (a cloud key, a deploy token) as an AppSecret.
SECRET_VARIABLE_PREFIX = "OASPEC_"
SECRET_VARIABLE_PATTERN = r"^OASPEC_[A-Z0-9_]+$"
_WORDS = re.compile(r"[^A-Za-z0-9]+")  # a variable name's parts: a key glued to OASPEC_X stands out from them
DEFAULT_API_BASE = "https://api.weixin.qq.com"
# Any other api_base must be allowed outside the spec, where a pull request cannot change it.
ALLOWED_API_BASES_VARIABLE = "OASPEC_ALLOWED_API_BASES"


def interpolates(value: object) -> bool:
    """Whether a spec reads `value` as naming an environment variable (`${...}`): the loader records each
    one, and only the secret fields may hold one."""
    return isinstance(value, str) and "${" in value


def api_base_problem(api_base: str) -> str | None:
    """Why `api_base` may not be used, or None. The AppSecret and tokens travel to it: never in clear
    text beyond this machine. The spec model and the WeChat provider both ask here."""
    parts = split_url(api_base)
    if parts is not None and parts.hostname and (
            parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))):
        return None
    return (f"api_base {quoted(api_base)} must be an https:// URL (plain http only on a loopback address, such as "
            "the emulator's http://127.0.0.1:PORT)")


GLUED = ("the name looks like a key or token glued to a variable's name: name the variable only, ${OASPEC_...}, and "
         "keep the value in the environment (in CI, the secret store), never in the spec")


def variable_named(name: str) -> str:
    """"environment variable NAME", or its length only when a key was glued to the name (${OASPEC_X3f9a...})."""
    return quoted(name, lambda shown: f"environment variable {shown}", "environment variable", _WORDS)


def secret_variable_problem(name: str, field: str = "app_secret") -> str | None:
    """Why a spec may not name `name` as a secret, or None."""
    if re.fullmatch(SECRET_VARIABLE_PATTERN, name):
        return None
    return (f"{field} names the {variable_named(name)}, but a spec may only name variables "
            f"{SECRET_VARIABLE_PREFIX}* (capital letters, digits and '_'), so that a pull request cannot "
            "send other CI variables to the API")


def secret_value_problem(variable: str, value: str) -> str | None:
    """Why the value of `variable` may not be used as a secret (an AppSecret, a gateway Token, EncodingAESKey or a
    webhook's signing secret), or None. The platform's secrets hold no spaces or controls: one there (most often a
    line break pasted into the CI secret store) is refused, not stripped, so that what oaspec sends is exactly what
    the store holds. The value is never shown."""
    if not any(ch.isspace() or not ch.isprintable() for ch in value):
        return None
    return (f"environment variable {variable} holds a space, line break or other invisible character (value not "
            "shown); remove it where the variable is set (in CI, the secret store: paste the value again without "
            "the line break after it)")


def allowed_api_bases(environ: typing.Mapping[str, str]) -> frozenset[str]:
    """The default base and the exact bases listed in OASPEC_ALLOWED_API_BASES (comma-separated)."""
    listed = environ.get(ALLOWED_API_BASES_VARIABLE, "").split(",")
    return frozenset({DEFAULT_API_BASE, *(b.strip().rstrip("/") for b in listed if b.strip())})


def api_base_allowance_problem(api_base: str, environ: typing.Mapping[str, str]) -> str | None:
    """Why this machine may not send the AppSecret to `api_base`, or None. Asked by the validator
    (before any secret is read) and again by the WeChat provider (before one is sent)."""
    if api_base.rstrip("/") in allowed_api_bases(environ):
        return None
    return (f"api_base {quoted(api_base)} is not allowed here: the AppSecret is sent to it, so any base other "
            f"than {DEFAULT_API_BASE} must be listed in the environment variable {ALLOWED_API_BASES_VARIABLE} "
            "(comma-separated), which the spec cannot set")
