"""Build specs from YAML text the way the CLI does (load -> check -> compile) and run the policies."""

from __future__ import annotations

import datetime
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

from oa_spec.config.compile import CompiledAccount, compile_spec
from oa_spec.config.load import load_spec
from oa_spec.config.locate import Locator
from oa_spec.config.model import Spec
from oa_spec.config.validate import check
from oa_spec.policy import PolicyReport, evaluate
from oa_spec.policy.measure import fired
from oa_spec.policy.packs import cn_bank_text

# The risk notices a wealth product and a fund carry (every test text that sells one needs its notice).
WEALTH_NOTICE = "理财非存款，产品有风险，投资须谨慎。"
FUND_NOTICE = "基金有风险，投资须谨慎。"
PRUDENCE = "请理性借贷，按时还款。"  # the prompt a loan offer carries
TODAY = datetime.date(2026, 11, 24)


@dataclass
class Run:
    spec: Spec
    compiled: list[CompiledAccount]
    report: PolicyReport
    path: Path

    def hits(self, rule: str) -> list[str]:
        """Addresses of the findings of one rule."""
        return [f.address for f in self.report.findings if f.rule == rule]

    def pairs(self) -> set[tuple[str, str]]:
        return {(f.rule, f.address) for f in self.report.findings}


def run_yaml(tmp_path: Path, text: str, today: datetime.date = TODAY, name: str = "oaspec.yaml") -> Run:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    loaded = load_spec(path)
    spec, diagnostics = check(loaded)
    errors = [str(d) for d in diagnostics if d.severity == "error"]
    assert spec is not None and not errors, errors
    compiled = compile_spec(spec)
    return Run(spec, compiled, evaluate(spec, compiled, Locator(loaded.data), today), path)


def reply_spec(text: str, packs: str = "[cn-bank]") -> str:
    """One service account whose only keyword reply `测试` answers with `text`."""
    return f"""\
    version: 1
    bank: 示例银行
    policies:
      packs: {packs}
      settings: {{allowed_domains: [m.bank.example.cn]}}
    accounts:
      - id: bank
        name: 示例银行
        replies:
          keywords:
            - {{name: 测试, match: exact, keywords: [测试], reply: {{text: {json.dumps(text, ensure_ascii=False)}}}}}
    """


REPLY = "bank/replies/keywords/测试"


def text_rules_on(text: str) -> set[str]:
    """The cn-bank text rules that fire on one text."""
    return fired(cn_bank_text.RULES, text)
