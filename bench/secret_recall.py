#!/usr/bin/env python3
"""Recall of bulkhead and secretlint on the same planted secrets (issue 4).

Writes the fresh secrets of tests/secret/planted.py (one or more per built-in rule, the
image config's Env entries as /etc/environment) into a scratch tree, runs
`bulkhead image dir:TREE --scanners secret -f json` and secretlint (its recommended
preset, --format json) on it, and prints, per family and in total, how many of the
planted secrets each tool reports: a secret counts as found when a finding covers its
line in its file. Also lists the secrets each tool misses (by shape, never the secret),
bulkhead findings with another rule id than expected, and findings in the placeholder
files, which should have none. Nothing printed holds a secret.

usage: secret_recall.py --bulkhead BIN --secretlint BIN --secretlintrc FILE --work DIR
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests',
                                'secret'))
import planted as planted_mod  # noqa: E402


def write_tree(root, files):
    shutil.rmtree(root, ignore_errors=True)
    for path, content in files.items():
        dest = os.path.join(root, path.lstrip('/'))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'w', encoding='utf-8') as f:
            f.write(content)


def bulkhead_hits(binary, root):
    """{(path, line): {rule ids}} of bulkhead's secret findings."""
    proc = subprocess.run([binary, 'image', f'dir:{root}', '--scanners', 'secret', '-f', 'json'],
                          capture_output=True, check=True)
    hits = collections.defaultdict(set)
    for f in json.loads(proc.stdout)['findings']:
        if f['kind'] == 'secret':
            hits[(f['path'], f['line'])].add(f['id'])
    return hits


def secretlint_hits(binary, rc, root, paths):
    """{(path, line): {rule ids}} of secretlint's messages, every line each one spans."""
    # secretlint (globby) refuses paths outside its working directory, and its stdout
    # is cut at 64 KiB when it is a pipe: the report goes to a file.
    report = root + '.secretlint.json'
    proc = subprocess.run([os.path.abspath(binary), '--secretlintrc', os.path.abspath(rc),
                           '--format', 'json', '--output', report,
                           *[p.lstrip('/') for p in paths]], capture_output=True, cwd=root)
    if proc.returncode not in (0, 1):  # 1: secrets found
        sys.exit(f'secretlint failed ({proc.returncode}): {proc.stderr.decode()[:500]}')
    with open(report, encoding='utf-8') as f:
        results = json.load(f)
    os.remove(report)  # it holds the raw secrets
    hits = collections.defaultdict(set)
    for result in results:
        path = '/' + os.path.relpath(result['filePath'], root)
        for m in result['messages']:
            rule = m['ruleId'].replace('@secretlint/secretlint-rule-', '')
            for line in range(m['loc']['start']['line'], m['loc']['end']['line'] + 1):
                hits[(path, line)].add(rule)
    return hits


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--bulkhead', required=True)
    parser.add_argument('--secretlint', required=True)
    parser.add_argument('--secretlintrc', required=True)
    parser.add_argument('--work', required=True)
    args = parser.parse_args()

    planted = planted_mod.generate()
    files, cases = planted.tree()
    root = os.path.abspath(os.path.join(args.work, 'tree'))
    write_tree(root, files)
    tools = {
        'bulkhead': bulkhead_hits(args.bulkhead, root),
        'secretlint': secretlint_hits(args.secretlint, args.secretlintrc, root, sorted(files)),
    }

    families = collections.OrderedDict()
    for c in cases:
        families.setdefault(c.family, []).append(c)
    found = {t: collections.Counter() for t in tools}
    missed = {t: [] for t in tools}
    for family, family_cases in families.items():
        for c in family_cases:
            for tool, hits in tools.items():
                if hits.get((c.path, c.line)):
                    found[tool][family] += 1
                else:
                    missed[tool].append(c)

    print(f'secret recall on {len(cases)} fresh planted secrets '
          f'({len(planted_mod.builtin_rule_ids())} built-in rules, {len(files)} files)')
    print(f'{"family":16s} {"planted":>7s} {"bulkhead":>9s} {"secretlint":>10s}')
    for family, family_cases in families.items():
        print(f'{family:16s} {len(family_cases):7d} {found["bulkhead"][family]:9d} '
              f'{found["secretlint"][family]:10d}')
    total = len(cases)
    print(f'{"total":16s} {total:7d} '
          + ' '.join(f'{sum(found[t].values()):{w}d}' for t, w in (('bulkhead', 9),
                                                                    ('secretlint', 10))))
    for tool in tools:
        n = sum(found[tool].values())
        print(f'{tool} recall: {n}/{total} = {100.0 * n / total:.1f}%')
    for tool in tools:
        for c in missed[tool]:
            print(f'{tool} misses {c.rule} ({c.family}): {c.shape} at {c.path}:{c.line}')
    for c in cases:
        ids = tools['bulkhead'].get((c.path, c.line), set())
        if ids and c.rule not in ids:
            print(f'bulkhead reports {sorted(ids)} where {c.rule} was expected: {c.shape}')
    for tool, hits in tools.items():
        noisy = sorted({(p, line) for (p, line) in hits if p in planted.silent})
        for p, line in noisy:
            print(f'{tool} reports a placeholder: {p}:{line} {sorted(hits[(p, line)])}')


if __name__ == '__main__':
    main()
