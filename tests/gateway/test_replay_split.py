"""Attack review 73: the signature is sha1 over the sorted timestamp, nonce and Token joined with nothing between, so
a captured query's characters can be moved between its timestamp and its nonce without changing the signature. The
nonce memory was keyed by the timestamp and nonce as written: a shifted pair was new to it, and a plain-mode body
(which nothing signs) could be sent again on it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.config import AccountGateway
from oa_spec.gateway.dedup import FileIdempotency
from oa_spec.gateway.protocol import ProtocolError, ReplayGuard, signature
from oa_spec.gateway.simulator import message_xml, text_message
from tests.gateway.helpers import ENV_HOOK, OFFICIAL_TOKEN
from tests.gateway.servers import FakeWebhook, running
from tests.gateway.test_app import OPENID, config
from tests.gateway.test_replays import forged_after_genuine


def _shifted(timestamp: str, nonce: str) -> tuple[str, str]:
    """The same signature: the nonce's last 0 moved to the front of the timestamp (01700000000 reads as 1700000000)."""
    assert nonce.startswith("0") and nonce.endswith("0")
    return "0" + timestamp, nonce[:-1]


def _forged_on_a_captured_query_is_refused(tmp_path: Path, accounts: Callable[[str], list[AccountGateway]],
                                           nonce: str, forged_path: str,
                                           forge: Callable[[dict[str, str]], dict[str, str]] = dict) -> None:
    """A genuine message on a signed query to citybank, then a forged click on `forge(query)` at `forged_path`: refused,
    and the webhook never called."""
    hook = FakeWebhook()
    app = GatewayApp(accounts(hook.url), environ=ENV_HOOK, idempotency=FileIdempotency(tmp_path))
    timestamp = str(int(time.time()))
    query = {"timestamp": timestamp, "nonce": nonce, "signature": signature(OFFICIAL_TOKEN, timestamp, nonce)}
    try:
        with running(app) as url:
            body = message_xml(text_message("你好", openid=OPENID)).encode()
            answer = forged_after_genuine(f"{url}/wx/citybank", query, body, f"{url}{forged_path}", forge(query))
    finally:
        hook.close()
    assert answer.status_code == 403 and answer.content == b"forbidden"
    assert hook.calls == []


def test_a_captured_querys_timestamp_and_nonce_shifted_still_bind_its_body(tmp_path: Path) -> None:
    def shifted(query: dict[str, str]) -> dict[str, str]:
        timestamp, nonce = _shifted(query["timestamp"], query["nonce"])
        assert signature(OFFICIAL_TOKEN, timestamp, nonce) == query["signature"]
        return {"timestamp": timestamp, "nonce": nonce, "signature": query["signature"]}

    _forged_on_a_captured_query_is_refused(tmp_path, lambda hook: [config(hook, mode="plain")], "0123450",
                                           "/wx/citybank", shifted)


@pytest.mark.parametrize("timestamp", ["01700000000", "+1700000000", " 1700000000", "1700000000 ", "17_0000_0000",
                                       "１７００００００００", ""])
def test_a_timestamp_the_platform_never_writes_is_refused(timestamp: str) -> None:
    with pytest.raises(ProtocolError) as raised:
        ReplayGuard().check("citybank", timestamp, "123", b"<xml/>", now=1700000000)
    assert raised.value.reason == "bad_timestamp"


def test_a_query_captured_for_one_account_carries_no_body_to_another_sharing_its_token(tmp_path: Path) -> None:
    # a bank may give its accounts one Token: a query signed for citybank's path is signed for savings' too, and the
    # nonce memory was kept per account, so it carried a forged body (a click with any follower's OpenID) to savings
    def both(hook: str) -> list[AccountGateway]:
        return [config(hook, mode="plain"), replace(config(hook, mode="plain"), account_id="savings")]

    _forged_on_a_captured_query_is_refused(tmp_path, both, "1234567890", "/wx/savings")
