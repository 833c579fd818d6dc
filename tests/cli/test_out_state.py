"""A command's --out never replaces oaspec's own records (attack review 76's note): `audit export --out
.oaspec/audit.log` wrote the export over the audit trail, and `plan --out` into the state directory could replace a
revision. A path inside the state directory is refused, through a symlink or `..` as well, and so is a file with
another name (a hard link: writing it writes the file both names share)."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import Cli

AUDIT = ".oaspec/audit.log"


def _commands(citybank: Path, out: str) -> dict[str, tuple[str, ...]]:
    return {"plan": ("plan", "-f", str(citybank), "--out", out),
            "audit export": ("audit", "export", "--since", "2000-01-01", "--out", out),
            "import": ("import", "--account", "citybank", "-f", str(citybank), "--out", out)}


@pytest.mark.parametrize("command", ["plan", "audit export", "import"])
@pytest.mark.parametrize("out", [AUDIT, ".oaspec/plan.json", ".oaspec/history/../exported.jsonl"])
def test_an_out_file_inside_the_state_directory_is_refused(cli: Cli, citybank: Path, tmp_path: Path,
                                                         command: str, out: str) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    before = (tmp_path / AUDIT).read_bytes()
    result = cli(*_commands(citybank, out)[command])
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"--out {out} is inside the state directory" in result.stderr and "nothing was written" in result.stderr
    assert (tmp_path / AUDIT).read_bytes() == before and not (tmp_path / ".oaspec/plan.json").exists()
    assert cli("audit", "verify").returncode == 0


@pytest.mark.parametrize("command", ["plan", "audit export"])
def test_nor_through_a_link_outside_it(cli: Cli, citybank: Path, tmp_path: Path, command: str) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    before = (tmp_path / AUDIT).read_bytes()
    (tmp_path / "soft.json").symlink_to(tmp_path / AUDIT)
    (tmp_path / "hard.json").hardlink_to(tmp_path / AUDIT)
    soft = cli(*_commands(citybank, "soft.json")[command])
    hard = cli(*_commands(citybank, "hard.json")[command])
    assert soft.returncode == 1 and "--out soft.json is inside the state directory" in soft.stderr, soft.stderr
    assert hard.returncode == 1 and "--out hard.json is a file with other names" in hard.stderr, hard.stderr
    assert (tmp_path / AUDIT).read_bytes() == before and cli("audit", "verify").returncode == 0
