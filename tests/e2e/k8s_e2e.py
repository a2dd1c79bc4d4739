#!/usr/bin/env python3
"""End-to-end tests of `bulkhead k8s` (NIST SP 800-190 4.3, 4.4.2, 4.4.3).

Usage: k8s_e2e.py --bulkhead BIN --shared DIR

Runs the binary on the hand-written clusters of tests/k8s/testdata (vulnerable and
hardened), on hostile input (invalid YAML, YAML bombs, huge files), and, when DIR exists,
on every Polaris and kubesec manifest. JSON output is validated against
docs/schema/report-v1.schema.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

ARGS = None
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTDATA = os.path.join(ROOT, 'tests', 'k8s', 'testdata')
SCHEMA = os.path.join(ROOT, 'docs', 'schema', 'report-v1.schema.json')
VALIDATOR = os.path.join(ROOT, 'scripts', 'validate_json_schema.py')


def run(*argv, stdin=None, timeout=300):
    proc = subprocess.run([ARGS.bulkhead, 'k8s', *argv], capture_output=True, timeout=timeout,
                          input=stdin)
    return proc.returncode, proc.stdout.decode('utf-8', 'replace'), proc.stderr.decode(
        'utf-8', 'replace')


def data(*parts):
    return os.path.join(TESTDATA, *parts)


class K8sTest(unittest.TestCase):

    def json_report(self, *argv, expect_rc=0):
        rc, out, err = run(*argv, '-f', 'json')
        self.assertEqual(rc, expect_rc, err)
        with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
            f.write(out)
            path = f.name
        try:
            v = subprocess.run([sys.executable, VALIDATOR, SCHEMA, path], capture_output=True,
                               text=True)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        finally:
            os.unlink(path)
        return json.loads(out)

    def keys(self, report, prefix=''):
        return sorted('%s %s %s' % (f['id'], f.get('container', ''), f.get('field', ''))
                      for f in report['findings'] if f['id'].startswith(prefix))

    def test_vulnerable_workload(self):
        r = self.json_report(data('workloads', 'vulnerable.yaml'))
        self.assertEqual(r['target']['kind'], 'manifests')
        keys = self.keys(r)
        for want in [
                'BH-K8S-003 init spec.template.spec.initContainers[0].securityContext.privileged',
                'BH-K8S-107 app spec.template.spec.volumes[0].hostPath.path',
                'BH-K8S-002  spec.template.spec.hostNetwork',
                'BH-K8S-108 app spec.template.spec.containers[0].env[0].value',
                'BH-K8S-013 debug spec.template.spec.ephemeralContainers[0].securityContext.'
                'allowPrivilegeEscalation',
        ]:
            self.assertIn(want, keys)
        self.assertEqual(len(keys), 41)
        objects = {f.get('object') for f in r['findings']}
        self.assertEqual(objects, {'Deployment/shop/bad', 'Namespace/shop'})
        secret = [f for f in r['findings'] if f['id'] == 'BH-K8S-108'][0]
        self.assertNotIn('QWERTYUIOPASDFGH', json.dumps(secret))
        controls = {c['id']: c['status'] for c in r['controls']}
        self.assertEqual(controls['4.4.3'], 'fail')
        self.assertEqual(controls['4.3.1'], 'not-assessed')

    def test_hardened_workload_and_exit_code(self):
        r = self.json_report(data('workloads', 'hardened.yaml'), '--exit-code', '3')
        self.assertEqual(r['findings'], [])
        rc, _, _ = run(data('workloads', 'vulnerable.yaml'), '--exit-code', '3')
        self.assertEqual(rc, 3)
        rc, _, _ = run(data('workloads', 'hardened.yaml'), '--exit-code', '3')
        self.assertEqual(rc, 0)

    def test_rbac_and_control_plane(self):
        r = self.json_report(data('rbac', 'vulnerable.yaml'), data('controlplane', 'vulnerable.yaml'))
        ids = {f['id'] for f in r['findings']}
        for want in ['BH-K8S-201', 'BH-K8S-202', 'BH-K8S-203', 'BH-K8S-204', 'BH-K8S-205',
                     'BH-K8S-206', 'BH-K8S-207', 'BH-K8S-301', 'BH-K8S-302', 'BH-K8S-311',
                     'BH-K8S-330', 'BH-K8S-332']:
            self.assertIn(want, ids)
        r = self.json_report(data('rbac', 'hardened.yaml'), data('controlplane', 'hardened.yaml'))
        self.assertEqual(self.keys(r, 'BH-K8S-2') + self.keys(r, 'BH-K8S-3'), [])
        controls = {c['id']: c['status'] for c in r['controls']}
        self.assertEqual(controls['4.3.1'], 'pass')
        self.assertEqual(controls['4.3.2'], 'pass')

    def test_table_prints_reachability_summary(self):
        rc, out, err = run(data('network', 'cluster.yaml'))
        self.assertEqual(rc, 0, err)
        self.assertIn('BH-K8S-403', out)
        summary = out[out.index('Reachability between sensitivity levels'):]
        self.assertIn('\nmedium      3           0           -           0           1\n', summary)
        self.assertIn('may share a node: 11', summary)
        # Custom levels and label.
        rc, out, err = run(data('network', 'cluster.yaml'), '--sensitivity-levels',
                           'public,medium,restricted')
        self.assertEqual(rc, 0, err)
        self.assertIn('\nmedium      3           -           1\n', out)

    def test_inputs_directory_and_stdin(self):
        r = self.json_report(data('network'))
        self.assertEqual(r['target']['name'], data('network'))
        with open(data('network', 'cluster.yaml'), 'rb') as f:
            text = f.read()
        proc = subprocess.run([ARGS.bulkhead, 'k8s', '-', '-f', 'json'], input=text,
                              capture_output=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        piped = json.loads(proc.stdout)
        self.assertEqual(len(piped['findings']), len(r['findings']))
        self.assertEqual(piped['findings'][0]['path'], '-')

    def test_flags(self):
        r = self.json_report(data('workloads', 'vulnerable.yaml'), '--severity', 'CRITICAL')
        self.assertEqual(sorted(f['id'] for f in r['findings']), ['BH-K8S-107', 'BH-K8S-108'])
        r = self.json_report(data('workloads', 'vulnerable.yaml'), '--trusted-registries',
                             'registry.example.com')
        self.assertEqual(self.keys(r, 'BH-K8S-106'), [
            'BH-K8S-106 debug spec.template.spec.ephemeralContainers[0].image',
            'BH-K8S-106 init spec.template.spec.initContainers[0].image'
        ])
        r = self.json_report(data('workloads', 'vulnerable.yaml'), '--scanners', 'config')
        self.assertEqual(self.keys(r, 'BH-K8S-108'), [])
        for fmt in ['sarif', 'junit', 'html', 'table']:
            rc, out, err = run(data('workloads', 'vulnerable.yaml'), '-f', fmt)
            self.assertEqual(rc, 0, err)
            self.assertIn('BH-K8S-107', out)
        rc, _, err = run(data('workloads', 'vulnerable.yaml'), '-f', 'cyclonedx')
        self.assertEqual(rc, 2)
        rc, _, err = run(data('workloads', 'vulnerable.yaml'), '--sensitivity-levels', 'a,,b')
        self.assertEqual(rc, 2)
        self.assertIn('--sensitivity-levels', err)

    def test_policy_exception(self):
        with tempfile.TemporaryDirectory() as d:
            policy = os.path.join(d, 'policy.yaml')
            with open(policy, 'w') as f:
                f.write('fail_on:\n- severity: [CRITICAL]\nexceptions:\n'
                        '- id: BH-K8S-107\n  reason: node agent by design\n'
                        '- id: BH-K8S-108\n  reason: test key\n')
            rc, out, err = run(data('workloads', 'vulnerable.yaml'), '--policy', policy,
                               '--exit-code', '4', '-f', 'json')
            self.assertEqual(rc, 0, err)
            r = json.loads(out)
            self.assertEqual(len(r['suppressed']), 2)
            rc, _, _ = run(data('workloads', 'vulnerable.yaml'), '--exit-code', '4')
            self.assertEqual(rc, 4)

    def one_line_error(self, argv, *needles):
        rc, out, err = run(*argv)
        self.assertEqual(rc, 2, out + err)
        self.assertEqual(err.count('\n'), 1, err)
        for n in needles:
            self.assertIn(n, err)

    def test_bad_input(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, 'bad.yaml')
            with open(bad, 'w') as f:
                f.write('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n')
            self.one_line_error([bad], 'bad.yaml:', 'invalid YAML')
            bomb = os.path.join(d, 'bomb.yaml')
            with open(bomb, 'w') as f:
                f.write('a: &a ["x","x","x","x","x","x","x","x","x","x"]\n')
                prev = 'a'
                for c in 'bcdefghi':
                    f.write('%s: &%s [%s]\n' % (c, c, ','.join(['*' + prev] * 10)))
                    prev = c
                f.write('kind: Pod\n')
            self.one_line_error([bomb], 'bomb.yaml', 'YAML nodes')
            deep = os.path.join(d, 'deep.yaml')
            with open(deep, 'w') as f:
                f.write('kind: Pod\nspec: ' + '[' * 5000 + ']' * 5000 + '\n')
            self.one_line_error([deep], 'deep.yaml')
            huge = os.path.join(d, 'huge.yaml')
            with open(huge, 'w') as f:
                f.write('kind: ConfigMap\ndata:\n  big: "' + 'x' * 2000000 + '"\n')
            self.one_line_error([huge, '--max-file-bytes', '1000000'], 'huge.yaml', 'larger than')
            self.one_line_error([os.path.join(d, 'missing.yaml')], 'missing.yaml')
            unknown = os.path.join(d, 'unknown.yaml')
            with open(unknown, 'w') as f:
                f.write('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n')
            r = self.json_report(unknown)
            self.assertEqual([x['message'] for x in r['diagnostics']],
                             ['kind Widget is not audited: 1 object(s) ignored'])

    def test_peer_manifests(self):
        shared = ARGS.shared
        polaris = os.path.join(shared, 'k8s', 'polaris', 'test', 'checks')
        kubesec = os.path.join(shared, 'k8s', 'kubesec', 'test', 'asset')
        if not os.path.isdir(polaris) or not os.path.isdir(kubesec):
            self.skipTest('shared data not available')
        self.json_report(polaris)  # every Polaris manifest in one run
        outcomes = {}
        for name in sorted(os.listdir(kubesec)):
            path = os.path.join(kubesec, name)
            if not os.path.isfile(path):
                continue
            rc, out, err = run(path, '-f', 'json', '--scanners', 'config')
            self.assertIn(rc, (0, 2), name + err)
            if rc == 2:
                self.assertEqual(err.count('\n'), 1, err)
                self.assertIn(name, err)
            outcomes[name] = rc
        self.assertEqual(outcomes['score-0-daemonset-mount-docker-socket.yml'], 0)
        self.assertGreater(len(outcomes), 60)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument('--bulkhead', required=True)
    parser.add_argument('--shared', default='')
    ARGS, rest = parser.parse_known_args()
    ARGS.bulkhead = os.path.abspath(ARGS.bulkhead)
    result = unittest.main(argv=[sys.argv[0], '-v', *rest], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
