#include "bulkhead/config/check_catalog.h"

namespace bulkhead::config {
namespace {

constexpr CheckInfo kChecks[] = {
    {kRunsAsRoot, Severity::kMedium, "Image runs as root",
     "A container that runs as root turns any code execution bug into root inside the "
     "container and one kernel or runtime flaw away from root on the host.",
     "Create an unprivileged user and end the Dockerfile with `USER <uid>` (numeric, so "
     "that admission policies can verify it).",
     "4.1.2", "CIS Docker 4.1; Dockle CIS-DI-0001"},
    {kNoHealthcheck, Severity::kLow, "No HEALTHCHECK",
     "Without a health check the engine cannot tell a hung service from a working one.",
     "Add a `HEALTHCHECK` instruction, or rely on the orchestrator's probes and accept "
     "this check with a policy exception.",
     "4.1.2", "CIS Docker 4.6; Dockle CIS-DI-0006"},
    {kSetuidFile, Severity::kMedium, "setuid or setgid file",
     "setuid/setgid binaries are the classic way from an unprivileged user to root.",
     "Remove the bits in the build (`chmod a-s`) or remove the binaries you do not need; "
     "run containers with no-new-privileges.",
     "4.1.2", "CIS Docker 4.8; Dockle CIS-DI-0008"},
    {kWorldWritable, Severity::kMedium, "World-writable file outside /tmp",
     "Any process in the container can change a world-writable file, including the code "
     "or configuration other processes trust.",
     "Remove the o+w bit (`chmod o-w`), or use a sticky temporary directory.", "4.1.2", ""},
    {kSudoInstalled, Severity::kMedium, "sudo is installed",
     "sudo in an image means privileges can be raised at run time, which defeats running "
     "as a non-root user.",
     "Remove sudo; do privileged work at build time, before `USER`.", "4.1.2",
     "Dockle DKL-DI-0001"},
    {kSshServer, Severity::kHigh, "SSH server in the image",
     "NIST SP 800-190 4.1.2: images must not include SSH or other remote-shell tooling; "
     "containers are administered through the orchestrator, not by logging in.",
     "Remove the SSH server and do not expose port 22; use `kubectl exec` or the "
     "runtime's API for debugging.",
     "4.1.2", "CIS Docker 5.6"},
    {kSecretEnvKey, Severity::kHigh, "Secret-shaped ENV variable",
     "Values set with ENV are stored in the image config, readable by anyone who can pull "
     "the image, and inherited by every process.",
     "Inject secrets at run time (orchestrator secrets, a vault); never bake them into "
     "ENV or build arguments.",
     "4.1.4", "CIS Docker 4.10; Dockle CIS-DI-0010"},
    {kRemoteAdd, Severity::kMedium, "ADD from a remote URL",
     "`ADD <url>` downloads content at build time without any integrity check.",
     "Pin the content: `ADD --checksum=sha256:<digest> <url>`, or download with "
     "`curl ... && sha256sum -c`, or `COPY` a verified file.",
     "4.1.2", "CIS Docker 4.9; Dockle CIS-DI-0009"},
    {kPackageCache, Severity::kLow, "Package-manager cache left in the image",
     "Package indexes and downloaded packages bloat the image and record the state of "
     "the repositories at build time.",
     "Clean in the same layer: `apt-get clean && rm -rf /var/lib/apt/lists/*`, or "
     "`apk add --no-cache`.",
     "4.1.2", "Dockle DKL-DI-0004, DKL-DI-0005"},
    {kUpgradeInBuild, Severity::kLow, "Package upgrade in the build",
     "`apt-get upgrade`/`dist-upgrade`, `apk upgrade` or `yum`/`dnf update` in a Dockerfile "
     "makes builds unreproducible and hides a stale base image.",
     "Rebuild from a current base image instead of upgrading inside the build.", "4.1.2",
     "Dockle DKL-DI-0003"},
    {kUnpinnedTag, Severity::kLow, "Image not pinned: tag is latest or missing",
     "A mutable tag can point at different content tomorrow; what was scanned is not "
     "necessarily what runs.",
     "Reference images by digest (`name@sha256:...`) or at least an immutable version "
     "tag.",
     "4.1.5", "Dockle DKL-DI-0006"},
    {kEndOfLifeOs, Severity::kHigh, "Base OS is past its end of life",
     "After the end of security support no fixes are published: every new vulnerability "
     "in the base stays open.",
     "Rebuild on a supported release of the distribution.", "4.1.2", ""},
    {kUntrustedRegistry, Severity::kHigh, "Image from a registry outside the trusted list",
     "NIST SP 800-190 4.1.5: only images from a controlled set of trusted registries may "
     "run.",
     "Mirror the image into a trusted registry, or add the registry to "
     "--trusted-registries after review.",
     "4.1.5", "CIS Docker 4.2; Dockle CIS-DI-0002"},
    {kEmptyPassword, Severity::kCritical, "Account with an empty password",
     "An account without a password lets anyone with a shell become that user "
     "(CVE-2019-5021: Alpine's root account).",
     "Lock the account (`passwd -l`, or `*`/`!` in /etc/shadow) and keep `x` in its "
     "/etc/passwd password field.",
     "4.1.2", "Dockle DKL-LI-0001"},
};

}  // namespace

std::span<const CheckInfo> CheckCatalog() { return kChecks; }

const CheckInfo* FindCheck(std::string_view id) {
  for (const CheckInfo& c : kChecks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

}  // namespace bulkhead::config
