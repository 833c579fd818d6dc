"""What CI posts from one reviewed plan: SARIF of its findings on the spec's lines (`plan --format sarif`,
`show PLAN --format sarif`) and a Markdown comment that fits (`show PLAN --format markdown --max-chars`)."""

from __future__ import annotations

import json
from pathlib import Path

from testing.cli import Cli
from tests.render.sarif_schema import sarif_errors

SPEC = """version: 1
bank: 示例银行
policies: {packs: [cn-bank]}
accounts:
  - id: bank
    name: 示例银行
    provider: {type: local}
    tags: [%s]
    replies:
      keywords:
        - name: 理财
          keywords: [理财]
          reply: {text: 本行理财产品保本保收益，稳赚不赔！立即购买}
"""


def write(tmp_path: Path, tags: int) -> None:
    names = ", ".join(f"{{name: 客群{i}}}" for i in range(tags))
    (tmp_path / "oaspec.yaml").write_text(SPEC % names, encoding="utf-8")


def test_plan_as_sarif_puts_each_finding_on_its_spec_line(tmp_path: Path, cli: Cli) -> None:
    write(tmp_path, 2)
    result = cli("plan", "--format", "sarif", "--out", "plan.json")
    assert result.returncode == 1 and "policy error(s) block apply" in result.stderr  # and SARIF says which
    data = json.loads(result.stdout)
    assert sarif_errors(data) == []
    results = data["runs"][0]["results"]
    located = {r["ruleId"]: r["locations"][0]["physicalLocation"] for r in results}
    guarantee = located["wealth.no-guaranteed-return"]
    assert guarantee == {"artifactLocation": {"uri": "oaspec.yaml"}, "region": {"startLine": 13, "startColumn": 25}}
    assert len(data["runs"][0]["tool"]["driver"]["rules"]) > 50  # the whole catalogue, as scan gives it
    shown = json.loads(cli("show", "plan.json", "--format", "sarif").stdout)  # the saved plan: same results
    def located_results(items: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return [(r["ruleId"], r["level"], r["message"], r["locations"]) for r in items]

    assert located_results(shown["runs"][0]["results"]) == located_results(results)


def test_show_posts_a_saved_plan_whole_or_as_a_summary_that_fits(tmp_path: Path, cli: Cli) -> None:
    write(tmp_path, 90)
    cli("plan", "--format", "markdown", "--out", "plan.json")
    whole = cli("show", "plan.json", "--format", "markdown")
    assert whole.returncode == 0 and whole.stdout.count("**create**") == 91
    fitted = cli("show", "plan.json", "--format", "markdown", "--max-chars", "3000")
    assert fitted.returncode == 0 and len(fitted.stdout) <= 3000 < len(whole.stdout)
    assert "(summary)" in fitted.stdout and "more changes" in fitted.stdout
    assert "### Blocking policy findings" in fitted.stdout


def test_show_tells_a_revision_from_a_plan_file(tmp_path: Path, cli: Cli) -> None:
    write(tmp_path, 1)
    refused = cli("show", "1", "--format", "sarif", "--account", "bank")
    assert refused.returncode == 1 and "is for a saved plan" in refused.stderr
    missing = cli("show", "plan.json")
    assert missing.returncode == 1 and "neither a revision number nor a saved plan file" in missing.stderr
    (tmp_path / "plan.json").write_text("{}", encoding="utf-8")
    broken = cli("show", "plan.json", "--format", "markdown")
    assert broken.returncode == 1 and "not a plan file oaspec can read" in broken.stderr


def test_a_plan_file_nested_too_deeply_or_holding_a_key_twice_is_refused(tmp_path: Path, cli: Cli) -> None:
    # a key written twice reads one way to json.loads (the last) and another to a reviewer's tool (the first)
    write(tmp_path, 1)
    cli("plan", "--out", "plan.json")  # blocked by policy findings (exit 1), still written for review
    text = (tmp_path / "plan.json").read_text(encoding="utf-8")
    first_key = next(iter(json.loads(text)))
    (tmp_path / "twice.json").write_text('{"' + first_key + '": null, ' + text.lstrip()[1:], encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for name in ("twice.json", "deep.json"):
        refused = cli("show", name)
        assert refused.returncode == 1 and "not a plan file oaspec can read" in refused.stderr, refused.stderr
        assert "internal error" not in refused.stderr
