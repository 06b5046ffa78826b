"""The spans made while a test runs: an in-memory exporter is lent to this process's tracing for
the test, which turns tracing on until the test ends (apps built meanwhile trace their requests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from shared.observability.tracing import sending_spans_to


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    with sending_spans_to(SimpleSpanProcessor(exporter)):
        yield exporter
