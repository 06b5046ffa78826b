"""The command behind every page generated from the code (each service's events page, the event
catalogue): ``python -m <module> --write`` rewrites the page, ``--check`` exits 1 when the
committed page and the code disagree (the tests run it), and with neither the page is printed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from shared.migrations import REPO_ROOT


def page_command(
    module: str, page: Path, render: Callable[[], str], description: str | None = None
) -> Callable[[list[str] | None], int]:
    """``main`` for the module (named as ``python -m`` takes it) that generates ``page``."""

    def main(argv: list[str] | None = None) -> int:
        parser = argparse.ArgumentParser(
            prog=f"python -m {module}", description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--write", action="store_true", help=f"rewrite {page.relative_to(REPO_ROOT)}")
        mode.add_argument("--check", action="store_true", help="exit 1 if the committed page is out of date")
        args = parser.parse_args(argv)
        text = render()
        if args.write:
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(text, encoding="utf-8")
        elif args.check:
            current = page.read_text(encoding="utf-8") if page.exists() else ""
            if current != text:
                print(f"{page} is out of date: run python -m {module} --write", file=sys.stderr)
                return 1
        else:
            sys.stdout.write(text)
        return 0

    return main
