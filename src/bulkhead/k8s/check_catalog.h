// The catalog of Kubernetes checks: one row per check with a stable id, severity, title,
// why it matters, how to fix it, the NIST SP 800-190 sections it bears on, the Pod Security
// Standards control or CIS Kubernetes Benchmark item it implements, and matching peer
// checks (Polaris, kubesec). Static data; thread-safe. docs/k8s.md is tested against it.
#pragma once

#include <span>
#include <string_view>

#include "bulkhead/core/report.h"

namespace bulkhead::k8s {

struct CheckInfo {
  std::string_view id;  ///< Stable: "BH-K8S-003". Never reused for another meaning.
  Severity severity;
  std::string_view title;
  std::string_view description;
  std::string_view remediation;
  std::string_view controls;  ///< NIST SP 800-190 sections, comma-separated: "4.4.3,4.4.2".
  std::string_view standard;  ///< "PSS baseline: Privileged Containers", "CIS 1.2.1", "".
  std::string_view peers;     ///< Polaris / kubesec ids, comma-separated; "" if none.
};

// Pod Security Standards, baseline profile.
inline constexpr std::string_view kHostProcess = "BH-K8S-001";
inline constexpr std::string_view kHostNamespaces = "BH-K8S-002";
inline constexpr std::string_view kPrivileged = "BH-K8S-003";
inline constexpr std::string_view kCapabilitiesBaseline = "BH-K8S-004";
inline constexpr std::string_view kHostPathVolumes = "BH-K8S-005";
inline constexpr std::string_view kHostPorts = "BH-K8S-006";
inline constexpr std::string_view kAppArmor = "BH-K8S-007";
inline constexpr std::string_view kSelinux = "BH-K8S-008";
inline constexpr std::string_view kProcMount = "BH-K8S-009";
inline constexpr std::string_view kSeccompBaseline = "BH-K8S-010";
inline constexpr std::string_view kSysctls = "BH-K8S-011";
// Pod Security Standards, restricted profile.
inline constexpr std::string_view kVolumeTypes = "BH-K8S-012";
inline constexpr std::string_view kPrivilegeEscalation = "BH-K8S-013";
inline constexpr std::string_view kRunAsNonRoot = "BH-K8S-014";
inline constexpr std::string_view kRunAsUserRoot = "BH-K8S-015";
inline constexpr std::string_view kSeccompRestricted = "BH-K8S-016";
inline constexpr std::string_view kCapabilitiesRestricted = "BH-K8S-017";
// Further workload hardening.
inline constexpr std::string_view kWritableRootFs = "BH-K8S-101";
inline constexpr std::string_view kNoResourceLimits = "BH-K8S-102";
inline constexpr std::string_view kAutomountToken = "BH-K8S-103";
inline constexpr std::string_view kImageLatest = "BH-K8S-104";
inline constexpr std::string_view kImageNoDigest = "BH-K8S-105";
inline constexpr std::string_view kUntrustedRegistry = "BH-K8S-106";
inline constexpr std::string_view kRuntimeSocket = "BH-K8S-107";
inline constexpr std::string_view kSecretInEnv = "BH-K8S-108";
inline constexpr std::string_view kSecretInConfigMap = "BH-K8S-109";
inline constexpr std::string_view kSecretNamedEnv = "BH-K8S-110";
// RBAC (4.3.1).
inline constexpr std::string_view kRbacClusterAdmin = "BH-K8S-201";
inline constexpr std::string_view kRbacEscalate = "BH-K8S-202";
inline constexpr std::string_view kRbacSecrets = "BH-K8S-203";
inline constexpr std::string_view kRbacExec = "BH-K8S-204";
inline constexpr std::string_view kRbacNodesProxy = "BH-K8S-205";
inline constexpr std::string_view kRbacKubeSystemCreate = "BH-K8S-206";
inline constexpr std::string_view kRbacAnonymous = "BH-K8S-207";
// Control plane and kubelet (4.3.2, 4.3.5).
inline constexpr std::string_view kApiAnonymousAuth = "BH-K8S-301";
inline constexpr std::string_view kApiAlwaysAllow = "BH-K8S-302";
inline constexpr std::string_view kApiNoNodeAuthz = "BH-K8S-303";
inline constexpr std::string_view kApiNoRbac = "BH-K8S-304";
inline constexpr std::string_view kApiNoEncryption = "BH-K8S-305";
inline constexpr std::string_view kApiNoAuditLog = "BH-K8S-306";
inline constexpr std::string_view kApiNoTlsCert = "BH-K8S-307";
inline constexpr std::string_view kApiNoClientCa = "BH-K8S-308";
inline constexpr std::string_view kApiNoEtcdTls = "BH-K8S-309";
inline constexpr std::string_view kApiNoKubeletCa = "BH-K8S-310";
inline constexpr std::string_view kApiNoNodeRestriction = "BH-K8S-311";
inline constexpr std::string_view kApiAlwaysAdmit = "BH-K8S-312";
inline constexpr std::string_view kApiTokenAuthFile = "BH-K8S-313";
inline constexpr std::string_view kControllerNoSaCredentials = "BH-K8S-314";
inline constexpr std::string_view kBindAddress = "BH-K8S-315";
inline constexpr std::string_view kProfiling = "BH-K8S-316";
inline constexpr std::string_view kEtcdNoTls = "BH-K8S-317";
inline constexpr std::string_view kEtcdNoClientCertAuth = "BH-K8S-318";
inline constexpr std::string_view kEtcdAutoTls = "BH-K8S-319";
inline constexpr std::string_view kEtcdNoPeerClientCertAuth = "BH-K8S-320";
inline constexpr std::string_view kEtcdPeerAutoTls = "BH-K8S-321";
inline constexpr std::string_view kKubeletAnonymousAuth = "BH-K8S-330";
inline constexpr std::string_view kKubeletAlwaysAllow = "BH-K8S-331";
inline constexpr std::string_view kKubeletReadOnlyPort = "BH-K8S-332";
inline constexpr std::string_view kKubeletNoClientCa = "BH-K8S-333";
// Network segmentation (4.3.3, 4.4.2).
inline constexpr std::string_view kNamespaceNoPolicy = "BH-K8S-401";
inline constexpr std::string_view kWorkloadNotIsolated = "BH-K8S-402";
inline constexpr std::string_view kCrossSensitivityPath = "BH-K8S-403";
inline constexpr std::string_view kSensitiveEgressAnywhere = "BH-K8S-404";
// Workload separation (4.3.4).
inline constexpr std::string_view kMayShareNode = "BH-K8S-501";
inline constexpr std::string_view kNodeMixedSensitivity = "BH-K8S-502";

/// Every check, in id order.
std::span<const CheckInfo> CheckCatalog();
/// The check with `id`, or nullptr.
const CheckInfo* FindCheck(std::string_view id);

}  // namespace bulkhead::k8s
