"""serve: answer the message callback of every account with a `gateway:` block."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from oa_spec.cli.common import fail, open_project, open_state, say, spec_option, state_address, state_dir

if TYPE_CHECKING:
    from oa_spec.config.compile import CompiledAccount
    from oa_spec.config.model import AccountSpec


@click.command()
@spec_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 behind a load balancer).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (they share idempotency records through the state directory, or the "
                   "database with --state).")
@click.option("--threads", default=16, show_default=True, type=click.IntRange(1, 256),
              help="Threads per worker (a platform retry waits in one while the first attempt finishes).")
@click.pass_context
def serve(ctx: click.Context, spec_file: str, host: str, port: int, workers: int, threads: int) -> None:
    """Answer the message callback (服务器配置) of every account with a gateway: block, at /wx/ACCOUNT_ID.

    Replies, keyword rules, FAQ answers, the mode and the module webhooks come from the latest applied revision in
    the state (the state directory, or --state): a new apply or a rollback is served within a second, without a
    restart. The Token and EncodingAESKey come from the environment variables the applied gateway settings
    name. /healthz answers "ok" (or, still 200, "degraded: …" naming what it cannot reach), /metrics has
    Prometheus metrics; the access log holds no message content and no OpenIDs.

    \b
    Example:
      export OASPEC_CITYBANK_TOKEN=... OASPEC_CITYBANK_AES_KEY=...
      oaspec serve -f oaspec.yaml --host 0.0.0.0 --port 8080 --workers 2
    """
    try:
        import gunicorn  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        fail("oaspec serve needs the gateway extra: pip install 'oaspec[gateway]' (from the repository: "
             "pip install '.[gateway]')")
    from oa_spec.backend.base import BackendUnreachable
    from oa_spec.gateway.runner import check_secrets, serve_applied

    project = open_project(spec_file)
    accounts = served(project.accounts, spec_file)
    try:
        state = open_state(ctx, serving=True)
    except BackendUnreachable as exc:  # a replica (re)started during an outage must not crash-loop: it starts
        say(f"warning: {exc}\nstarting anyway: until the database answers, each worker answers every "
            "message `success` (no reply, never the platform's 暂时无法提供服务), /healthz says "
            "\"degraded: …\", and the environment variables the applied revision names are checked once "
            "it can be read", err=True)
    else:
        problems = check_secrets(accounts, state)
        if problems:
            fail("\n".join(problems))
        state.close()  # each worker opens its own: a database connection must not cross the fork
    click.echo(f"serving {', '.join(a.id for a in accounts)} on http://{host}:{port}/wx/ACCOUNT_ID "
               f"({workers} worker(s)); Ctrl-C stops it", err=True)
    serve_applied(project.spec, accounts, state_address(ctx), state_dir(ctx), host, port, workers, threads)


def served(compiled: Sequence[CompiledAccount], spec_file: str) -> list[AccountSpec]:
    """The accounts with a gateway: block; an error saying what to add when there is none."""
    accounts = [c.spec for c in compiled if c.spec.gateway is not None]
    if not accounts:
        fail(f"no account in {spec_file} has a gateway: block; add one (token: ${{OASPEC_<ACCOUNT>_TOKEN}}, "
             "encoding_aes_key, mode) to the accounts whose messages oaspec serve should answer")
    return accounts
