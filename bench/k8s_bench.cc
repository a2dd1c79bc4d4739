// `bulkhead k8s` at cluster scale: 10,000 objects generated in memory (100 namespaces with
// sensitivity labels, 8,900 Deployments, 1,000 NetworkPolicies), audited with every check:
// Pod Security Standards and hardening, secrets in env values (the secret engine),
// NetworkPolicy reachability between all workload pairs, scheduling separation.
// Goal (issue 6): the audit of the 10,000 objects in at most 1 s.
//
// BM_Audit measures the audit of objects already loaded; BM_LoadAndAudit adds parsing the
// same cluster as one multi-document YAML stream (yaml-cpp).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "bulkhead/k8s/audit.h"
#include "bulkhead/k8s/manifest.h"
#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/engine.h"

namespace {

constexpr int kNamespaces = 100;
constexpr int kWorkloadsPerNamespace = 89;
constexpr int kPoliciesPerNamespace = 10;
constexpr const char* kLevels[] = {"public", "low", "medium", "high", "restricted"};

std::string Cluster() {
  std::string y;
  y.reserve(40 << 20);
  for (int n = 0; n < kNamespaces; ++n) {
    std::string ns = "ns" + std::to_string(n);
    y += "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + ns +
         "\n  labels: {bulkhead.io/sensitivity: " + kLevels[n % 5] + ", team: t" +
         std::to_string(n % 7) + "}\n---\n";
    for (int w = 0; w < kWorkloadsPerNamespace; ++w) {
      std::string app = "app" + std::to_string(w);
      y += "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + app + ", namespace: " + ns +
           "}\nspec:\n  replicas: 2\n  template:\n    metadata:\n" + "      labels: {app: " + app +
           ", tier: t" + std::to_string(w % 4) + "}\n" + "    spec:\n" +
           (w % 3 == 0 ? "      nodeSelector: {pool: p" + std::to_string(n % 5) + "}\n" : "") +
           "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n"
           "      containers:\n"
           "      - name: main\n"
           "        image: registry.example.com/" +
           ns + "/" + app + ":1." + std::to_string(w) +
           "\n"
           "        ports: [{name: http, containerPort: 8080}, {containerPort: 9090}]\n"
           "        env:\n"
           "        - {name: MODE, value: production}\n"
           "        - {name: PEER, value: \"http://" +
           app + "." + ns +
           ".svc:8080/\"}\n"
           "        resources: {limits: {cpu: 500m, memory: 256Mi}}\n"
           "        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: "
           "true, capabilities: {drop: [ALL]}}\n---\n";
    }
    // 80 namespaces are segmented; 20 have no policy at all (open to everything).
    if (n % 5 == 4) {
      for (int p = 0; p < kPoliciesPerNamespace; ++p) {
        // Their policy quota goes to the segmented namespaces' neighbours: keep 1,000.
        std::string host = "ns" + std::to_string((n + 1 + p) % kNamespaces);
        if ((n + 1 + p) % 5 == 4) host = "ns" + std::to_string((n + 2 + p) % kNamespaces);
        y += "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: extra" +
             std::to_string(n) + "-" + std::to_string(p) + ", namespace: " + host +
             "}\nspec:\n  podSelector: {matchLabels: {tier: t" + std::to_string(p % 4) +
             "}}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {team: t" +
             std::to_string(p % 7) + "}}, podSelector: {matchLabels: {tier: t1}}}]\n" +
             "    ports: [{port: http}]\n---\n";
      }
      continue;
    }
    y += "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, "
         "namespace: " +
         ns + "}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n---\n";
    for (int p = 1; p < kPoliciesPerNamespace; ++p) {
      y += "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p" +
           std::to_string(p) + ", namespace: " + ns + "}\nspec:\n" +
           "  podSelector: {matchLabels: {app: app" + std::to_string(p) + "}}\n" +
           "  policyTypes: [Ingress, Egress]\n  ingress:\n" +
           "  - from: [{podSelector: {matchExpressions: [{key: tier, operator: In, values: [t0, "
           "t1]}]}}]\n    ports: [{port: 8080}, {port: 9000, endPort: 9100}]\n" +
           "  egress:\n  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: "
           "ns" +
           std::to_string((n + p) % kNamespaces) + "}}}]\n" +
           "    ports: [{protocol: TCP, port: http}]\n" +
           "  - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]\n---\n";
    }
  }
  return y;
}

struct Fixture {
  std::string yaml = Cluster();
  bulkhead::k8s::Manifests manifests;
  std::unique_ptr<bulkhead::secret::Engine> engine;
  Fixture() {
    bulkhead::k8s::LoadOptions load;
    if (!bulkhead::k8s::ParseManifests(yaml, "cluster.yaml", load, &manifests).ok()) abort();
    auto e = bulkhead::secret::Engine::Compile(bulkhead::secret::BuiltinRules(), nullptr);
    if (!e.ok()) abort();
    engine = std::move(e).value();
  }
};

const Fixture& Get() {
  static const Fixture* f = new Fixture;
  return *f;
}

void BM_Audit(benchmark::State& state) {
  const Fixture& f = Get();
  bulkhead::k8s::AuditOptions options;
  options.secrets = f.engine.get();
  options.trusted_registries = {"registry.example.com"};
  size_t findings = 0;
  for (auto _ : state) {
    auto r = bulkhead::k8s::Audit(f.manifests, options, "cluster.yaml");
    if (!r.ok()) state.SkipWithError("audit failed");
    findings = r->report.findings.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["objects"] = static_cast<double>(f.manifests.objects.size());
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_Audit)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

void BM_LoadAndAudit(benchmark::State& state) {
  const Fixture& f = Get();
  bulkhead::k8s::AuditOptions options;
  options.secrets = f.engine.get();
  for (auto _ : state) {
    bulkhead::k8s::Manifests m;
    if (!bulkhead::k8s::ParseManifests(f.yaml, "cluster.yaml", {}, &m).ok()) {
      state.SkipWithError("parse failed");
    }
    auto r = bulkhead::k8s::Audit(m, options, "cluster.yaml");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.yaml.size()));
}
BENCHMARK(BM_LoadAndAudit)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

// Argument: parser threads (0: one per core).
void BM_Load(benchmark::State& state) {
  const Fixture& f = Get();
  bulkhead::k8s::LoadOptions load;
  load.threads = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    bulkhead::k8s::Manifests m;
    if (!bulkhead::k8s::ParseManifests(f.yaml, "cluster.yaml", load, &m).ok()) {
      state.SkipWithError("parse failed");
    }
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.yaml.size()));
}
BENCHMARK(BM_Load)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
