#!/usr/bin/env bash
# The inventory scan against its physical floor, in one run, as ratios:
#   floor:    `gzip -dc` of the same layer blobs (what any tool must at least do)
#   bulkhead: `bulkhead sbom` of the whole image, digests verified, every analyzer on
# plus peak RSS, and the stage micro-benchmarks (bench/decompress_bench.cc).
#
# usage: bench/run.sh BUILD_DIR   (the release build; fixtures are built when missing)
set -euo pipefail
build=${1:?usage: bench/run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")/.." && pwd)
bulkhead="$build/bulkhead"
"$here/scripts/build-fixtures" "$build/fixtures"
img="$build/fixtures/debian"
layers=$(python3 - "$img/oci" <<'PY'
import json, sys
d = sys.argv[1]
idx = json.load(open(f"{d}/index.json"))
m = json.load(open(f"{d}/blobs/sha256/" + idx["manifests"][0]["digest"][7:]))
print(" ".join(f"{d}/blobs/sha256/" + l["digest"][7:] for l in m["layers"]))
PY
)
bytes=$(du -cb $layers | tail -1 | cut -f1)
echo "image: $img/oci ($(echo $layers | wc -w) gzip layers, $bytes bytes compressed)"

json="$build/bench-hyperfine.json"
hyperfine --warmup 2 --runs 15 --export-json "$json" \
  -n 'gzip -dc (floor)' "cat $layers | gzip -dc > /dev/null" \
  -n 'bulkhead sbom' "$bulkhead sbom oci:$img/oci:test -f cyclonedx > /dev/null" \
  -n 'bulkhead sbom --threads 1' \
     "$bulkhead sbom oci:$img/oci:test -f cyclonedx --threads 1 > /dev/null" \
  -n 'bulkhead image (config + secrets)' \
     "$bulkhead image oci:$img/oci:test -f json --scanners config,secret > /dev/null"
python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
floor = r["gzip -dc (floor)"]["mean"]
floor_cpu = r["gzip -dc (floor)"]["user"] + r["gzip -dc (floor)"]["system"]
for name, x in r.items():
    cpu = x["user"] + x["system"]
    print(f"{name:40s} wall {x['mean']*1000:7.1f} ms (ratio {x['mean']/floor:4.2f})"
          f"  cpu {cpu*1000:7.1f} ms (ratio {cpu/floor_cpu:4.2f})")
PY
/usr/bin/time -f 'bulkhead sbom peak RSS: %M KiB' "$bulkhead" sbom "oci:$img/oci:test" > /dev/null
/usr/bin/time -f 'bulkhead sbom of the docker-archive (uncompressed layers), peak RSS: %M KiB, %e s' \
  "$bulkhead" sbom "docker-archive:$img/docker-archive.tar" > /dev/null
BULKHEAD_BENCH_LAYER=${layers%% *} "$build/bench/decompress_bench" --benchmark_min_time=0.5

# Vulnerability matching (issue 3): the database budgets (bench/vulndb_bench.cc), then the
# cost of matching inside an image scan, against the inventory-only scan of the same
# image. The database holds 100,000 synthetic Debian 12 records, among them 20 for each
# source package of the image.
"$build/bench/vulndb_bench"
vulndir="$build/bench-vulndb"
rm -rf "$vulndir" && mkdir -p "$vulndir"
python3 - "$img/expected-dpkg.tsv" "$vulndir/records.zip" <<'PY'
import json, random, sys, zipfile
sources = sorted({line.split('\t')[3] for line in open(sys.argv[1]) if line.strip()})
rng = random.Random(1)
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    n = 0
    names = sources * 20 + [f'synthetic{i}' for i in range(100000 - 20 * len(sources))]
    for name in names:
        n += 1
        fixed = f'{rng.randint(0, 3)}.{rng.randint(0, 30)}-{rng.randint(1, 5)}'
        z.writestr(f'BH-{n}.json', json.dumps({
            'id': f'BH-{n}', 'modified': '2025-01-01T00:00:00Z', 'summary': 'synthetic',
            'affected': [{'package': {'ecosystem': 'Debian:12', 'name': name},
                          'ranges': [{'type': 'ECOSYSTEM', 'events': [
                              {'introduced': '0'}, {'fixed': fixed}]}]}]}))
PY
"$bulkhead" db import --db "$vulndir/db.sqlite" "$vulndir/records.zip"
hyperfine --warmup 2 --runs 15 --export-json "$vulndir/hyperfine.json" \
  -n 'inventory only' "$bulkhead image oci:$img/oci:test -f json --scanners pkg > /dev/null" \
  -n 'inventory + vuln' \
     "$bulkhead image oci:$img/oci:test -f json --scanners vuln --db $vulndir/db.sqlite > /dev/null"
python3 - "$vulndir/hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base, with_vuln = r["inventory only"], r["inventory + vuln"]
cpu = lambda x: x["user"] + x["system"]
print(f"matching adds {100 * (with_vuln['mean'] / base['mean'] - 1):.1f}% wall "
      f"({base['mean'] * 1000:.1f} -> {with_vuln['mean'] * 1000:.1f} ms) and "
      f"{100 * (cpu(with_vuln) / cpu(base) - 1):.1f}% CPU to the inventory scan")
PY

# Issue 4 against peers on the same files: secretlint (npm, its recommended preset, run in
# batches of 200 files as its command line needs) and `yara -N -r -p 2` (Debian's yara)
# with the same YARA rules. The corpus is this machine's /usr/include. secretlint runs
# inside the corpus with relative paths: it refuses (exit 2, before reading any file)
# paths outside its working directory.
corpus=/usr/include
if command -v npm > /dev/null; then
  mkdir -p "$build/bench-peers"
  peers=$(cd "$build/bench-peers" && pwd)  # absolute: secretlint.sh runs in the corpus
  if [ ! -x "$peers/node_modules/.bin/secretlint" ]; then
    (cd "$peers" && npm install --no-audit --no-fund --silent secretlint@9 \
       @secretlint/secretlint-rule-preset-recommend@9 > /dev/null)
  fi
  echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' > "$peers/.secretlintrc.json"
  (cd "$corpus" && find . -type f | sort) > "$peers/files.txt"
  rm -f "$peers"/batch.* && split -l 200 "$peers/files.txt" "$peers/batch."
  cat > "$peers/secretlint.sh" <<SH
#!/usr/bin/env bash
cd "$corpus" || exit 2
for b in "$peers"/batch.*; do
  "$peers/node_modules/.bin/secretlint" --secretlintrc "$peers/.secretlintrc.json" \$(cat "\$b") > /dev/null 2>&1 || true
done
SH
  chmod +x "$peers/secretlint.sh"
  hyperfine --warmup 1 --runs 3 -i \
    -n 'secretlint (recommended preset)' "$peers/secretlint.sh" \
    -n 'bulkhead --scanners secret' "$bulkhead image dir:$corpus --scanners secret -f json > /dev/null"
  # Recall of both on a scratch tree of fresh secrets, at least one for every built-in rule
  # (tests/secret/planted.py, bench/secret_recall.py): found / planted per family.
  python3 "$here/bench/secret_recall.py" --bulkhead "$bulkhead" \
    --secretlint "$peers/node_modules/.bin/secretlint" --secretlintrc "$peers/.secretlintrc.json" \
    --work "$peers/recall"
  rm -rf "$peers/recall"
fi
rules="${BULKHEAD_SHARED_DIR:-$here/../shared}/data/malicious/reversinglabs-yara/yara"
if [ -d "$rules" ] && command -v yara > /dev/null; then
  mapfile -t rule_files < <(find "$rules" -name '*.yar' -o -name '*.yara' | sort)
  hyperfine --warmup 1 --runs 3 -i \
    -n 'yara -N -r -p 2' "yara -N -r -p 2 ${rule_files[*]} $corpus > /dev/null" \
    -n 'bulkhead --scanners malware' \
       "$bulkhead image dir:$corpus --scanners malware --malware-rules $rules -f json > /dev/null"
fi
