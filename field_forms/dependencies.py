"""Which questions must be settled before which: the order of evaluation, and the cycles that forbid one.

A question depends on the questions its ``calculate`` and ``relevant`` read, and on the group or repeat it is in
(whose relevance it inherits). Constraints are not edges: they are checked once every value is settled.
"""
from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable


class DependencyGraph:
    """Questions (by key, in definition order) and what each depends on, labelled with the reason."""

    def __init__(self, keys: Iterable[str]):
        self._position = {key: index for index, key in enumerate(keys)}
        self._edges: dict[str, dict[str, str]] = {key: {} for key in self._position}

    def add(self, key: str, dependencies: Iterable[str], via: str) -> None:
        """Record that ``key`` depends on ``dependencies`` through its attribute ``via``."""
        for dependency in dependencies:
            self._edges[key].setdefault(dependency, via)

    def via(self, key: str, dependency: str) -> str:
        return self._edges[key][dependency]

    def order(self) -> list[str]:
        """Keys with every dependency before its dependents; ties keep definition order.

        Keys on or behind a cycle are left out: check ``cycles()`` first.
        """
        waiting = {key: len(deps) for key, deps in self._edges.items()}
        dependents: dict[str, list[str]] = {key: [] for key in self._edges}
        for key, deps in self._edges.items():
            for dependency in deps:
                dependents[dependency].append(key)
        ready = [(self._position[key], key) for key, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        ordered = []
        while ready:
            _, key = heapq.heappop(ready)
            ordered.append(key)
            for dependent in dependents[key]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    heapq.heappush(ready, (self._position[dependent], dependent))
        return ordered

    def cycles(self) -> list[list[str]]:
        """One shortest cycle per strongly connected group of keys, each as ``[a, b, …, a]``."""
        settled = set(self.order())
        remaining = [key for key in self._edges if key not in settled]
        found = []
        while remaining:
            start = remaining[0]
            forward = self._reach(start, lambda key: self._edges[key])
            if start not in forward:
                remaining.remove(start)
                continue
            backward = self._reach(start, lambda key: (k for k, deps in self._edges.items() if key in deps))
            component = (forward & backward) | {start}
            found.append(self._shortest_cycle(start, component))
            remaining = [key for key in remaining if key not in component]
        return found

    @staticmethod
    def _reach(start: str, step) -> set[str]:
        seen: set[str] = set()
        queue = deque(step(start))
        while queue:
            key = queue.popleft()
            if key not in seen:
                seen.add(key)
                queue.extend(step(key))
        return seen

    def _shortest_cycle(self, start: str, component: set[str]) -> list[str]:
        came_from: dict[str, str] = {}
        queue = deque([start])
        while queue:
            key = queue.popleft()
            for dependency in self._edges[key]:
                if dependency == start:
                    path = [key]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if dependency in component and dependency not in came_from:
                    came_from[dependency] = key
                    queue.append(dependency)
        raise AssertionError("a strongly connected key always lies on a cycle")
