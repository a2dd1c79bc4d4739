// NetworkPolicy reachability (4.3.3, 4.4.2) and workload separation (4.3.4).
#include <gtest/gtest.h>

#include "tests/k8s/k8s_test_util.h"

namespace bulkhead::k8s {
namespace {

using testutil::AuditText;
using testutil::Lines;
using testutil::TestData;
using testutil::Titles;
using V = std::vector<std::string>;

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(Network, ClusterPathsIsolationAndEgress) {
  AuditResult r = AuditText(TestData("network/cluster.yaml"));
  EXPECT_EQ(Titles(r.report, "BH-K8S-403"),
            (V{
                "Deployment/ops/tool (public) can reach Deployment/web/api (medium) on any port",
                "Deployment/web/api (medium) can reach Deployment/ops/tool (public) on any port",
                "Deployment/web/api (medium) can reach Deployment/web/cache (public) on any port",
                "Deployment/web/api (medium) can reach Deployment/web/frontend (public) on any "
                "port",
                "Deployment/web/api (medium) can reach StatefulSet/db/postgres (restricted) on TCP "
                "5432",
                "Deployment/web/cache (public) can reach Deployment/web/api (medium) on any port",
                "Deployment/web/frontend (public) can reach Deployment/web/api (medium) on TCP "
                "9000",
            }));
  EXPECT_EQ(Titles(r.report, "BH-K8S-404"),
            (V{"CronJob/db/backup (restricted) may reach 0.0.0.0/0: an egress rule allows ipBlock "
               "0.0.0.0/0 except 10.0.0.0/8",
               "Deployment/web/api (medium) may reach 0.0.0.0/0: no egress policy selects it"}));
  EXPECT_EQ(Titles(r.report, "BH-K8S-401"),
            (V{"Namespace ops has no NetworkPolicy: its 1 workload(s) accept and open any "
               "connection"}));
  V not_isolated;
  for (const Finding& f : r.report.findings) {
    if (f.id == "BH-K8S-402") not_isolated.push_back(f.object);
    if (f.id == "BH-K8S-403") {
      bool up =
          f.title.find("(public) can reach Deployment/web/api (medium)") != std::string::npos ||
          f.title.find("(restricted)") != std::string::npos;
      EXPECT_EQ(f.severity, up ? Severity::kHigh : Severity::kMedium) << f.title;
      EXPECT_EQ(f.controls, V{"4.3.3"});
    }
    if (f.id == "BH-K8S-401") {
      EXPECT_EQ(f.object, "Namespace/ops");
    }
  }
  std::sort(not_isolated.begin(), not_isolated.end());
  EXPECT_EQ(not_isolated,
            (V{"Deployment/web/api", "Deployment/web/cache", "Deployment/web/frontend"}));
  EXPECT_EQ(r.summary,
            "Reachability between sensitivity levels (workload pairs that NetworkPolicies allow; "
            "rows: from, columns: to)\n"
            "            public      low         medium      high        restricted\n"
            "public      -           0           3           0           0\n"
            "low         0           -           0           0           0\n"
            "medium      3           0           -           0           1\n"
            "high        0           0           0           -           0\n"
            "restricted  0           0           0           0           -\n"
            "6 workload(s), 4 NetworkPolicy object(s); not isolated for ingress: 4, for egress: 3\n"
            "Workload pairs of different sensitivity that may share a node: 11 (judged from "
            "scheduling constraints; no Node objects given)\n");
}

TEST(Network, SelectorsInOnePeerVersusTwoPeers) {
  std::string two = Replace(TestData("network/cluster.yaml"),
                            "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
                            "web}}\n      podSelector:",
                            "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
                            "web}}\n    - podSelector:");
  AuditResult r = AuditText(two);
  V to_postgres;
  for (const std::string& t : Titles(r.report, "BH-K8S-403")) {
    if (t.find("can reach StatefulSet/db/postgres") != std::string::npos) to_postgres.push_back(t);
  }
  // Two peers: every pod of web may connect (frontend's own egress policy still stops it).
  EXPECT_EQ(to_postgres,
            (V{"Deployment/web/api (medium) can reach StatefulSet/db/postgres (restricted) on TCP "
               "5432",
               "Deployment/web/cache (public) can reach StatefulSet/db/postgres (restricted) on "
               "TCP 5432"}));
}

constexpr char kTwoPods[] = R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a, bulkhead.io/sensitivity: high}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 443}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: y, labels: {app: b}}
spec: {containers: [{name: c, image: i}]}
---
)";

V Paths(const std::string& policies) {
  AuditResult r = AuditText(std::string(kTwoPods) + policies);
  return Titles(r.report, "BH-K8S-403");
}

TEST(Network, PolicyTypesDefaultToIngressPlusEgressWhenEgressRulesExist) {
  // No policyTypes and an egress rule: a is isolated both ways; the egress rule allows y.
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {}
  egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]
)"),
            (V{"Pod/x/a (high) can reach Pod/y/b (public) on any port"}));
  // No policyTypes and no egress: ingress only, so a's egress stays open; its ingress is
  // closed (no rules).
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec: {podSelector: {}}
)"),
            (V{"Pod/x/a (high) can reach Pod/y/b (public) on any port"}));
  // An empty egress list with policyTypes [Egress]: deny all egress; ingress untouched.
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec: {podSelector: {}, policyTypes: [Egress], egress: []}
)"),
            (V{"Pod/y/b (public) can reach Pod/x/a (high) on any port"}));
}

TEST(Network, EmptyNamespaceSelectorPortsAndEndPort) {
  // Ingress to a from every namespace on 400-500/TCP: the container's 443 is not needed,
  // policy ports are what counts.
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 400, endPort: 500}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: q, namespace: y}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ports: [{port: 443}, {protocol: UDP, port: 53}]}]
)"),
            (V{"Pod/x/a (high) can reach Pod/y/b (public) on any port",
               "Pod/y/b (public) can reach Pod/x/a (high) on TCP 443"}));
  // Disjoint ports: no path from b to a.
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Ingress, Egress]
  ingress: [{ports: [{port: 443}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: q, namespace: y}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ports: [{port: 80}]}]
)"),
            V{});
  // A peer podSelector without namespaceSelector stays in the policy's namespace; an
  // unknown named port matches nothing.
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {app: b}}}]}]
  egress: [{ports: [{port: https}]}]
)"),
            V{});
}

TEST(Network, EmptyPodSelectorInAPeerMeansThePolicyNamespaceOnly) {
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {}}]}]
)"),
            (V{"Pod/x/a (high) can reach Pod/y/b (public) on any port"}));
  // With namespaceSelector {} in the same peer: every pod of every namespace.
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {}, namespaceSelector: {}}]}]
)"),
            (V{"Pod/x/a (high) can reach Pod/y/b (public) on any port",
               "Pod/y/b (public) can reach Pod/x/a (high) on any port"}));
}

TEST(Network, MatchExpressions) {
  EXPECT_EQ(Paths(R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [a, z]}]}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [y]}]}}]
)"),
            V{});
}

TEST(Network, HardenedClusterHasNoNetworkFindings) {
  AuditResult r = AuditText(R"(apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {bulkhead.io/sensitivity: high}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 8443}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-to-b, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: b}}}], ports: [{port: 8443}]}]
)");
  EXPECT_EQ(Lines(r.report, "BH-K8S-4"), V{});
  EXPECT_EQ(Lines(r.report, "BH-K8S-5"), V{});
}

TEST(Network, UnknownSensitivityValueIsADiagnostic) {
  AuditResult r = AuditText(R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {bulkhead.io/sensitivity: secret}}
spec: {containers: [{name: c, image: i}]}
)");
  ASSERT_EQ(r.report.diagnostics.size(), 1u);
  EXPECT_EQ(r.report.diagnostics[0].message,
            "sensitivity value 'secret' (label bulkhead.io/sensitivity) is not one of "
            "--sensitivity-levels: treated as public");
  AuditOptions custom;
  custom.sensitivity_label = "tier";
  custom.sensitivity_levels = {"open", "secret"};
  AuditResult c = AuditText(std::string(kTwoPods) + R"(apiVersion: v1
kind: Pod
metadata: {name: s, namespace: y, labels: {tier: secret}}
spec: {containers: [{name: c, image: i}]}
)",
                            custom);
  EXPECT_EQ(Titles(c.report, "BH-K8S-404"),
            (V{"Pod/y/s (secret) may reach 0.0.0.0/0: no egress policy selects it"}));
}

TEST(Network, PairFindingsAreCapped) {
  std::string yaml;
  for (int i = 0; i < 6; ++i) {
    yaml += "apiVersion: v1\nkind: Pod\nmetadata: {name: p" + std::to_string(i) +
            ", labels: {bulkhead.io/sensitivity: " + (i % 2 ? "high" : "low") +
            "}}\nspec: {containers: [{name: c, image: i}]}\n---\n";
  }
  AuditOptions options;
  options.max_pair_findings = 4;
  AuditResult r = AuditText(yaml, options);
  EXPECT_EQ(Titles(r.report, "BH-K8S-403").size(), 4u);
  EXPECT_EQ(Titles(r.report, "BH-K8S-501").size(), 4u);
  V diags;
  for (const Diagnostic& d : r.report.diagnostics) diags.push_back(d.message);
  EXPECT_EQ(diags, (V{"14 further cross-sensitivity paths not listed (--max-pair-findings 4)",
                      "5 further workload pairs that may share a node not listed "
                      "(--max-pair-findings 4)"}));
}

TEST(Network, PairwiseAnalysisHasAWorkloadLimit) {
  AuditOptions options;
  options.max_pairwise_workloads = 1;
  AuditResult r = AuditText(std::string(kTwoPods), options);
  EXPECT_EQ(Titles(r.report, "BH-K8S-403"), V{});
  EXPECT_EQ(Titles(r.report, "BH-K8S-404").size(), 1u);  // egress is judged per workload
  V diags;
  for (const Diagnostic& d : r.report.diagnostics) diags.push_back(d.message);
  EXPECT_EQ(diags, (V{"2 workloads (more than 1): paths between workloads of different "
                      "sensitivity not computed"}));
}

// Scheduling.
constexpr char kSecurePod[] = R"(apiVersion: v1
kind: Pod
metadata: {name: vault, namespace: sec, labels: {bulkhead.io/sensitivity: restricted}}
spec:
  nodeSelector: {pool: secure}
  tolerations: [{key: dedicated, operator: Equal, value: secure, effect: NoSchedule}]
  containers: [{name: c, image: i}]
---
)";

std::string PublicPod(const std::string& name, const std::string& spec) {
  return "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: pub}\nspec:\n" +
         spec + "  containers: [{name: c, image: i}]\n---\n";
}

V SharePairs(const std::string& yaml) {
  AuditResult r = AuditText(std::string(kSecurePod) + yaml);
  return Titles(r.report, "BH-K8S-501");
}

TEST(Scheduling, SymbolicConstraintsWithoutNodes) {
  std::string yaml =
      PublicPod("free", "") + PublicPod("general", "  nodeSelector: {pool: general}\n") +
      PublicPod("notsecure",
                "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                "{nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: NotIn, values: "
                "[secure]}]}]}}}\n") +
      PublicPod("either",
                "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                "{nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: "
                "[general]}]}, {matchExpressions: [{key: pool, operator: Exists}]}]}}}\n") +
      PublicPod("nopool",
                "  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                "{nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: DoesNotExist}]}]}}}"
                "\n") +
      PublicPod("sandboxed", "  runtimeClassName: gvisor\n") +
      "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: gvisor}\nhandler: runsc\n"
      "scheduling: {nodeSelector: {pool: sandbox}}\n";
  EXPECT_EQ(SharePairs(yaml),
            (V{"Pod/pub/either (public) and Pod/sec/vault (restricted) may be scheduled onto the "
               "same node",
               "Pod/pub/free (public) and Pod/sec/vault (restricted) may be scheduled onto the "
               "same node"}));
}

TEST(Scheduling, NodesTaintsTolerationsAndNodeName) {
  std::string nodes = R"(apiVersion: v1
kind: Node
metadata: {name: n1, labels: {pool: secure}}
spec: {taints: [{key: dedicated, value: secure, effect: NoSchedule}]}
---
apiVersion: v1
kind: Node
metadata: {name: n2, labels: {pool: general}}
---
)";
  std::string yaml =
      nodes + PublicPod("free", "") +
      PublicPod("tolerant", "  tolerations: [{operator: Exists}]\n") +
      PublicPod("wrongvalue",
                "  tolerations: [{key: dedicated, operator: Equal, value: other}]\n") +
      PublicPod("pinned", "  nodeName: n1\n");
  EXPECT_EQ(SharePairs(yaml),
            (V{"Pod/pub/pinned (public) and Pod/sec/vault (restricted) may be scheduled onto the "
               "same node of the listed Nodes",
               "Pod/pub/tolerant (public) and Pod/sec/vault (restricted) may be scheduled onto the "
               "same node of the listed Nodes"}));
  // Pods already bound to one node with different levels.
  AuditResult r = AuditText(nodes + R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: s, labels: {bulkhead.io/sensitivity: high}}
spec: {nodeName: n2, containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: s}
spec: {nodeName: n2, containers: [{name: c, image: i}]}
)");
  EXPECT_EQ(Titles(r.report, "BH-K8S-502"),
            (V{"Node n2 runs pods of 2 sensitivity levels (public: Pod/s/b; high: Pod/s/a)"}));
}

}  // namespace
}  // namespace bulkhead::k8s
