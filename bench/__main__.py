"""The benchmark: every figure of the performance table, measured in one run and written to
BENCHMARKS.md at the repository root. Run it with ``bench/run`` (which sets up its environment);
``bench/run --quick`` tries the harness with short durations.

One embedded PostgreSQL serves the whole run. The parts, in order: the event log against its two
peers; projection rebuilds; the services under open-loop load; a child's long timeline; query
latency as the council grows. A part that fails is reported as failed, with its error, and the
run goes on to the next.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import machine
from bench.figures import Verdicts
from bench.machine import ROOT
from bench.server import Server

REPORT = ROOT / "BENCHMARKS.md"
PARTS = ("log", "services", "timeline", "rebuild", "council")


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short durations and small logs, to try the harness (figures not comparable)")
    parser.add_argument("--only", choices=PARTS, action="append",
                        help="run only this part (may be given more than once)")
    parser.add_argument("--output", type=Path, default=REPORT, help="where to write the report")
    parser.add_argument("--council-scales", type=_scales, default=None,
                        help="times the small council to measure queries on, e.g. 1,10 (default 1,10,100; "
                             "1 with --quick)")
    args = parser.parse_args(argv)
    if args.council_scales is None:
        args.council_scales = (1,) if args.quick else (1, 10, 100)
    return args


def _scales(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(","))


class Report:
    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.sections: list[str] = []
        self.profiles: list[tuple[str, str, str]] = []  # (figure, kind, text)
        self.verdicts = Verdicts()

    def section(self, text: str) -> None:
        self.sections.append(text.strip())

    def profile(self, figure: str, kind: str, text: str) -> None:
        self.profiles.append((figure, kind, text))

    def markdown(self, facts: machine.Machine, elapsed: float) -> str:
        head = ["# Benchmarks", ""]
        if self.quick:
            head += [
                "> **QUICK RUN** (`--quick`): short durations and small logs, to show the harness works.",
                "> These figures are not the benchmark and are not comparable with a full run: read",
                "> them for shape only. The full run is `bench/run` with no options.",
                "",
            ]
        head += [
            "Written by the benchmark command (`bench/run`, see bench/README.md); do not edit by hand.",
            "Every rate is events or requests per second unless it says otherwise; the event-log",
            "figures are the median of three rounds, the engines interleaved within each round.",
            "",
            facts.markdown(),
            f"- **Run took**: {elapsed / 60:.1f} minutes",
            "",
            f"**Targets**: {self.verdicts.summary()}."
            + (f" Missed: {'; '.join(self.verdicts.missed)}." if self.verdicts.missed else ""),
            "",
        ]
        body = []
        for text in self.sections:
            body += [text, ""]
        if self.profiles:
            body += ["## Where the time goes in each miss", ""]
            for figure, kind, text in self.profiles:
                body += [f"<details><summary>{figure} ({kind})</summary>", "", "```", text, "```", "",
                         "</details>", ""]
        return "\n".join(head + body).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = options(argv)
    # Stopped from outside, still stop the server and the services it started (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chosen = args.only or list(PARTS)
    started = time.monotonic()
    report = Report(args.quick)
    server = Server()
    try:
        facts = machine.describe(server.version(), argv)
        print(f"PostgreSQL {facts.postgres}; {facts.cores} cores; commit {facts.commit}", flush=True)
        from bench import parts

        for name in chosen:
            part: Callable[[Server, Report, argparse.Namespace], None] = getattr(parts, name)
            print(f"== {name}", flush=True)
            try:
                part(server, report, args)
            except Exception:  # one part failing must not lose the figures of the others
                report.section(f"## {parts.TITLES[name]}\n\nThis part failed:\n\n```\n{traceback.format_exc()}```")
                traceback.print_exc()
    finally:
        from bench import parts

        parts.stop_services()
        server.stop()
    args.output.write_text(report.markdown(facts, time.monotonic() - started))
    print(f"wrote {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
