"""Attack review 50, "also seen": text the platform sends is shown, never acted on. An errmsg for an errcode
oaspec does not know is quoted in the error, and a line break in it was printed as a line break: the answer
{"errcode": 47999, "errmsg": "x\\nfake: line"} printed a forged second line under oaspec's error. One error is
one line: the line breaks (and every other control) of platform text are escaped where it enters the message."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from oa_spec import emulator as emulator_module
from oa_spec.emulator import App, Call, Emulator, EmulatorAdmin, EmulatorServer
from testing.emulated import Emulated
from testing.emulator import EmulatorAccount

EMULATOR_ACCOUNT = EmulatorAccount("wx00000000000050a1", "platform-text-secret")
FORGED = "x\nfake: line\r\nerror: 0 changes\x1b[2K"


@pytest.fixture
def bank(tmp_path: Path, server: EmulatorServer, admin: EmulatorAdmin) -> Emulated:
    bank = Emulated(tmp_path, server, admin, EMULATOR_ACCOUNT)
    bank.write_spec("    tags:\n      - name: 高净值客户\n")
    return bank


def _answers_unknown_error(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    endpoint = emulator_module.ENDPOINTS[path]

    def handler(emulator: Emulator, call: Call, app: App) -> dict[str, Any]:
        return {"errcode": 47999, "errmsg": FORGED}

    monkeypatch.setitem(emulator_module.ENDPOINTS, path, replace(endpoint, handler=handler))


@pytest.mark.parametrize(("path", "command"), [("tags/get", ("plan",)), ("tags/create", ("apply", "--auto-approve"))],
                         ids=["read", "write"])
def test_an_unknown_errors_message_is_one_line_of_escaped_text(
        bank: Emulated, monkeypatch: pytest.MonkeyPatch, path: str, command: tuple[str, ...]) -> None:
    _answers_unknown_error(monkeypatch, path)
    failed = bank.oaspec(*command, code=1)
    line = next(line for line in failed.stderr.splitlines() if "47999" in line)
    assert "WeChat error 47999: x\\nfake: line\\r\\nerror: 0 changes\\x1b[2K" in line, failed.stderr
    assert not any(line.startswith(("fake:", "error: 0 changes")) for line in failed.output.splitlines()), failed.output
    assert "\x1b" not in failed.output and "\r" not in failed.output
