"""The operator command's parser and entry point: ``main(argv)`` returns the exit code.

0 when the command did what it was asked (and, for ``verify``, the log verifies); 1 with a
one-line reason on standard error when it could not, or found something wrong; 2 when it was
called wrongly (argparse's usage message).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from shared.database import BIGINT_MAX
from shared.ops import lag, parked, rebuilding, seal_existing, verifying
from shared.ops.connection import (
    connected,
    database_url,
    described,
    service_with_read_models,
    services_with_read_models,
)
from shared.ops.errors import Refused, reason
from shared.ops.service_app import service_parts
from shared.services import SERVICES
from shared.web.dead_letters import DeadLetterStatus, StillFailing

PROG = "python -m shared.ops"
# As the operations routes take them (shared/web/dead_letters.py).
MAX_REASON = 2000
MAX_ACTOR = 200


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stopped:  # --help (0), or a usage error (2) already printed
        return int(stopped.code or 0)
    if not hasattr(args, "run"):  # a command (or ``parked``) without what to do
        getattr(args, "parser", parser).print_help(sys.stderr)
        return 2
    try:
        return asyncio.run(args.run(args))
    except KeyboardInterrupt:
        print(
            "error: interrupted; a rebuild or an action that had not committed changed nothing",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:
        print(f"error: {reason(exc)}", file=sys.stderr)
        return 1


def say(line: str) -> None:
    print(line, flush=True)


# -- the commands ---------------------------------------------------------------------------------


async def run_rebuild(args: argparse.Namespace) -> int:
    spec = service_with_read_models(args.service)
    url = database_url(args.database_url)
    async with service_parts(spec, url) as parts:
        models = rebuilding.chosen_read_models(spec, parts, args.read_models)
        say(f"Rebuilding {len(models)} read model{'s' if len(models) != 1 else ''} of {spec.name} "
            f"from the log, as {described(url)} ...")
        results = []
        for model in models:
            result = await rebuilding.rebuild_and_record(
                parts.pool, spec, model, actor=args.actor, reason=args.reason
            )
            say(result.describe())
            results.append(result)
    say(f"Recorded in eventlog.read_model_rebuilds as done by {args.actor}.")
    parked_again = sum(r.events_parked for r in results)
    if parked_again:
        raise Refused(
            f"rebuilt, but {parked_again} event{'s' if parked_again != 1 else ''} could not be applied and "
            f"{'are' if parked_again != 1 else 'is'} parked: python -m shared.ops parked list {spec.name}"
        )
    return 0


async def run_parked_list(args: argparse.Namespace) -> int:
    specs = services_with_read_models(args.service)
    async with connected(database_url(args.database_url)) as pool:
        for spec in specs:
            await parked.list_letters(
                pool, spec, status=DeadLetterStatus(args.status), subscription=args.subscription, say=say
            )
    return 0


async def run_parked_retry(args: argparse.Namespace) -> int:
    spec = service_with_read_models(args.service)
    async with service_parts(spec, database_url(args.database_url)) as parts:
        try:
            say(await parked.retry(parts, spec, args.letter_id, actor=args.actor, reason=args.reason))
        except StillFailing as failure:
            raise Refused(f"{failure}; the attempt is recorded (attempt {failure.attempts})") from None
    return 0


async def run_parked_skip(args: argparse.Namespace) -> int:
    spec = service_with_read_models(args.service)
    async with connected(database_url(args.database_url)) as pool:
        say(await parked.skip(pool, spec, args.letter_id, actor=args.actor, reason=args.reason))
    return 0


async def run_verify(args: argparse.Namespace) -> int:
    if args.to_position is not None and args.to_position < args.from_position:
        raise Refused(f"--to {args.to_position} is before --from {args.from_position}")
    keys = verifying.public_keys(args.public_keys)
    async with connected(database_url(args.database_url)) as pool:
        result = await verifying.verify(
            pool, keys, from_position=args.from_position, to_position=args.to_position, say=say
        )
    if not result.ok:
        raise Refused(verifying.first_break(result))
    say("The log verifies.")
    return 0


async def run_seal_existing_log(args: argparse.Namespace) -> int:
    await seal_existing.seal_as_configured(database_url(args.database_url), actor=args.actor, say=say)
    return 0


async def run_lag(args: argparse.Namespace) -> int:
    specs = services_with_read_models(args.service)
    async with connected(database_url(args.database_url)) as pool:
        head, lags = await lag.lag(pool, specs)
    lag.report(head, lags, say)
    return 0


# -- the parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    services = ", ".join(s.name for s in SERVICES if s.schema is not None)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Operate the council's education services from a shell: rebuild read models, act on "
        "parked events, verify the event log, see how far subscriptions are behind, seal a log recorded "
        "before sealing. "
        "Run `%(prog)s <command> --help` for each command.",
        epilog="docs/operations.md, 'The operator command', says which database role each command needs.",
    )
    commands = parser.add_subparsers(title="commands", metavar="<command>")

    rebuild = _command(
        commands, "rebuild", "rebuild read models of a service from the log, while it runs",
        "Empty and replay read models from the event log, each in one transaction: the running service "
        "keeps reading the old rows until the rebuilt ones replace them. Run it where the service runs "
        "(its container): it builds the read models with the service's own code and settings. Connects "
        "as the service's role or the owner.",
    )
    rebuild.add_argument("service", help=f"the service: {services}")
    rebuild.add_argument(
        "read_models", nargs="*", metavar="read_model",
        help="the read models to rebuild, by name as /ready and `lag` show them "
        "(default: all of the service's)",
    )
    _actor(rebuild)
    rebuild.add_argument("--reason", type=_reason, help="why, for the record (a release, a ticket)")
    rebuild.set_defaults(run=run_rebuild)

    parked_command = _command(
        commands, "parked", "see, retry or skip parked events",
        "Events a subscription could not apply, and the same actions as the services' "
        "/operations/dead-letters routes, recorded in the service's dead_letter_actions.",
        common=False,
    )
    parked_command.set_defaults(parser=parked_command)
    parked_commands = parked_command.add_subparsers(title="actions", metavar="<action>")
    listing = _command(
        parked_commands, "list", "list parked events (or the retried or skipped ones)",
        "List dead letters, oldest first, with their errors. Connects as the service's role for one "
        "service, or the owner for all of them.",
    )
    listing.add_argument("service", nargs="?", help=f"one service ({services}); default: all of them")
    listing.add_argument("--subscription", help="only this read model or policy's letters")
    listing.add_argument(
        "--status", choices=[s.value for s in DeadLetterStatus], default=DeadLetterStatus.PARKED.value,
        help="which letters (default: parked)",
    )
    listing.set_defaults(run=run_parked_list)

    retry = _command(
        parked_commands, "retry", "apply a parked event again, once its cause is fixed",
        "Apply the event through its subscription, holding the subscription's lock, and mark the letter "
        "retried; if it fails again it stays parked and the attempt is recorded (exit 1). Run it where "
        "the service runs: it applies the event with the service's own code. Connects as the service's "
        "role or the owner.",
    )
    retry.add_argument("service", help=f"the service the letter belongs to: {services}")
    retry.add_argument("letter_id", type=_letter_id, metavar="id", help="the letter's id, from `parked list`")
    _actor(retry)
    retry.add_argument("--reason", type=_reason, help="what was fixed, for the record")
    retry.set_defaults(run=run_parked_retry)

    skip = _command(
        parked_commands, "skip", "leave a parked event unapplied, saying why",
        "Mark the letter skipped: its event is never applied. Connects as the service's role or the owner.",
    )
    skip.add_argument("service", help=f"the service the letter belongs to: {services}")
    skip.add_argument("letter_id", type=_letter_id, metavar="id", help="the letter's id, from `parked list`")
    _actor(skip)
    skip.add_argument("--reason", type=_reason, required=True, help="why it must not be applied; kept")
    skip.set_defaults(run=run_parked_skip)

    verify = _command(
        commands, "verify", "verify the log's hash chain and its signed checkpoints",
        "Recompute the hash chain (every event's hash, and its link to the one before) and check every "
        "published checkpoint in the range: its signature, and that the log's hash at its position is "
        "the one signed. Prints what was checked and the first break. Connects as event_log_service or "
        "the owner.",
    )
    verify.add_argument("--from", dest="from_position", type=_position, default=1, metavar="N",
                        help="the first position to check (default 1; a later one trusts the hash before it)")
    verify.add_argument("--to", dest="to_position", type=_position, metavar="N",
                        help="the last position to check (default: the head)")
    verify.add_argument(
        "--public-key", dest="public_keys", type=Path, action="append", default=[], metavar="FILE",
        help="a checkpoint public key (PEM), as GET /checkpoints/keys publishes it; repeat for retired "
        "keys. Default: the keys the event-log service's settings trust",
    )
    verify.set_defaults(run=run_verify)

    seal = _command(
        commands, "seal-existing-log", "seal the personal fields of events recorded before sealing, once",
        "Once, with every service stopped and the auditors told: seal in place the personal fields "
        "(names, dates of birth, a child's words) of the events recorded before the log sealed them, "
        "recompute the hash chain from the first one, and sign a bridge from each published checkpoint's "
        "hash to the log's new hash there, in one transaction. Until it has run on a log that held events "
        "when it was migrated, no service starts. Run it with the event-log service's settings (its "
        "container: CHECKPOINT_SIGNING_KEY, PERSONAL_DATA_MASTER_KEY). Connects as the owner.",
    )
    _actor(seal)
    seal.set_defaults(run=run_seal_existing_log)

    lag_command = _command(
        commands, "lag", "how far each subscription is behind the log",
        "Each subscription's position, the events behind the head, the age of the oldest event it has "
        "not applied, and its parked events. Connects as the owner, or a service's role for that service.",
    )
    lag_command.add_argument("service", nargs="?", help=f"one service ({services}); default: all of them")
    lag_command.set_defaults(run=run_lag)
    return parser


def _command(commands, name: str, summary: str, description: str, *, common: bool = True):
    command = commands.add_parser(name, help=summary, description=description)
    if common:
        command.add_argument(
            "--database-url", metavar="URL",
            help="postgresql://role:password@host:5432/database (default: DATABASE_URL, then "
            "MIGRATION_DATABASE_URL)",
        )
    return command


def _actor(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--actor", type=_actor_name, required=True,
        help="who is doing this, for the record: your name, or a ticket (e.g. 'anna.smith INC-20431')",
    )


def _text(value: str, limit: int, what: str) -> str:
    text = value.strip()
    if not text:
        raise argparse.ArgumentTypeError(f"{what} must not be empty")
    if len(text) > limit:
        raise argparse.ArgumentTypeError(f"{what} must be at most {limit} characters")
    return text


def _actor_name(value: str) -> str:
    return _text(value, MAX_ACTOR, "the actor")


def _reason(value: str) -> str:
    return _text(value, MAX_REASON, "the reason")


def _whole_number(value: str, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{what} must be a whole number: {value!r}") from None
    if not 1 <= number <= BIGINT_MAX:
        raise argparse.ArgumentTypeError(f"{what} must be 1 or more: {value!r}")
    return number


def _letter_id(value: str) -> int:
    return _whole_number(value, "a letter's id")


def _position(value: str) -> int:
    return _whole_number(value, "a log position")
