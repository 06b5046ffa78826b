"""Why the operator command stopped, in one line an operator can act on."""

from __future__ import annotations

import asyncpg
import pydantic

from shared.errors import DomainError
from shared.eventlog.subscriptions import describe_error


class Refused(Exception):
    """The command cannot do what it was asked; the message says why and what to do instead."""


def reason(exc: BaseException) -> str:
    """The one line printed for a failure: the command's own reasons as they are, the database's
    refusals with what to try."""
    if isinstance(exc, Refused):
        return str(exc)
    if isinstance(exc, DomainError):
        return exc.detail
    if isinstance(exc, asyncpg.InsufficientPrivilegeError):
        return (
            f"the database refused: {exc}. Connect as a role that may (the service's own role or the "
            "owner, --database-url): see 'The operator command' in docs/operations.md"
        )
    if isinstance(exc, (asyncpg.UndefinedTableError, asyncpg.InvalidSchemaNameError)):
        return f"the database has no such table: {exc}. Is it migrated? (python -m shared.migrate)"
    if isinstance(exc, pydantic.ValidationError):
        return "the service's settings are not valid here: " + "; ".join(
            error["msg"] for error in exc.errors()
        )
    return describe_error(exc).replace("\n", " ")
