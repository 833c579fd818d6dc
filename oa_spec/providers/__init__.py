"""Providers: how oaspec reaches a live account. `make_provider` picks one by its settings."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spec.errors import OaspecError
from oa_spec.kinds.state import AccountState
from oa_spec.providers.base import Provider
from oa_spec.providers.settings import LocalSettings, ProviderSettings, WeChatSettings
from oa_spec.util.secret_policy import secret_value_problem, secret_variable_problem

if TYPE_CHECKING:
    from oa_spec.content.record import ContentStore


def make_provider(account_id: str, settings: ProviderSettings, state_dir: Path,
                  served: Callable[[], AccountState] | None = None, content: ContentStore | None = None) -> Provider:
    """The account's provider; given `served` (what the newest revision serves), its replies are answered by
    `oaspec serve` (providers/served.py). `content` is the account's content record in the state (default:
    the files state's, under state_dir)."""
    provider = _platform_provider(account_id, settings, state_dir, content)
    if served is None:
        return provider
    from oa_spec.providers.served import ServedProvider

    return ServedProvider(provider, served)


def _platform_provider(account_id: str, settings: ProviderSettings, state_dir: Path,
                       content: ContentStore | None) -> Provider:
    if isinstance(settings, LocalSettings):
        from oa_spec.providers.local import LocalProvider

        return LocalProvider(account_id, state_dir)
    from oa_spec.providers.wechat import WeChatProvider

    variable = settings.secret_variable
    problem = secret_variable_problem(variable)
    if problem:  # validate refuses this too; checked again before any variable is read
        raise OaspecError(f"account {account_id}: {problem}")
    secret = os.environ.get(variable)
    if not secret:
        raise OaspecError(f"account {account_id}: environment variable {variable} (its AppSecret) is not set; "
                          f"export it, in CI from the secret store")
    if problem := secret_value_problem(variable, secret):
        raise OaspecError(f"account {account_id}: {problem}")
    from oa_spec.content.record import ContentRecord

    return WeChatProvider(account_id, settings, secret, content=content or ContentRecord(state_dir, account_id))


__all__ = ["LocalSettings", "Provider", "ProviderSettings", "WeChatSettings", "make_provider"]
