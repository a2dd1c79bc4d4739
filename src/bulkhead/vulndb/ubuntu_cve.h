// The Ubuntu CVE Tracker's files (git.launchpad.net/ubuntu-cve-tracker, active/CVE-*),
// the source of Ubuntu's own statuses, "ignored" among them:
//
//   Candidate: CVE-2020-9925
//   Priority: medium
//   Priority_vnc4: high                       (a per-package override)
//   CVSS:
//    nvd: CVSS:3.1/AV:N/...
//   bionic_vnc4: needed
//   trusty_vnc4: ignored (out of standard support)
//   focal_bluez: released (5.53-0ubuntu3)
//
// Per release: released (V) -> fixed in V; needed, active -> affected; pending (V),
// deferred -> fix-deferred; ignored -> will-not-fix, or end-of-life when its note says the
// release left standard support; needs-triage -> under-investigation; not-affected -> no
// finding; DNE (does not exist) -> nothing. upstream, devel, snap and the Ubuntu Pro
// streams (trusty/esm, esm-infra/...) are not releases an image's os-release names, and
// are skipped. Priority maps to severity (negligible -> LOW).
#pragma once

#include <string_view>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/feeds.h"

namespace bulkhead::vulndb {

/// True when `text` looks like a UCT file (a Candidate: field near the top).
bool LooksLikeUbuntuCve(std::string_view text);

/// One UCT file.
Status ParseUbuntuCve(std::string_view text, std::string_view name, const RecordSink& sink);

}  // namespace bulkhead::vulndb
