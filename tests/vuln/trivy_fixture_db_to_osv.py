#!/usr/bin/env python3
"""Converts Trivy's fixture vulnerability DB (trivy-db's bucket layout, as YAML) to OSV.

Usage: trivy_fixture_db_to_osv.py [--keep-going] DB_DIR OUT_DIR

DB_DIR holds the fixture YAML files of trivy/integration/testdata/fixtures/db: language
buckets "<ecosystem>::<data source>" -> package -> vulnerability id -> advisory
{VulnerableVersions, PatchedVersions, UnaffectedVersions}, the "vulnerability" bucket
(title, description, severity, CVSS, references, dates) and the "data-source" bucket
(which source each bucket is, e.g. ID "ghsa"). OUT_DIR receives one OSV record
(<id>.json) per vulnerability id, with one `affected` entry per (bucket, package).

The advisory's meaning is Trivy's (pkg/detector/library/compare): a version is vulnerable
when it satisfies one of VulnerableVersions (or there are none) and none of
PatchedVersions or UnaffectedVersions. Each entry is a constraint string: alternatives
joined by "||", each a comma- or space-separated conjunction of comparisons ("<", "<=",
">", ">=", "=", "==", or a bare version meaning "="), or Maven range sets ("[1.0,2.0)",
"(,1.5]", "[1.0]", "[1,2),[3,4)"). The converter computes that set exactly as a union of
intervals and writes one ECOSYSTEM range per interval (introduced/fixed, introduced/
last_affected, introduced only); a single version becomes an entry of `versions`.

What OSV cannot say is reported, never dropped: an interval with an exclusive lower bound
("> 1.0"), an operator without an exact interval form ("!=", "~>", "^", "~", wildcards),
an advisory that names no versions at all, or two endpoints this script cannot order
(it orders dotted numeric versions, with an optional leading "v" and "+build" suffix, and
refuses anything else rather than guess an ecosystem's pre-release rules). Each such
advisory is listed on stderr and the exit status is 1; --keep-going still writes the
records that converted.

Severity follows Trivy's choice for a language advisory: the bucket's own source
(VendorSeverity[data source ID], e.g. ghsa) goes to affected[].database_specific.severity;
NVD's (VendorSeverity.nvd), or else the record's Severity, to the record's
database_specific.severity. CVSS vectors (the source's own first, then NVD's) go to
severity[]. OS distro buckets are not converted (bulkhead reads the distros' own feeds);
they are listed in the summary on stdout.
"""
import argparse
import functools
import glob
import json
import os
import re
import sys

import yaml

# trivy-db's ecosystem prefix -> the OSV schema's ecosystem name.
OSV_ECOSYSTEM = {
    'npm': 'npm',
    'pip': 'PyPI',
    'go': 'Go',
    'cargo': 'crates.io',
    'rubygems': 'RubyGems',
    'composer': 'Packagist',
    'nuget': 'NuGet',
    'maven': 'Maven',
    'erlang': 'Hex',
    'pub': 'Pub',
    'swift': 'SwiftURL',
    'conan': 'ConanCenter',
    'k8s': 'Kubernetes',
    'bitnami': 'Bitnami',
}
# trivy-db's VendorSeverity numbers.
SEVERITY_NAMES = {0: 'UNKNOWN', 1: 'LOW', 2: 'MEDIUM', 3: 'HIGH', 4: 'CRITICAL'}


class Unsupported(Exception):
    """A constraint or advisory that OSV cannot express exactly."""


# ---------------------------------------------------------------------------------------
# Versions: only their order among one advisory's endpoints is needed.

_NUMERIC = re.compile(r'^v?(\d+(?:\.\d+)*)(?:\+[0-9A-Za-z.+-]*)?$')


def version_key(v):
    """Dotted numeric order, trailing zeros ignored ("1.0" == "1.0.0"), as every version
    scheme bulkhead matches with agrees for such versions. Raises Unsupported otherwise."""
    m = _NUMERIC.match(v)
    if not m:
        raise Unsupported(f'cannot order version {v!r} (only dotted numeric versions)')
    parts = [int(p) for p in m.group(1).split('.')]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def vcmp(a, b):
    ka, kb = version_key(a), version_key(b)
    return (ka > kb) - (ka < kb)


# ---------------------------------------------------------------------------------------
# Interval sets. An interval is (lo, lo_incl, hi, hi_incl); lo None is -inf, hi None +inf.
# A set is a sorted list of disjoint, non-adjacent, non-empty intervals.

ALL = [(None, False, None, False)]


def _lo_cmp(a, b):
    """Orders lower bounds: -inf first; at one version, inclusive before exclusive."""
    if a[0] is None or b[0] is None:
        return (b[0] is None) - (a[0] is None)
    c = vcmp(a[0], b[0])
    return c if c else (not a[1]) - (not b[1])


def _empty(iv):
    lo, lo_incl, hi, hi_incl = iv
    if lo is None or hi is None:
        return False
    c = vcmp(lo, hi)
    return c > 0 or (c == 0 and not (lo_incl and hi_incl))


def _touches(a, b):
    """Whether b (which starts at or after a) overlaps or abuts a, so that they merge."""
    if a[2] is None or b[0] is None:
        return True
    c = vcmp(b[0], a[2])
    return c < 0 or (c == 0 and (a[3] or b[1]))


def normalize(intervals):
    ivs = sorted((iv for iv in intervals if not _empty(iv)), key=functools.cmp_to_key(_lo_cmp))
    out = []
    for iv in ivs:
        if out and _touches(out[-1], iv):
            last = out[-1]
            if last[2] is None or iv[2] is None:
                hi, hi_incl = None, False
            else:
                c = vcmp(iv[2], last[2])
                if c > 0:
                    hi, hi_incl = iv[2], iv[3]
                elif c < 0:
                    hi, hi_incl = last[2], last[3]
                else:
                    hi, hi_incl = last[2], last[3] or iv[3]
            out[-1] = (last[0], last[1], hi, hi_incl)
        else:
            out.append(iv)
    return out


def union(*sets):
    return normalize([iv for s in sets for iv in s])


def complement(s):
    out = []
    lo, lo_incl = None, False
    for a_lo, a_lo_incl, a_hi, a_hi_incl in s:
        if a_lo is not None:
            out.append((lo, lo_incl, a_lo, not a_lo_incl))
        if a_hi is None:
            return normalize(out)
        lo, lo_incl = a_hi, not a_hi_incl
    out.append((lo, lo_incl, None, False))
    return normalize(out)


def intersect(a, b):
    return complement(union(complement(a), complement(b)))


# ---------------------------------------------------------------------------------------
# Constraint strings.

_TERM = re.compile(r'\s*(>=|<=|==|!=|~>|=|<|>|\^|~)?\s*([^\s,<>=!~^|]+)\s*')


def _comparison(op, v):
    if op in ('=', '==', None):
        return [(v, True, v, True)]
    if op == '<':
        return [(None, False, v, False)]
    if op == '<=':
        return [(None, False, v, True)]
    if op == '>':
        return [(v, False, None, False)]
    if op == '>=':
        # ">= 0" is every version, as OSV's "introduced: 0".
        return ALL if v == '0' else [(v, True, None, False)]
    raise Unsupported(f'operator {op!r} has no exact interval form')


def _maven_sets(text):
    """"[1.0,2.0),(3.0,]" -> an interval set; "[1.0]" is exactly 1.0."""
    out = []
    rest = text.strip()
    while rest:
        m = re.match(r'([\[(])([^\[\]()]*)([\])])\s*(?:,\s*)?', rest)
        if not m:
            raise Unsupported(f'bad Maven range {text!r}')
        open_, body, close = m.groups()
        rest = rest[m.end():]
        bounds = [b.strip() for b in body.split(',')]
        if len(bounds) == 1:
            if open_ != '[' or close != ']' or not bounds[0]:
                raise Unsupported(f'bad Maven range {text!r}')
            out.append((bounds[0], True, bounds[0], True))
            continue
        if len(bounds) != 2:
            raise Unsupported(f'bad Maven range {text!r}')
        lo, hi = bounds
        out.append((lo or None, bool(lo) and open_ == '[', hi or None, bool(hi) and close == ']'))
    return normalize(out)


def _conjunction(text):
    result = ALL
    pos = 0
    text = text.strip()
    if not text:
        raise Unsupported('empty constraint')
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            raise Unsupported(f'cannot parse constraint {text!r}')
        op, v = m.groups()
        if v in ('*', 'x', 'X') or v.endswith(('.*', '.x', '.X')):
            raise Unsupported(f'wildcard {v!r} has no exact interval form')
        result = intersect(result, normalize(_comparison(op, v)))
        pos = m.end()
        if pos < len(text) and text[pos] == ',':
            pos += 1
    return result


def parse_constraint(text):
    """One VulnerableVersions/PatchedVersions entry -> an interval set."""
    if not isinstance(text, str):
        raise Unsupported(f'constraint {text!r} is not a string')
    sets = []
    for alternative in text.split('||'):
        alternative = alternative.strip()
        if alternative.startswith(('[', '(')):
            sets.append(_maven_sets(alternative))
        else:
            sets.append(_conjunction(alternative))
    return union(*sets)


def vulnerable_set(advisory):
    """Trivy's verdict as an interval set: in VulnerableVersions (when given) and in none
    of PatchedVersions and UnaffectedVersions."""
    vulnerable = advisory.get('VulnerableVersions') or []
    secure = (advisory.get('PatchedVersions') or []) + (advisory.get('UnaffectedVersions') or [])
    if '' in vulnerable or '' in secure:
        # Trivy calls every version vulnerable then; no data supports that reading.
        raise Unsupported('an empty version constraint')
    if not vulnerable and not secure:
        raise Unsupported('the advisory names no versions')
    result = union(*[parse_constraint(c) for c in vulnerable]) if vulnerable else ALL
    if secure:
        result = intersect(result, complement(union(*[parse_constraint(c) for c in secure])))
    return result


def osv_affected_versions(intervals, ecosystem):
    """An interval set -> (OSV ranges, versions). Raises Unsupported when inexact."""
    def osv_version(v):
        # OSV's Go versions carry no "v" prefix (trivy-db's GHSA data sometimes does).
        return v[1:] if ecosystem == 'Go' and v.startswith('v') else v

    ranges, versions = [], []
    for lo, lo_incl, hi, hi_incl in intervals:
        if lo is not None and hi is not None and vcmp(lo, hi) == 0:
            versions.append(osv_version(lo))
            continue
        if lo is not None and not lo_incl:
            raise Unsupported(f'exclusive lower bound > {lo} (OSV has no such event)')
        events = [{'introduced': '0' if lo is None else osv_version(lo)}]
        if hi is not None:
            events.append({'fixed' if not hi_incl else 'last_affected': osv_version(hi)})
        ranges.append({'type': 'ECOSYSTEM', 'events': events})
    return ranges, versions


# ---------------------------------------------------------------------------------------
# The DB.

def load_buckets(db_dir):
    buckets = []
    for path in sorted(glob.glob(os.path.join(db_dir, '*.yaml'))):
        with open(path, encoding='utf-8') as f:
            doc = yaml.safe_load(f) or []
        for bucket in doc:
            buckets.append((os.path.basename(path), bucket))
    return buckets


def pairs(bucket):
    return bucket.get('pairs') or []


def severity_word(value):
    if isinstance(value, str):
        word = value.upper()
        return word if word in SEVERITY_NAMES.values() and word != 'UNKNOWN' else None
    if isinstance(value, (int, float)) and int(value) in SEVERITY_NAMES and int(value) != 0:
        return SEVERITY_NAMES[int(value)]
    return None


def cvss_entries(details, source_id):
    """severity[]: one vector per CVSS version, the bucket's source first, then NVD."""
    cvss = details.get('CVSS') or {}
    order = [s for s in (source_id, 'nvd') if s in cvss] + sorted(
        s for s in cvss if s not in (source_id, 'nvd'))
    out, seen = [], set()
    for source in order:
        for key, osv_type in (('V40Vector', 'CVSS_V4'), ('V3Vector', 'CVSS_V3'),
                              ('V2Vector', 'CVSS_V2')):
            vector = (cvss[source] or {}).get(key)
            if vector and osv_type not in seen:
                seen.add(osv_type)
                out.append({'type': osv_type, 'score': vector})
    return out


def date(value):
    if value is None:
        return None
    text = str(value).replace(' ', 'T')
    if re.match(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\+00:00)?$', text):
        text = text.replace('+00:00', '') + 'Z'
    return text


def convert(db_dir):
    """-> (records by id, problems, summary)."""
    buckets = load_buckets(db_dir)
    details, sources = {}, {}
    for _, b in buckets:
        if b.get('bucket') == 'vulnerability':
            details = {p['key']: p.get('value') or {} for p in pairs(b)}
        elif b.get('bucket') == 'data-source':
            sources = {p['key']: p.get('value') or {} for p in pairs(b)}
    records, problems = {}, []
    summary = {'converted': {}, 'not_converted': []}
    for file, b in buckets:
        name = b.get('bucket')
        if name in ('vulnerability', 'data-source'):
            continue
        prefix = name.split('::', 1)[0] if '::' in name else None
        ecosystem = OSV_ECOSYSTEM.get(prefix)
        if ecosystem is None:
            why = ('OS distro bucket: bulkhead reads the distro feeds themselves'
                   if prefix is None else f'no OSV ecosystem for {prefix!r}')
            summary['not_converted'].append(f'{file}: {name}: {why}')
            continue
        source_id = (sources.get(name) or {}).get('ID')
        for pkg in pairs(b):
            package = pkg.get('bucket')
            for adv in pairs(pkg):
                vid, advisory = adv.get('key'), adv.get('value') or {}
                where = f'{file}: {name}: {package}: {vid}'
                try:
                    ranges, versions = osv_affected_versions(vulnerable_set(advisory), ecosystem)
                except Unsupported as e:
                    problems.append(f'{where}: {e}')
                    continue
                if not ranges and not versions:
                    problems.append(f'{where}: no version is vulnerable')
                    continue
                info = details.get(vid, {})
                record = records.setdefault(vid, new_record(vid, info, source_id))
                affected = {'package': {'ecosystem': ecosystem, 'name': package}}
                if ranges:
                    affected['ranges'] = ranges
                if versions:
                    affected['versions'] = versions
                specific = {'trivy_bucket': name}
                own = severity_word((info.get('VendorSeverity') or {}).get(source_id))
                if own:
                    specific['severity'] = own
                for key in ('VulnerableVersions', 'PatchedVersions', 'UnaffectedVersions'):
                    if advisory.get(key):
                        specific[key] = advisory[key]
                affected['database_specific'] = specific
                record['affected'].append(affected)
                summary['converted'][ecosystem] = summary['converted'].get(ecosystem, 0) + 1
    return records, problems, summary


def new_record(vid, info, source_id):
    record = {
        'schema_version': '1.6.0',
        'id': vid,
        'modified': date(info.get('LastModifiedDate')) or '1970-01-01T00:00:00Z',
    }
    published = date(info.get('PublishedDate'))
    if published:
        record['published'] = published
    if info.get('Title'):
        record['summary'] = info['Title'].strip().splitlines()[0][:200]
    if info.get('Description'):
        record['details'] = info['Description']
    severity = cvss_entries(info, source_id)
    if severity:
        record['severity'] = severity
    record['affected'] = []
    refs = info.get('References') or []
    if refs:
        record['references'] = [{'type': 'WEB', 'url': r} for r in refs]
    specific = {}
    # Trivy's fallback after the bucket's own source: NVD's word, then the record's.
    word = severity_word((info.get('VendorSeverity') or {}).get('nvd')) or severity_word(
        info.get('Severity'))
    if word:
        specific['severity'] = word
    if info.get('CweIDs'):
        specific['cwe_ids'] = info['CweIDs']
    if specific:
        record['database_specific'] = specific
    return record


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('db_dir')
    ap.add_argument('out_dir')
    ap.add_argument('--keep-going', action='store_true',
                    help='write the records that converted even when some advisories did not')
    args = ap.parse_args(argv)
    records, problems, summary = convert(args.db_dir)
    for p in problems:
        print(f'not converted: {p}', file=sys.stderr)
    if problems and not args.keep_going:
        return 1
    os.makedirs(args.out_dir, exist_ok=True)
    for vid, record in sorted(records.items()):
        with open(os.path.join(args.out_dir, vid + '.json'), 'w', encoding='utf-8') as f:
            json.dump(record, f, indent=1, sort_keys=True)
            f.write('\n')
    summary['records'] = len(records)
    summary['problems'] = problems
    print(json.dumps(summary, indent=1, sort_keys=True))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
