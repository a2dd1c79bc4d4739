#!/usr/bin/env python3
"""Checks the module boundaries that DESIGN.md draws.

Every `#include "bulkhead/<m>/..."` in src/bulkhead/<module>/ must name the module itself
or a module that <module> declares in its bulkhead_module(... DEPS ...) call in
src/CMakeLists.txt; `<m>/internal/` headers may only be included from inside <m>; and
the dependency graph must have no cycle. Exits 1 with one line per violation.

Usage: check_module_deps.py SOURCE_DIR
"""
import os
import re
import sys


def declared_deps(cmake_text):
    deps = {}
    for m in re.finditer(r'bulkhead_module\(\s*(\w+)(.*?)\)\s*$', cmake_text, re.S | re.M):
        name, body = m.group(1), m.group(2)
        d = re.search(r'\bDEPS\b(.*?)(?:\bLIBS\b|\bSOURCES\b|$)', body, re.S)
        deps[name] = set(d.group(1).split()) if d else set()
    return deps


def find_cycle(deps):
    state = {}

    def visit(n, path):
        if state.get(n) == 1:
            return path[path.index(n):] + [n]
        if state.get(n) == 2:
            return None
        state[n] = 1
        for d in sorted(deps.get(n, ())):
            cycle = visit(d, path + [n])
            if cycle:
                return cycle
        state[n] = 2
        return None

    for n in sorted(deps):
        cycle = visit(n, [])
        if cycle:
            return cycle
    return None


def main():
    root = sys.argv[1]
    with open(os.path.join(root, 'src', 'CMakeLists.txt')) as f:
        deps = declared_deps(f.read())
    problems = []
    include = re.compile(r'#include\s+"bulkhead/(\w+)/([^"]+)"')
    src = os.path.join(root, 'src', 'bulkhead')
    for module in sorted(os.listdir(src)):
        if module not in deps:
            continue
        for dirpath, _, files in os.walk(os.path.join(src, module)):
            for name in sorted(files):
                if not name.endswith(('.h', '.cc')):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding='utf-8') as f:
                    for n, line in enumerate(f, 1):
                        m = include.search(line)
                        if not m:
                            continue
                        target, rest = m.group(1), m.group(2)
                        rel = os.path.relpath(path, root)
                        if target != module and target not in deps[module]:
                            problems.append(f'{rel}:{n}: module {module} includes {target}, '
                                            f'which it does not declare in DEPS')
                        if target != module and rest.startswith('internal/'):
                            problems.append(f'{rel}:{n}: includes {target}/internal/, private '
                                            f'to module {target}')
    cycle = find_cycle(deps)
    if cycle:
        problems.append('module dependency cycle: ' + ' -> '.join(cycle))
    for p in problems:
        print(p)
    print(f'{len(deps)} modules checked, {len(problems)} problems')
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
