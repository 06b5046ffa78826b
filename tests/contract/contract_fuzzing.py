"""Fuzzing one operation: which requests are sent, and every distinct failure they find.

Two kinds of requests, both from Schemathesis and both the same on every run:

* coverage cases - for every parameter and body field, values at and just past the edges of
  its schema (missing, empty, too long, out of range, wrong type, odd formats), a fixed list;
* generated cases - Hypothesis draws valid and invalid requests from the document, from a
  fixed seed (``@seed``, no example database), so a failure in CI reproduces locally.

A failing request does not stop the operation: every request is sent and checked, failures are
grouped by what went wrong (for a 500: the exception and where it was raised, read from the
service's log), and the operation's test fails once with one reproduction for each.

Knobs (environment variables), so CI stays bounded and a developer can dig deeper:

* ``CONTRACT_MAX_EXAMPLES`` - generated requests per operation (default 25);
* ``CONTRACT_MAX_COVERAGE`` - coverage cases per operation, spread evenly over the full list
  (default 50; ``0`` for none, ``all`` for the full list: over 8,000 for the five services);
* ``CONTRACT_SEED`` - the seed generation starts from (default 20261102);
* ``CONTRACT_FINDINGS`` - a file to append every distinct failure to, one JSON object a line.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, strategies as st
from hypothesis.errors import HypothesisDeprecationWarning
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.core.failures import Failure, FailureGroup

DEFAULT_MAX_EXAMPLES = 25
DEFAULT_MAX_COVERAGE = 50
DEFAULT_SEED = 20261102
REPO_ROOT = Path(__file__).resolve().parents[2]

# Fixed values for parameters whose generated values only cost time, by (METHOD, path).
FIXED_QUERY: dict[tuple[str, str], dict[str, Any]] = {
    # A long poll: ``wait`` holds the request open up to 30 s when nothing comes after
    # ``after`` (almost always, for a fuzzed position). Its waking is proven by the event-log
    # service's own tests; here it would only cost time.
    ("GET", "/feed"): {"wait": 0},
}


def max_examples() -> int:
    return int(os.environ.get("CONTRACT_MAX_EXAMPLES") or DEFAULT_MAX_EXAMPLES)


def max_coverage() -> int | None:
    value = (os.environ.get("CONTRACT_MAX_COVERAGE") or "").strip().lower()
    if value == "all":
        return None
    return int(value) if value else DEFAULT_MAX_COVERAGE


def contract_seed() -> int:
    return int(os.environ.get("CONTRACT_SEED") or DEFAULT_SEED)


@dataclass
class Finding:
    """One distinct way an operation went wrong, with the first request that showed it."""

    service: str
    operation: str
    check: str
    status: int | None
    summary: str
    reproduce: str
    caller: str
    response: str
    server_error: str | None = None
    times: int = 1

    def describe(self) -> str:
        headline = self.check if self.summary == self.check else f"{self.check}: {self.summary}"
        lines = [headline, f"  status: {self.status}  (seen {self.times} times)"]
        if self.server_error:
            lines.append(f"  raised: {self.server_error}")
        lines.append(f"  as: {self.caller}")
        lines.append(f"  reproduce: {self.reproduce}")
        lines.append(f"  answer: {self.response}")
        return "\n".join(lines)


class ServerErrorLog(logging.Handler):
    """The exceptions a service logs while answering (the 500 handler logs each one with its
    traceback): what a 500 was, and where it came from."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)

    def take(self) -> str | None:
        records, self.records = self.records, []
        for record in records:
            assert record.exc_info is not None
            kind, error, tb = record.exc_info
            if kind is None:
                continue
            return f"{kind.__module__}.{kind.__qualname__} at {_raised_at(tb)}: {_first_line(str(error))}"
        return None


def _raised_at(tb) -> str:
    """The innermost frame in this repository's own code (not a library's)."""
    where = "?"
    for frame in traceback.extract_tb(tb):
        path = Path(frame.filename)
        if REPO_ROOT in path.parents and ".venv" not in path.parts:
            where = f"{path.relative_to(REPO_ROOT)}:{frame.lineno} ({frame.name})"
    return where


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _excerpt(content: bytes | None, limit: int = 400) -> str:
    if not content:
        return "(no body)"
    text = content.decode("utf-8", "replace")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class OperationFuzz:
    """Sends requests to one operation of a running service and keeps every distinct failure."""

    service: str
    operation: APIOperation  # of a schema bound to the app (``schemathesis.openapi.from_asgi``)
    headers: dict[str, str]
    caller: str
    base_url: str
    checks: list[Callable]
    findings: dict[tuple, Finding] = field(default_factory=dict)
    sent: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        return (self.operation.method.upper(), self.operation.path)

    def run(self) -> list[Finding]:
        log = ServerErrorLog()
        root = logging.getLogger()
        root.addHandler(log)
        try:
            for case in self.coverage_cases():
                self.send(case, log)
            self.generated(log)
        finally:
            root.removeHandler(log)
        return list(self.findings.values())

    def coverage_cases(self) -> list[Case]:
        limit = max_coverage()
        if limit == 0:
            return []
        schema = self.operation.schema
        cases = list(
            schema.iter_coverage_cases(
                self.operation,
                generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                generation_config=schema.config.generation_for(operation=self.operation, phase="coverage"),
            )
        )
        if limit is None or len(cases) <= limit:
            chosen = cases
        else:
            # Evenly spread over the list: it runs parameter by parameter, valid values first.
            chosen = [cases[i * len(cases) // limit] for i in range(limit)]
        fixed = FIXED_QUERY.get(self.key)
        if fixed:
            for case in chosen:
                case.query = {**(case.query or {}), **fixed}
        return chosen

    def generated(self, log: ServerErrorLog) -> None:
        fixed = FIXED_QUERY.get(self.key)
        strategies = [self.operation.as_strategy(GenerationMode.POSITIVE, query=fixed)]
        if self._has_inputs():
            strategies.append(self.operation.as_strategy(GenerationMode.NEGATIVE, query=fixed))

        @seed(contract_seed())
        @hypothesis.settings(
            max_examples=max_examples(),
            database=None,
            deadline=None,
            # Failures are collected, never raised, so there is nothing to shrink.
            phases=(Phase.explicit, Phase.generate),
            suppress_health_check=list(HealthCheck),
            verbosity=hypothesis.Verbosity.quiet,
        )
        @given(case=st.one_of(strategies))
        def fuzz(case: Case) -> None:
            self.send(case, log)

        with warnings.catch_warnings():
            # Schemathesis' own strategies draw from ``random``; nothing this harness can change.
            warnings.filterwarnings(
                "ignore", message="Do not use the `random` module", category=HypothesisDeprecationWarning
            )
            fuzz()

    def _has_inputs(self) -> bool:
        # Nothing to make invalid in an operation without parameters or body.
        return any(True for _ in self.operation.iter_parameters()) or bool(self.operation.body)

    def send(self, case: Case, log: ServerErrorLog) -> None:
        self.sent += 1
        log.take()  # anything logged before this request is not its doing
        call: dict[str, Any] = {"headers": self.headers}
        try:
            response = case.call(**call)
        except Exception as exc:  # no answer came back whole (the app failed mid-answer)
            raised = log.take()
            self.record(case, "No answer", None, _first_line(f"{type(exc).__name__}: {exc}"), raised)
            return
        raised = log.take()
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=self.checks, headers=self.headers, transport_kwargs=call)
        except FailureGroup as group:
            failures: tuple[Failure, ...] = group.exceptions
        except Failure as failure:
            failures = (failure,)
        else:
            return
        for failure in failures:
            self.record(case, failure.title, response, _first_line(failure.message) or failure.title, raised)

    def record(self, case: Case, check: str, response, summary: str, raised: str | None) -> None:
        status = response.status_code if response is not None else None
        if raised:
            # Every 500 of one cause looks alike from outside: tell causes apart by the
            # exception and the line that raised it, not by the input.
            key: tuple = (check, status, raised.split(": ")[0])
        else:
            key = (check, status, summary)
        if key in self.findings:
            self.findings[key].times += 1
            return
        self.findings[key] = Finding(
            service=self.service,
            operation=self.operation.label,
            check=check,
            status=status,
            summary=summary,
            reproduce=self.reproduction(case),
            caller=self.caller,
            response=_excerpt(response.content) if response is not None else "(the answer broke off)",
            server_error=raised,
        )

    def reproduction(self, case: Case) -> str:
        shown = {name: "Bearer $TOKEN" for name in self.headers} if self.headers else None
        try:
            return case.as_curl_command(headers=shown, base_url=self.base_url)
        except Exception as exc:  # a body curl cannot carry; the case itself still says it
            return f"{case!r} ({exc})"


def reporting_config() -> schemathesis.Config:
    """Reproductions show every value as it was sent: the token is shown as ``$TOKEN`` by the
    harness itself, and Schemathesis' own masking would also hide ordinary inputs (``key_id``)."""
    return schemathesis.Config.from_dict({"output": {"sanitization": {"enabled": False}}})


def save_findings(findings: list[Finding]) -> None:
    path = os.environ.get("CONTRACT_FINDINGS")
    if not path or not findings:
        return
    with open(path, "a", encoding="utf-8") as out:
        for finding in findings:
            out.write(json.dumps(asdict(finding)) + "\n")
