#!/usr/bin/env python3
"""Conformance of lockfile vulnerability matching with Trivy's integration goldens (issue 7).

Usage: trivy_conformance_e2e.py --bulkhead BIN --shared DIR --work DIR

Trivy's fixture vulnerability DB (trivy/integration/testdata/fixtures/db) is converted to
OSV by tests/vuln/trivy_fixture_db_to_osv.py and imported with `bulkhead db import`; each
lockfile fixture (fixtures/repo/<dir>) is scanned with `bulkhead image dir:...`, and the
findings (target file, vulnerability id, package, installed version, fixed version,
severity) must equal the golden's Results[].Vulnerabilities. Every difference is either a
documented exception below, with its reason, or a failure; an exception that no longer
applies is a failure too, so this list stays true.

Exit status 77 (ctest: skipped) when ../shared/data is absent.
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = None

# golden (testdata/<golden>.json.golden) -> the fixture it scans and how.
#   dir:   fixtures/repo/<dir>
#   stage: {fixture file: path in the scanned root}: only these files are scanned, placed
#          where the ecosystem's tool writes them (default: the fixture dir as it is).
#   note:  how Trivy's run differs, when it does.
CASES = {
    'npm': {'dir': 'npm'},
    'npm-with-dev': {'dir': 'npm', 'note': 'Trivy ran with --include-dev-deps; the '
                                           'vulnerable package is no dev dependency'},
    'npm-ubuntu-severity': {'dir': 'npm', 'note': 'Trivy ran with --vuln-severity-source '
                                                  'ubuntu (see SEVERITY_EXCEPTIONS)'},
    'yarn': {'dir': 'yarn'},
    'pnpm': {'dir': 'pnpm'},
    'pip': {'dir': 'pip'},
    'pipenv': {'dir': 'pipenv'},
    'poetry': {'dir': 'poetry'},
    'uv': {'dir': 'uv'},
    'cargo.lock': {'dir': 'cargo'},
    'test-repo': {'dir': 'trivy-ci-test'},
    'composer.lock': {'dir': 'composer'},
    # Composer writes installed.json to vendor/composer/, and only there does bulkhead
    # read it (a file of that name elsewhere is no Composer inventory); Trivy takes any
    # file named installed.json. The fixture holds the file alone.
    'composer.vendor': {'dir': 'composer-vendor',
                        'stage': {'installed.json': 'vendor/composer/installed.json'}},
    'nuget': {'dir': 'nuget'},
    'dotnet': {'dir': 'dotnet'},
    'packagesprops': {'dir': 'packagesprops'},
    'gomod': {'dir': 'gomod'},
    'gomod-skip': {'dir': 'gomod', 'note': 'Trivy ran with --skip-files'},
    'gomod-vex': {'dir': 'gomod', 'note': 'Trivy ran with --vex'},
    'pom': {'dir': 'pom'},
    'gradle': {'dir': 'gradle'},
    'sbt': {'dir': 'sbt'},
    'pylock': {'dir': 'pylock'},
    'bun': {'dir': 'bun'},
}

# Goldens of lockfile fixtures in ecosystems bulkhead does not cover (issue 7 covers npm,
# Python, Java, Go, Rust, Ruby, PHP and .NET).
OUT_OF_SCOPE = {
    'cocoapods': 'Swift/Objective-C (Podfile.lock): no bulkhead ecosystem',
    'swift': 'Swift (Package.resolved): no bulkhead ecosystem',
    'conan': 'C/C++ (conan.lock): no bulkhead ecosystem',
    'mix.lock': 'Elixir (mix.lock): no bulkhead ecosystem',
    'pubspec.lock': 'Dart (pubspec.lock): no bulkhead ecosystem',
}

# Goldens whose files bulkhead's analyzers do not read: bulkhead must find no package in
# them (so that an analyzer added later makes this test ask for the real comparison), and
# the golden's findings are counted as not compared.
BUILD_FILES = ('no bulkhead analyzer: issue 7 reads the built artifact instead; Trivy too '
               'reads this file only in fs/repo scans, never in images (Trivy docs, '
               'coverage/language/index.md: "Image -")')
NOT_ANALYZED = {
    'gomod': 'go.mod/go.sum (the Go binary is read): ' + BUILD_FILES,
    'gomod-skip': 'go.mod/go.sum (the Go binary is read): ' + BUILD_FILES,
    'gomod-vex': 'go.mod/go.sum (the Go binary is read): ' + BUILD_FILES,
    'pom': 'pom.xml (jars are read): ' + BUILD_FILES,
    'gradle': 'gradle.lockfile (jars are read): ' + BUILD_FILES,
    'sbt': 'build.sbt.lock (jars are read): ' + BUILD_FILES,
    'pylock': 'pylock.toml (PEP 751, 2025): no bulkhead analyzer yet; Trivy reads it in '
              'fs/repo scans',
    'bun': 'bun.lock: no bulkhead analyzer yet; Trivy reads it in fs/repo scans',
}

# Findings bulkhead reports from files the golden does not list: (golden, path) -> reason.
INSTALLED_COPY = ('an installed package under node_modules: bulkhead reads installed '
                  'package.json files, as Trivy does in image scans; Trivy\'s repo scan '
                  'reads the lockfile only')
EXTRA_FILES = {
    ('npm', 'node_modules/jquery/package.json'): INSTALLED_COPY,
    ('npm-with-dev', 'node_modules/jquery/package.json'): INSTALLED_COPY,
    ('npm-ubuntu-severity', 'node_modules/jquery/package.json'): INSTALLED_COPY,
    ('yarn', 'node_modules/jquery/package.json'): INSTALLED_COPY,
    ('pnpm', 'node_modules/.pnpm/jquery@3.3.9/node_modules/jquery/package.json'):
        INSTALLED_COPY,
    ('pnpm', 'node_modules/.pnpm/lodash@4.17.4/node_modules/lodash/package.json'):
        INSTALLED_COPY,
}

# (golden, target, id, package, installed) -> (Trivy's FixedVersion, bulkhead's, reason).
PATCHED_AS_CONSTRAINT = ('the advisory (RustSec via trivy-db) gives only PatchedVersions, '
                         'as constraints; Trivy prints them joined, bulkhead names the fix '
                         'of the range that holds the installed version')
FIXED_EXCEPTIONS = {
    ('test-repo', 'Cargo.lock', 'CVE-2019-15542', 'ammonia', '1.9.0'):
        ('>= 2.1.0', '2.1.0', PATCHED_AS_CONSTRAINT),
    ('test-repo', 'Cargo.lock', 'CVE-2021-38193', 'ammonia', '1.9.0'):
        ('>= 3.1.0, >= 2.1.3, < 3.0.0', '2.1.3', PATCHED_AS_CONSTRAINT),
}

# (golden, target, id, package, installed) -> (Trivy's Severity, bulkhead's, reason).
SEVERITY_EXCEPTIONS = {
    ('npm-ubuntu-severity', 'package-lock.json', 'CVE-2019-11358', 'jquery', '3.3.9'):
        ('LOW', 'MEDIUM', 'Trivy ran with --vuln-severity-source ubuntu and took Ubuntu\'s '
                          'word for a jQuery in an npm lockfile; bulkhead takes the word of '
                          'the feed that covers the ecosystem (GHSA), as Trivy does by '
                          'default (golden npm: MEDIUM)'),
}

# (golden, target, id, package, installed, fixed) -> reason, for findings only one side has.
MISSING_EXCEPTIONS = {}  # in the golden, not in bulkhead's report
EXTRA_EXCEPTIONS = {}    # in bulkhead's report, not in the golden


def shared_base():
    return os.path.join(ARGS.shared, 'trivy', 'integration', 'testdata')


def run(*argv, timeout=600):
    proc = subprocess.run(list(argv), capture_output=True, timeout=timeout)
    return (proc.returncode, proc.stdout.decode('utf-8', 'replace'),
            proc.stderr.decode('utf-8', 'replace'))


def repo_goldens():
    """Every golden of a repository fixture with language packages: {name: fixture dir}."""
    out = {}
    for path in sorted(glob.glob(os.path.join(shared_base(), '*.json.golden'))):
        try:
            with open(path, encoding='utf-8') as f:
                doc = json.load(f)
        except ValueError:
            continue
        if not isinstance(doc, dict):
            continue
        if not any(r.get('Class') == 'lang-pkgs' for r in doc.get('Results') or []):
            continue  # misconfiguration, secret and license goldens
        name = os.path.basename(path)[:-len('.json.golden')]
        artifact = doc.get('ArtifactName') or ''
        if artifact.startswith('testdata/fixtures/repo/'):
            out[name] = artifact[len('testdata/fixtures/repo/'):]
        elif name == 'test-repo':
            out[name] = 'trivy-ci-test'  # a clone of github.com/knqyf263/trivy-ci-test
    return out


def golden_rows(name):
    with open(os.path.join(shared_base(), name + '.json.golden'), encoding='utf-8') as f:
        doc = json.load(f)
    rows, targets = {}, set()
    for result in doc.get('Results') or []:
        targets.add(result['Target'])
        for v in result.get('Vulnerabilities') or []:
            key = (result['Target'], v['VulnerabilityID'], v['PkgName'], v['InstalledVersion'])
            rows[key] = {'fixed': v.get('FixedVersion', ''), 'severity': v.get('Severity')}
    return rows, targets


class Scanned:
    """The DB built once, and every case scanned once."""
    db = None
    convert_summary = None
    reports = {}


def setUpModule():
    work = ARGS.work
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    osv = os.path.join(work, 'osv')
    rc, out, err = run(sys.executable, os.path.join(HERE, 'trivy_fixture_db_to_osv.py'),
                       os.path.join(shared_base(), 'fixtures', 'db'), osv)
    if rc != 0:
        raise AssertionError(f'the converter failed ({rc}):\n{err}\n{out}')
    Scanned.convert_summary = json.loads(out)
    Scanned.db = os.path.join(work, 'db.sqlite')
    rc, _, err = run(ARGS.bulkhead, 'db', 'import', '--db', Scanned.db, '--name',
                     'trivy-fixture-db', osv)
    if rc != 0:
        raise AssertionError(f'bulkhead db import failed ({rc}): {err}')
    for name, case in CASES.items():
        root = os.path.join(shared_base(), 'fixtures', 'repo', case['dir'])
        if case.get('stage'):
            staged = os.path.join(work, 'roots', name)
            for src, dest in case['stage'].items():
                os.makedirs(os.path.dirname(os.path.join(staged, dest)), exist_ok=True)
                shutil.copyfile(os.path.join(root, src), os.path.join(staged, dest))
            root = staged
        rc, out, err = run(ARGS.bulkhead, 'image', 'dir:' + root, '--scanners', 'vuln',
                           '--db', Scanned.db, '-f', 'json')
        if rc != 0:
            raise AssertionError(f'{name}: bulkhead image failed ({rc}): {err}')
        Scanned.reports[name] = json.loads(out)


def bulkhead_rows(name):
    """{(target, id, package, installed): {fixed, severity}} and {extra path: count}, the
    target named as the golden names it."""
    case = CASES[name]
    back = {dest: src for src, dest in (case.get('stage') or {}).items()}
    rows, paths = {}, {}
    for f in Scanned.reports[name]['findings']:
        if f['kind'] != 'vulnerability':
            continue
        path = f.get('path', '').lstrip('/')
        path = back.get(path, path)
        key = (path, f['id'], f['package']['name'], f['installed_version'])
        rows[key] = {'fixed': f.get('fixed_version', ''), 'severity': f['severity']}
        paths[path] = paths.get(path, 0) + 1
    return rows, paths


class Tally:
    compared = 0      # golden findings compared
    agreed = 0        # ... equal in id, package, installed, fixed and severity
    excepted = set()  # documented exceptions that applied
    not_compared = 0  # golden findings in files bulkhead does not read


class TrivyGoldens(unittest.TestCase):

    def test_every_lockfile_golden_is_classified(self):
        goldens = repo_goldens()
        self.assertGreater(len(goldens), 20)
        unclassified = sorted(set(goldens) - set(CASES) - set(OUT_OF_SCOPE))
        self.assertEqual(unclassified, [], 'goldens this test does not know')
        for name, case in CASES.items():
            self.assertEqual(goldens.get(name), case['dir'], name)
        for name in OUT_OF_SCOPE:
            self.assertIn(name, goldens)

    def test_the_converter_converted_every_language_advisory(self):
        s = Scanned.convert_summary
        self.assertEqual(s['problems'], [])
        for ecosystem in ('npm', 'PyPI', 'Go', 'crates.io', 'RubyGems', 'Packagist', 'NuGet',
                          'Maven'):
            self.assertIn(ecosystem, s['converted'])
        # Only OS buckets, and CocoaPods (no OSV ecosystem), stay behind, each named.
        for line in s['not_converted']:
            self.assertTrue('OS distro bucket' in line or 'cocoapods' in line, line)

    def test_findings_equal_the_goldens(self):
        failures = []
        for name in sorted(CASES):
            with self.subTest(golden=name):
                failures += self.compare(name)
        self.assertEqual(failures, [], '\n' + '\n'.join(failures))

    def compare(self, name):
        expected, targets = golden_rows(name)
        got, paths = bulkhead_rows(name)
        problems = []
        if name in NOT_ANALYZED:
            packages = Scanned.reports[name]['packages']
            if packages or got:
                problems.append(f'{name}: documented as not analyzed ({NOT_ANALYZED[name]}) '
                                f'but bulkhead found {len(packages)} packages, {len(got)} '
                                f'findings: compare them now')
            else:
                Tally.excepted.add(('not-analyzed', name))
                Tally.not_compared += len(expected)
            return problems
        for path, count in sorted(paths.items()):
            if path in targets:
                continue
            if (name, path) in EXTRA_FILES:
                Tally.excepted.add(('extra-file', name, path))
            else:
                problems.append(f'{name}: {count} findings from {path}, a file the golden '
                                f'does not list')
        got = {k: v for k, v in got.items() if k[0] in targets}
        for key in sorted(set(expected) | set(got)):
            e, g = expected.get(key), got.get(key)
            if e is None:
                full = key + (g['fixed'],)
                if full in EXTRA_EXCEPTIONS:
                    Tally.excepted.add(('extra', name) + full)
                else:
                    problems.append(f'{name}: bulkhead reports {full}, the golden does not')
                continue
            Tally.compared += 1
            if g is None:
                full = key + (e['fixed'],)
                if full in MISSING_EXCEPTIONS:
                    Tally.excepted.add(('missing', name) + full)
                else:
                    problems.append(f'{name}: the golden lists {full}, bulkhead does not')
                continue
            agreed = True
            if e['fixed'] != g['fixed']:
                agreed = False
                exc = FIXED_EXCEPTIONS.get((name,) + key)
                if exc and exc[:2] == (e['fixed'], g['fixed']):
                    Tally.excepted.add(('fixed', name) + key)
                else:
                    problems.append(f'{name}: {key}: fixed version {g["fixed"]!r}, the golden '
                                    f'says {e["fixed"]!r}')
            if e['severity'] and e['severity'] != g['severity']:
                agreed = False
                exc = SEVERITY_EXCEPTIONS.get((name,) + key)
                if exc and exc[:2] == (e['severity'], g['severity']):
                    Tally.excepted.add(('severity', name) + key)
                else:
                    problems.append(f'{name}: {key}: severity {g["severity"]}, the golden '
                                    f'says {e["severity"]}')
            Tally.agreed += agreed
        return problems

    def test_zz_every_exception_applies(self):
        # Runs last (unittest orders by name): after the comparison has tallied.
        documented = {('not-analyzed', n) for n in NOT_ANALYZED}
        documented |= {('extra-file',) + k for k in EXTRA_FILES}
        documented |= {('fixed',) + k for k in FIXED_EXCEPTIONS}
        documented |= {('severity',) + k for k in SEVERITY_EXCEPTIONS}
        documented |= {('missing',) + k for k in MISSING_EXCEPTIONS}
        documented |= {('extra',) + k for k in EXTRA_EXCEPTIONS}
        self.assertEqual(sorted(documented - Tally.excepted), [],
                         'documented exceptions that no longer apply: remove them')
        print(f'\ntrivy goldens: {len(CASES) - len(NOT_ANALYZED)} compared, '
              f'{len(NOT_ANALYZED)} of files bulkhead does not read, {len(OUT_OF_SCOPE)} out '
              f'of scope; {Tally.compared} golden findings compared, {Tally.agreed} agree exactly, '
              f'{Tally.compared - Tally.agreed} differ as documented; {Tally.not_compared} in '
              f'files bulkhead does not read; {len(Tally.excepted)} documented exceptions',
              file=sys.stderr)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument('--bulkhead', required=True)
    parser.add_argument('--shared', required=True)
    parser.add_argument('--work', required=True)
    ARGS, rest = parser.parse_known_args()
    if not os.path.isdir(os.path.join(shared_base(), 'fixtures', 'db')):
        print(f'SKIP: {shared_base()} not found: the Trivy goldens and fixture DB '
              f'(../shared/data) are not here')
        return 77
    prog = unittest.main(argv=[sys.argv[0], '-v', *rest], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
