"""`oaspec state`: copy a files state into PostgreSQL (migrate) and check a state (doctor)."""

from __future__ import annotations

import sys

import click

from oa_spec.cli.common import EXIT_ERROR, state_address, state_dir, state_spec_option
from oa_spec.util.display import visible


@click.group()
def state() -> None:
    """Where oaspec keeps history, locks and the audit trail: move it into PostgreSQL, check it.

    \b
    Example:
      oaspec state migrate --to "postgresql://oaspec@db.bank.example/oaspec"
      oaspec --state "postgresql://oaspec@db.bank.example/oaspec" state doctor
    """


@state.command(name="migrate")
@click.option("--to", "target", required=True, metavar="URL",
              help="The PostgreSQL database to copy into (no password in it: PGPASSWORD, a service file or "
                   "~/.pgpass).")
@click.pass_context
def migrate(ctx: click.Context, target: str) -> None:
    """Copy the files state (--state-dir) into PostgreSQL: revisions, ownership and the audit trail.

    The copy is made in one transaction into a database that holds none of it, and read back and
    compared before it commits: revision numbers and records, ownership, content records, the audit
    chain and its head hash. A failed check rolls the copy back, leaving the database as it was. The
    local provider's accounts stay where they are (they stand in for the platform; they are not state).

    \b
    Example:
      export PGPASSWORD=...   # or a libpq service file
      oaspec --state-dir .oaspec state migrate --to "postgresql://oaspec@db.bank.example/oaspec"
    """
    from oa_spec.backend import open_postgres
    from oa_spec.backend.migrate import migrate as copy

    source = state_dir(ctx)
    backend = open_postgres(target)
    try:
        result = copy(source, backend)
    finally:
        backend.close()
    for account, numbers in result.revisions.items():
        click.echo(f"{visible(account)}: revisions {', '.join(map(str, numbers))}")
    click.echo(f"Copied {sum(map(len, result.revisions.values()))} revision(s) of {len(result.revisions)} "
               f"account(s) and {result.audit_entries} audit entries from {source} into {result.target}; "
               f"verified: records and ownership equal, hash chain intact, head {result.head_hash}")
    if result.content:
        click.echo(f"Copied the content record (drafts, images, sends) of {', '.join(map(visible, result.content))}.")
    if (source / "local").is_dir():
        click.echo(f"note: the local provider's accounts stay in {source / 'local'}: they stand in for the "
                   "platform and are not state", err=True)
    click.echo(f"Use it with --state URL or OASPEC_STATE; keep {source} as it is until you have checked the copy.",
               err=True)


@state.command(name="doctor")
@state_spec_option
@click.pass_context
def doctor(ctx: click.Context, spec_file: str) -> None:
    """Check the state: for PostgreSQL (--state) the connection, privileges, schema version, clock skew
    and that two sessions cannot hold one lock; for the files state the directory, history, audit trail
    and locks; for both, that no revision was edited (each still digests to the spec digest its audit
    entries record). Exit 0 healthy, 1 otherwise.

    \b
    Example:
      oaspec --state "postgresql://oaspec@db.bank.example/oaspec" state doctor
    """
    from oa_spec.history.files import files_doctor

    url = state_address(ctx)
    if url is None:
        report = files_doctor(state_dir(ctx))
    else:
        from oa_spec.backend import postgres_address
        from oa_spec.backend.doctor import doctor as check

        report = check(postgres_address(url))  # changes nothing but its own lock row
    click.echo(f"state: {visible(report.backend)}")
    for item in report.checks:
        click.echo(f"{'ok' if item.ok else 'FAIL':<5}{item.name:<12}{visible(item.detail)}")
    if not report.ok:
        failed = ", ".join(c.name for c in report.checks if not c.ok)
        click.echo(f"error: the state is not healthy ({failed}); see the lines marked FAIL", err=True)
        sys.exit(EXIT_ERROR)

