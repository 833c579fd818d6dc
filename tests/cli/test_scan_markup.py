"""`oaspec scan` over a live article edited in the console to hide its required risk statement by markup a
browser reads otherwise than Python's HTMLParser did, or by what the standard's style sheet and prefixed CSS
hide (attack review 35, end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.kinds.state import AccountState, Article
from testing.accounts import ONE_BANK_SPEC, seed_bank
from testing.cli import Cli

STATEMENT = "<p>理财非存款、产品有风险、投资须谨慎。</p>"
WRAPPED = {
    "dup": '<p style="display:none" style="margin:0 0 1em 0">理财非存款、产品有风险、投资须谨慎。</p>',  # F1
    "nul": f'<section\x00 style="display:none">{STATEMENT}</section>',  # F2
    "scope": f'<section style="display:none"><table><tr><td></section>{STATEMENT}</td></tr></table></section>',  # F3
    "stray": f'<tbody><section style="display:none"></tbody>{STATEMENT}</section>',  # F3
    "popover": f"<section popover>{STATEMENT}</section>",  # F4
    "webkit": f'<section style="-webkit-transform:scale(0)">{STATEMENT}</section>',  # F5
    # attack review 39 F1: a narrow box that cuts a line it keeps whole
    "clipped": '<p style="width:40px;white-space:nowrap;overflow-x:hidden">理财非存款、产品有风险、投资须谨慎。</p>',
    "clipped-high": f'<section style="height:20px;overflow:hidden"><p>本文内容仅供参考。</p>{STATEMENT}</section>',
}


def scan_article(cli: Cli, tmp_path: Path, content: str) -> tuple[int, str]:
    seed_bank(tmp_path, AccountState(articles=(Article("wealth/december-outlook", "十二月理财展望",
                                                       content="<p>欢迎到网点咨询本行理财产品。</p>" + content),)))
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(ONE_BANK_SPEC, encoding="utf-8")
    out = cli("scan", "-f", str(spec))
    assert "Traceback" not in out.stderr, out.stderr
    return out.returncode, out.stdout


@pytest.mark.parametrize("variant", sorted(WRAPPED))
def test_scan_reports_a_risk_statement_the_console_hid(cli: Cli, tmp_path: Path, variant: str) -> None:
    code, stdout = scan_article(cli, tmp_path, WRAPPED[variant])
    assert code == 1 and "bank/content/articles/wealth/december-outlook" in stdout, stdout
    assert "wealth.risk-disclaimer" in stdout, stdout


def test_scan_takes_a_risk_statement_readers_see(cli: Cli, tmp_path: Path) -> None:
    code, stdout = scan_article(cli, tmp_path, STATEMENT)
    assert "wealth.risk-disclaimer" not in stdout and code == 0, stdout
