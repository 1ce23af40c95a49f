#!/usr/bin/env python3
"""layers.py: no include circles among the daemon's files.

The graph: one node per server file name, x.c and x.h together making node
"x"; an edge x -> y when x.c or x.h includes "y.h" and y.h is a server
header (protocol/ and system headers are below every server file and left
out).  A file including its own header is no edge.

Prints every elementary cycle, one a line, each starting from its smallest
node ("a -> b -> a"), and exits 1 if there is any, 0 if there is none.
Usage: python3 tests/layers.py [SERVER_DIR] (default: server/ beside tests/).
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


def graph(server):
    """Node -> set of nodes it includes, over the .c and .h of server/."""
    files = [f for f in os.listdir(server) if f.endswith(('.c', '.h'))]
    nodes = {f[:-2] for f in files}
    headers = {f[:-2] for f in files if f.endswith('.h')}
    edges = {n: set() for n in nodes}
    for f in files:
        x = f[:-2]
        with open(os.path.join(server, f), encoding='utf-8') as src:
            for y in INCLUDE.findall(src.read()):
                if y in headers and y != x:
                    edges[x].add(y)
    return edges


def components(edges):
    """The strongly connected components (Tarjan), as lists of nodes."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def cycles(edges):
    """Every elementary cycle, each once: a path from its smallest node
    back to it through larger nodes of the same component only."""
    found = []
    for comp in components(edges):
        if len(comp) < 2:
            continue
        members = set(comp)
        for start in sorted(comp):
            path = [start]

            def walk(v):
                for w in sorted(edges[v] & members):
                    if w == start:
                        found.append(path + [start])
                    elif w > start and w not in path:
                        path.append(w)
                        walk(w)
                        path.pop()

            walk(start)
    return sorted(found, key=lambda c: (len(c), c))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    server = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'server')
    found = cycles(graph(server))
    for c in found:
        print(' -> '.join(c))
    if found:
        print('layers: %d include cycle%s among the server files' %
              (len(found), '' if len(found) == 1 else 's'))
        return 1
    print('layers: no include cycle among the server files')
    return 0


if __name__ == '__main__':
    sys.exit(main())
