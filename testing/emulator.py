"""The WeChat API emulator for tests: on loopback, its address allowed as an api_base, and one account
in it as a test module describes it (`EmulatorAccount`)."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

from oa_spec.emulator import EmulatorAdmin, EmulatorServer, run_emulator
from oa_spec.emulator.server import _RequestHandler
from oa_spec.util.secret_policy import ALLOWED_API_BASES_VARIABLE


@dataclass(frozen=True)
class EmulatorAccount:
    """An account as a test needs it: app id and secret, the template library it may add from, and any
    state seeded beforehand (tags, followers, ...). A test module names it `EMULATOR_ACCOUNT` for the
    `admin` fixture."""

    appid: str
    secret: str
    library: Sequence[Mapping[str, str]] = ()
    seed: Mapping[str, Any] = field(default_factory=dict)


def fresh_account(admin: EmulatorAdmin, account: EmulatorAccount) -> EmulatorAdmin:
    """The emulator reset to this one account: every other app, fault and logged call is gone."""
    admin.reset()
    admin.register_app(account.appid, account.secret)
    if account.library:
        admin.add_library_templates([dict(template) for template in account.library])
    if account.seed:
        admin.seed(account.appid, dict(account.seed))
    return admin


@contextmanager
def allowed_api_base(base: str) -> Iterator[None]:
    """Allow `base` the documented way (OASPEC_ALLOWED_API_BASES), for this process and the CLIs it runs."""
    before = os.environ.get(ALLOWED_API_BASES_VARIABLE)
    os.environ[ALLOWED_API_BASES_VARIABLE] = ",".join(filter(None, [before, base]))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ALLOWED_API_BASES_VARIABLE, None)
        else:
            os.environ[ALLOWED_API_BASES_VARIABLE] = before


@contextmanager
def allowed_emulator(**options: Any) -> Iterator[EmulatorServer]:
    """The emulator, with its address allowed as an api_base while it runs."""
    with run_emulator(**options) as running, allowed_api_base(running.base_url):
        yield running


def seed_console_reply(server: EmulatorServer, appid: str, secret: str, text: str) -> None:
    """An emulator account as the console left it: a default auto-reply the API cannot write."""
    seed_console_autoreply(server, appid, secret, {"is_add_friend_reply_open": 0, "is_autoreply_open": 1,
                                                   "message_default_autoreply_info": {"type": "text", "content": text}})


def seed_console_autoreply(server: EmulatorServer, appid: str, secret: str, autoreply: Mapping[str, Any]) -> None:
    """An emulator account as the console left it: these auto-replies, as get_current_autoreply_info answers."""
    fresh_account(server.admin, EmulatorAccount(appid, secret))
    state = server.admin.state(appid)
    state["autoreply"] = dict(autoreply)
    server.admin.seed(appid, state)


def console_keyword_rule(name: str, keywords: Mapping[str, str], *replies: Mapping[str, Any]) -> dict[str, Any]:
    """A console keyword rule as get_current_autoreply_info lists it: keyword -> match mode (contain, equal)."""
    return {"rule_name": name, "create_time": 1, "reply_mode": "reply_all",
            "keyword_list_info": [{"type": "text", "match_mode": mode, "content": k} for k, mode in keywords.items()],
            "reply_list_info": [dict(reply) for reply in replies]}


def wait_until_idle(timeout: float = 10.0) -> None:
    """Wait until no emulator in this process is handling a request. After a client is killed, a call
    it sent may still be on its way through the emulator (sleeping out a latency, then writing): what a
    test reads next must come after that call, as it would for a slower reader."""
    handling = _RequestHandler._handle.__code__  # from the request line read to the answer written
    me = threading.get_ident()
    deadline = time.monotonic() + timeout
    while any(_inside(frame, handling) for ident, frame in sys._current_frames().items() if ident != me):
        assert time.monotonic() < deadline, f"the emulator was still busy after {timeout} s"
        time.sleep(0.005)


def _inside(frame: FrameType | None, code: CodeType) -> bool:
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False
