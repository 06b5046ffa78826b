"""Every list answers one envelope (``shared/web/paging.py``): ``items``, ``next_cursor`` and
``next``. The services' OpenAPI documents are walked so that a new list cannot forget it; and the
paging itself - the cursor, the look-ahead row, the next link - is checked here once for all."""

from __future__ import annotations

import base64
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from starlette.datastructures import URL

from shared.errors import InvalidInput
from shared.services import SERVICES
from shared.testing.paging import query_of
from shared.web.paging import Keyset, Paging

sys.path.insert(0, str(Path(__file__).parents[1] / "security"))
from security_route_table import app_factory  # noqa: E402

# The lists every service is known to have: the walk must find each of them.
KNOWN_LISTS = {
    "schools": {"/schools", "/reviews/overdue", "/operations/dead-letters"},
    "pep": {
        "/virtual-school/roll",
        "/alerts",
        "/reports/exclusions",
        "/reports/days-lost-awaiting-place",
        "/reports/overdue-peps",
        "/reports/persistent-absence",
        "/schools/{urn}/children",
        "/children/{child_id}/peps",
        "/operations/dead-letters",
    },
    "pupil-premium": {
        "/budgets/{financial_year}/requests",
        "/budgets/{financial_year}/projects",
        "/budgets/{financial_year}/payment-runs",
        "/budgets/{financial_year}/reports/requests-by-status",
        "/budgets/{financial_year}/reports/impact",
        "/operations/dead-letters",
    },
    "notices": {
        "/notices",
        "/directions",
        "/schools-causing-concern",
        "/deadlines",
        "/operations/dead-letters",
    },
    "event-log": {
        "/feed",
        "/streams/{stream_id}",
        "/children/{child_id}/timeline",
        "/schools/{urn}/timeline",
        "/checkpoints",
        "/checkpoints/bridges",
        "/record-reads",
        "/privacy/retention/due",
    },
}
# Answers that hold lists but are one document, not a list of things: each says why.
DOCUMENTS = {
    ("schools", "/dashboard"): "the council's figures, broken down by phase",
    ("schools", "/configuration"): "the council's settings",
    ("pep", "/reports/pep-compliance"): "one report: a table by term and a table by school",
    ("pep", "/council/term-dates"): "the council calendar, as the PEP deadlines read it",
    ("schools", "/council/term-dates"): "the council calendar: one record (with its version), its years",
    ("pep", "/council/pep-timing-policies"): "the council's settings",
    ("pep", "/council/attendance-policies"): "the council's settings",
    ("pep", "/attendance/codes"): "the national codes: each list with the date it came into force",
    ("pep", "/children/{child_id}/attendance"): "one child's attendance: the year's terms, weeks and sessions",
    ("pupil-premium", "/settings"): "the council's settings",
    ("pupil-premium", "/budgets/{financial_year}/position"): "a budget's figures on a date",
    ("pupil-premium", "/budgets/{financial_year}/reports/drift-and-delay"): "figures, with the lines behind them",
    ("pupil-premium", "/budgets/{financial_year}/reports/weekly-tracking"): "figures, with the lines behind them",
    ("pupil-premium", "/budgets/{financial_year}/reports/quarterly-finance"): "one report of several tables",
    ("event-log", "/privacy/retention-schedule"): "the council's retention schedule: one record, its versions",
    ("notices", "/academy-order-law"): "the council's record of the law academy orders follow: one record, its settings",
    ("event-log", "/privacy/children/{child_id}/subject-access"): "one report: everything held about a child",
}
PAGING_PARAMETERS = {"after", "limit", "offset"}


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, dict[str, Any]]:
    """Each service's OpenAPI document, from an app built but not started."""
    from shared.security.mint import ensure_dev_keys

    _, public_key = ensure_dev_keys(tmp_path_factory.mktemp("keys"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
        env.setenv("ENVIRONMENT", "test")
        env.setenv("DEV_PUBLIC_KEY_PATH", str(public_key))
        return {spec.name: app_factory(spec)().openapi() for spec in SERVICES}


def resolved(document: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    while schema and "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema or {}


def is_array(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    schema = resolved(document, schema)
    return schema.get("type") == "array" or any(is_array(document, s) for s in schema.get("anyOf", []))


def json_answer(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation["responses"].get("200", {}).get("content", {})
    if "application/json" not in content:
        return None  # a stream or a download
    return resolved(document, content["application/json"].get("schema"))


def lists_of(service: str, document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The service's list operations, by path: a GET answering an array, or taking a paging
    parameter, or answering an object that holds a list - unless it names one thing (its path
    ends with the thing's id) or is one of the DOCUMENTS."""
    found = {}
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        answer = None if operation is None else json_answer(document, operation)
        if answer is None:
            continue
        parameters = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        holds_a_list = any(is_array(document, p) for p in answer.get("properties", {}).values())
        names_one_thing = path.endswith("}")
        if (
            answer.get("type") == "array"
            or parameters & PAGING_PARAMETERS
            or (holds_a_list and not names_one_thing and (service, path) not in DOCUMENTS)
        ):
            found[path] = operation
    return found


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_every_list_of_every_service_answers_the_page_envelope(spec, documents):
    document = documents[spec.name]
    lists = lists_of(spec.name, document)
    assert KNOWN_LISTS[spec.name] <= set(lists), KNOWN_LISTS[spec.name] - set(lists)
    problems = []
    for path, operation in lists.items():
        answer = json_answer(document, operation)
        properties = answer.get("properties", {})
        required = set(answer.get("required", []))
        parameters = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
        if answer.get("type") == "array":
            problems.append(f"GET {path} answers a bare array")
            continue
        if not {"items", "next_cursor", "next"} <= required:
            problems.append(f"GET {path} does not always answer items, next_cursor and next")
        if not is_array(document, properties.get("items", {})):
            problems.append(f"GET {path}: items is not a list")
        for link in ("next_cursor", "next"):
            kinds = {s.get("type") for s in properties.get(link, {}).get("anyOf", [])}
            if kinds != {"string", "null"}:
                problems.append(f"GET {path}: {link} is not text or null")
        if "offset" in parameters:
            problems.append(f"GET {path} still pages by offset")
        if ("after" in parameters) != ("limit" in parameters):
            problems.append(f"GET {path} takes one of after and limit without the other")
    assert not problems, "\n".join(problems)


def test_every_document_exempted_from_the_envelope_is_still_served(documents):
    for service, path in DOCUMENTS:
        assert "get" in documents[service]["paths"].get(path, {}), (service, path)


# -- the cursor --------------------------------------------------------------------------------

ALERTS = Keyset(date, date, str)


def test_a_cursor_round_trips_its_keyset_and_stays_short():
    keyset = (date(2026, 11, 2), date(2026, 10, 30), "0f3c5a1e9b7d4c2a8e6f0b1d3c5a7e9f")
    cursor = ALERTS.encode(keyset)
    assert ALERTS.decode(cursor) == keyset
    assert len(cursor) <= 100  # a short query parameter, for two dates and a 32-character id
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def cursor_of(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "%%%",
        "é",
        cursor_of({"raised_on": "2026-11-02"}),
        cursor_of(["2026-11-02", "2026-10-30"]),
        cursor_of(["2026-11-02", "2026-10-30", "A1", "extra"]),
        cursor_of(["2026-13-02", "2026-10-30", "A1"]),
        cursor_of(["2026-11-02", "20261030", "A1"]),
        cursor_of(["2026-11-02", "2026-10-30", 7]),
        cursor_of(["2026-11-02", "2026-10-30", "A\u00001"]),
        cursor_of(["2026-11-02", "2026-10-30", "A" * 201]),
    ],
)
def test_a_cursor_the_list_did_not_give_is_refused_naming_after(cursor):
    with pytest.raises(InvalidInput) as refused:
        ALERTS.decode(cursor)
    assert refused.value.field == "after"
    assert refused.value.status == 422


@pytest.mark.parametrize("value", [True, 2**63, -(2**63), 1.0, "1"])
def test_a_whole_number_key_is_a_bigint_and_nothing_else(value):
    with pytest.raises(InvalidInput):
        Keyset(int).decode(cursor_of([value]))
    assert Keyset(int).decode(cursor_of([2**63 - 1])) == (2**63 - 1,)


# -- a page and its next link --------------------------------------------------------------------


def paging(url: str, *, limit: int, after: Any = None) -> Paging:
    return Paging(after=after, limit=limit, url=URL(url), cursor_of=Keyset(int).encode)


def test_one_row_more_than_a_page_says_another_follows_and_links_to_it_with_the_filters_kept():
    asked = paging("http://testserver/notices?urn=118234&type=a&type=b&after=WzFd&limit=2", limit=2)
    rows = [{"id": 3}, {"id": 4}, {"id": 5}]

    page = asked.page(rows, key=lambda row: (row["id"],))

    assert page["items"] == [{"id": 3}, {"id": 4}]
    assert Keyset(int).decode(page["next_cursor"]) == (4,)
    assert page["next"].startswith("/notices?")  # relative to the service
    assert query_of(page["next"]) == {
        "urn": ["118234"],
        "type": ["a", "b"],
        "after": [page["next_cursor"]],
        "limit": ["2"],
    }


def test_a_page_that_holds_the_rest_of_the_list_has_no_next():
    asked = paging("http://testserver/notices", limit=2)

    assert asked.page([{"id": 3}, {"id": 4}], key=lambda row: (row["id"],)) == {
        "items": [{"id": 3}, {"id": 4}],
        "next_cursor": None,
        "next": None,
    }
    assert asked.page([], key=lambda row: (row["id"],))["next"] is None


def test_the_next_link_says_the_limit_the_page_was_read_with():
    page = paging("http://testserver/schools?phase=primary", limit=100).page(
        [{"id": n} for n in range(101)], key=lambda row: (row["id"],)
    )
    assert query_of(page["next"]) == {"phase": ["primary"], "after": [page["next_cursor"]], "limit": ["100"]}


def test_a_list_read_whole_is_cut_after_the_cursor_in_its_own_order():
    rows = [{"id": n} for n in (5, 1, 4, 2, 3)]

    page = paging("http://testserver/roll", limit=2, after=(2,)).page_of_all(rows, key=lambda r: (r["id"],))

    assert page["items"] == [{"id": 3}, {"id": 4}]
    assert Keyset(int).decode(page["next_cursor"]) == (4,)
