"""The gateway settings of a served account (its `gateway:` block), at `citybank/gateway`: the callback's
encryption mode, the AppID a decrypted message must carry, and the names of the variables holding the Token
and EncodingAESKey (never their values).

Only `oaspec serve` uses them, so only the served provider records them. They are in the revision so that
a switch from safe to plain mode (which, on an account the platform calls in safe mode, refuses every
callback) is planned, reviewed, recorded and rolled back like a reply, and serve answers with what was applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from oa_spec.kinds.base import DiffContext, Kind, changed_lines, diff_singleton
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, GatewaySettings


class GatewayKind(Kind):
    name = "gateway"
    label = "gateway"
    state_type = GatewaySettings
    ranks: ClassVar[Mapping[Action, int]] = {"create": 8, "update": 8, "delete": 8}
    always_shown = True

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        return diff_singleton(account, self.name, desired.gateway, live.gateway)

    def details(self, change: Change) -> list[str]:
        return changed_lines(change, (("mode", lambda g: g.mode), ("app_id", lambda g: g.app_id),
                                      ("Token variable", lambda g: g.token_env),
                                      ("EncodingAESKey variable", lambda g: g.aes_key_env)))


GATEWAY = GatewayKind()
