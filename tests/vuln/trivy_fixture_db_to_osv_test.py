#!/usr/bin/env python3
"""Unit tests of trivy_fixture_db_to_osv.py: Trivy's constraints as exact OSV ranges."""
import json
import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trivy_fixture_db_to_osv as conv  # noqa: E402


def ranges(advisory, ecosystem='npm'):
    return conv.osv_affected_versions(conv.vulnerable_set(advisory), ecosystem)


def r(*events):
    return {'type': 'ECOSYSTEM', 'events': [dict([e]) for e in events]}


class Constraints(unittest.TestCase):

    def test_upper_bounds(self):
        self.assertEqual(ranges({'VulnerableVersions': ['< 3.0.0']}),
                         ([r(('introduced', '0'), ('fixed', '3.0.0'))], []))
        self.assertEqual(ranges({'VulnerableVersions': ['<= 3.0.0']}),
                         ([r(('introduced', '0'), ('last_affected', '3.0.0'))], []))

    def test_conjunction_and_alternatives(self):
        self.assertEqual(
            ranges({'VulnerableVersions': ['<2.0.0 || >=3.0.0, <3.1.0']}),
            ([r(('introduced', '0'), ('fixed', '2.0.0')),
              r(('introduced', '3.0.0'), ('fixed', '3.1.0'))], []))
        # Several entries are alternatives too; overlapping ones merge.
        self.assertEqual(
            ranges({'VulnerableVersions': ['>= 1.0, < 2.0', '>= 1.5, <= 2.5']}),
            ([r(('introduced', '1.0'), ('last_affected', '2.5'))], []))
        # Space-separated comparisons are a conjunction as well.
        self.assertEqual(ranges({'VulnerableVersions': ['>=1.0 <2.0']}),
                         ([r(('introduced', '1.0'), ('fixed', '2.0'))], []))

    def test_exact_versions_become_a_versions_list(self):
        self.assertEqual(ranges({'VulnerableVersions': ['=1.2.3']}), ([], ['1.2.3']))
        self.assertEqual(ranges({'VulnerableVersions': ['1.2.3 || == 1.2.5']}),
                         ([], ['1.2.3', '1.2.5']))

    def test_patched_versions_are_subtracted(self):
        # Trivy: vulnerable = VulnerableVersions and not PatchedVersions; a patched version
        # at an inclusive end turns it into a fix.
        self.assertEqual(
            ranges({'VulnerableVersions': ['<= 1.6.14'], 'PatchedVersions': ['1.6.14']}),
            ([r(('introduced', '0'), ('fixed', '1.6.14'))], []))
        # Patched outside the vulnerable range changes nothing.
        self.assertEqual(
            ranges({'VulnerableVersions': ['< 3.4.0'], 'PatchedVersions': ['3.4.0']}),
            ([r(('introduced', '0'), ('fixed', '3.4.0'))], []))

    def test_patched_constraints_alone_are_complemented(self):
        # RustSec via trivy-db: only PatchedVersions, as constraints.
        self.assertEqual(
            ranges({'PatchedVersions': ['>= 3.1.0', '>= 2.1.3, < 3.0.0']}, 'crates.io'),
            ([r(('introduced', '0'), ('fixed', '2.1.3')),
              r(('introduced', '3.0.0'), ('fixed', '3.1.0'))], []))
        self.assertEqual(ranges({'UnaffectedVersions': ['< 1.0'], 'PatchedVersions': ['>= 2.0']}),
                         ([r(('introduced', '1.0'), ('fixed', '2.0'))], []))

    def test_everything(self):
        self.assertEqual(ranges({'VulnerableVersions': ['>= 0']}), ([r(('introduced', '0'))], []))
        self.assertEqual(ranges({'VulnerableVersions': ['>= 1.2']}),
                         ([r(('introduced', '1.2'))], []))

    def test_maven_ranges(self):
        self.assertEqual(ranges({'VulnerableVersions': ['[2.9.0,2.9.10.7)']}, 'Maven'),
                         ([r(('introduced', '2.9.0'), ('fixed', '2.9.10.7'))], []))
        self.assertEqual(ranges({'VulnerableVersions': ['(,1.5]']}, 'Maven'),
                         ([r(('introduced', '0'), ('last_affected', '1.5'))], []))
        self.assertEqual(ranges({'VulnerableVersions': ['[1.0]']}, 'Maven'), ([], ['1.0']))
        self.assertEqual(
            ranges({'VulnerableVersions': ['[1,2),[3,4)']}, 'Maven'),
            ([r(('introduced', '1'), ('fixed', '2')), r(('introduced', '3'), ('fixed', '4'))], []))

    def test_go_versions_lose_their_v(self):
        self.assertEqual(
            ranges({'VulnerableVersions': ['< v2.8.0'], 'PatchedVersions': ['v2.8.0']}, 'Go'),
            ([r(('introduced', '0'), ('fixed', '2.8.0'))], []))

    def test_trailing_zeros_are_one_version(self):
        self.assertEqual(
            ranges({'VulnerableVersions': ['<= 1.0'], 'PatchedVersions': ['1.0.0']}),
            ([r(('introduced', '0'), ('fixed', '1.0.0'))], []))

    def test_what_osv_cannot_say_is_refused(self):
        for advisory in (
                {'VulnerableVersions': ['> 1.0.0, < 2.0.0']},  # exclusive lower bound
                {'VulnerableVersions': ['< 2.0'], 'PatchedVersions': ['1.5']},  # a hole
                {'VulnerableVersions': ['!= 1.0']},
                {'VulnerableVersions': ['~> 1.2']},
                {'VulnerableVersions': ['^1.2.0']},
                {'VulnerableVersions': ['1.x']},
                {'VulnerableVersions': ['< 1.0.0-beta.2', '>= 1.0.0-alpha']},  # pre-releases
                {'VulnerableVersions': ['']},
                {},  # no versions at all
                {'VulnerableVersions': ['[1.0,2.0']},
        ):
            with self.subTest(advisory=advisory):
                with self.assertRaises(conv.Unsupported):
                    ranges(advisory)

    def test_an_advisory_that_leaves_nothing_vulnerable_is_reported(self):
        self.assertEqual(
            conv.vulnerable_set({'VulnerableVersions': ['< 1.0'], 'PatchedVersions': ['< 2.0']}),
            [])


class Convert(unittest.TestCase):

    def test_a_small_db(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, 'db')
            os.makedirs(db)
            with open(os.path.join(db, 'a.yaml'), 'w') as f:
                f.write(textwrap.dedent('''\
                    - bucket: "pip::GitHub Security Advisory Pip"
                      pairs:
                        - bucket: werkzeug
                          pairs:
                            - key: CVE-1
                              value:
                                PatchedVersions: [0.15.3]
                                VulnerableVersions: [< 0.15.3]
                            - key: CVE-2
                              value:
                                VulnerableVersions: ["> 1.0"]
                    - bucket: debian 9
                      pairs: []
                    - bucket: data-source
                      pairs:
                        - key: "pip::GitHub Security Advisory Pip"
                          value: {ID: ghsa}
                    - bucket: vulnerability
                      pairs:
                        - key: CVE-1
                          value:
                            Title: "werkzeug: a flaw"
                            Severity: LOW
                            VendorSeverity: {ghsa: 3, nvd: 2}
                            CVSS:
                              nvd: {V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}
                            References: [https://example.org/1]
                            LastModifiedDate: 2020-01-02T03:04:05Z
                    '''))
            out = os.path.join(d, 'out')
            self.assertEqual(conv.main([db, out]), 1)  # CVE-2 cannot be expressed
            self.assertFalse(os.path.exists(out))
            self.assertEqual(conv.main(['--keep-going', db, out]), 1)
            self.assertEqual(sorted(os.listdir(out)), ['CVE-1.json'])
            with open(os.path.join(out, 'CVE-1.json')) as f:
                rec = json.load(f)
        self.assertEqual(rec['id'], 'CVE-1')
        self.assertEqual(rec['modified'], '2020-01-02T03:04:05Z')
        self.assertEqual(rec['summary'], 'werkzeug: a flaw')
        self.assertEqual(rec['database_specific']['severity'], 'MEDIUM')  # NVD before Severity
        self.assertEqual(rec['severity'], [{'type': 'CVSS_V3', 'score':
                                            'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'}])
        self.assertEqual(rec['references'], [{'type': 'WEB', 'url': 'https://example.org/1'}])
        (a,) = rec['affected']
        self.assertEqual(a['package'], {'ecosystem': 'PyPI', 'name': 'werkzeug'})
        self.assertEqual(a['database_specific']['severity'], 'HIGH')  # the bucket's source
        self.assertEqual(a['ranges'], [r(('introduced', '0'), ('fixed', '0.15.3'))])


if __name__ == '__main__':
    unittest.main()
