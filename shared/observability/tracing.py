"""Traces: a request, the events it records and every reaction to them, in any service, as one
trace an operator can follow in the council's tracing tool.

Tracing is on in a process while there is somewhere to send spans: an OpenTelemetry collector
named by ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_ENDPOINT`` (spans go to it
over OTLP/HTTP, in batches, from a background thread), or a processor lent with
``sending_spans_to`` (how the tests read spans). Otherwise no app or driver is instrumented and
no span is made. The provider is made once per process, when tracing first comes on, and serves
every app the process runs (the tests run several; OpenTelemetry's global provider can be set
only once). Its ``service.name`` is ``OTEL_SERVICE_NAME``, or else the name of the service that
started it.

The trace travels through the log. Every append stores the W3C ``traceparent`` (and
``tracestate``) of the span recording it in each event's metadata (``ServiceLog.append_streams``
adds ``trace_context()``), and a subscription applies each event inside a span whose parent is
read back from there (``applying``). So a policy in another service reacting to the event
continues the request's trace, and so do the events that policy appends.

Spans never carry personal data: route templates, not paths or query strings (a path names a
child); SQL without its parameter values; event types and log positions, not stream ids or event
data; an error's type, not its message (a message can quote the value that caused it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.environment_variables import OTEL_SERVICE_NAME
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import Decision, ParentBased, Sampler, SamplingResult
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from shared.eventlog.records import RecordedEvent, StreamAppend

COLLECTOR_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
# Probes and scrapes come every few seconds: a trace of each would bury the ones that matter.
UNTRACED_URLS = "/health$,/ready$,/metrics$"
# What the HTTP instrumentation records of the concrete URL (older and newer conventions).
URL_ATTRIBUTES = ("http.target", "http.url", "url.path", "url.full", "url.query")

# Only the W3C trace context goes into the log, never baggage, which a caller can fill with anything.
_W3C = TraceContextTextMapPropagator()


class _Destinations(SpanProcessor):
    """Where this process's finished spans go: the collector's exporter, and processors lent for
    a while. The SDK's own list can only grow; a lent processor must be given back."""

    def __init__(self) -> None:
        self.processors: tuple[SpanProcessor, ...] = ()

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        for processor in self.processors:
            processor.on_start(span, parent_context=parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        for processor in self.processors:
            processor.on_end(span)

    def shutdown(self) -> None:
        for processor in self.processors:
            processor.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return all(processor.force_flush(timeout_millis) for processor in self.processors)


class _TracesWorthStarting(Sampler):
    """A trace starts with a request, an append or an event applied. A database call outside all
    of them - a subscription polling the log, the log writer's own transaction, a readiness check
    - starts none: they come every second and would bury the traces that matter."""

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Any = None,
        links: Any = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        if kind == SpanKind.CLIENT:
            return SamplingResult(Decision.DROP)
        return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes)

    def get_description(self) -> str:
        return "TracesWorthStarting"


_destinations = _Destinations()
_provider: TracerProvider | None = None
_tracer: trace.Tracer = trace.NoOpTracer()


def install_tracing(app: FastAPI, service_name: str) -> None:
    """Trace the app's requests, each as a span named by its route template, when tracing is on
    in this process (it comes on here when a collector is configured)."""
    if _provider is None and collector_configured():
        _start(service_name)
    if not _destinations.processors:
        return
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=_provider,
        excluded_urls=UNTRACED_URLS,
        server_request_hook=_route_not_path,
        # One span per request: not one more for each chunk of its body read or sent.
        exclude_spans=["receive", "send"],
    )


def collector_configured() -> bool:
    return any(os.environ.get(name) for name in COLLECTOR_VARIABLES)


@contextmanager
def sending_spans_to(processor: SpanProcessor) -> Iterator[None]:
    """Turn tracing on in this process while the block runs, handing every span to ``processor``
    too (and to the collector, if one is configured). Apps built meanwhile trace their requests."""
    _start(None)
    _destinations.processors += (processor,)
    _follow_destinations()
    try:
        yield
    finally:
        _destinations.processors = tuple(p for p in _destinations.processors if p is not processor)
        _follow_destinations()
        processor.shutdown()


def trace_context() -> dict[str, str]:
    """The W3C trace context of the current span (``traceparent``, and ``tracestate`` if it has
    one), to store with the events it records; empty outside any trace."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier


@contextmanager
def appending(streams: Sequence[StreamAppend]) -> Iterator[None]:
    """A span for an append to the log, from the caller's side: queued, written in a group commit
    and answered. It says how many events in how many streams, never which (a stream id names
    a child)."""
    attributes = {"eventlog.streams": len(streams), "eventlog.events": sum(len(s.events) for s in streams)}
    with _span("eventlog append", kind=SpanKind.PRODUCER, attributes=attributes):
        yield


@contextmanager
def applying(subscription: str, event: RecordedEvent) -> Iterator[None]:
    """A span for a subscription applying an event, continuing the trace the event's metadata
    carries (a new one if it carries none)."""
    attributes = {
        "eventlog.subscription": subscription,
        "eventlog.event_type": event.event_type,
        "eventlog.position": event.position,
    }
    parent = _W3C.extract(event.metadata)
    with _span(f"apply {event.event_type}", context=parent, kind=SpanKind.CONSUMER, attributes=attributes):
        yield


@contextmanager
def _span(name: str, **options: Any) -> Iterator[trace.Span]:
    with _tracer.start_as_current_span(
        name, record_exception=False, set_status_on_exception=False, **options
    ) as span:
        try:
            yield span
        except Exception as exc:
            # The type only: the message can quote the value that caused it.
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


def _route_not_path(span: trace.Span, scope: dict[str, Any]) -> None:
    """A request's path names a child or a school and its query what was searched for: the span
    keeps the route template (``/children/{child_id}``) in their place."""
    if not span.is_recording():
        return
    attributes = getattr(span, "attributes", None) or {}
    route = str(attributes.get("http.route", ""))
    for key in URL_ATTRIBUTES:
        if key in attributes:
            span.set_attribute(key, "" if key == "url.query" else route)


def _start(service_name: str | None) -> None:
    """Make this process's provider, once, and send spans to the collector if one is configured."""
    global _provider
    if _provider is not None:
        return
    named = {} if os.environ.get(OTEL_SERVICE_NAME) or service_name is None else {SERVICE_NAME: service_name}
    _provider = TracerProvider(resource=Resource.create(named), sampler=ParentBased(_TracesWorthStarting()))
    _provider.add_span_processor(_destinations)
    if collector_configured():
        # The exporter reads the endpoint, headers, timeout and TLS settings from OTEL_EXPORTER_OTLP_*.
        _destinations.processors += (BatchSpanProcessor(OTLPSpanExporter()),)
    trace.set_tracer_provider(_provider)
    _follow_destinations()


def _follow_destinations() -> None:
    """Instrument the database driver, and make the log's own spans, only while spans have
    somewhere to go."""
    global _tracer
    tracing = bool(_destinations.processors)
    # Parameters are never captured: they are the children's data.
    driver = AsyncPGInstrumentor(capture_parameters=False)
    if tracing and not driver.is_instrumented_by_opentelemetry:
        driver.instrument(tracer_provider=_provider)
    elif not tracing and driver.is_instrumented_by_opentelemetry:
        driver.uninstrument()
    _tracer = _provider.get_tracer(__name__) if tracing and _provider else trace.NoOpTracer()
