// NetworkPolicy semantics (networking.k8s.io/v1), evaluated exactly:
// - a pod is isolated for a direction when some policy in its namespace selects it
//   (spec.podSelector, {} = every pod) and lists that direction in policyTypes; when
//   policyTypes is omitted it is [Ingress], plus Egress when spec.egress has rules;
// - an isolated pod accepts only what the union of those policies' rules allows; a rule
//   whose from/to is missing or empty allows every peer, and whose ports are missing or
//   empty allows every port;
// - a peer with podSelector alone selects pods of the policy's namespace, with
//   namespaceSelector alone every pod of the selected namespaces, with both the selected
//   pods of the selected namespaces; ipBlock (with except) concerns addresses outside the
//   cluster's pods;
// - a connection A -> B needs A's egress and B's ingress to allow it, on a common port
//   (named ports resolve against B's container ports; endPort makes a range).
#include <algorithm>
#include <set>

#include "bulkhead/k8s/check_catalog.h"
#include "bulkhead/k8s/internal/cluster_view.h"
#include "bulkhead/k8s/internal/findings.h"
#include "bulkhead/k8s/internal/selector.h"

namespace bulkhead::k8s::internal {
namespace {

struct PortRange {
  std::string proto;
  int64_t lo = 0;
  int64_t hi = 0;
};

struct PortSet {
  bool all = false;
  std::vector<PortRange> ranges;

  bool empty() const { return !all && ranges.empty(); }
  void Add(const PortSet& o) {
    if (o.all) all = true;
    if (!all) ranges.insert(ranges.end(), o.ranges.begin(), o.ranges.end());
  }
};

PortSet Intersect(const PortSet& a, const PortSet& b) {
  if (a.all) return b;
  if (b.all) return a;
  PortSet out;
  for (const PortRange& x : a.ranges) {
    for (const PortRange& y : b.ranges) {
      if (x.proto != y.proto) continue;
      int64_t lo = std::max(x.lo, y.lo), hi = std::min(x.hi, y.hi);
      if (lo <= hi) out.ranges.push_back({x.proto, lo, hi});
    }
  }
  return out;
}

std::string Describe(PortSet s) {
  if (s.all) return "any port";
  std::sort(s.ranges.begin(), s.ranges.end(), [](const PortRange& a, const PortRange& b) {
    return std::tie(a.proto, a.lo, a.hi) < std::tie(b.proto, b.lo, b.hi);
  });
  std::string out;
  std::string prev;
  for (const PortRange& r : s.ranges) {
    std::string item = r.proto + " " + std::to_string(r.lo);
    if (r.hi != r.lo) item += "-" + std::to_string(r.hi);
    if (item == prev) continue;
    out += (out.empty() ? "" : ", ") + item;
    prev = item;
  }
  return out;
}

struct PortSpec {
  std::string proto = "TCP";
  bool any = true;  // no port: every port of the protocol
  int64_t port = 0;
  int64_t end_port = 0;
  std::string named;
};

struct Rule {
  Bitset peers;              // workloads it admits
  bool any_address = false;  // all peers, or ipBlock 0.0.0.0/0 or ::/0
  std::string any_note;      // "ipBlock 0.0.0.0/0 except ..." for the finding
  bool all_ports = true;
  std::vector<PortSpec> ports;
};

struct Policy {
  const Object* object = nullptr;
  bool ingress = false;
  bool egress = false;
  Bitset selected;
  std::vector<Rule> in_rules;
  std::vector<Rule> eg_rules;
};

// Container ports of a workload, for named-port resolution.
struct NamedPort {
  std::string name;
  std::string proto;
  int64_t port;
};

class Analyzer {
 public:
  Analyzer(const std::vector<Object>& objects, const ClusterView& view, const AnalysisOutput& out)
      : objects_(objects), view_(view), out_(out), n_(view.workloads.size()) {}

  size_t Run();

 private:
  Bitset MatchPeer(const Node& peer, const std::string& policy_ns, Rule* rule);
  Rule ParseRule(const Node& rule, std::string_view peers_key, const std::string& ns);
  PortSet Resolve(const Rule& r, size_t dest) const;
  PortSet AllowedPorts(size_t a, size_t b) const;
  void ReadPorts();
  void ReadPolicies();
  void ApplyPolicies();
  void Isolation();
  void Paths();
  void Summary();
  void Egress();

  const std::vector<Object>& objects_;
  const ClusterView& view_;
  const AnalysisOutput& out_;
  size_t n_;
  std::vector<Policy> policies_;
  std::vector<std::vector<NamedPort>> ports_;
  std::vector<std::vector<const Rule*>> in_rules_, eg_rules_;  // per workload
  std::vector<char> in_isolated_, eg_isolated_;
  bool pairwise_ = true;  // n_ is small enough for the per-workload peer bitsets
  std::vector<Bitset> eg_allowed_, in_allowed_;
  std::vector<std::vector<size_t>> matrix_;
  std::map<std::string, std::vector<size_t>, std::less<>> by_ns_;
};

Bitset Analyzer::MatchPeer(const Node& peer, const std::string& policy_ns, Rule* rule) {
  Bitset out(n_);
  const Node& block = peer["ipBlock"];
  if (!block.IsNull()) {
    std::string_view cidr = block["cidr"].Str();
    if (cidr == "0.0.0.0/0" || cidr == "::/0") {
      rule->any_address = true;
      std::string note = "ipBlock " + std::string(cidr);
      if (block["except"].size() > 0) {
        note += " except";
        for (const Node& e : block["except"].items()) note += " " + std::string(e.Str());
      }
      rule->any_note = note;
    }
    return out;
  }
  const Node& pod = peer["podSelector"];
  const Node& ns = peer["namespaceSelector"];
  if (pod.IsNull() && ns.IsNull()) return out;  // an empty peer selects nothing
  Selector ps = ParseSelector(pod);
  Selector nss = ParseSelector(ns);
  for (const auto& [wns, members] : by_ns_) {
    if (ns.IsNull()) {
      if (wns != policy_ns) continue;
    } else {
      auto it = view_.ns_labels.find(wns);
      static const Labels kNone;
      if (!Matches(nss, it == view_.ns_labels.end() ? kNone : it->second)) continue;
    }
    for (size_t i : members) {
      if (pod.IsNull() || Matches(ps, view_.workloads[i]->labels)) out.Set(i);
    }
  }
  return out;
}

Rule Analyzer::ParseRule(const Node& node, std::string_view peers_key, const std::string& ns) {
  Rule r;
  r.peers = Bitset(n_);
  const Node& peers = node[peers_key];
  if (peers.size() == 0) {
    r.peers.SetAll(n_);
    r.any_address = true;
    r.any_note = "every peer";
  } else {
    for (const Node& p : peers.items()) r.peers.Or(MatchPeer(p, ns, &r));
  }
  const Node& ports = node["ports"];
  if (ports.size() > 0) {
    r.all_ports = false;
    for (const Node& p : ports.items()) {
      PortSpec s;
      if (!p["protocol"].Str().empty()) s.proto = std::string(p["protocol"].Str());
      const Node& port = p["port"];
      if (!port.IsNull()) {
        s.any = false;
        if (std::optional<int64_t> v = port.Int()) {
          s.port = *v;
          s.end_port = p["endPort"].Int().value_or(*v);
        } else {
          s.named = std::string(port.Str());
        }
      }
      r.ports.push_back(std::move(s));
    }
  }
  return r;
}

PortSet Analyzer::Resolve(const Rule& r, size_t dest) const {
  PortSet s;
  if (r.all_ports) {
    s.all = true;
    return s;
  }
  for (const PortSpec& p : r.ports) {
    if (p.any) {
      s.ranges.push_back({p.proto, 1, 65535});
    } else if (p.named.empty()) {
      s.ranges.push_back({p.proto, p.port, std::max(p.port, p.end_port)});
    } else {
      for (const NamedPort& np : ports_[dest]) {
        if (np.name == p.named && np.proto == p.proto) {
          s.ranges.push_back({p.proto, np.port, np.port});
        }
      }
    }
  }
  return s;
}

// The ports on which `a` may open connections to `b`; empty when it may not.
PortSet Analyzer::AllowedPorts(size_t a, size_t b) const {
  PortSet egress, ingress;
  if (!eg_isolated_[a]) {
    egress.all = true;
  } else {
    for (const Rule* r : eg_rules_[a]) {
      if (r->peers.Test(b)) egress.Add(Resolve(*r, b));
    }
  }
  if (egress.empty()) return egress;
  if (!in_isolated_[b]) {
    ingress.all = true;
  } else {
    for (const Rule* r : in_rules_[b]) {
      if (r->peers.Test(a)) ingress.Add(Resolve(*r, b));
    }
  }
  return Intersect(egress, ingress);
}

size_t Analyzer::Run() {
  for (size_t i = 0; i < n_; ++i) by_ns_[view_.workloads[i]->object->ns].push_back(i);
  ReadPorts();
  ReadPolicies();
  ApplyPolicies();
  Isolation();
  Paths();
  Egress();
  return policies_.size();
}

void Analyzer::ReadPorts() {
  ports_.resize(n_);
  for (size_t i = 0; i < n_; ++i) {
    for (const Container& c : view_.workloads[i]->containers) {
      for (const Node& p : (*c.node)["ports"].items()) {
        std::string proto(p["protocol"].Str());
        if (proto.empty()) proto = "TCP";
        if (!p["name"].Str().empty() && p["containerPort"].Int()) {
          ports_[i].push_back({std::string(p["name"].Str()), proto, *p["containerPort"].Int()});
        }
      }
    }
  }
}

void Analyzer::ReadPolicies() {
  for (const Object& o : objects_) {
    if (o.kind != "NetworkPolicy") continue;
    const Node& spec = o.root["spec"];
    Policy p;
    p.object = &o;
    const Node& types = spec["policyTypes"];
    if (types.IsSequence()) {
      for (const Node& t : types.items()) {
        if (t.Str() == "Ingress") p.ingress = true;
        if (t.Str() == "Egress") p.egress = true;
      }
    } else {
      p.ingress = true;
      p.egress = spec["egress"].size() > 0;
    }
    Selector sel = ParseSelector(spec["podSelector"]);
    p.selected = Bitset(n_);
    auto members = by_ns_.find(o.ns);
    if (members != by_ns_.end()) {
      for (size_t i : members->second) {
        if (Matches(sel, view_.workloads[i]->labels)) p.selected.Set(i);
      }
    }
    if (p.ingress) {
      for (const Node& r : spec["ingress"].items())
        p.in_rules.push_back(ParseRule(r, "from", o.ns));
    }
    if (p.egress) {
      for (const Node& r : spec["egress"].items()) p.eg_rules.push_back(ParseRule(r, "to", o.ns));
    }
    policies_.push_back(std::move(p));
  }
}

// Isolation and the allowed peers of every workload, from the policies that select it.
void Analyzer::ApplyPolicies() {
  in_rules_.resize(n_);
  eg_rules_.resize(n_);
  in_isolated_.assign(n_, 0);
  eg_isolated_.assign(n_, 0);
  pairwise_ = n_ <= view_.max_pairwise_workloads;
  if (pairwise_) {
    eg_allowed_.assign(n_, Bitset(n_));
    in_allowed_.assign(n_, Bitset(n_));
  }
  for (const Policy& p : policies_) {
    for (size_t i = 0; i < n_; ++i) {
      if (!p.selected.Test(i)) continue;
      if (p.ingress) {
        in_isolated_[i] = 1;
        for (const Rule& r : p.in_rules) {
          in_rules_[i].push_back(&r);
          if (pairwise_) in_allowed_[i].Or(r.peers);
        }
      }
      if (p.egress) {
        eg_isolated_[i] = 1;
        for (const Rule& r : p.eg_rules) {
          eg_rules_[i].push_back(&r);
          if (pairwise_) eg_allowed_[i].Or(r.peers);
        }
      }
    }
  }
  for (size_t i = 0; pairwise_ && i < n_; ++i) {
    if (!in_isolated_[i]) in_allowed_[i].SetAll(n_);
    if (!eg_isolated_[i]) eg_allowed_[i].SetAll(n_);
  }
}

void Analyzer::Isolation() {
  std::set<std::string> ns_with_policy;
  for (const Policy& p : policies_) ns_with_policy.insert(p.object->ns);
  for (const auto& [ns, members] : by_ns_) {
    if (!ns_with_policy.count(ns)) {
      Object synthetic;
      auto it = view_.ns_objects.find(ns);
      const Object* o = it != view_.ns_objects.end() ? it->second : nullptr;
      if (!o) {
        synthetic.kind = "Namespace";
        synthetic.name = ns;
        o = &synthetic;
      }
      out_.findings->push_back(MakeFinding(kNamespaceNoPolicy, *o,
                                           "Namespace " + ns + " has no NetworkPolicy: its " +
                                               std::to_string(members.size()) +
                                               " workload(s) accept and open any connection",
                                           "", "", 0));
      continue;
    }
    for (size_t i : members) {
      if (in_isolated_[i]) continue;
      const Workload& w = *view_.workloads[i];
      out_.findings->push_back(MakeFinding(kWorkloadNotIsolated, *w.object,
                                           w.id + " is not selected by any ingress NetworkPolicy",
                                           "", w.meta_path + ".labels", w.pod_meta->line()));
    }
  }
}

void Analyzer::Paths() {
  const size_t levels = view_.levels.size();
  matrix_.assign(levels, std::vector<size_t>(levels, 0));
  if (!pairwise_) {
    out_.diagnostics->push_back(
        {"", "", "k8s-network",
         std::to_string(n_) + " workloads (more than " +
             std::to_string(view_.max_pairwise_workloads) +
             "): paths between workloads of different sensitivity not computed"});
    Summary();
    return;
  }
  size_t reported = 0, total = 0;
  std::vector<Bitset> at_level(levels, Bitset(n_));
  for (size_t i = 0; i < n_; ++i) at_level[view_.level[i]].Set(i);
  for (size_t a = 0; a < n_; ++a) {
    const int la = view_.level[a];
    const Bitset& eg = eg_allowed_[a];
    const Bitset& same = at_level[la];
    for (size_t word = 0; word < eg.words().size(); ++word) {
      for (uint64_t bits = eg.words()[word] & ~same.words()[word]; bits != 0; bits &= bits - 1) {
        size_t b = word * 64 + static_cast<size_t>(__builtin_ctzll(bits));
        if (b >= n_ || b == a || view_.level[b] == la || !in_allowed_[b].Test(a)) continue;
        PortSet ports = AllowedPorts(a, b);
        if (ports.empty()) continue;
        ++matrix_[la][view_.level[b]];
        ++total;
        if (reported >= view_.max_pair_findings) continue;
        ++reported;
        const Workload& wa = *view_.workloads[a];
        const Workload& wb = *view_.workloads[b];
        Finding f = MakeFinding(kCrossSensitivityPath, *wa.object,
                                wa.id + " (" + view_.levels[la] + ") can reach " + wb.id + " (" +
                                    view_.levels[view_.level[b]] + ") on " + Describe(ports),
                                "", "", wa.pod_meta->line());
        if (view_.level[b] > la) f.severity = Severity::kHigh;  // up into a more sensitive level
        out_.findings->push_back(std::move(f));
      }
    }
  }
  if (total > reported) {
    out_.diagnostics->push_back({"", "", "k8s-network",
                                 std::to_string(total - reported) +
                                     " further cross-sensitivity paths not listed "
                                     "(--max-pair-findings " +
                                     std::to_string(view_.max_pair_findings) + ")"});
  }
  Summary();
}

// The summary: a matrix of allowed workload pairs between levels.
void Analyzer::Summary() {
  const size_t levels = view_.levels.size();
  std::string& s = *out_.summary;
  s += "Reachability between sensitivity levels (workload pairs that NetworkPolicies allow; "
       "rows: from, columns: to)\n";
  size_t width = 8;
  for (const std::string& l : view_.levels) width = std::max(width, l.size() + 2);
  auto pad = [&](std::string t) {
    t.resize(std::max(t.size(), width), ' ');
    return t;
  };
  std::string header = pad("");
  for (const std::string& l : view_.levels) header += pad(l);
  while (!header.empty() && header.back() == ' ') header.pop_back();
  s += header + "\n";
  for (size_t i = 0; i < levels; ++i) {
    std::string row = pad(view_.levels[i]);
    for (size_t j = 0; j < levels; ++j) row += pad(i == j ? "-" : std::to_string(matrix_[i][j]));
    while (!row.empty() && row.back() == ' ') row.pop_back();
    s += row + "\n";
  }
  size_t not_in = 0, not_eg = 0;
  for (size_t i = 0; i < n_; ++i) {
    not_in += !in_isolated_[i];
    not_eg += !eg_isolated_[i];
  }
  s += std::to_string(n_) + " workload(s), " + std::to_string(policies_.size()) +
       " NetworkPolicy object(s); not isolated for ingress: " + std::to_string(not_in) +
       ", for egress: " + std::to_string(not_eg) + "\n";
}

void Analyzer::Egress() {
  for (size_t a = 0; a < n_; ++a) {
    if (view_.level[a] == 0) continue;  // only workloads above the lowest level
    std::string why;
    if (!eg_isolated_[a]) {
      why = "no egress policy selects it";
    } else {
      for (const Rule* r : eg_rules_[a]) {
        if (r->any_address) {
          why = "an egress rule allows " + r->any_note;
          break;
        }
      }
    }
    if (why.empty()) continue;
    const Workload& w = *view_.workloads[a];
    out_.findings->push_back(
        MakeFinding(kSensitiveEgressAnywhere, *w.object,
                    w.id + " (" + view_.levels[view_.level[a]] + ") may reach 0.0.0.0/0: " + why,
                    "", "", w.pod_meta->line()));
  }
}

}  // namespace

size_t AnalyzeNetwork(const std::vector<Object>& objects, const ClusterView& view,
                      const AnalysisOutput& out) {
  Analyzer a(objects, view, out);
  return a.Run();
}

}  // namespace bulkhead::k8s::internal
