"""What a provider needs to know of an account, as plain values: providers never see the spec's models.

The workspace makes these from the spec (plan/workspace.py `provider_settings`); tests make them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from oa_spec.util.secret_policy import DEFAULT_API_BASE


@dataclass(frozen=True)
class LocalSettings:
    """The embedded account in the state directory: no credentials."""


@dataclass(frozen=True)
class WeChatSettings:
    """A real Official Account through the platform's server API."""

    app_id: str
    secret_variable: str  # the environment variable that holds the AppSecret (OASPEC_*)
    api_base: str = DEFAULT_API_BASE
    token_endpoint: Literal["stable", "classic"] = "stable"
    timeout_seconds: float = 10.0
    # False for an account the spec says has no template messages: their API answers 48001 there,
    # so templates and industry are not read (an account that has them is read, and 48001 is an error).
    templates_readable: bool = True
    # The image files of the account's articles, as validate found them ("body:<sha256>" -> file).
    article_files: tuple[tuple[str, Path], ...] = ()


ProviderSettings = LocalSettings | WeChatSettings
