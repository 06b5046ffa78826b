"""The append-only event log: appending, reading, subscriptions, rebuilds and verification."""

from shared.eventlog.records import ANY_VERSION, NO_STREAM, NewEvent, RecordedEvent, StreamAppend
from shared.eventlog.store import EventStore, WrongExpectedVersion
from shared.eventlog.subscriptions import LogNotifier, Projection, Subscription, rebuild
from shared.eventlog.verify import VerificationResult, verify_chain

__all__ = [
    "ANY_VERSION",
    "NO_STREAM",
    "EventStore",
    "LogNotifier",
    "NewEvent",
    "Projection",
    "RecordedEvent",
    "StreamAppend",
    "Subscription",
    "VerificationResult",
    "WrongExpectedVersion",
    "rebuild",
    "verify_chain",
]
