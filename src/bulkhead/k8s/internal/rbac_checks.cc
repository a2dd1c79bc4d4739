#include <algorithm>
#include <map>
#include <set>

#include "bulkhead/k8s/check_catalog.h"
#include "bulkhead/k8s/internal/cluster_checks.h"
#include "bulkhead/k8s/internal/findings.h"

namespace bulkhead::k8s::internal {
namespace {

// What a set of RBAC rules grants, in the terms of the checks.
struct Grants {
  bool wildcard = false;
  bool escalate = false;
  bool secrets = false;
  bool exec = false;
  bool nodes_proxy = false;
  bool create_workloads = false;
};

bool Has(const Node& list, std::string_view v) {
  for (const Node& n : list.items()) {
    if (n.Str() == v) return true;
  }
  return false;
}

bool HasAny(const Node& list, std::initializer_list<std::string_view> vs) {
  return std::any_of(vs.begin(), vs.end(), [&](std::string_view v) { return Has(list, v); });
}

// Whether a rule names API group `group` ("" is the core group).
bool InGroup(const Node& rule, std::string_view group) {
  const Node& groups = rule["apiGroups"];
  return Has(groups, "*") || Has(groups, group);
}

// Every verb of the API, spelled out, counts as "*".
bool AllVerbs(const Node& verbs) {
  return Has(verbs, "*") ||
         (Has(verbs, "get") && Has(verbs, "list") && Has(verbs, "watch") && Has(verbs, "create") &&
          Has(verbs, "update") && Has(verbs, "patch") && Has(verbs, "delete"));
}

void Accumulate(const Node& rules, Grants* g) {
  for (const Node& r : rules.items()) {
    const Node& verbs = r["verbs"];
    const Node& res = r["resources"];
    const bool all_verbs = AllVerbs(verbs);
    const bool all_res = Has(res, "*");
    const bool core = InGroup(r, "");
    const bool rbac = InGroup(r, "rbac.authorization.k8s.io");
    if (all_verbs && all_res && Has(r["apiGroups"], "*")) g->wildcard = true;
    if ((rbac && (HasAny(verbs, {"escalate", "bind"}) ||
                  (all_verbs && (all_res || HasAny(res, {"roles", "clusterroles"}))))) ||
        (core &&
         (Has(verbs, "impersonate") ||
          (Has(verbs, "*") && (all_res || HasAny(res, {"users", "groups", "serviceaccounts"})))))) {
      g->escalate = true;
    }
    if (core && (all_res || Has(res, "secrets")) && r["resourceNames"].size() == 0 &&
        (all_verbs || HasAny(verbs, {"*", "get", "list", "watch"}))) {
      g->secrets = true;
    }
    if (core && (all_res || HasAny(res, {"pods/exec", "pods/attach", "pods/*"})) &&
        (all_verbs || HasAny(verbs, {"*", "create", "get"}))) {
      g->exec = true;
    }
    if (core && (all_res || HasAny(res, {"nodes/proxy", "nodes/*"})) && verbs.size() > 0) {
      g->nodes_proxy = true;
    }
    const bool workload_group =
        core || InGroup(r, "apps") || InGroup(r, "batch") || InGroup(r, "extensions");
    if (workload_group &&
        (all_res || HasAny(res, {"pods", "deployments", "daemonsets", "statefulsets", "replicasets",
                                 "jobs", "cronjobs", "replicationcontrollers"})) &&
        (all_verbs || HasAny(verbs, {"*", "create"}))) {
      g->create_workloads = true;
    }
  }
}

// The built-in user-facing ClusterRoles, for bindings to roles not in the input.
Grants BuiltinClusterRole(std::string_view name, bool* known) {
  Grants g;
  *known = true;
  if (name == "cluster-admin") {
    g.wildcard = true;
  } else if (name == "admin" || name == "edit") {
    g.secrets = g.exec = g.create_workloads = true;
    g.escalate = name == "admin";  // admin may bind roles within its namespace
  } else if (name != "view") {
    *known = false;
  }
  return g;
}

bool IsSystemSubject(const Node& s) {
  std::string_view kind = s["kind"].Str();
  std::string_view name = s["name"].Str();
  if (kind == "ServiceAccount") return s["namespace"].Str() == "kube-system";
  if (name == "system:authenticated" || name == "system:serviceaccounts" ||
      name == "system:anonymous" || name == "system:unauthenticated") {
    return false;
  }
  return name.starts_with("system:");
}

std::string SubjectName(const Node& s) {
  std::string out(s["kind"].Str());
  out += " ";
  if (s["kind"].Str() == "ServiceAccount") out += std::string(s["namespace"].Str()) + "/";
  out += std::string(s["name"].Str());
  return out;
}

}  // namespace

size_t CheckRbac(const std::vector<Object>& objects, std::vector<Finding>* out,
                 std::vector<Diagnostic>* diagnostics) {
  std::map<std::string, const Node*> roles;  // "Role/ns/name" or "ClusterRole/name"
  for (const Object& o : objects) {
    if (o.kind == "Role" || o.kind == "ClusterRole") roles[o.Id()] = &o.root["rules"];
  }
  size_t examined = 0;
  for (const Object& o : objects) {
    if (o.kind != "RoleBinding" && o.kind != "ClusterRoleBinding") continue;
    ++examined;
    const Node& ref = o.root["roleRef"];
    std::string ref_kind(ref["kind"].Str());
    std::string ref_name(ref["name"].Str());
    std::string key =
        ref_kind == "Role" ? "Role/" + o.ns + "/" + ref_name : "ClusterRole/" + ref_name;
    Grants g;
    auto it = roles.find(key);
    if (ref_kind == "ClusterRole" && ref_name == "cluster-admin") {
      g.wildcard = true;  // the name is reserved: whatever the input says, it is the real one
    } else if (it != roles.end()) {
      Accumulate(*it->second, &g);
    } else {
      bool known = false;
      if (ref_kind == "ClusterRole") g = BuiltinClusterRole(ref_name, &known);
      if (!known && !ref_name.starts_with("system:")) {
        diagnostics->push_back({"", o.file, "k8s-rbac",
                                o.Id() + ": " + ref_kind + " " + ref_name +
                                    " is not in the input; its grants are not judged"});
      }
    }
    const Node& subjects = o.root["subjects"];
    std::string who;
    std::string anonymous;
    uint32_t anonymous_line = 0;
    for (size_t i = 0; i < subjects.size(); ++i) {
      const Node& s = subjects[i];
      std::string_view name = s["name"].Str();
      if ((name == "system:anonymous" || name == "system:unauthenticated") &&
          ref_name != "system:public-info-viewer") {
        anonymous += (anonymous.empty() ? "" : ", ") + std::string(name);
        if (anonymous_line == 0) anonymous_line = s.line();
      }
      if (!IsSystemSubject(s)) who += (who.empty() ? "" : ", ") + SubjectName(s);
    }
    const std::string role = ref_kind + " " + ref_name;
    if (!anonymous.empty()) {
      out->push_back(MakeFinding(kRbacAnonymous, o, "Binds " + role + " to " + anonymous, "",
                                 "subjects", anonymous_line));
    }
    if (who.empty()) continue;
    const uint32_t line = ref.line();
    const bool kube_system = o.kind == "ClusterRoleBinding" || o.ns == "kube-system";
    auto add = [&](std::string_view id, std::string what) {
      out->push_back(
          MakeFinding(id, o, role + " grants " + what + " to " + who, "", "roleRef.name", line));
    };
    if (g.wildcard) {
      add(kRbacClusterAdmin, "every verb on every resource");
      continue;  // the other grants are implied
    }
    if (g.escalate) add(kRbacEscalate, "escalate, bind or impersonate");
    if (g.secrets) add(kRbacSecrets, "get/list/watch on secrets");
    if (g.exec) add(kRbacExec, "pods/exec or pods/attach");
    if (g.nodes_proxy) add(kRbacNodesProxy, "nodes/proxy");
    if (g.create_workloads && kube_system) {
      add(kRbacKubeSystemCreate, "create on workloads in kube-system");
    }
  }
  return examined;
}

}  // namespace bulkhead::k8s::internal
