// Whether two workloads of different sensitivity could be scheduled onto one node.
//
// With Node objects in the input, each workload gets the set of nodes it may run on:
// spec.nodeName pins it; otherwise nodeSelector, required node affinity (any term; a term
// needs all its matchExpressions and matchFields) and the NoSchedule/NoExecute taints it
// does not tolerate decide; a RuntimeClass adds its scheduling.nodeSelector and
// tolerations. Without Node objects the constraints are compared symbolically: two
// workloads are kept apart only when every pair of their affinity terms (with the
// nodeSelector folded in) asks for incompatible values of some label (or node name);
// tolerations then separate nothing, since no taints are known.
#include <algorithm>
#include <map>
#include <set>

#include "bulkhead/k8s/check_catalog.h"
#include "bulkhead/k8s/internal/cluster_view.h"
#include "bulkhead/k8s/internal/findings.h"
#include "bulkhead/k8s/internal/selector.h"

namespace bulkhead::k8s::internal {
namespace {

constexpr std::string_view kNodeNameKey = "metadata.name";
// Distinct constraint sets compared pairwise at most (each pair is a satisfiability test).
constexpr size_t kMaxConstraintGroups = 4096;

// The scheduling constraints of one workload.
struct Constraints {
  std::string node_name;
  Selector node_selector;       // nodeSelector (+ RuntimeClass), as In requirements
  std::vector<Selector> terms;  // required affinity; empty: no affinity
  bool has_affinity = false;
  std::vector<const Node*> tolerations;
};

Constraints Collect(const Workload& w, const std::map<std::string, const Object*>& runtimes) {
  Constraints c;
  const Node& spec = *w.pod_spec;
  c.node_name = std::string(spec["nodeName"].Str());
  auto add_selector = [&](const Node& sel) {
    for (size_t i = 0; i < sel.keys().size(); ++i) {
      c.node_selector.requirements.push_back(
          {sel.keys()[i], Requirement::Op::kIn, {std::string(sel.items()[i].Str())}});
    }
  };
  add_selector(spec["nodeSelector"]);
  for (const Node& t : spec["tolerations"].items()) c.tolerations.push_back(&t);
  std::string rc(spec["runtimeClassName"].Str());
  if (!rc.empty()) {
    auto it = runtimes.find(rc);
    if (it != runtimes.end()) {
      const Node& sched = it->second->root["scheduling"];
      add_selector(sched["nodeSelector"]);
      for (const Node& t : sched["tolerations"].items()) c.tolerations.push_back(&t);
    }
  }
  const Node& required =
      spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"];
  if (!required.IsNull()) {
    c.has_affinity = true;
    for (const Node& term : required["nodeSelectorTerms"].items()) {
      Selector s;
      ParseExpressions(term["matchExpressions"], &s);
      size_t before = s.requirements.size();
      ParseExpressions(term["matchFields"], &s);
      for (size_t i = before; i < s.requirements.size(); ++i) {
        s.requirements[i].key = std::string(kNodeNameKey);  // the only field Kubernetes allows
      }
      if (s.requirements.empty()) s.invalid = true;  // an empty term matches no node
      c.terms.push_back(std::move(s));
    }
  }
  return c;
}

bool Tolerates(const Node& tol, const Node& taint) {
  std::string_view op = tol["operator"].Str();
  std::string_view key = tol["key"].Str();
  if (!key.empty() && key != taint["key"].Str()) return false;
  if (key.empty() && op != "Exists") return false;
  if (op != "Exists" && tol["value"].Str() != taint["value"].Str()) return false;
  std::string_view effect = tol["effect"].Str();
  return effect.empty() || effect == taint["effect"].Str();
}

bool MayRunOn(const Constraints& c, const Object& node, const Labels& labels) {
  if (!c.node_name.empty()) return c.node_name == node.name;
  if (!Matches(c.node_selector, labels)) return false;
  if (c.has_affinity) {
    Labels with_name = labels;
    with_name.emplace_back(std::string(kNodeNameKey), node.name);
    std::sort(with_name.begin(), with_name.end());
    bool any = false;
    for (const Selector& t : c.terms) any = any || Matches(t, with_name);
    if (!any) return false;
  }
  for (const Node& taint : node.root["spec"]["taints"].items()) {
    std::string_view effect = taint["effect"].Str();
    if (effect != "NoSchedule" && effect != "NoExecute") continue;
    bool ok = std::any_of(c.tolerations.begin(), c.tolerations.end(),
                          [&](const Node* t) { return Tolerates(*t, taint); });
    if (!ok) return false;
  }
  return true;
}

// Symbolic form: one term per affinity term (or one without affinity), each a map from
// label key to what it may be.
struct KeyConstraint {
  bool has_in = false;
  std::set<std::string> in;
  std::set<std::string> not_in;
  bool exists = false;
  bool not_exists = false;

  void Add(const Requirement& r) {
    switch (r.op) {
      case Requirement::Op::kIn: {
        std::set<std::string> v(r.values.begin(), r.values.end());
        if (has_in) {
          std::set<std::string> both;
          std::set_intersection(in.begin(), in.end(), v.begin(), v.end(),
                                std::inserter(both, both.begin()));
          in = std::move(both);
        } else {
          in = std::move(v);
          has_in = true;
        }
        break;
      }
      case Requirement::Op::kNotIn:
        not_in.insert(r.values.begin(), r.values.end());
        break;
      case Requirement::Op::kDoesNotExist:
        not_exists = true;
        break;
      default:  // Exists, Gt, Lt: the label must exist
        exists = true;
    }
  }
  void Merge(const KeyConstraint& o) {
    if (o.has_in) Add({"", Requirement::Op::kIn, {o.in.begin(), o.in.end()}});
    not_in.insert(o.not_in.begin(), o.not_in.end());
    exists = exists || o.exists;
    not_exists = not_exists || o.not_exists;
  }
  bool Satisfiable() const {
    if (not_exists && (exists || has_in)) return false;
    if (!has_in) return true;
    return std::any_of(in.begin(), in.end(),
                       [&](const std::string& v) { return !not_in.count(v); });
  }
};

using Term = std::map<std::string, KeyConstraint>;

std::vector<Term> Symbolic(const Constraints& c) {
  Term base;
  for (const Requirement& r : c.node_selector.requirements) base[r.key].Add(r);
  if (!c.node_name.empty()) {
    base[std::string(kNodeNameKey)].Add({"", Requirement::Op::kIn, {c.node_name}});
    return {base};  // nodeName bypasses the scheduler's other constraints
  }
  if (!c.has_affinity) return {base};
  std::vector<Term> out;
  for (const Selector& s : c.terms) {
    if (s.invalid) continue;
    Term t = base;
    for (const Requirement& r : s.requirements) t[r.key].Add(r);
    out.push_back(std::move(t));
  }
  return out;
}

bool Compatible(const std::vector<Term>& a, const std::vector<Term>& b) {
  for (const Term& x : a) {
    for (const Term& y : b) {
      bool ok = true;
      for (const auto& [key, kc] : y) {
        KeyConstraint merged = x.count(key) ? x.at(key) : KeyConstraint{};
        merged.Merge(kc);
        if (!merged.Satisfiable()) {
          ok = false;
          break;
        }
      }
      if (ok) {
        for (const auto& [key, kc] : x) ok = ok && kc.Satisfiable();
      }
      if (ok) return true;
    }
  }
  return false;
}

std::string Signature(const std::vector<Term>& terms) {
  std::string s;
  for (const Term& t : terms) {
    s += "{";
    for (const auto& [key, kc] : t) {
      s += key + (kc.has_in ? "=" : "") + (kc.exists ? "+" : "") + (kc.not_exists ? "-" : "");
      for (const std::string& v : kc.in) s += v + ",";
      s += "!";
      for (const std::string& v : kc.not_in) s += v + ",";
      s += ";";
    }
    s += "}";
  }
  return s;
}

}  // namespace

void AnalyzeScheduling(const std::vector<Object>& objects, const ClusterView& view,
                       const AnalysisOutput& out) {
  const size_t n = view.workloads.size();
  std::map<std::string, const Object*> runtimes;
  std::vector<const Object*> nodes;
  for (const Object& o : objects) {
    if (o.kind == "RuntimeClass") runtimes[o.name] = &o;
    if (o.kind == "Node") nodes.push_back(&o);
  }
  std::vector<Constraints> constraints;
  constraints.reserve(n);
  for (const Workload* w : view.workloads) constraints.push_back(Collect(*w, runtimes));

  // Group workloads whose constraints are the same; decide compatibility per group pair.
  std::map<std::string, size_t> group_of_sig;
  std::vector<std::vector<size_t>> groups;
  std::vector<std::vector<Term>> group_terms;
  std::vector<Bitset> group_nodes;
  std::vector<Labels> node_labels;
  for (const Object* node : nodes) node_labels.push_back(LabelsOf(node->root["metadata"]));
  for (size_t i = 0; i < n; ++i) {
    std::string sig;
    Bitset on(nodes.size());
    std::vector<Term> terms;
    if (!nodes.empty()) {
      for (size_t k = 0; k < nodes.size(); ++k) {
        if (MayRunOn(constraints[i], *nodes[k], node_labels[k])) on.Set(k);
      }
      for (uint64_t w : on.words()) sig += std::to_string(w) + ",";
    } else {
      terms = Symbolic(constraints[i]);
      sig = Signature(terms);
    }
    auto [it, inserted] = group_of_sig.emplace(sig, groups.size());
    if (inserted) {
      groups.emplace_back();
      group_terms.push_back(std::move(terms));
      group_nodes.push_back(std::move(on));
    }
    groups[it->second].push_back(i);
  }
  size_t total = 0, reported = 0;
  if (groups.size() > kMaxConstraintGroups) {
    out.diagnostics->push_back(
        {"", "", "k8s-scheduling",
         std::to_string(groups.size()) + " distinct sets of scheduling constraints (more than " +
             std::to_string(kMaxConstraintGroups) + "): node sharing not judged"});
    groups.clear();
  }
  // Levels present in each group, to count pairs without enumerating them.
  const size_t levels = view.levels.size();
  std::vector<std::vector<size_t>> histogram(groups.size(), std::vector<size_t>(levels, 0));
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t a : groups[g]) ++histogram[g][view.level[a]];
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t h = g; h < groups.size(); ++h) {
      bool share = nodes.empty() ? Compatible(group_terms[g], group_terms[h])
                                 : group_nodes[g].Intersects(group_nodes[h]);
      if (!share) continue;
      for (size_t l = 0; l < levels; ++l) {
        for (size_t m = 0; m < levels; ++m) {
          if (l != m && (g != h || l < m)) total += histogram[g][l] * histogram[h][m];
        }
      }
      // Findings for the first pairs, up to the cap.
      for (size_t x = 0; x < groups[g].size() && reported < view.max_pair_findings; ++x) {
        size_t a = groups[g][x];
        for (size_t y = (g == h ? x + 1 : 0);
             y < groups[h].size() && reported < view.max_pair_findings; ++y) {
          size_t b = groups[h][y];
          if (view.level[a] == view.level[b]) continue;
          ++reported;
          size_t lo = std::min(a, b), hi = std::max(a, b);
          const Workload& wa = *view.workloads[lo];
          const Workload& wb = *view.workloads[hi];
          out.findings->push_back(MakeFinding(
              kMayShareNode, *wa.object,
              wa.id + " (" + view.levels[view.level[lo]] + ") and " + wb.id + " (" +
                  view.levels[view.level[hi]] + ") may be scheduled onto the same node" +
                  (nodes.empty() ? "" : " of the listed Nodes"),
              "", wa.spec_path, wa.pod_spec->line()));
        }
      }
    }
  }
  if (total > reported) {
    out.diagnostics->push_back({"", "", "k8s-scheduling",
                                std::to_string(total - reported) +
                                    " further workload pairs that may share a node not listed "
                                    "(--max-pair-findings " +
                                    std::to_string(view.max_pair_findings) + ")"});
  }
  // Nodes already running pods of mixed sensitivity.
  if (!nodes.empty()) {
    std::map<std::string, std::map<int, std::vector<std::string>>> on_node;
    for (size_t i = 0; i < n; ++i) {
      if (!constraints[i].node_name.empty()) {
        on_node[constraints[i].node_name][view.level[i]].push_back(view.workloads[i]->id);
      }
    }
    for (const Object* node : nodes) {
      auto it = on_node.find(node->name);
      if (it == on_node.end() || it->second.size() < 2) continue;
      std::string list;
      for (const auto& [level, ids] : it->second) {
        list += (list.empty() ? "" : "; ") + view.levels[level] + ": ";
        for (size_t k = 0; k < ids.size(); ++k) list += (k ? ", " : "") + ids[k];
      }
      out.findings->push_back(MakeFinding(kNodeMixedSensitivity, *node,
                                          "Node " + node->name + " runs pods of " +
                                              std::to_string(it->second.size()) +
                                              " sensitivity levels (" + list + ")",
                                          "", "", 0));
    }
  }
  *out.summary +=
      "Workload pairs of different sensitivity that may share a node: " + std::to_string(total) +
      (nodes.empty() ? " (judged from scheduling constraints; no Node objects given)"
                     : " (judged against " + std::to_string(nodes.size()) + " Node objects)") +
      "\n";
}

}  // namespace bulkhead::k8s::internal
