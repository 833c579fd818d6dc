"""`import --out` refuses any file the given spec reads, not only the spec itself (attack review 71 F4):
`--out accounts/citybank.yaml` wrote over the included account file, its comments, policies and guards gone, and
the bank's spec then failed validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import Cli

# Relative to the test's folder, where the commands run and the example is copied to citybank/.
ACCOUNT_FILE = "citybank/accounts/citybank.yaml"
ARTICLE = "citybank/accounts/content/wealth/asset-allocation.md"
IMAGE = "citybank/accounts/content/wealth/images/allocation-chart.jpg"


def _import(cli: Cli, citybank: Path, out: str) -> tuple[int, str]:
    result = cli("import", "--account", "citybank", "-f", str(citybank), "--out", out)
    return result.returncode, result.stderr


@pytest.mark.parametrize("out", [ACCOUNT_FILE, "citybank/accounts/content/../citybank.yaml", ARTICLE, IMAGE])
def test_import_does_not_write_over_a_file_the_spec_reads(cli: Cli, citybank: Path, out: str) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    target = citybank.parent.parent / out
    before = target.read_bytes()
    code, stderr = _import(cli, citybank, out)
    assert code == 1 and f"--out {out} is " in stderr and "a file the spec being read uses" in stderr, stderr
    assert "choose another path" in stderr
    assert target.read_bytes() == before
    assert cli("validate", "-f", str(citybank)).returncode == 0


@pytest.mark.parametrize("link", ["symlink_to", "hardlink_to"])
def test_nor_through_a_link(cli: Cli, citybank: Path, link: str) -> None:
    # attack review 76 F1: a hard link resolves to its own path, and writing it writes the account file's bytes
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    getattr(citybank.parent.parent / "linked.yaml", link)(citybank.parent.parent / ACCOUNT_FILE)
    before = (citybank.parent.parent / ACCOUNT_FILE).read_bytes()
    code, stderr = _import(cli, citybank, "linked.yaml")
    assert code == 1 and "--out linked.yaml is " in stderr and ACCOUNT_FILE in stderr, stderr
    assert (citybank.parent.parent / ACCOUNT_FILE).read_bytes() == before
    assert cli("validate", "-f", str(citybank)).returncode == 0


def test_another_path_is_written(cli: Cli, citybank: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    code, stderr = _import(cli, citybank, "citybank/accounts/imported.yaml")
    assert code == 0, stderr
    assert (citybank.parent / "accounts/imported.yaml").is_file()
