#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium renders what bulkhead wrote.

Usage: html_render.py --bulkhead BIN --synthetic DIR --out DIR

Writes OUT/tiny.html (`bulkhead image SYNTHETIC/tiny -f html`), then with Chromium:
  - a screenshot, OUT/tiny.png (1280x2000), which must be a real, non-trivial PNG;
  - the rendered DOM (--dump-dom), which must hold the control table and the findings,
    show that the inline script ran (the filter count it writes), and no Content Security
    Policy violation may be logged: the page's CSP allows its own style and script by hash
    and nothing else, so a wrong hash or any outside reference would show up here;
  - the filter, driven by a test copy of the page, must hide what it should.
Exit status 0 when everything holds, 1 on a failure, 77 when chromium is not installed.
"""
import argparse
import base64
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

ARGS = None
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
                  '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync']


def chromium(*argv, timeout=180):
    """Runs chromium with a fresh profile; returns (returncode, stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix='bulkhead-chromium-')
    try:
        proc = subprocess.run([ARGS.chromium, *CHROMIUM_FLAGS, f'--user-data-dir={profile}',
                               *argv], capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return (proc.returncode, proc.stdout.decode('utf-8', 'replace'),
            proc.stderr.decode('utf-8', 'replace'))


def csp_violations(stderr):
    return [line for line in stderr.splitlines() if 'Content Security Policy' in line]


class HtmlRender(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(ARGS.out, exist_ok=True)
        cls.html = os.path.join(ARGS.out, 'tiny.html')
        if os.path.exists(cls.html):
            os.remove(cls.html)
        proc = subprocess.run([ARGS.bulkhead, 'image', os.path.join(ARGS.synthetic, 'tiny'),
                               '-f', 'html', '-o', cls.html], capture_output=True, timeout=300)
        if proc.returncode != 0:
            raise AssertionError(f'bulkhead image failed ({proc.returncode}): '
                                 f'{proc.stderr.decode("utf-8", "replace")}')
        with open(cls.html, encoding='utf-8') as f:
            cls.source = f.read()
        cls.url = 'file://' + os.path.abspath(cls.html)

    def test_csp_hashes_match_the_inline_blocks(self):
        # An oracle independent of the writer: hash the blocks as the browser will.
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', self.source)
        self.assertIsNotNone(csp)
        for tag, directive in (('style', 'style-src'), ('script', 'script-src')):
            blocks = re.findall(rf'<{tag}>(.*?)</{tag}>', self.source, re.S)
            self.assertEqual(len(blocks), 1, tag)
            digest = base64.b64encode(hashlib.sha256(blocks[0].encode()).digest()).decode()
            self.assertIn(f"{directive} 'sha256-{digest}'", csp.group(1))
        self.assertIn("default-src 'none'", csp.group(1))

    def test_screenshot(self):
        png = os.path.join(ARGS.out, 'tiny.png')
        if os.path.exists(png):
            os.remove(png)
        rc, _, err = chromium(f'--screenshot={png}', '--window-size=1280,2000', self.url)
        self.assertEqual(rc, 0, err[-2000:])
        self.assertTrue(os.path.isfile(png), f'no screenshot at {png}: {err[-2000:]}')
        size = os.path.getsize(png)
        self.assertGreater(size, 10 * 1024, f'{png} is only {size} bytes')
        with open(png, 'rb') as f:
            head = f.read(24)
        self.assertEqual(head[:8], b'\x89PNG\r\n\x1a\n', 'not a PNG')
        self.assertEqual(head[12:16], b'IHDR')
        width, height = struct.unpack('>II', head[16:24])
        self.assertEqual((width, height), (1280, 2000))

    def test_rendered_dom(self):
        rc, dom, err = chromium('--enable-logging=stderr', '--v=0', '--dump-dom', self.url)
        self.assertEqual(rc, 0, err[-2000:])
        self.assertEqual(csp_violations(err), [])
        self.assertIn('id="control-table"', dom)
        self.assertIn('NIST SP 800-190 controls', dom)
        for control in ('4.1.1', '4.1.2', '4.1.5'):
            self.assertRegex(dom, rf'<td>{re.escape(control)}</td><td>[^<]+</td>')
        self.assertIn('id="findings"', dom)
        self.assertIn('<section class="layer">', dom)
        self.assertIn('BH-IMG-002', dom)  # the image has no HEALTHCHECK
        self.assertIn('id="summary"', dom)
        self.assertIn('<svg class="chart"', dom)
        # The script ran (CSP allowed it) and counted every finding row.
        rows = len(re.findall(r'<tr data-sev="', dom))
        self.assertGreater(rows, 0)
        self.assertIn(f'{rows} of {rows} shown', dom)

    def test_filter(self):
        # A copy of the page whose CSP is dropped, so that a driver script may type in the
        # filter box and untick a severity, as a user would.
        page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', '', self.source)
        driver = """<script>
document.getElementById('filter-text').value = 'healthcheck';
document.getElementById('filter-text').dispatchEvent(new Event('input'));
var after_text = document.getElementById('filter-count').textContent;
document.querySelector('input[data-sev="LOW"]').click();
document.body.setAttribute('data-after-text', after_text);
</script>"""
        page = page.replace('</body>', driver + '</body>')
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'filter.html')
            with open(path, 'w', encoding='utf-8') as f:
                f.write(page)
            rc, dom, err = chromium('--dump-dom', 'file://' + path)
        self.assertEqual(rc, 0, err[-2000:])
        rows = len(re.findall(r'<tr data-sev="', dom))
        # The text filter leaves the one HEALTHCHECK finding (LOW); unticking LOW hides it.
        self.assertIn(f'data-after-text="1 of {rows} shown"', dom)
        self.assertIn(f'0 of {rows} shown', dom)
        self.assertRegex(dom, r'<section class="layer" hidden="">')


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--bulkhead', required=True)
    parser.add_argument('--synthetic', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--chromium', default=shutil.which('chromium') or '')
    ARGS, rest = parser.parse_known_args()
    if not ARGS.chromium:
        print('SKIP: chromium is not installed (scripts/setup installs it)')
        return 77
    ARGS.synthetic = os.path.abspath(ARGS.synthetic)
    ARGS.out = os.path.abspath(ARGS.out)
    result = unittest.main(argv=[sys.argv[0], '-v', *rest], exit=False).result
    return 0 if result.wasSuccessful() else 1


if __name__ == '__main__':
    sys.exit(main())
