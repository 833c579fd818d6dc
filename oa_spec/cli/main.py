"""The `oaspec` command: parse arguments, run the pipeline, print, and exit with a meaningful code.

Exit codes: 0 success (and, with --detailed-exitcode, no differences); 1 error, refusal or usage error;
2 the live accounts differ from the spec (plan --detailed-exitcode only). The README lists them per command.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
import traceback
from typing import Any

import click

from oa_spec.cli import deploy, policy, publish, records, serve, state, tools
from oa_spec.cli.common import EXIT_ERROR, fail, state_option
from oa_spec.errors import OaspecError


class OaspecGroup(click.Group):
    """Turns every user error into one clear message and exit 1, never a traceback. A usage error (an
    unknown option, a bad option value) is one too: click's exit code 2 would read as "changes pending"
    to `plan --detailed-exitcode`, which alone may exit 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            exc.exit_code = EXIT_ERROR
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            exc.exit_code = EXIT_ERROR
            raise
        except OaspecError as exc:
            from oa_spec.config.diagnostics import SpecError, shown

            if not isinstance(exc, SpecError):
                fail(str(exc))
            for line in shown(exc.diagnostics):
                click.echo(line, err=True)
            errors = sum(d.severity == "error" for d in exc.diagnostics)
            click.echo(f"{errors} error(s) in the spec", err=True)
            sys.exit(EXIT_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:  # `oaspec plan | head`: the reader has all it wanted
            sys.stderr.close()
            sys.exit(EXIT_ERROR)
        except OSError as exc:  # a file oaspec was asked to read or write (--out, a plan file)
            where = f"{exc.filename}: " if exc.filename else ""
            full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            fail(f"{where}{exc.strerror or exc}; " + ("free space on that disk and run again" if full
                                                       else "check the path and its permissions"))
        except Exception as exc:
            if os.environ.get("OASPEC_DEBUG"):
                traceback.print_exc()
            fail(f"internal error: {type(exc).__name__}: {exc}\n"
                 "  this is a bug in oaspec; rerun with OASPEC_DEBUG=1 for details and report it")


@click.group(cls=OaspecGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--state-dir", default=".oaspec", show_default=True, envvar="OASPEC_STATE_DIR",
              type=click.Path(file_okay=False),
              help="Where history, locks and local accounts are kept (with --state: the local accounts only).")
@state_option
@click.version_option(package_name="oaspec")
def main(state_dir: str, state_url: str | None) -> None:
    """Configuration as code for WeChat Official Accounts.

    Keep the account (menus, tags, templates, replies, modules) in a reviewed YAML spec; plan the
    changes against the live account; apply exactly the reviewed plan; keep every revision.

    \b
    Example:
      oaspec validate -f specs/examples/citybank/oaspec.yaml
      oaspec plan -f specs/examples/citybank/oaspec.yaml --out plan.json
      oaspec apply plan.json
    """


for command in (deploy.validate, deploy.plan, deploy.apply, deploy.rollback, records.history, records.show,
                tools.import_, records.unlock_, policy.policy, tools.calendar_, tools.emulator, tools.schema,
                records.audit, policy.scan, serve.serve, state.state, publish.publish):
    main.add_command(command)


def run() -> None:
    """The `oaspec` console script and `python -m oa_spec`: the command group, in a process tuned for a short run.

    Start-up builds tens of thousands of long-lived objects (the spec models, the policy lexicons) and
    almost no garbage: at the default threshold of 700 allocations the cyclic collector walks them dozens
    of times. At exit, freezing what is alive spares the final collection walking it all once more. Both
    together take about a sixth off `validate` (benchmarks/bench_startup.py); cycles are still collected.

    Pydantic plugins are not looked for unless the environment asks: oaspec uses none, and a plugin is
    third-party code shown every spec value; the search reads every installed package's metadata (~8 ms,
    3% of `validate`).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.set_threshold(10_000, 20, 20)
    try:
        main()
    finally:
        gc.freeze()
