"""history, show, unlock and audit: what apply recorded, read back from the state (files or PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from oa_spec.errors import OaspecError
from oa_spec.util.display import json_safe, visible

if TYPE_CHECKING:
    from oa_spec.history.revisions import Revision
    from oa_spec.history.state import State

from oa_spec.cli.common import (
    PLAN_FORMATS,
    account_option,
    fail,
    load_plan,
    max_chars_option,
    open_state,
    open_workspace,
    render,
    say,
    single_account,
    spec_option,
    state_dir,
    state_spec_option,
    write_out,
)


@click.command()
@account_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@state_spec_option
@click.pass_context
def history(ctx: click.Context, account_id: str | None, fmt: str, spec_file: str) -> None:
    """List the revisions recorded by apply and rollback.

    \b
    Example:
      oaspec history --account citybank
    """
    state = open_state(ctx)
    accounts = [account_id] if account_id else state.accounts()
    revisions: list[Revision] = []
    unreadable: list[str] = []  # a corrupt record is named, and the others are still listed
    for account in accounts:
        store = state.history(account)
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
    rows = [revision_row(r, running_holder(state, r)) for r in revisions]
    if fmt == "json":
        click.echo(json_safe(json.dumps(rows, ensure_ascii=False, indent=2)))
    elif revisions:
        click.echo(f"{'ACCOUNT':<12} {'REV':>4}  {'TIME':<25} {'USER':<12} {'OPERATION':<9} {'STATUS':<8} "
                   f"{'CHANGES':>7}  COMMIT")
        for r, row in zip(revisions, rows, strict=True):  # every field was written by someone: shown, never acted on
            click.echo(f"{visible(r.account):<12} {r.number:>4}  {visible(r.time):<25} {visible(r.user):<12} "
                       f"{visible(r.operation):<9} {visible(row['status']):<8} {row['changes']:>7}  "
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


def running_holder(state: State, r: Revision) -> str | None:
    """Who is still running the apply whose journal `r` is: a journal reads "interrupted" until its run ends,
    and only its own lock (the id it records), alive, tells a run going on from one that was killed."""
    lock_id = r.provenance.get("lock_id")
    return state.running(r.account, lock_id) if r.open_journal and isinstance(lock_id, str) else None


def revision_row(r: Revision, running: str | None = None) -> dict[str, Any]:
    status, error = ("running", f"still running: {running}; this record is its journal until it ends") \
        if running else (r.status, r.error)
    landed = "?" if r.open_journal else str(len(r.applied))  # a journal: unknown until its run ends or is reconciled
    return {"account": r.account, "revision": r.number, "time": r.time, "user": r.user,
            "operation": r.operation, "status": status, "changes": f"{landed}/{len(r.changes)}",
            "dropped": ", ".join(r.dropped) or None,  # answered OK, not kept: not among the landed
            "git_commit": r.git_commit, "spec_digest": r.spec_digest, "source": r.source, "error": error}


@click.command()
@click.argument("target", metavar="REVISION|PLAN")
@spec_option
@account_option
@click.option("--format", "fmt", type=click.Choice(PLAN_FORMATS), default="text", show_default=True,
              help="A revision: text or json. A saved plan: text, markdown, json or sarif.")
@max_chars_option
@click.pass_context
def show(ctx: click.Context, target: str, spec_file: str, account_id: str | None, fmt: str,
         max_chars: int | None) -> None:
    """Show one revision (who, when, what changed, what landed), or a saved plan file.

    A saved plan renders as `plan` printed it, so CI can post a summary that fits a comment and
    upload the findings for code scanning from the one plan that was reviewed.

    \b
    Example:
      oaspec show 2 --account citybank
      oaspec show plan.json --format markdown --max-chars 65536 > comment.md
      oaspec show plan.json --format sarif > plan.sarif
    """
    if not target.isdigit():
        if not Path(target).is_file():
            fail(f"{target}: neither a revision number nor a saved plan file (make one with `oaspec plan --out`)")
        click.echo(render(load_plan(target), fmt, max_chars=max_chars), nl=fmt == "text")
        return
    if fmt not in ("text", "json"):
        fail(f"--format {fmt} is for a saved plan; a revision shows as text or json")
    revision = int(target)
    account = account_id or single_account(open_workspace(ctx, spec_file))
    from oa_spec.history.integrity import disagreement  # `oaspec --help` imports no history

    state = open_state(ctx)
    store = state.history(account)
    r = store.get(revision)
    if (edited := disagreement(r, store.audited_digests().get(revision, ()))) is not None:
        say(f"warning: {store.where(revision)}: {edited}; what follows may not be what revision {revision} recorded, "
            "and rollback refuses it", err=True)
    running = running_holder(state, r)
    if fmt == "json":
        shown = r.to_json() | ({"status": "running", "running": running} if running else {})
        click.echo(json_safe(json.dumps(shown, ensure_ascii=False, indent=2)))
        return
    for key, value in revision_row(r, running).items():
        click.echo(f"{key + ':':<13}{visible(value) if value is not None else '-'}")
    for key, value in r.extra.items():
        click.echo(f"{visible(key) + ':':<13}{visible(value)}")
    for key, value in provenance_rows(r):
        click.echo(f"{visible(key) + ':':<13}{visible(value)}")
    click.echo("changes:")
    for change in r.changes:
        mark = landed_mark(r, change.address)
        click.echo(f"  {visible(change.action):<8} {visible(change.address)}  [{visible(mark)}]")


def landed_mark(r: Revision, address: str) -> str:
    """Whether the change at `address` landed, as the revision knows it. A journal whose run is going on, or was
    killed and not yet reconciled, knows nothing of what landed: unknown, not NOT applied (attack review 39)."""
    if r.open_journal:
        return "unknown"
    if address in r.dropped:  # sent and answered OK, not there when read back: it did not land
        return "dropped by the platform"
    if address in r.partly:
        return f"applied; left behind: {r.partly[address]}"
    return "applied" if address in r.applied else "NOT applied"


@click.command(name="unlock")
@click.argument("account")
@click.option("--lock-id", help="Release exactly this lock (the id the lock message shows); needed with --state.")
@click.option("--force", is_flag=True, help="Release the lock even though its run looks alive (still running on "
                                            "this host, or its lease renewed); recorded as forced.")
@state_spec_option
@click.pass_context
def unlock_(ctx: click.Context, account: str, lock_id: str | None, force: bool, spec_file: str) -> None:
    """Release an account's lock left behind by a run that died; the audit trail records who did it.

    With --lock-id, only that lock is released: a lock taken since by another run is left alone. With a
    PostgreSQL state (--state), --lock-id is required. A lock whose run looks alive (its holder still
    running on this host, or a PostgreSQL lease it keeps renewing) is refused unless --force.

    \b
    Example:
      oaspec unlock citybank --lock-id 3f9c0a7d12e4b856
    """
    done = open_state(ctx).unlock(account, lock_id, force)
    if done.released:
        click.echo(f"Released the lock on {account} held by {visible(done.holder or '?')}.")
    elif done.holder is None:
        click.echo(f"{account} was not locked." if lock_id is None else
                   f"{account} was not locked: lock {visible(lock_id)} is not held; nothing was released.")
    else:  # another lock is there: leave it, and say which it is (the attempt is in the audit trail)
        fail(f"lock {lock_id} does not hold {account}: it is locked by {done.holder}; nothing was released")


@click.group()
def audit() -> None:
    """Check and export the audit trail, a hash-chained log of every apply, rollback and unlock (in the
    state directory's audit.log, or in the database with --state).

    \b
    Example:
      oaspec audit verify
      oaspec audit export --since 2026-01-01 --out audit-2026.jsonl
    """


@audit.command(name="verify")
@state_spec_option
@click.pass_context
def audit_verify(ctx: click.Context, spec_file: str) -> None:
    """Check that no entry was edited, removed or reordered, and that every revision still digests to the spec
    digest its audit entries record. Exit 0 intact, 1 tampered.

    Prints the number of entries and the hash of the last one: keep that hash outside the state (the
    CI log, the bank's log system) to detect a log rewritten from scratch (`oaspec audit head`).

    \b
    Example:
      oaspec --state-dir /srv/oaspec/state audit verify
    """
    from oa_spec.history.integrity import RESTORE, edited_revisions

    state = open_state(ctx)
    check = state.audit.verify()
    if check.problem is not None and check.torn:
        fail(f"the audit log is not intact: {check.problem}")
    if check.problem is not None:
        fail(f"the audit log was tampered with or damaged; first bad entry: {check.problem}")
    say(f"{check.where}: {check.entries} entries, hash chain intact; last entry hash {check.head}")
    for note in check.notes:  # they quote the recovered entries' fields
        say(note)
    if edited := edited_revisions(state):  # the chain vouches for the digests, not for the revisions' records
        fail(f"{len(edited)} revision(s) disagree with the spec digest recorded for them (edited since, or not in "
             f"the audit trail), so rollback refuses them; {RESTORE}:\n" + "\n".join(edited))


@audit.command(name="head")
@state_spec_option
@click.pass_context
def audit_head(ctx: click.Context, spec_file: str) -> None:
    """Print the verified chain's length and last hash as one JSON line, to keep outside the state.

    A trail rewritten from scratch verifies on its own; compared with a head kept elsewhere (a CI log,
    the bank's log system) it does not.

    \b
    Example:
      oaspec audit head >> /var/log/oaspec-audit-heads.jsonl
    """
    from oa_spec.util import clock

    check = open_state(ctx).audit.verify()
    if check.problem is not None:
        fail(f"the audit log does not verify, so it has no head to keep: {check.problem}")
    click.echo(json.dumps({"state": check.where, "entries": check.entries, "head": check.head,
                           "time": clock.real_timestamp()}, ensure_ascii=False))


@audit.command(name="export")
@click.option("--since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day (UTC) to export, YYYY-MM-DD.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write here (default: stdout).")
@state_spec_option
@click.pass_context
def audit_export(ctx: click.Context, since: Any, out: str | None, spec_file: str) -> None:
    """Write the entries since DATE as JSON Lines, with their hashes, for the bank's log system.

    The log is verified first: a tampered log is not exported.

    \b
    Example:
      oaspec audit export --since 2026-01-01 --out audit.jsonl
    """
    check, text = open_state(ctx).audit.verified_export(since.date())  # what is exported is what was verified
    if check.problem is not None and check.torn:  # the whole entries before it verify: log shipping goes on
        say(f"warning: not exporting {check.problem}", err=True)
    elif check.problem is not None:
        fail(f"not exporting: the audit log was tampered with or damaged; first bad entry: {check.problem}")
    if out:
        write_out(out, text, state_dir(ctx))
        click.echo(f"Wrote {text.count(chr(10))} entries to {out}.", err=True)
    else:  # the file keeps the exact bytes; on screen, bidirectional and invisible characters are escaped
        click.echo(json_safe(text), nl=False)
