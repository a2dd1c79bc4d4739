#include "bulkhead/k8s/check_catalog.h"

#include <algorithm>

namespace bulkhead::k8s {
namespace {

constexpr Severity kCrit = Severity::kCritical;
constexpr Severity kHigh = Severity::kHigh;
constexpr Severity kMed = Severity::kMedium;
constexpr Severity kLow = Severity::kLow;

constexpr CheckInfo kChecks[] = {
    // Pod Security Standards, baseline.
    {kHostProcess, kHigh, "Windows HostProcess container",
     "A HostProcess container runs as a process on the Windows host with host privileges.",
     "Remove securityContext.windowsOptions.hostProcess (or set it to false).", "4.4.3",
     "PSS baseline: HostProcess; CIS 5.2.11", "polaris:hostProcess"},
    {kHostNamespaces, kHigh, "Host namespaces shared",
     "hostNetwork, hostPID or hostIPC give the container the host's network stack, process "
     "table or IPC objects: it can sniff node traffic, signal host processes, read shared "
     "memory.",
     "Remove hostNetwork, hostPID and hostIPC (or set them to false).", "4.4.3,4.4.2",
     "PSS baseline: Host Namespaces; CIS 5.2.3, 5.2.4, 5.2.5",
     "polaris:hostNetworkSet,polaris:hostPIDSet,polaris:hostIPCSet,kubesec:HostNetwork,"
     "kubesec:HostPID,kubesec:HostIPC"},
    {kPrivileged, kHigh, "Privileged container",
     "A privileged container has every capability and every device of the host: it is root on "
     "the node.",
     "Remove securityContext.privileged (or set it to false); grant only the capabilities the "
     "process needs.",
     "4.4.3", "PSS baseline: Privileged Containers; CIS 5.2.2",
     "polaris:runAsPrivileged,kubesec:Privileged"},
    {kCapabilitiesBaseline, kHigh, "Capability added beyond the baseline set",
     "Capabilities beyond the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, "
     "KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) such as "
     "SYS_ADMIN or NET_ADMIN open the way to the host.",
     "Remove the capability from securityContext.capabilities.add.", "4.4.3",
     "PSS baseline: Capabilities; CIS 5.2.9", "polaris:dangerousCapabilities,kubesec:CapSysAdmin"},
    {kHostPathVolumes, kHigh, "hostPath volume",
     "A hostPath volume exposes a directory of the node to the container.",
     "Use emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim instead.", "4.4.3",
     "PSS baseline: HostPath Volumes; CIS 5.2.12", "polaris:hostPathSet"},
    {kHostPorts, kMed, "Host port",
     "A hostPort binds the node's port to the container, bypassing network policy and tying the "
     "pod to a node.",
     "Remove hostPort; expose the container through a Service.", "4.4.3,4.4.2",
     "PSS baseline: Host Ports; CIS 5.2.13", "polaris:hostPortSet"},
    {kAppArmor, kMed, "AppArmor profile overridden",
     "Setting the AppArmor profile to unconfined (or to anything but runtime/default or a "
     "localhost profile) removes the mandatory access control that confines the container.",
     "Use RuntimeDefault or a Localhost profile (securityContext.appArmorProfile or the "
     "container.apparmor.security.beta.kubernetes.io annotation).",
     "4.4.3", "PSS baseline: AppArmor", "kubesec:ApparmorAny"},
    {kSelinux, kMed, "SELinux options override the container type, user or role",
     "seLinuxOptions with a type other than container_t, container_init_t, container_kvm_t or "
     "container_engine_t, or with a user or role, can escape SELinux confinement.",
     "Remove seLinuxOptions.user and role; leave type empty or use an allowed container type.",
     "4.4.3", "PSS baseline: SELinux", ""},
    {kProcMount, kMed, "Unmasked /proc mount",
     "procMount: Unmasked exposes the host's /proc paths that the runtime normally masks.",
     "Remove securityContext.procMount (or set it to Default).", "4.4.3",
     "PSS baseline: /proc Mount Type", "polaris:procMount"},
    {kSeccompBaseline, kMed, "Seccomp profile set to Unconfined",
     "An Unconfined seccomp profile lets the container make every system call, the kernel's "
     "whole attack surface.",
     "Set seccompProfile.type to RuntimeDefault or Localhost.", "4.4.3",
     "PSS baseline: Seccomp; CIS 5.7.2", "kubesec:SeccompUnconfined"},
    {kSysctls, kMed, "Unsafe sysctl",
     "Only the namespaced sysctls of the safe set may be set; others change the node's kernel "
     "for every pod.",
     "Remove the sysctl from securityContext.sysctls.", "4.4.3", "PSS baseline: Sysctls", ""},
    // Pod Security Standards, restricted.
    {kVolumeTypes, kLow, "Volume type outside the restricted set",
     "The restricted profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, "
     "persistentVolumeClaim, projected and secret volumes.",
     "Replace the volume with one of the allowed types (a PersistentVolumeClaim for storage).",
     "4.4.3", "PSS restricted: Volume Types", ""},
    {kPrivilegeEscalation, kMed, "Privilege escalation allowed",
     "Unless allowPrivilegeEscalation is false, a process can gain more privileges than its "
     "parent (setuid binaries, file capabilities).",
     "Set securityContext.allowPrivilegeEscalation: false on every container.", "4.4.3",
     "PSS restricted: Privilege Escalation; CIS 5.2.6",
     "polaris:privilegeEscalationAllowed,kubesec:AllowPrivilegeEscalation"},
    {kRunAsNonRoot, kMed, "Not required to run as non-root",
     "Without runAsNonRoot: true the container runs as whatever user the image names, often "
     "root.",
     "Set securityContext.runAsNonRoot: true on the pod or on every container.", "4.4.3",
     "PSS restricted: Running as Non-root; CIS 5.2.7",
     "polaris:runAsRootAllowed,kubesec:RunAsNonRoot"},
    {kRunAsUserRoot, kMed, "Runs as UID 0", "runAsUser: 0 runs the container as root.",
     "Set runAsUser to a non-zero UID (10000 or above avoids host users).", "4.4.3",
     "PSS restricted: Running as Non-root user; CIS 5.2.7", "kubesec:RunAsUser"},
    {kSeccompRestricted, kLow, "Seccomp profile not set",
     "The restricted profile requires an explicit RuntimeDefault or Localhost seccomp profile; "
     "without one most runtimes run the container unconfined.",
     "Set spec.securityContext.seccompProfile.type: RuntimeDefault.", "4.4.3",
     "PSS restricted: Seccomp; CIS 5.7.2", "polaris:linuxHardening,kubesec:SeccompAny"},
    {kCapabilitiesRestricted, kLow, "Capabilities not dropped",
     "The restricted profile requires dropping ALL capabilities and adding back at most "
     "NET_BIND_SERVICE.",
     "Set securityContext.capabilities.drop: [ALL] and add only NET_BIND_SERVICE if needed.",
     "4.4.3", "PSS restricted: Capabilities; CIS 5.2.8, 5.2.10",
     "polaris:insecureCapabilities,kubesec:CapDropAll"},
    // Further workload hardening.
    {kWritableRootFs, kLow, "Root filesystem is writable",
     "A writable root filesystem lets an attacker change the container's binaries and "
     "configuration; containers should be immutable.",
     "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the "
     "process must write.",
     "4.4.3", "", "polaris:notReadOnlyRootFilesystem,kubesec:ReadOnlyRootFilesystem"},
    {kNoResourceLimits, kLow, "No CPU or memory limit",
     "Without limits one container can starve the node and its neighbours (NIST SP 800-190 "
     "4.4.3: limit the resources of each container).",
     "Set resources.limits.cpu and resources.limits.memory.", "4.4.3", "",
     "polaris:cpuLimitsMissing,polaris:memoryLimitsMissing,kubesec:LimitsCPU"},
    {kAutomountToken, kLow, "Service account token automounted",
     "Every process in the pod can use the mounted token to call the API server with the "
     "service account's rights.",
     "Set automountServiceAccountToken: false on the pod (or its service account) unless it "
     "talks to the API.",
     "4.4.3", "CIS 5.1.6", "polaris:automountServiceAccountToken"},
    {kImageLatest, kMed, "Image tag is latest or missing",
     "A mutable tag can point at different content tomorrow; what was scanned is not what "
     "runs.",
     "Reference the image by digest (name@sha256:...) or at least an immutable version tag.",
     "4.1.5", "", "polaris:tagNotSpecified"},
    {kImageNoDigest, kLow, "Image not pinned by digest",
     "Tags can be moved; only a digest names exactly the image that was scanned and approved.",
     "Reference the image as name:tag@sha256:<digest>.", "4.1.5", "", ""},
    {kUntrustedRegistry, kHigh, "Image from a registry outside the trusted list",
     "NIST SP 800-190 4.1.5: only images from a controlled set of trusted registries may run.",
     "Mirror the image into a trusted registry, or add the registry to --trusted-registries "
     "after review.",
     "4.1.5", "", ""},
    {kRuntimeSocket, kCrit, "Container runtime socket mounted",
     "A hostPath to docker.sock, containerd.sock or crio.sock gives the container full control "
     "of the node's runtime: it can start a privileged container and own the node.",
     "Remove the volume; use a dedicated, least-privilege API for what the workload needs.",
     "4.4.3,4.3.5", "PSS baseline: HostPath Volumes", "kubesec:DockerSock"},
    {kSecretInEnv, kHigh, "Secret in a plain environment value",
     "A credential written into the pod spec is stored in etcd and in every copy of the "
     "manifest, readable by anyone who can read the object.",
     "Move the value into a Secret and reference it with valueFrom.secretKeyRef (or mount it "
     "as a file).",
     "4.1.4", "CIS 5.4.1", ""},
    {kSecretInConfigMap, kHigh, "Secret in a ConfigMap",
     "ConfigMaps are not meant for credentials: they are not encrypted at rest and are widely "
     "readable.",
     "Move the value into a Secret.", "4.1.4", "", "polaris:sensitiveConfigmapContent"},
    {kSecretNamedEnv, kMed, "Secret-named environment variable with a literal value",
     "A variable named like a password, token or key holds a value written in the manifest.",
     "Use valueFrom.secretKeyRef instead of value.", "4.1.4", "CIS 5.4.1",
     "polaris:sensitiveContainerEnvVar"},
    // RBAC.
    {kRbacClusterAdmin, kHigh, "Binding grants cluster-admin or a wildcard role",
     "A role with * verbs on * resources is unbounded administrative access.",
     "Bind a role that lists only the resources and verbs the subject needs.", "4.3.1",
     "CIS 5.1.1, 5.1.3",
     "polaris:clusterrolebindingClusterAdmin,polaris:rolebindingClusterAdminClusterRole,"
     "polaris:rolebindingClusterAdminRole"},
    {kRbacEscalate, kHigh, "Binding grants escalate, bind or impersonate",
     "These verbs let the subject give itself any permission or act as any user.",
     "Remove escalate, bind and impersonate from the role.", "4.3.1", "CIS 5.1.8", ""},
    {kRbacSecrets, kMed, "Binding grants read access to secrets",
     "get, list or watch on secrets reveals every credential in scope.",
     "Grant access to the named secrets only (resourceNames), or none.", "4.3.1", "CIS 5.1.2", ""},
    {kRbacExec, kHigh, "Binding grants pods/exec or pods/attach",
     "exec and attach run commands in any pod in scope, with that pod's identity and secrets.",
     "Remove pods/exec and pods/attach from the role.", "4.3.1", "",
     "polaris:clusterrolePodExecAttach,polaris:rolePodExecAttach,"
     "polaris:clusterrolebindingPodExecAttach,polaris:rolebindingClusterRolePodExecAttach,"
     "polaris:rolebindingRolePodExecAttach"},
    {kRbacNodesProxy, kHigh, "Binding grants nodes/proxy",
     "nodes/proxy reaches the kubelet API directly, bypassing admission and audit.",
     "Remove nodes/proxy from the role.", "4.3.1,4.3.5", "CIS 5.1.10", ""},
    {kRbacKubeSystemCreate, kHigh, "Binding grants creating workloads in kube-system",
     "Creating pods in kube-system lets a subject run with the control plane's service "
     "accounts.",
     "Do not grant create on pods or controllers in kube-system.", "4.3.1", "CIS 5.1.4", ""},
    {kRbacAnonymous, kCrit, "Binding to system:anonymous or system:unauthenticated",
     "Anyone who can reach the API server gets the bound permissions without credentials.",
     "Delete the binding, or bind to authenticated subjects only.", "4.3.1,4.3.2", "CIS 5.1.1", ""},
    // Control plane.
    {kApiAnonymousAuth, kHigh, "API server allows anonymous requests",
     "With --anonymous-auth=true (the default) requests without credentials are served as "
     "system:anonymous.",
     "Set --anonymous-auth=false.", "4.3.2", "CIS 1.2.1", ""},
    {kApiAlwaysAllow, kCrit, "API server authorizes every request (AlwaysAllow)",
     "AlwaysAllow (the default without --authorization-mode) lets any authenticated request "
     "do anything.",
     "Set --authorization-mode=Node,RBAC.", "4.3.1,4.3.2", "CIS 1.2.6", ""},
    {kApiNoNodeAuthz, kMed, "API server authorization lacks Node",
     "Without the Node authorizer kubelets are not limited to their own node's objects.",
     "Include Node in --authorization-mode.", "4.3.5", "CIS 1.2.7", ""},
    {kApiNoRbac, kMed, "API server authorization lacks RBAC",
     "Without RBAC, Roles and bindings are not enforced.", "Include RBAC in --authorization-mode.",
     "4.3.1", "CIS 1.2.8", ""},
    {kApiNoEncryption, kMed, "Secrets not encrypted at rest",
     "Without --encryption-provider-config Secrets are stored in etcd in clear text.",
     "Configure an EncryptionConfiguration (aescbc, secretbox or KMS) and pass "
     "--encryption-provider-config.",
     "4.3.2", "CIS 1.2.29", ""},
    {kApiNoAuditLog, kMed, "No API audit log",
     "Without --audit-log-path administrative actions leave no trace.",
     "Set --audit-log-path and --audit-policy-file.", "4.3.1", "CIS 1.2.17", ""},
    {kApiNoTlsCert, kHigh, "API server without a TLS serving certificate",
     "Without --tls-cert-file and --tls-private-key-file the API server uses a self-signed "
     "certificate that clients cannot verify.",
     "Set --tls-cert-file and --tls-private-key-file.", "4.3.2", "CIS 1.2.26", ""},
    {kApiNoClientCa, kHigh, "API server without a client CA",
     "Without --client-ca-file client certificates are not verified.", "Set --client-ca-file.",
     "4.3.2", "CIS 1.2.27", ""},
    {kApiNoEtcdTls, kHigh, "API server talks to etcd without TLS",
     "Without --etcd-certfile, --etcd-keyfile and --etcd-cafile the API server's traffic to "
     "etcd is unauthenticated or unverified.",
     "Set --etcd-certfile, --etcd-keyfile and --etcd-cafile.", "4.3.2", "CIS 1.2.25, 1.2.28", ""},
    {kApiNoKubeletCa, kMed, "API server does not verify kubelet certificates",
     "Without --kubelet-certificate-authority the API server's connections to kubelets can be "
     "intercepted.",
     "Set --kubelet-certificate-authority.", "4.3.5", "CIS 1.2.5", ""},
    {kApiNoNodeRestriction, kMed, "NodeRestriction admission plugin not enabled",
     "Without NodeRestriction a kubelet can modify other nodes and pods it does not run.",
     "Add NodeRestriction to --enable-admission-plugins.", "4.3.5", "CIS 1.2.15", ""},
    {kApiAlwaysAdmit, kHigh, "AlwaysAdmit admission plugin enabled",
     "AlwaysAdmit admits every request, whatever other plugins decide.",
     "Remove AlwaysAdmit from --enable-admission-plugins.", "4.3.2", "CIS 1.2.10", ""},
    {kApiTokenAuthFile, kMed, "Static token file authentication",
     "Tokens in --token-auth-file never expire and can only be changed by restarting the API "
     "server.",
     "Remove --token-auth-file; use certificates, OIDC or service account tokens.", "4.3.2",
     "CIS 1.2.2", ""},
    {kControllerNoSaCredentials, kMed, "Controllers share one service account",
     "Without --use-service-account-credentials=true every controller runs with the controller "
     "manager's full rights.",
     "Set --use-service-account-credentials=true.", "4.3.1", "CIS 1.3.3", ""},
    {kBindAddress, kLow, "Control-plane component listens on every address",
     "The controller manager and scheduler need to listen on localhost only.",
     "Set --bind-address=127.0.0.1.", "4.3.2", "CIS 1.3.7, 1.4.2", ""},
    {kProfiling, kLow, "Profiling endpoint enabled",
     "The /debug/pprof endpoints reveal internals and can be used for denial of service.",
     "Set --profiling=false.", "4.3.2", "CIS 1.2.16, 1.3.2, 1.4.1", ""},
    {kEtcdNoTls, kHigh, "etcd serves clients without TLS",
     "Without --cert-file and --key-file etcd, which holds every Secret, is reachable in clear.",
     "Set --cert-file and --key-file.", "4.3.2", "CIS 2.1", ""},
    {kEtcdNoClientCertAuth, kHigh, "etcd does not authenticate clients",
     "Without --client-cert-auth=true anyone who reaches etcd can read and write the cluster "
     "state.",
     "Set --client-cert-auth=true and --trusted-ca-file.", "4.3.2", "CIS 2.2", ""},
    {kEtcdAutoTls, kMed, "etcd uses self-signed client certificates",
     "--auto-tls=true generates certificates that clients cannot verify.",
     "Set --auto-tls=false and use certificates from the cluster CA.", "4.3.2", "CIS 2.3", ""},
    {kEtcdNoPeerClientCertAuth, kMed, "etcd does not authenticate peers",
     "Without --peer-client-cert-auth=true any host can join the etcd cluster.",
     "Set --peer-client-cert-auth=true.", "4.3.5", "CIS 2.5", ""},
    {kEtcdPeerAutoTls, kMed, "etcd uses self-signed peer certificates",
     "--peer-auto-tls=true generates peer certificates that cannot be verified.",
     "Set --peer-auto-tls=false.", "4.3.5", "CIS 2.6", ""},
    {kKubeletAnonymousAuth, kHigh, "Kubelet allows anonymous requests",
     "Anonymous requests to the kubelet API can list pods and, with AlwaysAllow, run commands "
     "in them.",
     "Set authentication.anonymous.enabled: false.", "4.3.5,4.3.2", "CIS 4.2.1", ""},
    {kKubeletAlwaysAllow, kCrit, "Kubelet authorizes every request (AlwaysAllow)",
     "Every request that reaches the kubelet API may exec into pods and read their logs.",
     "Set authorization.mode: Webhook.", "4.3.5,4.3.2", "CIS 4.2.2", ""},
    {kKubeletReadOnlyPort, kMed, "Kubelet read-only port open",
     "The read-only port (10255) serves pod and node data without any authentication.",
     "Set readOnlyPort: 0.", "4.3.5", "CIS 4.2.4", ""},
    {kKubeletNoClientCa, kMed, "Kubelet does not verify client certificates",
     "Without authentication.x509.clientCAFile the kubelet cannot authenticate the API server's "
     "client certificate.",
     "Set authentication.x509.clientCAFile.", "4.3.5", "CIS 4.2.3", ""},
    // Network segmentation.
    {kNamespaceNoPolicy, kMed, "Namespace without a NetworkPolicy",
     "Pods that no NetworkPolicy selects accept traffic from every pod of the cluster and can "
     "reach every other pod.",
     "Add a default-deny policy (podSelector: {}, policyTypes: [Ingress, Egress]) and allow "
     "only the flows each workload needs.",
     "4.3.3,4.4.2", "CIS 5.3.2", "polaris:missingNetworkPolicy"},
    {kWorkloadNotIsolated, kLow, "Workload not isolated by any NetworkPolicy",
     "No NetworkPolicy selects the workload's pods for this direction, so all traffic is "
     "allowed.",
     "Select the workload with a policy (a default-deny policy with podSelector: {} covers the "
     "namespace).",
     "4.3.3,4.4.2", "CIS 5.3.2", ""},
    {kCrossSensitivityPath, kMed, "Network path between workloads of different sensitivity",
     "NIST SP 800-190 4.3.3: traffic of different sensitivity levels should be segmented; here "
     "the policies allow one workload to reach a workload of another level.",
     "Tighten the NetworkPolicies so that the two workloads cannot talk, or move them to "
     "separate networks.",
     "4.3.3", "", ""},
    {kSensitiveEgressAnywhere, kMed, "Sensitive workload may reach any address",
     "Egress to 0.0.0.0/0 from a sensitive workload lets a compromise exfiltrate data and "
     "reach arbitrary hosts.",
     "Restrict egress to the destinations the workload needs (ipBlock with specific CIDRs, "
     "namespace and pod selectors).",
     "4.4.2", "", ""},
    // Workload separation.
    {kMayShareNode, kMed, "Workloads of different sensitivity may share a node",
     "NIST SP 800-190 4.3.4: workloads of different sensitivity should run on separate hosts; "
     "nothing in their scheduling constraints keeps these two apart.",
     "Give each sensitivity level its own nodes: label and taint them, and use nodeSelector or "
     "required node affinity plus tolerations (or a RuntimeClass with a node selector).",
     "4.3.4", "", ""},
    {kNodeMixedSensitivity, kHigh, "Node runs pods of different sensitivity",
     "Pods of different sensitivity are bound to the same node (spec.nodeName).",
     "Reschedule the pods so that each node runs one sensitivity level.", "4.3.4", "", ""},
};

}  // namespace

std::span<const CheckInfo> CheckCatalog() { return kChecks; }

const CheckInfo* FindCheck(std::string_view id) {
  for (const CheckInfo& c : kChecks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

}  // namespace bulkhead::k8s
