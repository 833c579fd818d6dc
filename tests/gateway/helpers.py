"""Shared test data for the gateway: the official and wechatpy vectors, and a small account."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oa_spec.gateway.config import AccountGateway

FIXTURES = Path(__file__).parent / "fixtures"

# Official WXBizMsgCrypt sample (wechat-api.md §7.5, vector 1)
OFFICIAL_TOKEN = "spamtest"
OFFICIAL_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OFFICIAL_APPID = "wx2c2769f8efd9abc2"
OFFICIAL_TS = "1409735669"
OFFICIAL_NONCE = "1320562132"
OFFICIAL_MSG_SIG = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"


def vectors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "crypto_vectors.json").read_text())
    return data


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def account(mode: str = "safe", **extra: Any) -> AccountGateway:
    return AccountGateway.from_mapping({
        "account_id": "citybank", "app_id": OFFICIAL_APPID, "token_env": "T_TOKEN",
        "aes_key_env": None if mode == "plain" else "T_AES", "mode": mode, **extra})


ENV = {"T_TOKEN": OFFICIAL_TOKEN, "T_AES": OFFICIAL_KEY}
ENV_HOOK = {**ENV, "T_HOOK": "hook-secret-value"}  # with the signing secret the test webhooks name
