"""Every operation of every service, fuzzed from its own OpenAPI document (Schemathesis).

Each operation is called with requests Schemathesis makes from the document, valid and invalid,
in-process over ASGI, as a caller its access rule admits, on a running app with a database of
its own service; every answer is held to the checks in contract_checks.py (no 5xx, 4xx are
problem details naming the field, nobody refused at the door, documented schemas hold).

One test per operation: ``test_...[pep POST /children]``; ``-m contract`` selects them all. The
number of requests is bounded for CI and the seed is fixed (see contract_fuzzing.py), so the
same command reproduces a failure.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from contract_checks import CHECKS  # noqa: E402
from contract_fuzzing import OperationFuzz, save_findings  # noqa: E402
from contract_services import documented_operations  # noqa: E402

OPERATIONS = documented_operations()


@pytest.mark.contract
@pytest.mark.slow
@pytest.mark.parametrize(
    ("service", "method", "path"), OPERATIONS, ids=[f"{s} {m} {p}" for s, m, p in OPERATIONS]
)
def test_every_operation_answers_within_its_contract(service, method, path, fuzzed_services) -> None:
    running = fuzzed_services.running(service)
    caller = running.callers.get((method, path))
    fuzz = OperationFuzz(
        service=service,
        operation=running.operation(method, path),
        headers=running.headers.get((method, path), {}),
        caller=caller.describe() if caller is not None else "nobody (a public route)",
        base_url=f"http://127.0.0.1:{running.spec.port}",
        checks=CHECKS,
    )
    findings = fuzz.run()
    save_findings(findings)
    assert fuzz.sent > 0, "no request was sent"
    if findings:
        pytest.fail(
            f"{len(findings)} distinct failure(s) in {fuzz.sent} requests to {service} {method} {path} "
            f"(answers by status: {dict(sorted(fuzz.statuses.items()))}):\n\n"
            + "\n\n".join(finding.describe() for finding in findings),
            pytrace=False,
        )
