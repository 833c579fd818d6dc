"""Providers: how oaspec reaches a live account. `make_provider` picks one by the spec's provider type."""

from __future__ import annotations

import os
from pathlib import Path

from oa_spec.config.compile import has_capability
from oa_spec.config.model import AccountSpec, LocalProviderConfig, secret_variable_problem
from oa_spec.errors import OaspecError
from oa_spec.providers.base import Provider


def make_provider(account: AccountSpec, state_dir: Path) -> Provider:
    provider = _platform_provider(account, state_dir)
    if account.gateway is None:
        return provider
    from oa_spec.providers.served import ServedProvider  # replies are answered by `oaspec serve`

    return ServedProvider(provider, state_dir)


def _platform_provider(account: AccountSpec, state_dir: Path) -> Provider:
    config = account.provider
    if isinstance(config, LocalProviderConfig):
        from oa_spec.providers.local import LocalProvider

        return LocalProvider(account.id, state_dir)
    from oa_spec.providers.wechat import WeChatProvider

    variable = config.secret_variable
    problem = secret_variable_problem(variable)
    if problem:  # validate refuses this too; checked again before any variable is read
        raise OaspecError(f"account {account.id}: {problem}")
    secret = os.environ.get(variable)
    if not secret:
        raise OaspecError(f"account {account.id}: environment variable {variable} (its AppSecret) is not set; "
                          f"export it, in CI from the secret store")
    provider: Provider = WeChatProvider(account.id, config, secret,
                                        templates_readable=has_capability(account, "template_messages"))
    return provider


__all__ = ["Provider", "make_provider"]
