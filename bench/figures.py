"""What the benchmark reports, kept apart from how it measures: medians, percentiles, the issue's
targets and whether each figure meets its own, and the Markdown they are written as.

Nothing here touches a database or a clock, so tests/bench checks these rules directly.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MET = "met"
MISSED = "missed"
NOT_MEASURED = "not measured"


def median(values: Sequence[float]) -> float:
    """The median of the rounds: one slow or fast round on a shared machine does not set it."""
    if not values:
        raise ValueError("a median needs at least one round")
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method: always a latency actually seen."""
    if not values:
        raise ValueError("a percentile needs at least one value")
    if not 0 < q <= 100:
        raise ValueError("q is a percentage in (0, 100]")
    ordered = sorted(values)
    rank = -(-q * len(ordered) // 100)  # ceil without floats drifting
    return ordered[max(0, int(rank) - 1)]


@dataclass(frozen=True)
class Target:
    """One of the issue's targets: ``what`` in words, and the test a figure must pass."""

    what: str
    passes: Callable[[float], bool]

    def verdict(self, figure: float | None) -> str:
        if figure is None:
            return NOT_MEASURED
        return MET if self.passes(figure) else MISSED


def at_least(threshold: float, what: str) -> Target:
    return Target(what, lambda figure: figure >= threshold)


def at_most(threshold: float, what: str) -> Target:
    return Target(what, lambda figure: figure <= threshold)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def rate(count: int, seconds: float) -> float:
    if seconds <= 0:
        raise ValueError("a rate needs a positive duration")
    return count / seconds


def number(value: float | None, *, digits: int = 0, unit: str = "") -> str:
    """A figure as the tables print it: thousands separated, '—' when there is none."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".rstrip() if unit else text


def cell(figure: str, target: Target | None, measured: float | None) -> str:
    """A figure with its target beside it and the verdict, e.g. '812 (target ≥ 2× peer: missed)'."""
    if target is None:
        return figure
    verdict = target.verdict(measured)
    shown = f"**{verdict}**" if verdict == MISSED else verdict
    return f"{figure} (target {target.what}: {shown})"


@dataclass
class Table:
    header: Sequence[str]
    rows: list[Sequence[str]] = field(default_factory=list)

    def add(self, *cells: str) -> None:
        if len(cells) != len(self.header):
            raise ValueError(f"a row of {len(cells)} cells in a table of {len(self.header)} columns")
        self.rows.append(cells)

    def markdown(self) -> str:
        lines = ["| " + " | ".join(self.header) + " |", "|" + "---|" * len(self.header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


@dataclass
class Verdicts:
    """Every target the run judged, so the report can count them and list each miss."""

    judged: list[tuple[str, str, str]] = field(default_factory=list)  # (figure, target, verdict)

    def judge(self, name: str, target: Target, measured: float | None) -> str:
        verdict = target.verdict(measured)
        self.judged.append((name, target.what, verdict))
        return verdict

    @property
    def missed(self) -> list[str]:
        return [name for name, _, verdict in self.judged if verdict == MISSED]

    def summary(self) -> str:
        counts = {v: sum(1 for *_, verdict in self.judged if verdict == v) for v in (MET, MISSED, NOT_MEASURED)}
        return f"{counts[MET]} met, {counts[MISSED]} missed, {counts[NOT_MEASURED]} not measured"
