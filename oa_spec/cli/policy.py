"""policy list/explain/waivers and scan: the compliance rules, on the spec and on the live account."""

from __future__ import annotations

import json

import click

from oa_spec.cli.common import (
    account_option,
    fail,
    open_project,
    open_workspace,
    parallel_option,
    progress_reporter,
    spec_option,
)
from oa_spec.util.display import json_safe, visible


@click.group()
def policy() -> None:
    """The compliance rules that validate and plan run.

    \b
    Example:
      oaspec policy list
      oaspec policy explain wealth.risk-disclaimer
      oaspec policy waivers -f specs/examples/citybank/oaspec.yaml
    """


@policy.command(name="list")
def policy_list_() -> None:
    """Every rule with its id, severity and basis.

    \b
    Example:
      oaspec policy list
    """
    from oa_spec.policy.docs import policy_list

    click.echo(policy_list(), nl=False)


@policy.command(name="explain")
@click.argument("rule")
def policy_explain_(rule: str) -> None:
    """One rule in full: what it checks, why, and how to fix a finding.

    \b
    Example:
      oaspec policy explain loan.apr-disclosure
    """
    from oa_spec.policy.docs import policy_explain

    try:
        click.echo(policy_explain(rule), nl=False)
    except KeyError as exc:
        fail(str(exc.args[0]) if exc.args else f"no rule {rule!r}")


@policy.command(name="waivers")
@spec_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def policy_waivers(ctx: click.Context, spec_file: str, fmt: str) -> None:
    """Every waiver: rule, target, approver, expiry, what it covers. Exit 1 if any is expired, unused or invalid.

    \b
    Example:
      oaspec policy waivers -f specs/examples/citybank/oaspec.yaml
    """
    from oa_spec.policy.waivers import standings_json, standings_text

    standings = open_project(spec_file).policy.standings
    if fmt == "json":
        click.echo(json_safe(json.dumps(standings_json(standings), ensure_ascii=False, indent=2)))
    else:
        click.echo(standings_text(standings), nl=False)
    broken = [s for s in standings if s.status != "in force"]
    if broken:
        fail(f"{spec_file}: {len(broken)} of {len(standings)} waiver(s) cover nothing (expired, unused or "
             "invalid): fix or remove them (see `oaspec validate`)")


@click.command()
@spec_option
@account_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text for job logs, json for machines, sarif for code-scanning dashboards.")
@parallel_option
@click.pass_context
def scan(ctx: click.Context, spec_file: str, account_id: str | None, fmt: str, parallelism: int) -> None:
    """Check what the live accounts show followers now against today's policies, for a scheduled job.

    Every live text counts (console edits too), not only what the spec declares. Exit 0 when nothing
    blocks (waived findings are shown, not blocking), 1 on a blocking finding or an unreadable account.

    \b
    Example (nightly):
      oaspec scan -f oaspec.yaml --format sarif > live.sarif
    """
    from oa_spec.plan.scan import scan as scan_accounts
    from oa_spec.render.scan import render_scan_sarif, render_scan_text

    ws = open_workspace(ctx, spec_file)
    report = scan_accounts(ws, account_id, parallelism, progress=progress_reporter(len(ws.select(account_id))))
    if fmt == "json":
        click.echo(json_safe(json.dumps(report.to_json(), ensure_ascii=False, indent=2)))
    elif fmt == "sarif":
        click.echo(render_scan_sarif(report, ws.spec), nl=False)
    else:
        click.echo(render_scan_text(report), nl=False)
    for account in report.unreadable:
        click.echo(visible(f"error: {account.account} could not be read: {account.error}"), err=True)
    if report.failed:
        fail(report.failure())
