"""The task graph's order: predecessors first, and the dependency cycles that must be broken to get one.

Pure and apart from schedule.py so the deadline engine reads as its passes; 10,000-task plans go through
here, so nothing recurses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .schedule import Task


def topological_order(tasks: Sequence[Task], preds: dict[str, list[str]]) -> tuple[list[str], list[list[str]]]:
    """Order tasks so that predecessors come first; also return the cycles (strongly connected components).

    Tasks on a cycle are ordered after their cycle is broken by the caller; to keep one
    pass, components are found first (iterative Tarjan), then intra-component links
    are dropped and the rest is ordered by Kahn's algorithm in row order.
    """
    ids = [t.id for t in tasks]
    cyclic = [c for c in strongly_connected(ids, preds) if len(c) > 1 or c[0] in preds[c[0]]]
    members = {i: n for n, comp in enumerate(cyclic) for i in comp}
    clean = {i: [p for p in preds[i] if not (i in members and members.get(p) == members[i])] for i in ids}
    indegree = {i: len(clean[i]) for i in ids}
    succs: dict[str, list[str]] = {i: [] for i in ids}
    for i in ids:
        for p in clean[i]:
            succs[p].append(i)
    ready = [i for i in ids if indegree[i] == 0]
    order: list[str] = []
    head = 0
    while head < len(ready):
        node = ready[head]
        head += 1
        order.append(node)
        for s in succs[node]:
            indegree[s] -= 1
            if indegree[s] == 0:
                ready.append(s)
    return order, cyclic


def strongly_connected(ids: list[str], preds: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (10,000-task plans would blow the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in ids:
        if root in index:
            continue
        work = [(root, iter(preds[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(preds[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                components.append(comp)
    return components
