"""Domain errors, mapped to HTTP problem details in one place (``shared.web.problems``).

Raise these from domain and handler code; never build HTTP responses for failures by hand.
``field`` names the input at fault (a dotted path such as ``judgements.quality_of_education``)
so the caller can act on the answer.

Each class names its entry in the problem catalogue (``shared.web.problem_types``) with
``problem_type``; a subclass or a raise site (``problem_type=...``) may name a more specific
family, so a client tells refusals apart by the problem's ``type`` and never by its prose. A
class naming none is typed by its status.
"""

from __future__ import annotations


class DomainError(Exception):
    status: int = 400
    title: str = "Bad request"
    problem_type: str | None = None

    def __init__(self, detail: str, *, field: str | None = None, problem_type: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if problem_type is not None:
            self.problem_type = problem_type


class InvalidInput(DomainError):
    """The request is well-formed JSON but a value is not acceptable."""

    status = 422
    title = "Invalid input"
    problem_type = "invalid-input"


class RuleViolation(DomainError):
    """The request is valid but the rules of the domain refuse it (e.g. a notice to an academy)."""

    status = 422
    title = "Refused by the rules"
    problem_type = "refused-by-rules"


class NotFound(DomainError):
    status = 404
    title = "Not found"
    problem_type = "not-found"


class Conflict(DomainError):
    """The request clashes with the current state (already decided, duplicate, ...)."""

    status = 409
    title = "Conflict"
    problem_type = "conflict"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    problem_type = "not-permitted"


class ServiceUnavailable(DomainError):
    """Something this service depends on (its database) is away for now: nothing was changed
    that the caller cannot safely repeat. Answered 503 with ``Retry-After``."""

    status = 503
    title = "Service unavailable"
    problem_type = "service-unavailable"

    def __init__(
        self, detail: str, *, retry_after: int = 1, field: str | None = None, problem_type: str | None = None
    ) -> None:
        super().__init__(detail, field=field, problem_type=problem_type)
        self.retry_after = retry_after
