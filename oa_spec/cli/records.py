"""history, show, unlock and audit: what apply recorded, read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from oa_spec.errors import OaspecError
from oa_spec.util.display import json_safe, visible

if TYPE_CHECKING:
    from oa_spec.history.revisions import Revision

from oa_spec.cli.common import (
    account_option,
    fail,
    open_workspace,
    single_account,
    spec_option,
    state_dir,
)


@click.command()
@account_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def history(ctx: click.Context, account_id: str | None, fmt: str) -> None:
    """List the revisions recorded by apply and rollback.

    \b
    Example:
      oaspec history --account citybank
    """
    from oa_spec.history.revisions import RevisionStore, recorded_accounts

    accounts = [account_id] if account_id else recorded_accounts(state_dir(ctx))
    revisions: list[Revision] = []
    unreadable: list[str] = []  # a corrupt record is named, and the others are still listed
    for account in accounts:
        store = RevisionStore(state_dir(ctx), account)
        try:
            numbers = store.numbers()
        except OaspecError as exc:
            unreadable.append(str(exc))
            continue
        for number in numbers:
            try:
                revisions.append(store.get(number))
            except OaspecError as exc:
                unreadable.append(str(exc))
    if fmt == "json":
        click.echo(json_safe(json.dumps([revision_row(r) for r in revisions], ensure_ascii=False, indent=2)))
    elif revisions:
        click.echo(f"{'ACCOUNT':<12} {'REV':>4}  {'TIME':<25} {'USER':<12} {'OPERATION':<9} {'STATUS':<8} "
                   f"{'CHANGES':>7}  COMMIT")
        for r in revisions:  # every field was written by someone: shown, never acted on (display.visible)
            row = revision_row(r)
            click.echo(f"{visible(r.account):<12} {r.number:>4}  {visible(r.time):<25} {visible(r.user):<12} "
                       f"{visible(r.operation):<9} {visible(r.status):<8} {row['changes']:>7}  "
                       f"{visible(commit_label(r))}")
    elif not unreadable:
        click.echo("No revisions yet: `oaspec apply` records one per change.")
    if unreadable:
        fail("\n".join(unreadable))


def provenance_rows(r: Revision) -> list[tuple[str, str]]:
    """Where the revision came from, for `show`: work tree state, CI job, OS user, decision clock."""
    facts = r.provenance
    git, ci = facts.get("git") or {}, facts.get("ci") or {}
    rows = []
    if git:
        dirty = git.get("dirty")
        rows.append(("work tree", "clean" if dirty is False else f"dirty (uncommitted edits {git.get('diff_digest')})"
                      if dirty else "unknown (git status failed)"))
    if ci:
        rows.append(("ci job", " ".join(str(ci[k]) for k in ("system", "job", "url") if ci.get(k))))
    rows += [(key, str(facts[key])) for key in ("os_user", "host") if facts.get(key)]
    if facts.get("decision_time"):  # OASPEC_NOW: freeze windows and waivers were judged at this time
        rows.append(("decided at", f"{facts['decision_time']} (OASPEC_NOW)"))
    return rows


def commit_label(r: Revision) -> str:
    """The short commit, marked when the work tree held uncommitted edits (or their state is unknown)."""
    git = r.provenance.get("git") or {}
    dirty = git.get("dirty", False)
    mark = "" if not git or dirty is False else "+dirty" if dirty else "+unknown"
    return f"{(r.git_commit or '-')[:10]}{mark}"


def revision_row(r: Revision) -> dict[str, Any]:
    return {"account": r.account, "revision": r.number, "time": r.time, "user": r.user,
            "operation": r.operation, "status": r.status, "changes": f"{len(r.applied)}/{len(r.changes)}",
            "git_commit": r.git_commit, "spec_digest": r.spec_digest, "source": r.source, "error": r.error}


@click.command()
@click.argument("revision", type=int)
@spec_option
@account_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx: click.Context, revision: int, spec_file: str, account_id: str | None, fmt: str) -> None:
    """Show one revision: who, when, what changed, and what landed.

    \b
    Example:
      oaspec show 2 --account citybank
    """
    from oa_spec.history.revisions import RevisionStore

    account = account_id or single_account(open_workspace(ctx, spec_file))
    r = RevisionStore(state_dir(ctx), account).get(revision)
    if fmt == "json":
        click.echo(json_safe(json.dumps(r.to_json(), ensure_ascii=False, indent=2)))
        return
    for key, value in revision_row(r).items():
        click.echo(f"{key + ':':<13}{visible(value) if value is not None else '-'}")
    for key, value in r.extra.items():
        click.echo(f"{visible(key) + ':':<13}{visible(value)}")
    for key, value in provenance_rows(r):
        click.echo(f"{visible(key) + ':':<13}{visible(value)}")
    click.echo("changes:")
    for change in r.changes:
        mark = "applied" if change.address in r.applied else "NOT applied"
        click.echo(f"  {visible(change.action):<8} {visible(change.address)}  [{mark}]")


@click.command(name="unlock")
@click.argument("account")
@click.option("--force", is_flag=True, help="Release the lock even though its holder still runs on this host.")
@click.pass_context
def unlock_(ctx: click.Context, account: str, force: bool) -> None:
    """Release an account's lock left behind by a run that died.

    A lock whose holder is still running on this host is refused unless --force.

    \b
    Example:
      oaspec unlock citybank
    """
    from oa_spec.history import audit as audit_log
    from oa_spec.history.lock import describe_holder, unlock

    holder = unlock(state_dir(ctx), account, force)
    audit_log.record_unlock(state_dir(ctx), account, holder, forced=force)
    if holder is None:
        click.echo(f"{account} was not locked.")
    else:
        click.echo(f"Released the lock on {account} held by {describe_holder(holder)}.")


@click.group()
def audit() -> None:
    """Check and export the audit trail (STATE_DIR/audit.log), a hash-chained log of every apply,
    rollback and unlock.

    \b
    Example:
      oaspec audit verify
      oaspec audit export --since 2026-01-01 --out audit-2026.jsonl
    """


@audit.command(name="verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Check that no entry was edited, removed or reordered. Exit 0 intact, 1 tampered.

    Prints the number of entries and the hash of the last one: keep that hash outside the state
    directory (the CI log, the bank's log system) to detect a log rewritten from scratch.

    \b
    Example:
      oaspec audit verify --state-dir /srv/oaspec/state
    """
    from oa_spec.history import audit as audit_log

    path = audit_log.log_path(state_dir(ctx))
    problem = audit_log.verify(path)
    if problem is not None and problem.torn:
        fail(f"the audit log is not intact: {problem}")
    if problem is not None:
        fail(f"the audit log was tampered with or damaged; first bad entry: {problem}")
    count, last = audit_log.head(path)
    click.echo(f"{path}: {count} entries, hash chain intact; last entry hash {last}")
    for line, entry in audit_log.recoveries(path):
        click.echo(f"{path}:{line}: recovered from a torn write at {entry.get('time')}: {entry.get('torn_bytes')} "
                   f"bytes set aside in {entry.get('evidence')} ({entry.get('torn_sha256')}); keep that file as "
                   "evidence")


@audit.command(name="export")
@click.option("--since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day (UTC) to export, YYYY-MM-DD.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@click.pass_context
def audit_export(ctx: click.Context, since: Any, out: str | None) -> None:
    """Write the entries since DATE as JSON Lines, with their hashes, for the bank's log system.

    The log is verified first: a tampered log is not exported.

    \b
    Example:
      oaspec audit export --since 2026-01-01 --out audit.jsonl
    """
    from oa_spec.history import audit as audit_log

    path = audit_log.log_path(state_dir(ctx))
    problem = audit_log.verify(path)
    if problem is not None and problem.torn:  # the whole entries before it verify: log shipping goes on
        click.echo(f"warning: not exporting {problem}", err=True)
    elif problem is not None:
        fail(f"not exporting: the audit log was tampered with or damaged; first bad entry: {problem}")
    text = audit_log.export(path, since.date())
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {text.count(chr(10))} entries to {out}.", err=True)
    else:  # the file keeps the exact bytes; on screen, bidirectional and invisible characters are escaped
        click.echo(json_safe(text), nl=False)
