"""The collections a year's budget keeps its requests, projects, runs and ledger in.

A financial year gathers thousands of requests, and the budget is folded one event at a time.
Were each event to copy the whole dict of requests to change one of them, folding a year would
cost the square of its events (160 ms at 4,000 requests, for every command). These collections
are immutable like a tuple, but a changed copy shares everything the change leaves alone, so one
event costs a few small copies whatever the size of the year:

* ``ItemsById``: a mapping in the order items were first added (the register lists requests in
  the order they were made), where adding or replacing one item costs O(log n);
* ``Entries``: a sequence that only grows (the ledger), where appending costs O(log n).

Both are read as an ordinary ``Mapping`` or ``Sequence``; neither is ever changed once made, so a
state once folded stays as it was, and an item an event left alone is the very same object in
the state after it (which is how read models find what an event changed).

Underneath, both hold their values in a tree of tuples, 32 to a node, by position: changing a
position copies only the nodes on its path. ``ItemsById`` finds an item's position through a
table of positions shared by every mapping made from it by adding items in turn: a mapping of
``n`` items knows exactly the first ``n`` positions of it. A key once added never moves, so the
table only ever grows; it is copied only when two different items are added to the same mapping
(folding on from an earlier state), so neither sees the other's.
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter
from collections.abc import ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from typing import Any, Generic, TypeVar, overload

V = TypeVar("V")

_BITS = 5
_WIDTH = 1 << _BITS
_MASK = _WIDTH - 1
_EMPTY_NODE: tuple = ()
_LOOKUPS_BEFORE_A_DICT = 32


class _Tree:
    """Values by position 0..count-1 in a tree of tuples; every change gives a new tree."""

    __slots__ = ("root", "shift", "count")

    def __init__(self, root: tuple = _EMPTY_NODE, shift: int = 0, count: int = 0) -> None:
        self.root = root
        self.shift = shift  # the bits the root's slot is taken from; 0 when the root is a leaf
        self.count = count

    def get(self, position: int) -> Any:
        node = self.root
        shift = self.shift
        while shift:
            node = node[(position >> shift) & _MASK]
            shift -= _BITS
        return node[position & _MASK]

    def set(self, position: int, value: Any) -> _Tree:
        """The tree with ``value`` at ``position``: an existing one, or the next (``count``)."""
        root, shift, count = self.root, self.shift, self.count
        if position == count and count == _WIDTH << shift:  # full: a new level above
            root, shift = (root,), shift + _BITS
        return _Tree(_set(root, shift, position, value), shift, max(count, position + 1))

    def __iter__(self) -> Iterator[Any]:
        # Flattened a level at a time by C loops: read models walk every request for each event.
        values: Iterable[Any] = self.root
        for _ in range(self.shift // _BITS):
            values = chain.from_iterable(values)
        return iter(values)

    def between(self, start: int, stop: int) -> Iterator[Any]:
        for position in range(start, stop):
            yield self.get(position)


def _changed_leaves(after: _Tree, before: _Tree) -> Iterator[tuple[Any, Any]]:
    """Each value of ``after`` that is not the very value ``before`` holds at its position (None
    there when ``before`` is shorter), with that value: the nodes both share are skipped whole,
    so a tree made from another by a few changes is compared in a few steps."""
    root, shift = before.root, before.shift
    while shift < after.shift:  # ``after`` grew a level above: ``before`` is its first slot
        root, shift = (root,), shift + _BITS
    return _changed_in(after.root, root, after.shift)


def _changed_in(after: tuple, before: tuple, shift: int) -> Iterator[tuple[Any, Any]]:
    if after is before:
        return
    known = len(before)
    for slot, value in enumerate(after):
        earlier = before[slot] if slot < known else None
        if value is earlier:
            continue
        if shift:
            yield from _changed_in(value, earlier if earlier is not None else _EMPTY_NODE, shift - _BITS)
        else:
            yield value, earlier


def _set(node: tuple, shift: int, position: int, value: Any) -> tuple:
    slot = (position >> shift) & _MASK
    if shift:
        child = node[slot] if slot < len(node) else _EMPTY_NODE
        value = _set(child, shift - _BITS, position, value)
    return (*node[:slot], value, *node[slot + 1 :])


class _Positions:
    """Each key's position, shared along one line of mappings each made by adding to the last.
    ``length`` is how many keys the table holds: the size of the longest mapping using it."""

    __slots__ = ("of", "length")

    def __init__(self, of: dict[str, int], length: int) -> None:
        self.of = of
        self.length = length


class ItemsById(Mapping[str, V], Generic[V]):
    """An immutable mapping in the order keys were first added; ``with_item`` gives a changed copy
    that shares every item it leaves alone."""

    # No __slots__: ``get`` is replaced on the instance by a plain dict's (see ``get``).

    def __init__(self, items: Mapping[str, V] | Iterable[tuple[str, V]] = ()) -> None:
        pairs = list(items.items() if isinstance(items, Mapping) else items)
        positions: dict[str, int] = {}
        tree = _Tree()
        for key, value in pairs:
            position = positions.setdefault(key, len(positions))
            tree = tree.set(position, (key, value))
        self._positions = _Positions(positions, len(positions))
        self._tree = tree
        self._lookups = 0

    @classmethod
    def of(cls, items: Mapping[str, V]) -> ItemsById[V]:
        """``items`` as an ``ItemsById`` (itself, when it already is one)."""
        return items if isinstance(items, ItemsById) else cls(items)

    def _position(self, key: str) -> int | None:
        position = self._positions.of.get(key)
        return position if position is not None and position < self._tree.count else None

    def get(self, key: str, default: Any = None) -> Any:
        # A fold looks up one or two items of each state; a read model looks up every item of
        # the state before an event to see which it changed. Past a few lookups the items are
        # copied into a dict once, and its own ``get`` answers the rest.
        self._lookups += 1
        if self._lookups > _LOOKUPS_BEFORE_A_DICT:
            lookup = self.get = dict(self._tree).get  # type: ignore[method-assign]
            return lookup(key, default)
        position = self._positions.of.get(key)
        tree = self._tree
        if position is None or position >= tree.count:
            return default
        node, shift = tree.root, tree.shift
        while shift:
            node = node[(position >> shift) & _MASK]
            shift -= _BITS
        return node[position & _MASK][1]

    def __getitem__(self, key: str) -> V:
        position = self._position(key)
        if position is None:
            raise KeyError(key)
        return self._tree.get(position)[1]

    def __contains__(self, key: object) -> bool:
        return self._positions.of.get(key) is not None and self._positions.of[key] < self._tree.count  # type: ignore[index]

    def __len__(self) -> int:
        return self._tree.count

    def __iter__(self) -> Iterator[str]:
        return map(_first, self._tree)

    def values(self) -> ValuesView[V]:
        return _Values(self)

    def items(self) -> ItemsView[str, V]:
        return _Items(self)

    def with_item(self, key: str, value: V) -> ItemsById[V]:
        """A copy with ``key`` set to ``value``: replaced where it is, or added at the end."""
        changed = object.__new__(ItemsById)
        position = self._position(key)
        positions = self._positions
        if position is None:
            position = self._tree.count
            if positions.length == position:
                positions.of[key] = position  # unseen by every mapping sharing the table: see above
                positions.length += 1
            elif positions.of.get(key) != position:
                # Another item was added to this same mapping before: this line goes its own way.
                of = {k: p for k, p in positions.of.items() if p < position}
                of[key] = position
                positions = _Positions(of, position + 1)
        changed._positions = positions
        changed._tree = self._tree.set(position, (key, value))
        changed._lookups = 0
        return changed

    def changed_since(self, earlier: Mapping[str, V]) -> Iterator[tuple[V, V | None]]:
        """Each item that is not the very item ``earlier`` held under its key, with that item (None
        when new). For a mapping made from ``earlier`` by changing a few items, this takes a few
        steps whatever the size, where comparing every item would take one for each."""
        if not isinstance(earlier, ItemsById):
            for key, item in self.items():
                before = earlier.get(key)
                if item is not before:
                    yield item, before
            return
        for (key, item), held in _changed_leaves(self._tree, earlier._tree):
            # Keys never move, so the pair held at the position is the key's own, unless the
            # mapping was made afresh rather than from ``earlier``.
            before = held[1] if held is not None and held[0] == key else earlier.get(key)
            if item is not before:
                yield item, before

    def with_items(self, items: Iterable[tuple[str, V]]) -> ItemsById[V]:
        changed = self
        for key, value in items:
            changed = changed.with_item(key, value)
        return changed

    def __repr__(self) -> str:
        return f"ItemsById({dict(self.items())!r})"


_first = itemgetter(0)
_second = itemgetter(1)


class _Values(ValuesView):
    # Walks the tree once, in order, rather than looking each key up again.
    def __iter__(self) -> Iterator[Any]:
        return map(_second, self._mapping._tree)


class _Items(ItemsView):
    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self._mapping._tree)


class Entries(Sequence[V], Generic[V]):
    """An immutable sequence that grows at the end; ``plus`` gives a longer copy that shares every
    entry already there."""

    __slots__ = ("_tree",)

    def __init__(self, entries: Iterable[V] = ()) -> None:
        tree = _Tree()
        for entry in entries:
            tree = tree.set(tree.count, entry)
        self._tree = tree

    def plus(self, entries: Iterable[V]) -> Entries[V]:
        longer = object.__new__(Entries)
        tree = self._tree
        for entry in entries:
            tree = tree.set(tree.count, entry)
        longer._tree = tree
        return longer

    def __len__(self) -> int:
        return self._tree.count

    @overload
    def __getitem__(self, index: int) -> V: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[V, ...]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._tree.count)
            if step == 1:
                return tuple(self._tree.between(start, stop))
            return tuple(self._tree.get(i) for i in range(start, stop, step))
        count = self._tree.count
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("ledger entry out of range")
        return self._tree.get(index)

    def __iter__(self) -> Iterator[V]:
        return iter(self._tree)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Entries | tuple | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Entries({list(self)!r})"
