#!/usr/bin/env python3
"""End-to-end tests of `bulkhead db` and vulnerability matching (NIST SP 800-190 4.1.1).

Usage: vuln_e2e.py --bulkhead BIN --fixtures DIR --synthetic DIR --shared DIR --work DIR

The expected findings on the real Debian image are computed here with
`dpkg --compare-versions`, independently of bulkhead's own version code.
"""
import argparse
import functools
import hashlib
import http.server
import io
import json
import os
import random
import shutil
import socketserver
import sqlite3
import subprocess
import sys
import tarfile
import threading
import unittest
import zipfile

ARGS = None


def run(*argv, env=None, timeout=600):
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run([ARGS.bulkhead, *argv], capture_output=True, timeout=timeout,
                          env=full_env)
    return proc.returncode, proc.stdout.decode('utf-8', 'replace'), proc.stderr.decode(
        'utf-8', 'replace')


def work(name):
    path = os.path.join(ARGS.work, name)
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.unlink(path)
    return path


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


@functools.lru_cache(maxsize=None)
def dpkg_cmp(a, op, b):
    return subprocess.run(['dpkg', '--compare-versions', a, op, b]).returncode == 0


def osv_record(rid, ecosystem, package, events, aliases=(), versions=()):
    return {
        'id': rid, 'modified': '2025-01-01T00:00:00Z', 'aliases': list(aliases),
        'summary': f'{rid} in {package}',
        'affected': [{
            'package': {'ecosystem': ecosystem, 'name': package},
            'ranges': [{'type': 'ECOSYSTEM', 'events': events}] if events else [],
            'versions': list(versions),
        }],
    }


def osv_affected(version, events):
    """OSV's evaluation of one ECOSYSTEM range under dpkg order, via dpkg itself."""
    def key(e):
        return list(e.values())[0]
    zero = [e for e in events if e.get('introduced') == '0']
    rest = [e for e in events if e not in zero]
    ordered = zero + sorted(rest, key=functools.cmp_to_key(
        lambda a, b: -1 if dpkg_cmp(key(a), 'lt', key(b)) else (1 if dpkg_cmp(key(a), 'gt', key(b)) else 0)))
    affected, fix = False, ''
    for e in ordered:
        (kind, v), = e.items()
        if kind == 'introduced' and (v == '0' or dpkg_cmp(version, 'ge', v)):
            affected, fix = True, ''
        elif kind == 'fixed':
            if dpkg_cmp(version, 'ge', v):
                affected = False
            elif affected and not fix:
                fix = v
        elif kind == 'last_affected' and dpkg_cmp(version, 'gt', v):
            affected = False
    return affected, (fix if affected else '')


def read_packages():
    path = os.path.join(ARGS.fixtures, 'debian', 'expected-dpkg.tsv')
    with open(path, encoding='utf-8') as f:
        rows = [line.rstrip('\n').split('\t') for line in f if line.strip()]
    return [dict(name=r[0], version=r[1], arch=r[2], source=r[3], source_version=r[4])
            for r in rows]


class Serve:
    """A local HTTP server (also usable as a forward proxy) over a dict of path -> bytes
    (or a function that returns them when the request comes)."""

    def __init__(self, files):
        self.files = files
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                name = self.path.rsplit('/', 1)[-1]
                body = outer.files.get(name)
                if callable(body):
                    body = body()
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = socketserver.TCPServer(('127.0.0.1', 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


class NoDatabase(unittest.TestCase):
    def test_requested_vuln_scanner_without_database_is_an_error(self):
        image = f'oci:{ARGS.fixtures}/debian/oci:test'
        rc, _, err = run('image', '--db', work('missing.sqlite'), '--scanners', 'vuln', image)
        self.assertEqual(rc, 2, err)
        self.assertIn('bulkhead db import', err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_default_scanners_skip_with_a_warning_and_4_1_1_not_assessed(self):
        cache = work('empty-cache')
        os.makedirs(cache)
        rc, out, err = run('image', '-f', 'json', f'oci:{ARGS.fixtures}/debian/oci:test',
                           env={'XDG_CACHE_HOME': cache})
        self.assertEqual(rc, 0, err)
        self.assertIn('warning: no vulnerability database', err)
        self.assertIn(os.path.join(cache, 'bulkhead', 'db.sqlite'), err)
        report = json.loads(out)
        control = {c['id']: c for c in report['controls']}['4.1.1']
        self.assertEqual(control['status'], 'not-assessed')


class DebianImage(unittest.TestCase):
    """Hand-written OSV and tracker records against the real Debian image."""

    @classmethod
    def setUpClass(cls):
        cls.packages = read_packages()
        cls.image = f'oci:{ARGS.fixtures}/debian/oci:test'
        rng = random.Random(800190)
        sources = {}
        for p in cls.packages:
            sources.setdefault(p['source'], p['source_version'])
        records = []
        n = 0
        for source, sv in sorted(sources.items()):
            n += 1
            upstream = sv.split(':', 1)[-1]
            epoch = sv.split(':', 1)[0] + ':' if ':' in sv else ''
            variants = [
                [{'introduced': '0'}, {'fixed': sv + '.1'}],                    # above
                [{'introduced': '0'}, {'fixed': sv}],                           # at
                [{'introduced': '0'}, {'fixed': sv + '~1'}],                    # just below (~)
                [{'introduced': '0'}, {'fixed': '1:' + upstream + '-1'}]        # epoch above
                if not epoch else [{'introduced': '0'}, {'fixed': upstream}],   # epoch dropped
                [{'introduced': sv + '+b1'}],                                   # introduced above
                [{'introduced': '0'}, {'last_affected': sv}],                   # last_affected at
                [{'introduced': '0'}, {'fixed': sv + '+b5'}],                   # binNMU above src
            ]
            for i, events in enumerate(variants):
                if rng.random() < 0.6 or i in (0, 6):
                    records.append(osv_record(f'BH-{n:03d}-{i}', 'Debian:12', source, events,
                                              aliases=[f'CVE-2099-{n:03d}{i}']))
            # Another release never matches.
            records.append(osv_record(f'BH-{n:03d}-other', 'Debian:11', source,
                                      [{'introduced': '0'}]))
        cls.records = records
        tree = work('debian-osv')
        os.makedirs(tree)
        for r in records:
            with open(os.path.join(tree, r['id'] + '.json'), 'w') as f:
                json.dump(r, f)
        cls.db = work('debian.sqlite')
        rc, _, err = run('db', 'import', '--db', cls.db, tree)
        assert rc == 0, err
        rc, out, err = run('image', '--db', cls.db, '--scanners', 'vuln', '-f', 'json', cls.image)
        assert rc == 0, err
        cls.report = json.loads(out)

    def test_findings_equal_dpkg_compare_versions(self):
        expected = {}
        for p in self.packages:
            for r in self.records:
                a = r['affected'][0]
                if a['package']['ecosystem'] != 'Debian:12' or a['package']['name'] != p['source']:
                    continue
                hit, fix = osv_affected(p['source_version'], a['ranges'][0]['events'])
                if hit:
                    expected[(p['name'], r['aliases'][0])] = fix
        got = {}
        for f in self.report['findings']:
            if f['kind'] != 'vulnerability':
                continue
            got[(f['package']['name'], f['id'])] = f.get('fixed_version', '')
        self.assertGreater(len(expected), 100)
        self.assertEqual(set(got), set(expected),
                         f'missing {sorted(set(expected) - set(got))[:5]}, '
                         f'extra {sorted(set(got) - set(expected))[:5]}')
        for k, fix in expected.items():
            self.assertEqual(got[k], fix, k)

    def test_findings_carry_the_package_the_layer_and_4_1_1(self):
        layers = {l['digest'] for l in self.report['layers']}
        by_name = {p['name']: p for p in self.packages}
        vulns = [f for f in self.report['findings'] if f['kind'] == 'vulnerability']
        self.assertTrue(vulns)
        for f in vulns:
            p = by_name[f['package']['name']]
            self.assertEqual(f['installed_version'], p['version'])
            self.assertEqual(f['package']['source_name'], p['source'])
            self.assertEqual(f['package']['source_version'], p['source_version'])
            self.assertIn(f['layer'], layers)
            self.assertEqual(f['controls'], ['4.1.1'])
            self.assertTrue(f['aliases'][0].startswith('BH-'))
        control = {c['id']: c for c in self.report['controls']}['4.1.1']
        self.assertEqual(control['status'], 'fail')

    def test_bin_nmu_uses_the_source_version(self):
        # bash 5.2.15-2+b13 is built from bash 5.2.15-2: a fix at 5.2.15-2+b5 is above the
        # source version, so the binary is affected although its own version is higher.
        bash = [p for p in self.packages if p['name'] == 'bash'][0]
        self.assertIn('+b', bash['version'])
        ids = [r['aliases'][0] for r in self.records
               if r['affected'][0]['package']['name'] == 'bash'
               and r['affected'][0]['package']['ecosystem'] == 'Debian:12'
               and r['affected'][0]['ranges'][0]['events'][-1].get('fixed', '').endswith('+b5')]
        got = {f['id'] for f in self.report['findings'] if f['package']['name'] == 'bash'}
        for i in ids:
            self.assertIn(i, got)

    def test_report_is_deterministic_and_valid(self):
        rc, out, err = run('image', '--db', self.db, '--scanners', 'vuln', '-f', 'json', self.image)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)['findings'], self.report['findings'])
        schema = os.path.join(os.path.dirname(__file__), '..', '..', 'docs', 'schema',
                              'report-v1.schema.json')
        validator = os.path.join(os.path.dirname(__file__), '..', '..', 'scripts',
                                 'validate_json_schema.py')
        path = work('debian-report.json')
        with open(path, 'w') as f:
            f.write(out)
        proc = subprocess.run([sys.executable, validator, schema, path], capture_output=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        for fmt in ('table', 'sarif', 'cyclonedx', 'html', 'junit'):
            rc, out, err = run('image', '--db', self.db, '--scanners', 'vuln', '-f', fmt,
                               self.image)
            self.assertEqual(rc, 0, f'{fmt}: {err}')

    def test_severity_gate_and_ignore_flags(self):
        rc, out, err = run('image', '--db', self.db, '--scanners', 'vuln', '-f', 'json',
                           '--ignore-unfixed', self.image)
        self.assertEqual(rc, 0, err)
        findings = json.loads(out)['findings']
        self.assertTrue(findings)
        self.assertTrue(all(f.get('fixed_version') for f in findings))
        self.assertLess(len(findings), len(self.report['findings']))
        rc, _, err = run('image', '--db', self.db, '--scanners', 'vuln', '--exit-code', '3',
                         self.image)
        self.assertEqual(rc, 3, err)
        rc, _, err = run('image', '--db', self.db, '--ignore-status', 'bogus', self.image)
        self.assertEqual(rc, 2)
        self.assertIn('bogus', err)


class DebianTracker(unittest.TestCase):
    """The tracker's statuses, end to end, on the real image."""

    def test_statuses_as_debian_states_them(self):
        pkgs = {p['source']: p['source_version'] for p in read_packages()}
        tracker = {
            'bash': {'CVE-2099-0001': {'description': 'resolved above', 'releases': {
                'bookworm': {'status': 'resolved', 'fixed_version': pkgs['bash'] + '.1',
                             'urgency': 'high', 'repositories': {}}}}},
            'coreutils': {'CVE-2099-0002': {'description': 'no-dsa', 'releases': {
                'bookworm': {'status': 'open', 'nodsa': 'Minor issue', 'nodsa_reason': '',
                             'urgency': 'low', 'repositories': {}}}},
                          'CVE-2099-0003': {'description': 'ignored', 'releases': {
                'bookworm': {'status': 'open', 'nodsa': 'x', 'nodsa_reason': 'ignored',
                             'urgency': 'unimportant', 'repositories': {}}}},
                          'CVE-2099-0004': {'description': 'postponed', 'releases': {
                'bookworm': {'status': 'open', 'nodsa': 'x', 'nodsa_reason': 'postponed',
                             'urgency': 'medium', 'repositories': {}}}}},
            'dpkg': {'CVE-2099-0005': {'description': 'not affected', 'releases': {
                'bookworm': {'status': 'resolved', 'fixed_version': '0',
                             'urgency': 'unimportant', 'repositories': {}}}},
                     'CVE-2099-0006': {'description': 'undetermined', 'releases': {
                'bookworm': {'status': 'undetermined', 'urgency': 'not yet assigned',
                             'repositories': {}}}},
                     'CVE-2099-0007': {'description': 'resolved below', 'releases': {
                'bookworm': {'status': 'resolved', 'fixed_version': '1.0-1',
                             'urgency': 'low', 'repositories': {}}}}},
            'tar': {'CVE-2099-0008': {'description': 'eol', 'releases': {
                'bookworm': {'status': 'open', 'urgency': 'end-of-life', 'repositories': {}}}}},
        }
        path = work('tracker.json')
        with open(path, 'w') as f:
            json.dump(tracker, f)
        db = work('tracker.sqlite')
        rc, _, err = run('db', 'import', '--db', db, path)
        self.assertEqual(rc, 0, err)
        rc, out, err = run('image', '--db', db, '--scanners', 'vuln', '-f', 'json',
                           f'oci:{ARGS.fixtures}/debian/oci:test')
        self.assertEqual(rc, 0, err)
        status = {}
        for f in json.loads(out)['findings']:
            status.setdefault(f['id'], set()).add((f['status'], f.get('status_note', ''),
                                                   f['severity']))
        self.assertEqual(status['CVE-2099-0001'], {('fixed', 'resolved', 'HIGH')})
        self.assertEqual(status['CVE-2099-0002'], {('affected', 'no-dsa', 'LOW')})
        self.assertEqual(status['CVE-2099-0003'], {('will-not-fix', 'ignored', 'LOW')})
        self.assertEqual(status['CVE-2099-0004'], {('fix-deferred', 'postponed', 'MEDIUM')})
        self.assertEqual(status['CVE-2099-0006'],
                         {('under-investigation', 'undetermined', 'UNKNOWN')})
        self.assertEqual(status['CVE-2099-0008'], {('end-of-life', 'end-of-life', 'UNKNOWN')})
        self.assertNotIn('CVE-2099-0005', status)
        self.assertNotIn('CVE-2099-0007', status)
        rc, out, err = run('image', '--db', db, '--scanners', 'vuln', '-f', 'json',
                           '--ignore-status', 'will-not-fix,end-of-life',
                           f'oci:{ARGS.fixtures}/debian/oci:test')
        ids = {f['id'] for f in json.loads(out)['findings']}
        self.assertNotIn('CVE-2099-0003', ids)
        self.assertNotIn('CVE-2099-0008', ids)
        self.assertIn('CVE-2099-0002', ids)


class DbCommands(unittest.TestCase):
    RECORD = json.dumps(osv_record('GHSA-test-0001', 'npm', 'left-pad',
                                   [{'introduced': '0'}, {'fixed': '1.3.0'}]))

    def test_update_from_a_local_server_and_through_a_proxy(self):
        payload = zip_bytes({'GHSA-test-0001.json': self.RECORD})
        db = work('update.sqlite')
        with Serve({'all.zip': payload, 'broken.zip': b'PK\x03\x04garbage'}) as srv:
            url = f'http://127.0.0.1:{srv.port}/npm/all.zip'
            rc, _, err = run('db', 'update', '--db', db, '--source', url)
            self.assertEqual(rc, 0, err)
            rc, out, err = run('db', 'info', '--db', db, '-f', 'json')
            self.assertEqual(rc, 0, err)
            info = json.loads(out)
            self.assertEqual(info['schema_version'], 2)
            self.assertEqual(info['age_days'], 0)
            self.assertEqual([(s['name'], s['records'], s['location']) for s in info['sources']],
                             [('url:' + url, 1, url)])
            before = sha256(db)
            # A failed download, and a corrupt one, leave the database as it was.
            for bad in (f'http://127.0.0.1:{srv.port}/missing.zip',
                        f'http://127.0.0.1:{srv.port}/broken.zip'):
                rc, _, err = run('db', 'update', '--db', db, '--source', url, '--source', bad)
                self.assertEqual(rc, 2, err)
                self.assertEqual(len(err.strip().splitlines()[-1:]), 1)
                self.assertEqual(sha256(db), before)
            # libcurl honours http_proxy: the request reaches the proxy with a full URL.
            srv.requests.clear()
            rc, _, err = run('db', 'update', '--db', db, '--source',
                             'http://feeds.invalid/npm/all.zip',
                             env={'http_proxy': f'http://127.0.0.1:{srv.port}', 'no_proxy': ''})
            self.assertEqual(rc, 0, err)
            self.assertEqual(srv.requests, ['http://feeds.invalid/npm/all.zip'])
        leftovers = [n for n in os.listdir(os.path.dirname(db)) if n.startswith('update.sqlite.tmp')]
        self.assertEqual(leftovers, [])

    def test_hostile_entry_names_stay_on_one_line(self):
        # A zip chooses its entry names; an error that names one must not break the line
        # or reach the terminal as an escape sequence.
        bad = work('hostile-names.zip')
        with zipfile.ZipFile(bad, 'w') as z:
            z.writestr('bad\n\x1b[31mRED.json', b'{"id": ')
        rc, _, err = run('db', 'import', '--db', work('hostile.sqlite'), bad)
        self.assertEqual(rc, 2, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertNotIn('\x1b', err)
        self.assertIn('bad\\n\\x1b[31mRED.json: not valid JSON', err)

    def test_update_keeps_one_download_at_a_time(self):
        tmp = work('update-tmpdir')
        os.makedirs(tmp)
        seen = []

        def third():
            # By the time the third feed is asked for, the first two are imported and gone.
            files = [os.path.join(d, f) for d, _, fs in os.walk(tmp) for f in fs]
            seen.append(sorted(os.path.basename(f) for f in files))
            return zip_bytes({'GHSA-test-0003.json': self.RECORD.replace('0001', '0003')})

        feeds = {'a.zip': zip_bytes({'GHSA-test-0001.json': self.RECORD}),
                 'b.zip': zip_bytes({'GHSA-test-0002.json': self.RECORD.replace('0001', '0002')}),
                 'c.zip': third}
        db = work('one-at-a-time.sqlite')
        with Serve(feeds) as srv:
            urls = [f'http://127.0.0.1:{srv.port}/{n}' for n in sorted(feeds)]
            argv = ['db', 'update', '--db', db]
            for u in urls:
                argv += ['--source', u]
            rc, _, err = run(*argv, env={'TMPDIR': tmp})
        self.assertEqual(rc, 0, err)
        self.assertEqual(seen, [['2']])  # only the file being downloaded
        self.assertEqual(os.listdir(tmp), [])  # and the scratch folder is gone at the end
        rc, out, err = run('db', 'info', '--db', db, '-f', 'json')
        self.assertEqual([s['records'] for s in json.loads(out)['sources']], [1, 1, 1])

    def test_info_table_and_old_database_warning(self):
        db = work('info.sqlite')
        path = work('one.json')
        with open(path, 'w') as f:
            f.write(self.RECORD)
        rc, _, err = run('db', 'import', '--db', db, path)
        self.assertEqual(rc, 0, err)
        rc, out, err = run('db', 'info', '--db', db)
        self.assertEqual(rc, 0, err)
        self.assertIn('osv:', out)
        self.assertIn('2025-01-01T00:00:00Z', out)
        con = sqlite3.connect(db)
        con.execute("UPDATE meta SET value = '2020-01-01T00:00:00Z' WHERE key = 'updated_at'")
        con.commit()
        con.close()
        rc, _, err = run('image', '--db', db, '--scanners', 'vuln',
                         f'oci:{ARGS.fixtures}/debian/oci:test')
        self.assertEqual(rc, 0, err)
        self.assertIn('days old', err)

    def test_bad_input_leaves_the_database_unchanged(self):
        db = work('bad.sqlite')
        good = work('good.json')
        with open(good, 'w') as f:
            f.write(self.RECORD)
        rc, _, err = run('db', 'import', '--db', db, good)
        self.assertEqual(rc, 0, err)
        before = sha256(db)
        bomb = work('bomb.zip')
        with zipfile.ZipFile(bomb, 'w', zipfile.ZIP_DEFLATED) as z:
            z.writestr('big.json', b' ' * (40 << 20))
        cases = {
            'malformed.json': b'{"id": "X", ',
            'types.json': b'{"id": "X", "modified": 5}',
            'unknown-eco.json': json.dumps(osv_record('X-1', 'Nowhere', 'p', [])).encode(),
            'huge-string.json': b'{"id": "' + b'A' * (1 << 20) + b'", "modified": "x"}',
            'not-a-feed.json': b'{"hello": 1}',
            'empty.json': b'',
        }
        paths = []
        for name, data in cases.items():
            p = work(name)
            with open(p, 'wb') as f:
                f.write(data)
            paths.append(p)
        for p in paths + [bomb, work('does-not-exist')]:
            rc, _, err = run('db', 'import', '--db', db, good, p)
            self.assertEqual(rc, 2, f'{p}: {err}')
            last = err.strip().splitlines()[-1]
            self.assertIn(os.path.basename(p), last)
            self.assertTrue(last.startswith('bulkhead db: '), last)
            self.assertEqual(sha256(db), before, p)
        junk = work('junk.sqlite')
        with open(junk, 'w') as f:
            f.write('not a database')
        rc, _, err = run('db', 'info', '--db', junk)
        self.assertEqual(rc, 2)
        self.assertIn('junk.sqlite', err)
        rc, _, err = run('image', '--db', junk, f'oci:{ARGS.fixtures}/debian/oci:test')
        self.assertEqual(rc, 2)


class ZipWriters(unittest.TestCase):
    """bulkhead reads zips through their central directory (archive/zip_reader.cc): zips
    from the common writers (data descriptors, extra fields, zip64, stored entries) must
    import exactly as the same records from a directory tree."""

    GO_ZIP = """package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
)

func main() {
	out, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	w := zip.NewWriter(out)
	err = filepath.Walk(os.Args[1], func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(os.Args[1], p)
		f, err := w.Create(rel)
		if err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(f, in)
		return err
	})
	if err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
}
"""

    @staticmethod
    def tables(db):
        con = sqlite3.connect(db)
        # vids follow input order, which differs between writers; everything else must not.
        vulns = sorted(con.execute(
            'SELECT source IS NOT NULL, id, aliases, summary, modified, refs, severity, '
            'severity_source, cvss_version, cvss_vector, cvss_score FROM vulns'))
        affected = sorted(con.execute('SELECT eco_key, package, length(entries) > 0 FROM affected'))
        con.close()
        return vulns, affected

    def test_zips_from_every_common_writer_import_alike(self):
        for tool in ('zip', 'jar', 'go'):
            if not shutil.which(tool):
                self.skipTest(f'{tool} not found (scripts/setup installs it)')
        tree = work('zip-tree')
        os.makedirs(tree)
        for i in range(60):
            rec = osv_record(f'GHSA-zip-{i:04d}', 'npm', f'pkg-{i % 7}',
                             [{'introduced': '0'}, {'fixed': f'1.{i}.0'}],
                             aliases=[f'CVE-2099-{i}'], versions=[f'1.{i}.0-rc.1'])
            rec['details'] = 'x' * (i * 97)  # entries of many sizes, some stored by zip
            with open(os.path.join(tree, f'GHSA-zip-{i:04d}.json'), 'w') as f:
                json.dump(rec, f, indent=2 if i % 2 else None)
        db = work('zip-tree.sqlite')
        rc, _, err = run('db', 'import', '--db', db, '--name', 'n', tree)
        self.assertEqual(rc, 0, err)
        expected = self.tables(db)
        self.assertEqual(len(expected[0]), 60)

        zips = {}
        for name, compression in (('python-deflate', zipfile.ZIP_DEFLATED),
                                  ('python-stored', zipfile.ZIP_STORED)):
            zips[name] = work(name + '.zip')
            with zipfile.ZipFile(zips[name], 'w', compression) as z:
                for f in sorted(os.listdir(tree)):
                    z.write(os.path.join(tree, f), f)
        # Info-ZIP (extra fields), forced zip64 (-fz), and from a pipe (data descriptors).
        zips['infozip'] = work('infozip.zip')
        subprocess.run(['zip', '-qr', zips['infozip'], '.'], cwd=tree, check=True)
        zips['infozip-zip64'] = work('infozip-zip64.zip')
        subprocess.run(['zip', '-qr', '-fz', zips['infozip-zip64'], '.'], cwd=tree, check=True)
        zips['infozip-stream'] = work('infozip-stream.zip')
        names = '\n'.join(sorted(os.listdir(tree))) + '\n'
        streamed = subprocess.run(['zip', '-q', '-@', '-'], cwd=tree, input=names.encode(),
                                  stdout=subprocess.PIPE, check=True).stdout  # a pipe: no seeks
        with open(zips['infozip-stream'], 'wb') as out:
            out.write(streamed)
        zips['jar'] = work('jar.zip')
        subprocess.run(['jar', 'cfM', zips['jar'], '-C', tree, '.'], check=True)
        gosrc = work('gozip')
        os.makedirs(gosrc)
        with open(os.path.join(gosrc, 'main.go'), 'w') as f:
            f.write(self.GO_ZIP)
        with open(os.path.join(gosrc, 'go.mod'), 'w') as f:
            f.write('module gozip\n\ngo 1.19\n')
        zips['go'] = work('go.zip')
        env = dict(os.environ, GOCACHE=work('gocache'), GOFLAGS='-mod=mod', GOPROXY='off')
        subprocess.run(['go', 'run', '.', tree, zips['go']], cwd=gosrc, env=env, check=True,
                       capture_output=True)
        with open(zips['infozip-zip64'], 'rb') as f:
            self.assertIn(b'PK\x06\x06', f.read(), 'zip -fz wrote no zip64 end record')
        for name, path in zips.items():
            with self.subTest(writer=name):
                db = work(name + '.sqlite')
                rc, _, err = run('db', 'import', '--db', db, '--name', 'n', path)
                self.assertEqual(rc, 0, err)
                self.assertEqual(self.tables(db), expected)


class LanguagePackages(unittest.TestCase):
    """Language packages in their ecosystems; a dist-info that dpkg owns is Debian's."""

    def test_npm_and_pypi_with_a_distro_owned_copy(self):
        root = work('lang-root')
        files = {
            'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
            'var/lib/dpkg/status': 'Package: python3-requests\nStatus: install ok installed\n'
                                   'Version: 2.28.1+dfsg-1\nSource: requests\nArchitecture: all\n\n',
            'var/lib/dpkg/info/python3-requests.list':
                '/usr/lib/python3/dist-packages/requests-2.28.1.dist-info\n'
                '/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA\n',
            'app/node_modules/lodash/package.json': '{"name": "lodash", "version": "4.17.20"}',
            'usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA':
                'Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\n',
            'opt/venv/lib/python3.11/site-packages/requests-2.28.1.dist-info/METADATA':
                'Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\n',
        }
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), 'w') as f:
                f.write(text)
        records = work('lang-osv')
        os.makedirs(records)
        for r in (osv_record('GHSA-35jh-r3h4-6jhm', 'npm', 'lodash',
                             [{'introduced': '0'}, {'fixed': '4.17.21'}], aliases=['CVE-2021-23337']),
                  osv_record('PYSEC-2023-74', 'PyPI', 'Requests',
                             [{'introduced': '2.3.0'}, {'fixed': '2.31.0'}], aliases=['CVE-2023-32681']),
                  # Debian's own verdict on its package: fixed below the installed version.
                  osv_record('DSA-0-1', 'Debian:12', 'requests',
                             [{'introduced': '0'}, {'fixed': '2.28.1+dfsg-0'}])):
            with open(os.path.join(records, r['id'] + '.json'), 'w') as f:
                json.dump(r, f)
        db = work('lang.sqlite')
        rc, _, err = run('db', 'import', '--db', db, records)
        self.assertEqual(rc, 0, err)
        rc, out, err = run('image', '--db', db, '--scanners', 'vuln', '-f', 'json', 'dir:' + root)
        self.assertEqual(rc, 0, err)
        got = sorted((f['id'], f['package']['name'], f['path'], f['fixed_version'])
                     for f in json.loads(out)['findings'] if f['kind'] == 'vulnerability')
        self.assertEqual(got, [
            ('CVE-2021-23337', 'lodash', '/app/node_modules/lodash/package.json', '4.17.21'),
            ('CVE-2023-32681', 'requests',
             '/opt/venv/lib/python3.11/site-packages/requests-2.28.1.dist-info/METADATA', '2.31.0'),
        ])
        # A malicious-package list (the shai-hulud format) names lodash 4.17.20.
        listed = work('malicious.json')
        with open(listed, 'w') as f:
            json.dump({'lodash': {'versions': ['4.17.20']}, 'requests': {'versions': ['9.9.9']}}, f)
        rc, out, err = run('image', '--scanners', 'malware', '--malware-packages', listed, '-f',
                           'json', 'dir:' + root)
        self.assertEqual(rc, 0, err)
        report = json.loads(out)
        malware = [(f['id'], f['package']['name'], f['severity'], f['controls'])
                   for f in report['findings'] if f['kind'] == 'malware']
        self.assertEqual(malware, [('malicious-package', 'lodash', 'CRITICAL', ['4.1.3'])])
        control = {c['id']: c for c in report['controls']}['4.1.3']
        self.assertEqual(control['status'], 'fail')
        shai = os.path.join(ARGS.shared, 'malicious/shai-hulud/malicious_npm_packages.json')
        if os.path.exists(shai):
            rc, out, err = run('image', '--scanners', 'malware', '--malware-packages', shai,
                               '-f', 'json', 'dir:' + root)
            self.assertEqual(rc, 0, err)
            self.assertEqual({c['id']: c for c in json.loads(out)['controls']}['4.1.3']['status'],
                             'pass')  # lodash 4.17.20 is not on that list


def alpine_rootfs(name, downgrade=None):
    """Unpacks trivy's Alpine `docker save` test image into a directory; optionally sets
    the version of every package built from one origin."""
    src = os.path.join(ARGS.shared, 'trivy/pkg/fanal/test/testdata', name + '.tar.gz')
    root = work(name + ('-down' if downgrade else ''))
    os.makedirs(root)
    with tarfile.open(src) as outer:
        for m in outer.getmembers():
            if m.name.endswith('layer.tar') or m.name.endswith('.tar') and '/' in m.name:
                layer = outer.extractfile(m)
                with tarfile.open(fileobj=io.BytesIO(layer.read())) as inner:
                    # 'tar' keeps the image's absolute symlinks (bin/arch -> /bin/busybox);
                    # Pythons before 3.11.4 have no filters and extract that way anyway.
                    if hasattr(tarfile, 'tar_filter'):
                        inner.extractall(root, filter='tar')
                    else:
                        inner.extractall(root)
    if downgrade:
        origin, version = downgrade
        db = os.path.join(root, 'lib/apk/db/installed')
        with open(db) as f:
            blocks = f.read().split('\n\n')
        out = []
        for b in blocks:
            lines = b.split('\n')
            fields = {l[:2]: l[2:] for l in lines if len(l) > 2 and l[1] == ':'}
            if fields.get('o:', fields.get('P:')) == origin:
                lines = ['V:' + version if l.startswith('V:') else l for l in lines]
            out.append('\n'.join(lines))
        with open(db, 'w') as f:
            f.write('\n\n'.join(out))
    return root


class AlpineSecdb(unittest.TestCase):
    """Alpine 3.10/3.11 images against alpine-secdb (../shared/data)."""

    def setUp(self):
        if not os.path.isdir(os.path.join(ARGS.shared, 'alpine-secdb')):
            self.skipTest('../shared/data not found: the Alpine conformance data is not here')
        self.db = work('alpine.sqlite')
        rc, _, err = run('db', 'import', '--db', self.db,
                         os.path.join(ARGS.shared, 'alpine-secdb/v3.10/main.yaml'),
                         os.path.join(ARGS.shared, 'alpine-secdb/v3.11/main.yaml'))
        self.assertEqual(rc, 0, err)

    def scan(self, root):
        rc, out, err = run('image', '--db', self.db, '--scanners', 'vuln', '-f', 'json',
                           'dir:' + root)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def secfixes(self, branch, origin):
        # The secdb YAML is regular: "name: X", "secfixes:", "  V:", "    - ID". Read it
        # by hand, independently of bulkhead's YAML path.
        fixes, current, version = {}, None, None
        with open(os.path.join(ARGS.shared, f'alpine-secdb/{branch}/main.yaml')) as f:
            for line in f:
                text = line.strip()
                if text == '- pkg:':
                    current, version = None, None
                elif text.startswith('name: '):
                    current = text[6:].strip()
                elif (current == origin and text.endswith(':') and text != 'secfixes:'
                      and not text.startswith('- ')):
                    version = text[:-1].strip().strip('"\'')
                    fixes[version] = []
                elif current == origin and text.startswith('- ') and version is not None:
                    fixes[version].append(text[2:].strip().strip('"\''))
        return fixes

    def test_current_images_have_no_false_positive(self):
        for name in ('alpine-310', 'alpine-311'):
            report = self.scan(alpine_rootfs(name))
            self.assertTrue(report['packages'], name)
            vulns = [f for f in report['findings'] if f['kind'] == 'vulnerability']
            # Every finding must be a secdb fix newer than the installed version: the
            # images are older than some fixes. None may name a version it already has.
            for f in vulns:
                fixes = self.secfixes('v' + report['target']['os']['version'][:4].rstrip('.'),
                                      f['package']['source_name'])
                self.assertIn(f['fixed_version'], fixes, f)
                self.assertIn(f['id'], [i.split()[0] for i in fixes[f['fixed_version']]], f)
                self.assertNotEqual(f['fixed_version'], f['installed_version'], f)
            control = {c['id']: c for c in report['controls']}['4.1.1']
            self.assertIn(control['status'], ('pass', 'fail'))
            if name == 'alpine-311':
                self.assertEqual(vulns, [], 'alpine 3.11.5 carries every 3.11 fix of 2020-06')

    def test_downgraded_package_yields_the_secdb_cves(self):
        report = self.scan(alpine_rootfs('alpine-311', downgrade=('openssl', '1.0.0-r0')))
        fixes = self.secfixes('v3.11', 'openssl')
        expected_ids = {i.split()[0] for v, ids in fixes.items() if v != '0' for i in ids}
        binaries = {p['name'] for p in report['packages'] if p.get('source_name') == 'openssl'}
        self.assertEqual(binaries, {'libcrypto1.1', 'libssl1.1'})
        got = {}
        for f in report['findings']:
            if f['kind'] == 'vulnerability' and f['package']['source_name'] == 'openssl':
                got.setdefault(f['package']['name'], set()).add(f['id'])
        for b in binaries:
            self.assertEqual(got.get(b), expected_ids, b)


class FeedImports(unittest.TestCase):
    """The real feeds in ../shared/data import without error."""

    def test_go_pypi_psf_almalinux_and_the_tracker_sample(self):
        if not os.path.isdir(os.path.join(ARGS.shared, 'osv-go')):
            self.skipTest('../shared/data not found: the OSV feeds are not here')
        db = work('feeds.sqlite')
        paths = {
            'osv-go/data/osv': None,
            'osv-pypa/vulns': None,
            'osv-psf/advisories': None,
            'osv-almalinux/almalinux-osv-advisories.tar.gz': None,
            'vunnel/tests/unit/providers/debian/test-fixtures/input/debian.json': None,
        }
        rc, _, err = run('db', 'import', '--db', db,
                         *[os.path.join(ARGS.shared, p) for p in paths])
        self.assertEqual(rc, 0, err)
        rc, out, err = run('db', 'info', '--db', db, '-f', 'json')
        info = json.loads(out)
        counts = {s['kind'] + ':' + s['location'].replace(ARGS.shared + '/', ''):
                  (s['records'], s['withdrawn']) for s in info['sources']}
        # Every record file is either stored or a withdrawn record.
        for tree, ext in (('osv-go/data/osv', '.json'), ('osv-pypa/vulns', '.yaml'),
                          ('osv-psf/advisories', '.json')):
            files = sum(1 for _, _, fs in os.walk(os.path.join(ARGS.shared, tree))
                        for f in fs if f.endswith(ext))
            records, withdrawn = counts['osv:' + tree]
            self.assertEqual(records + withdrawn, files, tree)
            self.assertGreater(records, 100, tree)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument('--bulkhead', required=True)
    parser.add_argument('--fixtures', required=True)
    parser.add_argument('--synthetic', required=True)
    parser.add_argument('--shared', required=True)
    parser.add_argument('--work', required=True)
    ARGS, rest = parser.parse_known_args()
    os.makedirs(ARGS.work, exist_ok=True)
    unittest.main(argv=[sys.argv[0], '-v', *rest])


if __name__ == '__main__':
    main()
