"""Seed a running emulator from a spec (`oaspec emulator --spec`): its WeChat apps with their secrets
and the library templates it adds, so that a plan against the emulator can converge."""

from __future__ import annotations

from collections.abc import Mapping

from oa_spec.config.model import Spec, WeChatProviderConfig
from oa_spec.emulator.client import EmulatorAdmin
from oa_spec.errors import OaspecError


def register_spec(admin: EmulatorAdmin, spec: Spec, environ: Mapping[str, str]) -> None:
    for account in spec.accounts:
        if isinstance(account.provider, WeChatProviderConfig):
            variable = account.provider.secret_variable
            secret = environ.get(variable)
            if not secret:
                raise OaspecError(f"set {variable} (any value): the emulator registers {account.provider.app_id} "
                                  "with it")
            admin.register_app(account.provider.app_id, secret)
        templates = [{"template_id_short": t.library_id, "title": t.title} for t in account.templates if t.library_id]
        if templates:
            admin.add_library_templates(templates)
