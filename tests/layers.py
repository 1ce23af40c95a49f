#!/usr/bin/env python3
"""layers.py: the server's folders are layers, and no include goes up a
layer or round a circle.

The graph: one node per server file name, x.c and x.h together making node
"x"; an edge x -> y when x.c or x.h includes "y.h" and y.h is a server
header (protocol/ and system headers are below every server file and left
out).  A file including its own header is no edge.

Two checks (docs/HACKING.md, "The layers"):
- every include goes to the same folder or to a folder below it in LAYERS;
- no include circle: prints every elementary cycle, one a line, each
  starting from its smallest node ("a -> b -> a").
Exits 1 if either finds anything, 0 if not.
Usage: python3 tests/layers.py [SERVER_DIR] (default: server/ beside tests/).
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)


# Each folder of server/ and the folders it may include from; main.c (the
# top, "") may include anything.
LAYERS = {
    'base': set(),
    'db': {'base'},
    'store': {'db', 'base'},
    'mail': {'store', 'db', 'base'},
    'rpc': {'store', 'db', 'base'},
    'methods': {'rpc', 'mail', 'store', 'db', 'base'},
    'demo': {'methods', 'rpc', 'mail', 'store', 'db', 'base'},
    'daemon': {'demo', 'methods', 'rpc', 'mail', 'store', 'db', 'base'},
}


def sources(server):
    """(folder, file name, path) of every .c and .h under server/."""
    for root, _, names in os.walk(server):
        folder = os.path.relpath(root, server)
        folder = '' if folder == '.' else folder
        for f in sorted(names):
            if f.endswith(('.c', '.h')):
                yield folder, f, os.path.join(root, f)


def graph(server):
    """Node -> set of nodes it includes, over the .c and .h of server/,
    and node -> its folder."""
    files = list(sources(server))
    folder = {f[:-2]: d for d, f, _ in files}
    headers = {f[:-2] for _, f, _ in files if f.endswith('.h')}
    edges = {f[:-2]: set() for _, f, _ in files}
    for _, f, path in files:
        x = f[:-2]
        with open(path, encoding='utf-8') as src:
            for y in INCLUDE.findall(src.read()):
                if y in headers and y != x:
                    edges[x].add(y)
    return edges, folder


def upward(edges, folder):
    """Every include that goes up a layer (or to a folder LAYERS lacks)."""
    bad = []
    for x in sorted(edges):
        fx = folder[x]
        for y in sorted(edges[x]):
            fy = folder[y]
            if fx == '' or fx == fy:
                continue
            if fx not in LAYERS or fy not in LAYERS[fx]:
                bad.append('%s/%s includes %s/%s.h' % (fx, x, fy, y))
    return bad


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
    edges, folder = graph(server)
    bad = upward(edges, folder)
    for b in bad:
        print(b)
    found = cycles(edges)
    for c in found:
        print(' -> '.join(c))
    if bad or found:
        print('layers: %d include%s up a layer, %d include cycle%s among the server files' %
              (len(bad), '' if len(bad) == 1 else 's', len(found),
               '' if len(found) == 1 else 's'))
        return 1
    print('layers: every include goes down a layer; no include cycle among the server files')
    return 0


if __name__ == '__main__':
    sys.exit(main())
