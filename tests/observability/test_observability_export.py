"""Spans leave a service over OTLP/HTTP when, and only when, its environment names a collector.

Each test runs the pep service in a fresh process (pep_process.py), configured by environment
variables alone as when deployed, and records a child entering care; a collector's OTLP/HTTP
receiver, in this test, keeps what it is sent.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span

CHILD = {
    "child_id": "EXP-4410",
    "name": "Alex Marlowe-Finch",
    "date_of_birth": "2013-06-02",
    "entered_care_on": "2026-09-07",
    "legal_status": "interim_care_order",
    "placing_authority": "Medway",
    "social_worker": "Sam Jones",
    "carer": "Pat Brown",
    "independent_reviewing_officer": "Jo Green",
    "sen_status": "sen_support",
    "year_group": "year_8",
}
# What an event's metadata held before tracing: who, through which service and request.
METADATA_WITHOUT_TRACING = {"actor", "role", "service", "request_id", "correlation_id"}


class Collector:
    """An OpenTelemetry collector's OTLP/HTTP receiver, as far as these tests need: it answers
    every export with success and keeps the path, content type and body it was sent."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, bytes]] = []
        received = self.received

        class Receiver(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, self.headers["Content-Type"], body))
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def spans(self) -> list[tuple[str, Span]]:
        """Every span received, with the service.name of the resource it came under."""
        found = []
        for _, _, body in self.received:
            for resource_spans in ExportTraceServiceRequest.FromString(body).resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    found += [(resource["service.name"], span) for span in scope_spans.spans]
        return found


@pytest.fixture
def collector() -> Iterator[Collector]:
    receiver = Collector()
    thread = Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def run_pep(service_database_url, signing_keys, token):
    """``await run_pep({"OTEL_...": ...})``: the pep service run in a process of its own with
    these variables (and no other OTEL_ ones), recording CHILD; what pep_process.py printed."""

    async def run(variables: dict[str, str]) -> dict:
        env = {name: value for name, value in os.environ.items() if not name.startswith("OTEL_")}
        env.update(
            DATABASE_URL=service_database_url("pep"),
            ENVIRONMENT="test",
            DEV_PUBLIC_KEY_PATH=str(signing_keys[1]),
            SUBSCRIPTION_POLL_SECONDS="0.05",
            SCHEDULER_INTERVAL_SECONDS="3600",
            PYTHONPATH=os.pathsep.join(sys.path),
            TEST_TOKEN=token("social_worker"),
            **variables,
        )
        script = Path(__file__).with_name("pep_process.py")
        ran = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, str(script), json.dumps(CHILD)],
            env=env, capture_output=True, text=True, timeout=180,
        )
        assert ran.returncode == 0, ran.stderr
        return json.loads(ran.stdout.strip().splitlines()[-1])

    return run


@pytest.mark.parametrize(
    "variables, path, service_name",
    [
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "{collector}"}, "/v1/traces", "pep"),
        (
            {
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "{collector}/council/traces",
                "OTEL_SERVICE_NAME": "pep-medway",
            },
            "/council/traces",
            "pep-medway",
        ),
    ],
    ids=["endpoint", "traces-endpoint-and-service-name"],
)
async def test_a_service_with_a_collector_sends_it_its_spans_over_otlp_http(
    run_pep, collector, variables, path, service_name
):
    ran = await run_pep({name: value.format(collector=collector.url) for name, value in variables.items()})

    assert ran["status"] == 201
    assert {(p, kind) for p, kind, _ in collector.received} == {(path, "application/x-protobuf")}
    spans = collector.spans()
    assert {name for name, _ in spans} == {service_name}
    [request] = [span for _, span in spans if span.name == "POST /children"]
    assert request.kind == Span.SPAN_KIND_SERVER
    # The event the request recorded names the trace the collector has.
    [metadata] = ran["metadata"]
    assert metadata["traceparent"].split("-")[1] == request.trace_id.hex()
    applied = [span for _, span in spans if span.name == "apply ChildEnteredCare"]
    assert applied and all(span.trace_id == request.trace_id for span in applied)


async def test_a_service_without_a_collector_traces_nothing_and_records_as_before(run_pep):
    # A deployment passing the variables through empty names no collector either.
    ran = await run_pep({"OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ""})

    assert ran["status"] == 201
    assert ran["tracer_provider_installed"] is False
    assert ran["database_calls_traced"] is False
    [metadata] = ran["metadata"]
    assert set(metadata) == METADATA_WITHOUT_TRACING
