"""What every answer of every service must be, as Schemathesis checks.

* never a server error (5xx);
* if a 4xx, RFC 9457 problem details: ``application/problem+json`` with ``type``, ``title``,
  ``status`` (the response's own) and ``detail``; a 422 also names the ``field`` at fault;
* not a refusal of the caller (401, or 403 other than a designated teacher's data scope): each
  operation is called as someone its rule admits, so that would mean the request never reached
  the handler and proved nothing;
* the schema the OpenAPI document gives for its status code, where it gives one.

* every status it answers with is one its operation documents (``status_code_conformance``):
  the problem answers of every operation are documented by rule (shared/web/openapi.py).
"""

from __future__ import annotations

import json

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from shared.security.data_scope import OUTSIDE_SCOPE_DETAIL, OUTSIDE_SCOPE_FIELD

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
    detail = body["detail"]
    assert isinstance(detail, str) and detail.strip(), f"a {status} problem has an empty detail"
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
    status_code_conformance,
]
