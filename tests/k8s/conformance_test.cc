// Conformance with peer tools' labelled manifests (../shared/data/k8s): Polaris' success
// and failure cases for every check the two tools share, and kubesec's assets, whose file
// names say which control they exercise. Prints the agreement table of docs/k8s.md.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "tests/k8s/k8s_test_util.h"

namespace bulkhead::k8s {
namespace {

namespace fs = std::filesystem;
using V = std::vector<std::string>;

struct Mapping {
  std::string_view peer;
  V ids;                    // bulkhead checks that correspond
  std::string_view filter;  // substring of title or field the finding must hold; "" = any
  bool bind_roles = false;  // Polaris judges roles; bulkhead judges the bindings that grant them
};

// Polaris check -> bulkhead check(s).
const std::vector<Mapping>& PolarisMap() {
  static const auto* m = new std::vector<Mapping>{
      {"automountServiceAccountToken", {"BH-K8S-103"}, "", false},
      {"clusterrolePodExecAttach", {"BH-K8S-204", "BH-K8S-201"}, "", true},
      {"clusterrolebindingClusterAdmin", {"BH-K8S-201"}, "", false},
      {"clusterrolebindingPodExecAttach", {"BH-K8S-204", "BH-K8S-201"}, "", false},
      {"cpuLimitsMissing", {"BH-K8S-102"}, "cpu", false},
      {"dangerousCapabilities", {"BH-K8S-004"}, "", false},
      {"hostIPCSet", {"BH-K8S-002"}, "hostIPC", false},
      {"hostNetworkSet", {"BH-K8S-002"}, "hostNetwork", false},
      {"hostPIDSet", {"BH-K8S-002"}, "hostPID", false},
      {"hostPathSet", {"BH-K8S-005"}, "", false},
      {"hostPortSet", {"BH-K8S-006"}, "", false},
      {"hostProcess", {"BH-K8S-001"}, "", false},
      {"insecureCapabilities", {"BH-K8S-017"}, "", false},
      {"linuxHardening", {"BH-K8S-016"}, "", false},
      {"memoryLimitsMissing", {"BH-K8S-102"}, "memory", false},
      {"missingNetworkPolicy", {"BH-K8S-401", "BH-K8S-402"}, "", false},
      {"notReadOnlyRootFilesystem", {"BH-K8S-101"}, "", false},
      {"privilegeEscalationAllowed", {"BH-K8S-013"}, "", false},
      {"procMount", {"BH-K8S-009"}, "", false},
      {"rolePodExecAttach", {"BH-K8S-204", "BH-K8S-201"}, "", true},
      {"rolebindingClusterAdminClusterRole", {"BH-K8S-201"}, "", false},
      {"rolebindingClusterAdminRole", {"BH-K8S-201"}, "", false},
      {"rolebindingClusterRolePodExecAttach", {"BH-K8S-204", "BH-K8S-201"}, "", false},
      {"rolebindingRolePodExecAttach", {"BH-K8S-204", "BH-K8S-201"}, "", false},
      {"runAsPrivileged", {"BH-K8S-003"}, "", false},
      {"runAsRootAllowed", {"BH-K8S-014"}, "", false},
      {"sensitiveConfigmapContent", {"BH-K8S-109"}, "", false},
      {"sensitiveContainerEnvVar", {"BH-K8S-108", "BH-K8S-110"}, "", false},
      {"tagNotSpecified", {"BH-K8S-104"}, "", false},
  };
  return *m;
}

// Whether bulkhead reports the mapped check on `text`; nullopt when it cannot load it.
std::optional<bool> Fires(const std::string& text, const std::string& name, const Mapping& m) {
  Manifests manifests;
  if (!ParseManifests(text, name, {}, &manifests).ok()) return std::nullopt;
  if (m.bind_roles) {
    std::string bindings;
    for (const Object& o : manifests.objects) {
      if (o.kind != "ClusterRole" && o.kind != "Role") continue;
      bindings += "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: " +
                  std::string(o.kind == "Role" ? "RoleBinding" : "ClusterRoleBinding") +
                  "\nmetadata: {name: conformance, namespace: " + o.ns +
                  "}\nroleRef: {kind: " + o.kind + ", name: \"" + o.name +
                  "\"}\nsubjects: [{kind: User, name: tester}]\n";
    }
    if (!ParseManifests(bindings, name + "+bindings", {}, &manifests).ok()) return std::nullopt;
  }
  AuditOptions options;
  options.secrets = &testutil::SecretEngine();
  Result<AuditResult> r = Audit(manifests, options, name);
  if (!r.ok()) return std::nullopt;
  for (const Finding& f : r->report.findings) {
    if (std::find(m.ids.begin(), m.ids.end(), f.id) == m.ids.end()) continue;
    if (m.filter.empty() || f.title.find(m.filter) != std::string::npos ||
        f.field.find(m.filter) != std::string::npos) {
      return true;
    }
  }
  return false;
}

constexpr size_t kPolarisAgreement = 196;

TEST(Conformance, Polaris) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string root = testing::SharedDataDir() + "/k8s/polaris/test/checks/";
  size_t total = 0, agree = 0;
  std::printf("| Polaris check | bulkhead | cases | agree | differ |\n|---|---|---|---|---|\n");
  for (const Mapping& m : PolarisMap()) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(root + std::string(m.peer))) {
      std::string n = e.path().filename().string();
      if (n.starts_with("success") || n.starts_with("failure")) files.push_back(n);
    }
    std::sort(files.begin(), files.end());
    size_t ok = 0;
    std::string differ;
    for (const std::string& n : files) {
      std::string text = testing::ReadFileOrDie(root + std::string(m.peer) + "/" + n);
      std::optional<bool> fired = Fires(text, n, m);
      bool expected = n.starts_with("failure");
      if (fired == expected) {
        ++ok;
      } else {
        differ += (differ.empty() ? "" : ", ") + n + (fired ? "" : " (not loaded)");
      }
    }
    std::string ids;
    for (const std::string& id : m.ids) ids += (ids.empty() ? "" : ", ") + id;
    std::printf("| %s | %s | %zu | %zu | %s |\n", std::string(m.peer).c_str(), ids.c_str(),
                files.size(), ok, differ.c_str());
    total += files.size();
    agree += ok;
  }
  std::printf("Polaris agreement: %zu/%zu\n", agree, total);
  // The measured agreement (docs/k8s.md); a regression fails here.
  EXPECT_GE(agree, kPolarisAgreement);
  EXPECT_GT(total, 150u);
}

// trivy-checks' Kubernetes checks: each YAML file lists good and bad manifests as block
// scalars under kubernetes.good and kubernetes.bad.
struct Examples {
  V good, bad;
};

Examples ReadExamples(const std::string& text) {
  Examples out;
  V* list = nullptr;
  std::string* current = nullptr;
  size_t indent = 0;  // of the current example's first line; 0 before it
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string line = text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? text.size() : eol + 1;
    size_t lead = line.find_first_not_of(' ');
    std::string trimmed = lead == std::string::npos ? "" : line.substr(lead);
    if (current && (trimmed.empty() || indent == 0 || lead >= indent)) {
      if (!trimmed.empty() && indent == 0) indent = lead;
      if (!trimmed.empty() && lead >= indent) {
        *current += line.substr(indent) + "\n";
        continue;
      }
      if (trimmed.empty()) {
        *current += "\n";
        continue;
      }
    }
    current = nullptr;
    if (trimmed == "good:" || trimmed == "bad:") {
      list = trimmed == "good:" ? &out.good : &out.bad;
    } else if (list && trimmed.starts_with("- |")) {
      list->emplace_back();
      current = &list->back();
      indent = 0;
    }
  }
  return out;
}

constexpr size_t kTrivyAgreement = 46;

TEST(Conformance, TrivyChecks) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::vector<Mapping> kMap = {
      {"CPU_not_limited", {"BH-K8S-102"}, "cpu", false},
      {"SYS_ADMIN_capability", {"BH-K8S-004"}, "", false},
      {"access_to_host_ports", {"BH-K8S-006"}, "", false},
      {"apparmor_policy_disabled", {"BH-K8S-007"}, "", false},
      {"can_elevate_its_own_privileges", {"BH-K8S-013"}, "", false},
      {"capabilities_no_drop_all", {"BH-K8S-017"}, "", false},
      {"configMap_with_secrets", {"BH-K8S-109"}, "", false},
      {"file_system_not_read_only", {"BH-K8S-101"}, "", false},
      {"host_ipc", {"BH-K8S-002"}, "hostIPC", false},
      {"host_network", {"BH-K8S-002"}, "hostNetwork", false},
      {"host_pid", {"BH-K8S-002"}, "hostPID", false},
      {"hostpath_volumes_mounted", {"BH-K8S-005"}, "", false},
      {"memory_not_limited", {"BH-K8S-102"}, "memory", false},
      {"mounts_docker_socket", {"BH-K8S-107"}, "", false},
      {"non_core_volume_types", {"BH-K8S-012"}, "", false},
      {"non_default_proc_masks_set", {"BH-K8S-009"}, "", false},
      {"privileged", {"BH-K8S-003"}, "", false},
      {"protecting_pod_service_account_tokens", {"BH-K8S-103"}, "", false},
      {"runs_as_root", {"BH-K8S-014"}, "", false},
      {"runtime_default_seccomp_profile_not_set", {"BH-K8S-016"}, "", false},
      {"selinux_custom_options_set", {"BH-K8S-008"}, "", false},
      {"specific_capabilities_added", {"BH-K8S-004"}, "", false},
      {"unsafe_sysctl_options_set", {"BH-K8S-011"}, "", false},
      {"uses_image_tag_latest", {"BH-K8S-104"}, "", false},
  };
  const std::string root = testing::SharedDataDir() + "/k8s/trivy-checks/checks/kubernetes/";
  size_t total = 0, agree = 0;
  std::printf("| trivy-checks | bulkhead | cases | agree | differ |\n|---|---|---|---|---|\n");
  for (const Mapping& m : kMap) {
    Examples ex = ReadExamples(testing::ReadFileOrDie(root + std::string(m.peer) + ".yaml"));
    size_t ok = 0, n = 0;
    std::string differ;
    for (bool bad : {false, true}) {
      const V& list = bad ? ex.bad : ex.good;
      for (size_t i = 0; i < list.size(); ++i) {
        ++n;
        if (Fires(list[i], std::string(m.peer), m) == bad) {
          ++ok;
        } else {
          differ += (differ.empty() ? "" : ", ") + std::string(bad ? "bad" : "good") + "[" +
                    std::to_string(i) + "]";
        }
      }
    }
    std::printf("| %s | %s | %zu | %zu | %s |\n", std::string(m.peer).c_str(), m.ids[0].c_str(), n,
                ok, differ.c_str());
    total += n;
    agree += ok;
  }
  std::printf("trivy-checks agreement: %zu/%zu\n", agree, total);
  EXPECT_GE(agree, kTrivyAgreement);
  EXPECT_GE(total, 48u);
}

// kubesec assets: the file name names the control; the expectation is what the asset
// means (a "score-0" critical setting is reported, a "score-1" hardening is honoured).
struct KubesecCase {
  std::string_view file;
  std::string_view id;
  bool fires;
  std::string_view filter = "";
};

TEST(Conformance, KubesecAssets) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const KubesecCase kCases[] = {
      {"score-0-cap-sys-admin.yml", "BH-K8S-004", true},
      {"score-0-cap-sys-admin-and-cap-chown.yml", "BH-K8S-004", true},
      {"score-0-cap-chown.yml", "BH-K8S-004", false},
      {"score-0-daemonset-host-network.yml", "BH-K8S-002", true, "hostNetwork"},
      {"score-0-daemonset-host-pid.yml", "BH-K8S-002", true, "hostPID"},
      {"score-0-daemonset-mount-docker-socket.yml", "BH-K8S-107", true},
      {"score-0-daemonset-volume-host-docker-socket.yml", "BH-K8S-107", true},
      {"score-0-daemonset-securitycontext-privileged.yml", "BH-K8S-003", true},
      {"score-0-dep-apparmor-empty-securitycontext.yml", "BH-K8S-007", false},
      {"score-0-dep-apparmor-unconfined-container.yml", "BH-K8S-007", true},
      {"score-0-dep-apparmor-unconfined-ephemeralcontainer.yml", "BH-K8S-007", true},
      {"score-0-dep-apparmor-unconfined-initcontainer.yml", "BH-K8S-007", true},
      {"score-0-dep-apparmor-unconfined-spec-securitycontext.yml", "BH-K8S-007", true},
      {"score-1-dep-apparmor-nonunconfined-container.yml", "BH-K8S-007", false},
      {"score-1-dep-apparmor-nonunconfined-ephemeralcontainer.yml", "BH-K8S-007", false},
      {"score-1-dep-apparmor-nonunconfined-initcontainer.yml", "BH-K8S-007", false},
      {"score-1-dep-apparmor-nonunconfined-spec-securitycontext.yml", "BH-K8S-007", false},
      {"score-0-dep-seccomp-empty-securitycontext.yml", "BH-K8S-016", true},
      {"score-0-dep-seccomp-unconfined-container.yml", "BH-K8S-010", true},
      {"score-0-dep-seccomp-unconfined-ephemeralcontainer.yml", "BH-K8S-010", true},
      {"score-0-dep-seccomp-unconfined-initcontainer.yml", "BH-K8S-010", true},
      {"score-0-dep-seccomp-unconfined-spec-securitycontext.yml", "BH-K8S-010", true},
      {"score-1-dep-seccomp-nonunconfined-container.yml", "BH-K8S-010", false},
      {"score-1-dep-seccomp-nonunconfined-ephemeralcontainer.yml", "BH-K8S-010", false},
      {"score-1-dep-seccomp-nonunconfined-initcontainer.yml", "BH-K8S-010", false},
      {"score-1-dep-seccomp-nonunconfined-spec-securitycontext.yml", "BH-K8S-010", false},
      {"score-1-dep-seccomp-nonunconfined-spec-securitycontext.yml", "BH-K8S-016", false},
      {"score-1-cap-drop-all.yml", "BH-K8S-017", false},
      {"score-1-dep-ro-root-fs.yml", "BH-K8S-101", false},
      {"score-1-dep-resource-limit-cpu.yml", "BH-K8S-102", false, "cpu"},
      {"score-1-dep-resource-limit-memory.yml", "BH-K8S-102", false, "memory"},
      {"score-1-dep-seccon-run-as-non-root.yml", "BH-K8S-014", false},
      {"score-1-dep-podseccon-run-as-non-root.yml", "BH-K8S-014", false},
      {"score-1-dep-seccon-run-as-user-10001.yml", "BH-K8S-015", false},
      {"score-1-dep-podseccon-run-as-user-10001.yml", "BH-K8S-015", false},
      {"score-1-pod-automount-sa-set-to-false.yml", "BH-K8S-103", false},
      {"score-1-pod-automountservicetoken.yml", "BH-K8S-103", false},
      {"score-1-pod-default.yml", "BH-K8S-103", true},
      {"allowPrivilegeEscalation.yaml", "BH-K8S-013", true},
  };
  const std::string root = testing::SharedDataDir() + "/k8s/kubesec/test/asset/";
  size_t agree = 0;
  std::string differ;
  for (const KubesecCase& c : kCases) {
    Mapping m{c.file, {std::string(c.id)}, c.filter, false};
    std::optional<bool> fired =
        Fires(testing::ReadFileOrDie(root + std::string(c.file)), std::string(c.file), m);
    if (fired == c.fires) {
      ++agree;
    } else {
      differ += " " + std::string(c.file) + ":" + std::string(c.id);
    }
  }
  std::printf("kubesec agreement: %zu/%zu;%s\n", agree, std::size(kCases), differ.c_str());
  EXPECT_EQ(agree, std::size(kCases)) << differ;
}

// kubesec's malformed and odd inputs: a clear error or a result, never a crash.
TEST(Conformance, KubesecBadInputs) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string root = testing::SharedDataDir() + "/k8s/kubesec/test/asset/";
  std::map<std::string, std::string> outcome;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    Manifests m;
    Status s = LoadPath(e.path().string(), {}, &m);
    std::string rel = fs::relative(e.path(), root).string();
    if (!s.ok()) {
      EXPECT_NE(std::string(s.message()).find(rel), std::string::npos) << s.message();
      EXPECT_EQ(std::string(s.message()).find('\n'), std::string::npos);
      outcome[rel] = "error";
      continue;
    }
    Result<AuditResult> r = Audit(m, {}, rel);
    ASSERT_TRUE(r.ok()) << rel;
    outcome[rel] = std::to_string(m.objects.size()) + " objects";
  }
  EXPECT_EQ(outcome["empty-file"], "0 objects");
  EXPECT_EQ(outcome["invalid-input-pod-dump.json"], "1 objects");  // snake_case fields: no spec
  EXPECT_GT(outcome.size(), 60u);
}

}  // namespace
}  // namespace bulkhead::k8s
