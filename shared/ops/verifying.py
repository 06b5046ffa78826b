"""``verify``: the hash chain recomputed over the whole log or a range, and every published
checkpoint in it checked against its signature and the log, by ``verify_log``, the function the
event-log service's ``/verification`` answers with.

The checkpoints' public keys are those given with ``--public-key`` (PEM files, as
``GET /checkpoints/keys`` on the event-log service publishes them); without one, the keys the
event-log service itself trusts, from its settings (``CHECKPOINT_SIGNING_KEY`` and
``CHECKPOINT_RETIRED_PUBLIC_KEYS``), so in the event-log service's container it needs no option.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import asyncpg

from shared.eventlog.checkpoints import CheckpointKeys, LogVerification, load_public_key, verify_log
from shared.ops.connection import named_service
from shared.ops.errors import Refused
from shared.ops.service_app import service_code

# The event-log service's settings, which know its signing key and the retired ones; named as a
# string, as shared/services.py names each service's code.
EVENT_LOG_SETTINGS = "event_log.settings:EventLogSettings"


def public_keys(files: Sequence[Path]) -> CheckpointKeys:
    if files:
        keys = []
        for path in files:
            try:
                keys.append(load_public_key(path.read_bytes()))
            except (OSError, ValueError) as exc:
                raise Refused(f"cannot use {path} as a checkpoint public key: {exc}") from exc
        return CheckpointKeys(keys)
    settings = event_log_settings()
    return settings.checkpoint_keys(settings.checkpoint_signer())


def event_log_settings():
    """The event-log service's settings from the environment: its signing key and retired keys."""
    return service_code(named_service("event-log"), EVENT_LOG_SETTINGS)()


async def verify(
    pool: asyncpg.Pool, keys: CheckpointKeys, *, from_position: int, to_position: int | None,
    say: Callable[[str], None],
) -> LogVerification:
    result = await verify_log(pool, keys, from_position=from_position, to_position=to_position)
    chain = result.chain
    if chain.ok and not chain.checked:
        say(f"Hash chain: no events from position {from_position}{_up_to(to_position)}: nothing to check.")
    elif chain.ok:
        say(
            f"Hash chain: positions {chain.first_position} to {chain.last_position} checked "
            f"({chain.checked} events): each links to the one before it and matches its hash."
        )
    else:
        say(
            f"Hash chain: {chain.checked} events from position {from_position} check out, then it breaks "
            f"at position {chain.broken_position}: {chain.reason}."
        )
    checked, failures = result.checkpoints_checked, result.checkpoint_failures
    bridged = result.checkpoints.bridged
    if not checked:
        say(f"Signed checkpoints: none published from position {from_position}{_up_to(to_position)}.")
    elif not failures:
        say(
            f"Signed checkpoints: {checked} checked: each signature is genuine and each hash is the "
            "log's at its position" + (f" ({_through(bridged)})." if bridged else ".")
        )
    else:
        say(f"Signed checkpoints: {checked} checked, {len(failures)} failed:")
        for failure in failures:
            say(f"  position {failure['position']}: {failure['reason']}")
    return result


def first_break(result: LogVerification) -> str:
    """The one line saying where the log first fails to verify."""
    if not result.chain.ok:
        return (
            f"the log does not verify: the hash chain first breaks at position "
            f"{result.chain.broken_position}: {result.chain.reason}"
        )
    failure = result.checkpoint_failures[0]
    return (
        f"the log does not verify: the checkpoint at position {failure['position']} fails: "
        f"{failure['reason']}"
    )


def _through(bridged: list[dict]) -> str:
    """``2 verified through the bridge of 2026-12-05``, for each bridge (or chain of them) crossed."""
    counts: dict[str, int] = {}
    for checkpoint in bridged:
        counts[checkpoint["verified_through"]] = counts.get(checkpoint["verified_through"], 0) + 1
    return "; ".join(f"{count} verified through {through}" for through, count in counts.items())


def _up_to(to_position: int | None) -> str:
    return f" to {to_position}" if to_position is not None else ""
