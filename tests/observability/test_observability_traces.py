"""One trace from a request to every reaction to it, in any service: the trace context travels in
the events' metadata, and no span carries anything about a child.

An adviser records, in the schools service, an inspection judging a school below good; the pep
service's school-concern policy, reading the log, alerts the virtual school about the looked-after
child on that school's roll, and pep's alerts read model records the alert. Both services run in
this process on the test's database, tracing into an in-memory exporter. The test clock stands at
Monday 2 November 2026.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind
from pep.main import create_app as create_pep
from schools.main import create_app as create_schools

from shared.eventlog.records import RecordedEvent
from shared.migrations import REPO_ROOT
from shared.testing.fixtures import settle

URN = "118234"
CHILD = "TRC-7731"
CHILD_NAME = "Robin Quillfeather"
SCHOOL = {
    "urn": URN,
    "name": "Oak Tree Primary School",
    "la_code": "886",
    "la_name": "Kent",
    "establishment_type": "community",
    "phase": "primary",
    "opened_on": "1974-09-01",
    "headteacher": "Mrs A Patel",
}
CHILD_ENTERING_CARE = {
    "child_id": CHILD,
    "name": CHILD_NAME,
    "date_of_birth": "2014-03-17",
    "entered_care_on": "2026-09-07",
    "legal_status": "interim_care_order",
    "placing_authority": "Medway",
    "social_worker": "Sam Okonkwo",
    "carer": "Pat Brown-Hale",
    "independent_reviewing_officer": "Jo Green",
    "sen_status": "sen_support",
    "year_group": "year_7",
}
INSPECTION = {
    "inspection_id": "INS-58213",
    "inspected_on": "2026-10-14",
    "inspection_type": "graded",
    "framework": "ofsted_report_cards_november_2025",
    "overall_effectiveness": None,
    "judgements": {
        "inclusion": "expected_standard",
        "curriculum_and_teaching": "needs_attention",
        "achievement": "needs_attention",
        "attendance_and_behaviour": "expected_standard",
        "personal_development_and_wellbeing": "strong_standard",
        "leadership_and_governance": "expected_standard",
    },
    "safeguarding": "met",
}
# Who the child is and what the requests sent, as it would show if a span kept a concrete path or
# an SQL statement's parameters: none of it may appear in any span.
SENT = (CHILD, CHILD_NAME, "2014-03-17", "Sam Okonkwo", "Pat Brown-Hale", "INS-58213")
BY_THE_POLICY = {"eventlog.subscription": "pep-school-concerns-policy"}


@dataclass
class Traced:
    spans: list[ReadableSpan]
    inspection: RecordedEvent  # as the log stored it
    alerts: list[RecordedEvent]
    events_recorded_by_the_inspection: int

    def one(self, name: str, **attributes: object) -> ReadableSpan:
        found = [
            s for s in self.spans
            if s.name == name and all(s.attributes.get(k) == v for k, v in attributes.items())
        ]
        names = sorted({s.name for s in self.spans})
        assert len(found) == 1, f"{len(found)} spans {name!r} {attributes}; spans: {names}"
        return found[0]

    def children(self, parent: ReadableSpan, name: str) -> list[ReadableSpan]:
        return [
            s for s in self.spans
            if s.name == name and s.parent is not None and s.parent.span_id == parent.context.span_id
        ]

    def ancestors(self, span: ReadableSpan) -> list[ReadableSpan]:
        """The span's parent, its parent's parent, ... as far as the spans recorded go."""
        by_id = {s.context.span_id: s for s in self.spans}
        chain = []
        while span.parent is not None and span.parent.span_id in by_id:
            span = by_id[span.parent.span_id]
            chain.append(span)
        return chain


async def an_inspection_below_good_at_a_childs_school(service_client, auth, spans) -> Traced:
    async with service_client(create_schools) as schools, service_client(create_pep) as pep:
        social_worker = auth("social_worker")
        answers = [
            await schools.post("/schools", json=SCHOOL, headers=auth("principal_adviser")),
            await pep.post("/children", json=CHILD_ENTERING_CARE, headers=social_worker),
            await pep.post(
                f"/children/{CHILD}/school-placement",
                json={"urn": URN, "start_date": "2026-09-07"},
                headers=social_worker,
            ),
        ]
        inspected = await schools.post(
            f"/schools/{URN}/inspections", json=INSPECTION, headers=auth("school_improvement_adviser")
        )
        for answer in (*answers, inspected):
            assert answer.status_code < 300, answer.text
        # The policy comes first in pep's subscriptions: one pass brings its alerts into the read model.
        await settle(pep.app)
        await settle(schools.app)
        [inspection] = await schools.app.state.store.read_all(event_types=["InspectionRecorded"])
        alerts = await pep.app.state.store.read_all(event_types=["SchoolConcernAlertRaised"])
    return Traced(list(spans.get_finished_spans()), inspection, alerts, len(inspected.json()["recorded"]))


def traceparent(span: ReadableSpan) -> str:
    context = span.context
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


async def test_a_reaction_in_another_service_continues_the_trace_of_the_request_that_caused_it(
    service_client, auth, spans
):
    traced = await an_inspection_below_good_at_a_childs_school(service_client, auth, spans)

    request = traced.one("POST /schools/{urn}/inspections")
    reaction = traced.one("apply InspectionRecorded", **BY_THE_POLICY)
    alert_kept = traced.one("apply SchoolConcernAlertRaised", **{"eventlog.subscription": "pep-alerts"})

    assert request.kind == SpanKind.SERVER and request.parent is None
    # The policy in pep applied the event inside the trace of the schools request...
    assert reaction.context.trace_id == request.context.trace_id
    [recorded_by_schools, _] = traced.ancestors(reaction)
    assert traced.ancestors(reaction) == [recorded_by_schools, request]
    assert recorded_by_schools.name == "eventlog append"
    assert recorded_by_schools.attributes["eventlog.events"] == traced.events_recorded_by_the_inspection
    assert dict(reaction.attributes) == {
        "eventlog.subscription": "pep-school-concerns-policy",
        "eventlog.event_type": "InspectionRecorded",
        "eventlog.position": traced.inspection.position,
    }
    # ... and the alerts it appended carried the trace on, to the read model that keeps them.
    assert alert_kept.context.trace_id == request.context.trace_id
    [recorded_by_pep, *rest] = traced.ancestors(alert_kept)
    assert rest == [reaction, recorded_by_schools, request]
    assert recorded_by_pep.name == "eventlog append"


async def test_the_events_a_request_records_carry_the_trace_context_of_their_append(
    service_client, auth, spans
):
    traced = await an_inspection_below_good_at_a_childs_school(service_client, auth, spans)

    reaction = traced.one("apply InspectionRecorded", **BY_THE_POLICY)
    [recorded_by_schools, request] = traced.ancestors(reaction)
    assert traced.inspection.metadata["traceparent"] == traceparent(recorded_by_schools)
    # The metadata it had before is all still there.
    assert traced.inspection.metadata["service"] == "schools"
    assert traced.inspection.metadata["request_id"]
    # So do the alerts the policy appended in pep, reacting to it.
    [recorded_by_pep] = traced.children(reaction, "eventlog append")
    assert recorded_by_pep.context.trace_id == request.context.trace_id
    assert len(traced.alerts) == recorded_by_pep.attributes["eventlog.events"] == 1
    assert traced.alerts[0].metadata["traceparent"] == traceparent(recorded_by_pep)


async def test_no_span_names_a_child_or_keeps_a_value_a_request_sent(service_client, auth, spans):
    traced = await an_inspection_below_good_at_a_childs_school(service_client, auth, spans)

    leaks = [
        (span.name, key, value)
        for span in traced.spans
        for key, value in [("name", span.name), *span.attributes.items()]
        if any(sent in str(value) for sent in SENT)
    ]
    assert leaks == []
    # Not for want of looking: the requests and the child's events applied in pep were traced,
    # down to their SQL (placeholders, never values).
    placement = traced.one("POST /children/{child_id}/school-placement")
    assert placement.attributes["http.target"] == "/children/{child_id}/school-placement"
    assert placement.attributes["http.url"] == "/children/{child_id}/school-placement"
    child_kept = traced.one("apply ChildEnteredCare", **{"eventlog.subscription": "pep-children"})
    statements = [s.attributes["db.statement"] for s in traced.children(child_kept, "INSERT")]
    assert any("INSERT" in statement and "$1" in statement for statement in statements), statements


def test_every_service_records_its_events_through_its_service_log():
    """``ServiceLog.append_streams`` puts the trace context in the events' metadata: a service
    appending straight to the store would break its traces there."""
    straight_to_the_store = []
    for path in sorted((REPO_ROOT / "services").glob("*/*/**/*.py")):
        if "tests" in path.relative_to(REPO_ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("append", "append_streams", "submit_streams")
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "store"
            ):
                straight_to_the_store.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert straight_to_the_store == []
