// RBAC (4.3.1) and control-plane flags (4.3.2, 4.3.5) on vulnerable and hardened clusters.
#include <gtest/gtest.h>

#include "tests/k8s/k8s_test_util.h"

namespace bulkhead::k8s {
namespace {

using testutil::AuditText;
using testutil::Lines;
using testutil::TestData;
using V = std::vector<std::string>;

// "id object: title" for the findings whose id starts with `prefix`, sorted.
V Described(const Report& r, std::string_view prefix) {
  V out;
  for (const Finding& f : r.findings) {
    if (f.id.starts_with(prefix)) out.push_back(f.id + " " + f.object + ": " + f.title);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool Assessed(const Report& r, std::string_view control) {
  return std::find(r.assessed_controls.begin(), r.assessed_controls.end(), control) !=
         r.assessed_controls.end();
}

TEST(Rbac, VulnerableBindings) {
  AuditResult r = AuditText(TestData("rbac/vulnerable.yaml"));
  EXPECT_EQ(
      Described(r.report, "BH-K8S-2"),
      (V{
          "BH-K8S-201 ClusterRoleBinding/dev-admin: ClusterRole cluster-admin grants every verb "
          "on every resource to User alice",
          "BH-K8S-201 RoleBinding/ci/ci-everything: ClusterRole everything grants every verb on "
          "every resource to ServiceAccount ci/builder",
          "BH-K8S-202 ClusterRoleBinding/node-debug: ClusterRole node-debug grants escalate, bind "
          "or impersonate to User bob",
          "BH-K8S-202 RoleBinding/kube-system/ops: Role ops grants escalate, bind or impersonate "
          "to Group ops-team",
          "BH-K8S-203 RoleBinding/kube-system/ops: Role ops grants get/list/watch on secrets to "
          "Group ops-team",
          "BH-K8S-203 RoleBinding/web/editors: ClusterRole edit grants get/list/watch on secrets "
          "to Group system:authenticated",
          "BH-K8S-204 RoleBinding/kube-system/ops: Role ops grants pods/exec or pods/attach to "
          "Group ops-team",
          "BH-K8S-204 RoleBinding/web/editors: ClusterRole edit grants pods/exec or pods/attach "
          "to Group system:authenticated",
          "BH-K8S-205 ClusterRoleBinding/node-debug: ClusterRole node-debug grants nodes/proxy to "
          "User bob",
          "BH-K8S-206 RoleBinding/kube-system/ops: Role ops grants create on workloads in "
          "kube-system to Group ops-team",
          "BH-K8S-207 ClusterRoleBinding/anonymous-view: Binds ClusterRole view to "
          "system:anonymous",
      }));
  EXPECT_TRUE(Assessed(r.report, "4.3.1"));
  for (const ControlResult& c : r.report.controls) {
    if (c.id == "4.3.1") {
      EXPECT_EQ(c.status, ControlStatus::kFail);
    }
  }
}

TEST(Rbac, HardenedBindings) {
  AuditResult r = AuditText(TestData("rbac/hardened.yaml"));
  EXPECT_EQ(Lines(r.report), V{});
  EXPECT_TRUE(Assessed(r.report, "4.3.1"));
  for (const ControlResult& c : r.report.controls) {
    if (c.id == "4.3.1") {
      EXPECT_EQ(c.status, ControlStatus::kPass);
    }
  }
}

TEST(ControlPlane, VulnerableFlags) {
  AuditResult r = AuditText(TestData("controlplane/vulnerable.yaml"));
  EXPECT_EQ(Lines(r.report, "BH-K8S-3"),
            (V{
                "BH-K8S-301 kube-apiserver spec.containers[0].command[1]",
                "BH-K8S-302 kube-apiserver spec.containers[0].command[2]",
                "BH-K8S-303 kube-apiserver spec.containers[0].command[2]",
                "BH-K8S-304 kube-apiserver spec.containers[0].command[2]",
                "BH-K8S-305 kube-apiserver spec.containers[0].command",
                "BH-K8S-306 kube-apiserver spec.containers[0].command",
                "BH-K8S-307 kube-apiserver spec.containers[0].command",
                "BH-K8S-308 kube-apiserver spec.containers[0].command",
                "BH-K8S-309 kube-apiserver spec.containers[0].command",
                "BH-K8S-310 kube-apiserver spec.containers[0].command",
                "BH-K8S-311 kube-apiserver spec.containers[0].command[3]",
                "BH-K8S-312 kube-apiserver spec.containers[0].command[3]",
                "BH-K8S-313 kube-apiserver spec.containers[0].command[4]",
                "BH-K8S-314 kube-controller-manager spec.containers[0].command",
                "BH-K8S-315 kube-controller-manager spec.containers[0].command[1]",
                "BH-K8S-315 kube-scheduler spec.containers[0].command",
                "BH-K8S-316 kube-apiserver spec.containers[0].command",
                "BH-K8S-316 kube-controller-manager spec.containers[0].command",
                "BH-K8S-316 kube-scheduler spec.containers[0].command[1]",
                "BH-K8S-317 etcd spec.containers[0].command",
                "BH-K8S-318 etcd spec.containers[0].command[3]",
                "BH-K8S-319 etcd spec.containers[0].command[1]",
                "BH-K8S-320 etcd spec.containers[0].command",
                "BH-K8S-321 etcd spec.containers[0].command[2]",
                "BH-K8S-330 authentication.anonymous.enabled",
                "BH-K8S-331 authorization.mode",
                "BH-K8S-332 readOnlyPort",
                "BH-K8S-333 authentication.x509.clientCAFile",
            }));
  for (const Finding& f : r.report.findings) {
    if (f.id == "BH-K8S-302") {
      EXPECT_EQ(f.title, "kube-apiserver: --authorization-mode includes AlwaysAllow");
      EXPECT_EQ(f.object, "Pod/kube-system/kube-apiserver-cp1");
      EXPECT_EQ(f.references, (V{"CIS Kubernetes Benchmark 1.8: 1.2.6"}));
      EXPECT_EQ(f.line, 12u);
    }
    if (f.id == "BH-K8S-314") {
      EXPECT_EQ(f.title,
                "kube-controller-manager: --use-service-account-credentials=false (the default)");
    }
  }
  EXPECT_TRUE(Assessed(r.report, "4.3.2"));
  EXPECT_TRUE(Assessed(r.report, "4.3.5"));
}

TEST(ControlPlane, HardenedFlags) {
  AuditResult r = AuditText(TestData("controlplane/hardened.yaml"));
  EXPECT_EQ(Lines(r.report, "BH-K8S-3"), V{});
  for (const ControlResult& c : r.report.controls) {
    if (c.id == "4.3.2" || c.id == "4.3.5") {
      EXPECT_EQ(c.status, ControlStatus::kPass) << c.id;
    }
  }
}

TEST(ControlPlane, AbsentFlagsUseTheirInsecureDefaults) {
  AuditResult r = AuditText(R"(apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
  - {name: apiserver, image: registry.k8s.io/kube-apiserver:v1.29.0}
)");
  V ids;
  for (const Finding& f : r.report.findings) {
    if (f.id.starts_with("BH-K8S-3")) ids.push_back(f.id);
  }
  std::sort(ids.begin(), ids.end());
  // AlwaysAllow by default, but Node and RBAC are only judged when the flag is given.
  EXPECT_EQ(ids, (V{"BH-K8S-301", "BH-K8S-302", "BH-K8S-305", "BH-K8S-306", "BH-K8S-307",
                    "BH-K8S-308", "BH-K8S-309", "BH-K8S-310", "BH-K8S-311", "BH-K8S-316"}));
}

}  // namespace
}  // namespace bulkhead::k8s
