"""Every operation of every service, fuzzed from its own OpenAPI document (Schemathesis).

Each operation is called with requests Schemathesis makes from the document, valid and invalid,
in-process over ASGI, as a caller its access rule admits (so the handler runs, rather than a
401/403 at the door). Every answer must:

* never be a server error (5xx);
* if a 4xx, be RFC 9457 problem details: ``application/problem+json`` with ``type``, ``title``,
  ``status`` (the response's own) and ``detail``; a 422 must also name the ``field`` at fault;
* not refuse the caller (401, or 403 other than a designated teacher's data scope): that would
  mean the request never reached the handler and proved nothing;
* match the schema the document gives for its status code, where it gives one.

Not checked, on purpose: that every status code is documented (Schemathesis'
``status_code_conformance``). 401, 403, 404, 409, 412, 428 and 429 are real answers of these
services that the OpenAPI documents do not list yet; checking it now would fail every operation
for that alone and bury everything else. Add it to CHECKS once the documents list them.

One test per operation: ``test_...[pep POST /children]``; ``-m contract`` selects them all. The
number of requests is bounded for CI and the seed is fixed (see contract_fuzzing.py), so the
same command reproduces a failure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from shared.security.data_scope import OUTSIDE_SCOPE_DETAIL, OUTSIDE_SCOPE_FIELD

sys.path.insert(0, str(Path(__file__).parent))
from contract_fuzzing import OperationFuzz, save_findings  # noqa: E402
from contract_services import documented_operations  # noqa: E402

PROBLEM_JSON = "application/problem+json"
PROBLEM_MEMBERS = ("type", "title", "status", "detail")


def _header(response: schemathesis.Response, name: str) -> str:
    values = response.headers.get(name.lower()) or [""]
    return values[0]


def _json_body(response: schemathesis.Response) -> object:
    try:
        return json.loads(response.content or b"")
    except ValueError:
        return None


@schemathesis.check
def client_errors_are_problem_details(ctx, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """A 4xx tells the caller what to fix, in RFC 9457 form, naming the field when it is input.
    (The first line of each message is fixed: it is how failures are told apart.)"""
    status = response.status_code
    if not 400 <= status < 500:
        return None
    content_type = _header(response, "content-type").split(";")[0].strip().lower()
    assert content_type == PROBLEM_JSON, f"a {status} is not {PROBLEM_JSON}\ncontent type: {content_type!r}"
    body = _json_body(response)
    assert isinstance(body, dict), f"a {status} problem body is not a JSON object"
    missing = [member for member in PROBLEM_MEMBERS if member not in body]
    assert not missing, f"a {status} problem lacks {', '.join(missing)}"
    assert body["status"] == status, f"a {status} problem says another status\nstatus: {body['status']!r}"
    assert isinstance(body["detail"], str) and body["detail"].strip(), f"a {status} problem has an empty detail"
    if status == 422:
        assert isinstance(body.get("field"), str) and body["field"], "a 422 problem names no field"
    return None


@schemathesis.check
def the_caller_was_admitted(ctx, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """Each operation is called as someone its rule admits, so a 401 or 403 means the request
    never reached the handler (a wrong token or role in this test), not that the handler is
    sound. A designated teacher refused one child (the data scope) did reach it. Schemathesis
    also sends some requests without the token on purpose (the header is "required", so it tries
    leaving it out): a 401 is the right answer to those."""
    sent = response.request.headers.get("Authorization", "")
    if not sent.removeprefix("Bearer").strip():
        return None
    status = response.status_code
    assert status != 401, "the caller's token was refused (401)"
    if status == 403:
        body = _json_body(response)
        data_scope = (
            isinstance(body, dict)
            and body.get("field") == OUTSIDE_SCOPE_FIELD
            and body.get("detail") == OUTSIDE_SCOPE_DETAIL
        )
        assert data_scope, "the caller's role was refused (403)"
    return None


CHECKS = [
    not_a_server_error,
    client_errors_are_problem_details,
    the_caller_was_admitted,
    response_schema_conformance,
    # No status_code_conformance: see the module docstring.
]

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
        app=running.app,
        headers=running.headers.get((method, path), {}),
        caller=caller.describe() if caller is not None else "nobody (a public route)",
        base_url=f"http://127.0.0.1:{running.spec.port}",
        checks=CHECKS,
    )
    findings = fuzz.run()
    print('STATS', service, method, path, fuzz.sent, sorted(fuzz.statuses.items()))
    save_findings(findings)
    assert fuzz.sent > 0, "no request was sent"
    assert not findings, (
        f"{len(findings)} distinct failure(s) in {fuzz.sent} requests to {service} {method} {path}:\n\n"
        + "\n\n".join(finding.describe() for finding in findings)
    )
