"""`oaspec import` of an account with articles: its streams and article globs are carried over, rebased onto
the folder of the imported file, so importing and planning shows no changes; out of reach, it says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from testing.accounts import edit
from tests.conftest import run_cli
from tests.content.bank import citybank


def imported(tmp_path: Path, out: str, preview: str = "") -> tuple[dict[str, Any], str]:
    spec = citybank(tmp_path)
    if preview:
        edit(spec.parent / "accounts" / "citybank.yaml", "    content:\n", f"    content:\n      preview: {preview}\n")
    if not (tmp_path / ".oaspec").exists():
        applied = run_cli("apply", "-f", str(spec), "--account", "citybank", "--auto-approve", cwd=tmp_path)
        assert applied.returncode == 0, applied.stderr
    result = run_cli("import", "--account", "citybank", "-f", str(spec), "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [account] = yaml.safe_load((tmp_path / out).read_text(encoding="utf-8"))["accounts"]
    return account, result.stderr


def test_import_carries_streams_and_rebased_article_globs_so_the_plan_is_empty(tmp_path: Path) -> None:
    account, _ = imported(tmp_path, "imported.yaml", preview="{reviewers: [oAbCdEfGhIjKlMnOpQrStUvWx001]}")
    assert account["content"]["preview"] == {"reviewers": ["oAbCdEfGhIjKlMnOpQrStUvWx001"]}
    assert account["content"]["articles"] == ["citybank/accounts/content/**/*.md"]
    assert [s["id"] for s in account["content"]["streams"]] == ["finance-class", "monthly-report", "anti-fraud"]
    whole = yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))  # the policies as declared
    assert whole["policies"]["settings"]["allowed_domains"] == ["m.citybank.example.cn", "www.citybank.example.cn"]
    again = run_cli("plan", "-f", "imported.yaml", "--account", "citybank", "--detailed-exitcode", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr


def test_articles_outside_the_imported_files_folder_are_left_out_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    account, stderr = imported(tmp_path, "out/imported.yaml")
    assert "articles" not in account["content"] and len(account["content"]["streams"]) == 3
    assert "content.articles is left out: the articles are outside out, where the imported spec is written" in stderr
