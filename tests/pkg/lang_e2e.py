#!/usr/bin/env python3
"""End-to-end check of the language analyzers through the real layer pass.

Scans the OCI image scripts/build-lang-fixtures builds (OUTDIR/lang/oci, tag "app") with
the bulkhead binary, so that jars and executables go through the layer visitor's
streaming reduction, and compares the inventory with the oracles of the ecosystems' own
tools (expected.tsv beside each artifact):

  - npm packages from the installed tree, in layer 1;
  - the war's Maven packages (pom.properties, nested jars), in layer 2, and nothing from
    its copy in /opt/old, which layer 6 deletes;
  - the Go binary's modules and stdlib (go version -m), in layer 4;
  - the Python distributions (importlib.metadata), in layer 5;
  - no diagnostics; the same inventory from `bulkhead sbom` (CycloneDX purls).

usage: lang_e2e.py --bulkhead BIN --fixtures OUTDIR/lang
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

ARGS = None


def expected(name):
    rows = set()
    with open(os.path.join(ARGS.fixtures, name, 'expected.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.strip():
                pkg, version = line.rstrip('\n').split('\t')
                rows.add((pkg, version))
    return rows


def run(*args):
    proc = subprocess.run([ARGS.bulkhead, *args], capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


class LangE2E(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.source = 'oci:' + os.path.join(ARGS.fixtures, 'oci') + ':app'
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, 'report.json')
            code, _, err = run('image', '--format', 'json', '-o', out, cls.source)
            if code != 0:
                raise AssertionError(f'bulkhead image failed ({code}): {err}')
            with open(out, encoding='utf-8') as f:
                cls.report = json.load(f)
        cls.layers = [layer['digest'] for layer in cls.report['layers']]

    def packages(self, ptype):
        return [p for p in self.report['packages'] if p['type'] == ptype]

    def test_six_layers_no_diagnostics(self):
        self.assertEqual(len(self.layers), 6)
        self.assertEqual(self.report['diagnostics'], [])

    def test_npm_tree(self):
        npm = self.packages('npm')
        self.assertEqual({(p['name'], p['version']) for p in npm}, expected('npm'))
        self.assertGreater(len(npm), 50)
        for p in npm:
            self.assertEqual(p['layer'], self.layers[0], p)
            self.assertTrue(p['db_path'].startswith('/srv/app/node_modules/'), p)
            self.assertTrue(p['purl'].startswith('pkg:npm/'), p)

    def test_war_kept_and_deleted_copy_gone(self):
        maven = self.packages('maven')
        self.assertEqual({(p['name'], p['version']) for p in maven}, expected('java'))
        for p in maven:
            self.assertEqual(p['layer'], self.layers[1], p)
            self.assertEqual(p['db_path'], '/opt/app.war')
            self.assertTrue(p['purl'].startswith('pkg:maven/'), p)

    def test_go_binary(self):
        go = self.packages('golang')
        self.assertEqual({(p['name'], p['version']) for p in go}, expected('go'))
        for p in go:
            self.assertEqual(p['layer'], self.layers[3], p)
            self.assertEqual(p['db_path'], '/usr/local/bin/goapp')

    def test_python_tree(self):
        py = self.packages('pypi')
        self.assertEqual({(p['name'], p['version']) for p in py}, expected('python'))
        for p in py:
            self.assertEqual(p['layer'], self.layers[4], p)

    def test_sbom_has_the_same_purls(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, 'sbom.json')
            code, _, err = run('sbom', '--format', 'cyclonedx', '-o', out, self.source)
            self.assertEqual(code, 0, err)
            with open(out, encoding='utf-8') as f:
                sbom = json.load(f)
        purls = sorted(c['purl'] for c in sbom.get('components', []))
        self.assertEqual(purls, sorted(p['purl'] for p in self.report['packages']))


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument('--bulkhead', required=True)
    parser.add_argument('--fixtures', required=True, help='OUTDIR/lang of build-lang-fixtures')
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], '-v', *rest])


if __name__ == '__main__':
    main()
