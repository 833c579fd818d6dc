"""An empty or blank pack name in `policies.packs` is a diagnostic at its place, as any other name (attack review 50
F7: it was an internal pydantic error, raised by the policy engine outside the spec's validation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import run_cli

SPEC = """\
version: 1
bank: 示例银行
policies:
  packs:
    - cn-bank
    - {pack}
accounts:
  - id: demo
    name: 示例银行
    type: service
    provider: {{type: local}}
"""

BAD = {"empty": ('""', "6:7"), "blank": ('"   "', "6:7"), "empty-in-a-mapping": ('{name: ""}', "6:14")}


@pytest.mark.parametrize(("pack", "where"), BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("command", ["validate", "plan"])
def test_an_empty_or_blank_pack_name_is_located(tmp_path: Path, command: str, pack: str, where: str) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.format(pack=pack), encoding="utf-8")
    result = run_cli("--state-dir", str(tmp_path / "state"), command, "-f", str(spec), cwd=tmp_path)
    assert result.returncode == 1 and "internal error" not in result.output, result.output
    assert f"oaspec.yaml:{where}: error: policies.packs[1]" in result.output, result.output
    assert "errors.pydantic.dev" not in result.output, result.output
