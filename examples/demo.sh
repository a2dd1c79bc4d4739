#!/usr/bin/env bash
# Builds a small demo image from real Debian packages plus the files in examples/demo-app,
# with the same tools users build images with (mmdebstrap, umoci, skopeo), then scans it.
#
# usage: examples/demo.sh BULKHEAD WORKDIR
set -euo pipefail
bulkhead=${1:?usage: demo.sh BULKHEAD WORKDIR}
work=${2:?usage: demo.sh BULKHEAD WORKDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
work=$(cd "$work" && pwd)
archive="$work/demo.oci.tar"
stamp=$( (cat "$0"; find "$here/demo-app" -type f -print0 | sort -z | xargs -0 cat) | sha256sum | cut -d' ' -f1)

if [ ! -f "$archive" ] || [ "$(cat "$work/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "demo: building the demo image (Debian 12 minbase + openssl + the demo app)..." >&2
  tmp=$(mktemp -d "$work/build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  mmdebstrap --quiet --mode=root --variant=minbase --include=openssl,ca-certificates \
    --format=tar --customize-hook='rm -f "$1/etc/resolv.conf" "$1/etc/hostname"' \
    bookworm "$tmp/base.tar" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" </dev/null
  umoci init --layout "$tmp/oci"
  umoci new --image "$tmp/oci:demo"
  umoci raw add-layer --image "$tmp/oci:demo" \
    --history.created_by 'mmdebstrap --variant=minbase --include=openssl,ca-certificates bookworm' \
    "$tmp/base.tar"
  umoci insert --image "$tmp/oci:demo" --history.created_by 'COPY demo-app /' \
    "$here/demo-app" /
  umoci config --image "$tmp/oci:demo" --config.cmd /opt/demo-app/run.sh \
    --config.label org.opencontainers.image.title=bulkhead-demo
  rm -f "$archive"
  skopeo --insecure-policy copy --quiet "oci:$tmp/oci:demo" "oci-archive:$archive:demo"
  echo "$stamp" > "$work/.stamp"
fi

echo "demo: bulkhead image oci-archive:$archive" >&2
"$bulkhead" image "oci-archive:$archive"
echo >&2
echo "demo: an SBOM of the same image is one command away:" >&2
echo "  $bulkhead sbom oci-archive:$archive --format cyclonedx" >&2
