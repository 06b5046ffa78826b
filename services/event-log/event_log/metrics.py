"""The retention review's outcomes, as Prometheus series of the event-log service.

Counts only: how many children's records the last review found due for erasure, how many of
those a legal hold stops, and how many erasures it finished. Never which children: no child id
ever becomes a label value.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from prometheus_client import Counter
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from shared.observability.metrics import ServiceMetrics


class RetentionMetrics:
    """The series appear once the review has run since the process started."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self._last_review: tuple[float, int, int] | None = None
        self._erasures_finished = Counter(
            "privacy_erasures_finished",
            "Erasures the retention review finished: recorded in the log, but the child's key was not yet "
            "destroyed.",
            registry=metrics.registry,
        )
        metrics.registry.register(self)

    def reviewed(self, *, due: int, held: int, finished: int) -> None:
        self._last_review = (time.time(), due, held)
        self._erasures_finished.inc(finished)

    def collect(self) -> Iterator[Metric]:
        if self._last_review is None:
            return
        ran_at, due, held = self._last_review
        yield GaugeMetricFamily(
            "privacy_retention_due",
            "Children whose records the last retention review found due for erasure, those under a legal "
            "hold included.",
            value=due,
        )
        yield GaugeMetricFamily(
            "privacy_retention_held",
            "Of those, the children a legal hold stops being erased.",
            value=held,
        )
        yield GaugeMetricFamily(
            "privacy_retention_last_review_timestamp_seconds",
            "When the retention review last ran to the end, in seconds since the epoch.",
            value=ran_at,
        )
