"""One WeChat account in the emulator, driven through the CLI: for scenarios on what the platform counts
and refuses (its caps, menu/delete wiping conditional menus), which need its state seeded as a CRM or the
console left it and read back after a run. A test module names its account `EMULATOR_ACCOUNT` (the `admin`
fixture resets the emulator to it) and builds an `Emulated` from the `server` and `admin` fixtures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.accounts import RESERVED_TAG
from testing.cli import Result, run_cli
from testing.emulator import EmulatorAccount

SECRET_VARIABLE = "OASPEC_TEST_APPSECRET"


@dataclass
class Emulated:
    """A scratch directory (spec and state) and the emulator account the spec's one account `bank` writes to."""

    path: Path
    server: EmulatorServer
    admin: EmulatorAdmin
    account: EmulatorAccount
    account_id: str = "bank"

    @property
    def spec(self) -> Path:
        return self.path / "oaspec.yaml"

    def write_spec(self, body: str) -> Path:
        """The spec: the account `bank` on the emulator, then `body` (its fields, indented 4)."""
        head = ("version: 1\nbank: 测试银行\naccounts:\n"
                f"  - id: {self.account_id}\n    name: 测试银行\n    type: service\n"
                f"    provider:\n      type: wechat\n      app_id: {self.account.appid}\n"
                f"      app_secret: ${{{SECRET_VARIABLE}}}\n      api_base: {self.server.base_url}\n")
        self.spec.write_text(head + body, encoding="utf-8")
        return self.spec

    def oaspec(self, *args: str, spec: Path | None = None, code: int | None = 0) -> Result:
        """Run the CLI on the spec (or `spec`); never a traceback, and the exit code is `code` unless that is None."""
        result = run_cli(*args, "-f", str(spec or self.spec), cwd=self.path,
                         env={SECRET_VARIABLE: self.account.secret})
        assert "Traceback" not in result.output, result.stderr
        if code is not None:
            assert result.returncode == code, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result

    def state(self) -> dict[str, Any]:
        return self.admin.state(self.account.appid)

    def seed(self, **parts: Any) -> None:
        """Set parts of the live account (`tags=[...]`, `conditionalmenu=[...]`) as others left them; the reserved
        tag stays, and the call log is cleared."""
        state = self.state()
        if "tags" in parts:
            parts["tags"] = [RESERVED_TAG, *parts["tags"]]
        self.admin.seed(self.account.appid, json.loads(json.dumps({**state, **parts})))
        self.admin.clear_calls()

    def writes(self) -> list[str]:
        """Paths (below /cgi-bin/) of the write calls since the last seed, in order."""
        return [c["path"].removeprefix("/cgi-bin/") for c in self.admin.writes(self.account.appid)]

    def revision(self, number: int) -> dict[str, Any]:
        shown = self.oaspec("show", str(number), "--account", self.account_id, "--format", "json")
        return json.loads(shown.stdout)  # type: ignore[no-any-return]
