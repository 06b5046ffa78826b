"""How big a council to build: its schools, the children it looks after, and the years of history.

A size names one council: ``small`` is a shire district's worth (about 150 schools and 400
looked-after children over three years); ``national`` is every state school in England and every
looked-after child, over ten years. ``scale`` multiplies a size's schools and children (never its
years), so ``--size small --scale 10`` is ten times the small council over the same three years:
the benchmarks compare queries at 1x, 10x and 100x one council.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    schools: int
    children: int
    years: int  # academic years of history, the last one the year the council is built "until"

    def scaled(self, factor: int) -> Size:
        if factor < 1:
            raise ValueError("a scale factor is a whole number, 1 or more")
        if factor == 1:
            return self
        return Size(f"{self.name}x{factor}", self.schools * factor, self.children * factor, self.years)


SIZES: dict[str, Size] = {
    size.name: size
    for size in (
        # The least that still walks every path (a category school, a warning notice, a school move,
        # PP+ paid): for tests that build a council twice.
        Size("tiny", schools=24, children=40, years=1),
        Size("small", schools=150, children=400, years=3),
        Size("county", schools=600, children=1_800, years=5),
        Size("national", schools=24_000, children=85_000, years=10),
    )
}


def size_named(name: str, scale: int = 1) -> Size:
    try:
        return SIZES[name].scaled(scale)
    except KeyError:
        raise ValueError(f"no council size {name!r}: the sizes are {', '.join(SIZES)}") from None
