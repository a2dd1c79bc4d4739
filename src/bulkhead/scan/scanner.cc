#include "bulkhead/scan/scanner.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "bulkhead/core/controls.h"
#include "bulkhead/core/parallel.h"
#include "bulkhead/pkg/builtin_analyzers.h"
#include "bulkhead/pkg/os_release.h"
#include "bulkhead/scan/internal/content_pool.h"
#include "bulkhead/scan/internal/layer_visitor.h"
#include "bulkhead/vulndb/ecosystem.h"

namespace bulkhead::scan {
namespace {

// Matches the inventory (4.1.1). The control counts as assessed only when every OS
// package could be judged: the OS has a feed and the database holds records for it.
// Otherwise a diagnostic says what to import, and 4.1.1 stays not-assessed: an empty
// database must not look like a clean image.
Status MatchVulnerabilities(const ScanOptions& options, Report* report) {
  BULKHEAD_RETURN_IF_ERROR(vuln::MatchReport(*options.vulndb, options.match, report));
  bool has_os_packages = false;
  for (const Package& p : report->packages) {
    has_os_packages |= p.type == "deb" || p.type == "apk" || p.type == "rpm";
  }
  if (!has_os_packages) {
    report->assessed_controls.push_back("4.1.1");
    return Status::OK();
  }
  const OsInfo& os = report->target.os;
  std::optional<vulndb::EcosystemInfo> eco = vulndb::OsEcosystem(os);
  if (!eco) {
    report->diagnostics.push_back(
        {"", "", "vuln",
         "no vulnerability feed for " +
             (os.family.empty() ? "this OS" : os.family + " " + os.version) +
             ": its packages were not matched"});
    return Status::OK();
  }
  Result<bool> has = options.vulndb->HasRecords(eco->key);
  if (!has.ok()) return has.error();
  if (!*has) {
    report->diagnostics.push_back({"", "", "vuln",
                                   "the vulnerability database holds no records for " + eco->key +
                                       ": import its feed ('bulkhead db import')"});
    return Status::OK();
  }
  report->assessed_controls.push_back("4.1.1");
  return Status::OK();
}

constexpr uint64_t kReadAheadMinBytes = 4 << 20;
// File bytes waiting for the content workers, at most (one bigger file goes alone).
constexpr uint64_t kContentBytesInFlight = 128 << 20;

struct LayerResult {
  image::LayerFiles files;
  pkg::FileSet::LayerCapture captures;
  std::vector<std::pair<std::string, secret::SecretMatch>> secrets;
  std::vector<std::pair<std::string, malware::Match>> malware;
  Status status;
};

// Walks one layer (or a rootfs). Contents are scanned on `pool` when there is one (this
// waits for this layer's files), else inline with a fresh scratch for this thread.
Status VisitLayer(const pkg::AnalyzerRegistry& analyzers, const ScanOptions& options,
                  internal::ContentPool* pool,
                  const std::function<Status(image::EntryVisitor&)>& walk, LayerResult* r) {
  std::unique_ptr<secret::Scratch> scratch;
  std::unique_ptr<malware::Scanner> malware;
  if (!pool && options.secrets) {
    BULKHEAD_ASSIGN_OR_RETURN(scratch, options.secrets->NewScratch());
  }
  if (!pool && options.malware) {
    BULKHEAD_ASSIGN_OR_RETURN(malware, malware::Scanner::Create(*options.malware));
  }
  internal::LayerContent pooled;
  internal::LayerVisitor visitor(analyzers, options, scratch.get(), malware.get(), &r->files, pool,
                                 &pooled);
  Status status = walk(visitor);
  Status scanned = pooled.Wait();  // Always: the pool's jobs point at `pooled`.
  r->captures = visitor.TakeCaptures();
  r->secrets = std::move(visitor.secrets());
  r->malware = std::move(visitor.malware());
  for (auto& m : pooled.secrets()) r->secrets.push_back(std::move(m));
  for (auto& m : pooled.malware()) r->malware.push_back(std::move(m));
  for (Diagnostic& d : pooled.notes()) r->files.diagnostics.push_back(std::move(d));
  return status.ok() ? scanned : status;
}

// The content-scanning pool, when there is content to scan.
Result<std::unique_ptr<internal::ContentPool>> MaybeContentPool(const ScanOptions& options) {
  if (!options.secrets && !options.malware) return std::unique_ptr<internal::ContentPool>();
  size_t workers = options.threads ? options.threads : std::thread::hardware_concurrency();
  return internal::ContentPool::Create(options.secrets, options.secret_options, options.malware,
                                       std::max<size_t>(workers, 1), kContentBytesInFlight);
}

Finding SecretFinding(secret::SecretMatch& m, std::string path) {
  Finding f;
  f.id = std::move(m.rule_id);
  f.kind = FindingKind::kSecret;
  f.severity = m.severity;
  f.title = std::move(m.title);
  f.path = std::move(path);
  f.line = m.line;
  f.match = std::move(m.masked_line);
  f.secret = std::move(m.masked_secret);
  f.controls = {"4.1.4"};
  return f;
}

// Env, labels and history are where build arguments and credentials leak in a config.
Status ScanConfigForSecrets(const secret::Engine& engine, const image::ImageConfig& config,
                            std::vector<Finding>* out) {
  BULKHEAD_ASSIGN_OR_RETURN(auto scratch, engine.NewScratch());
  std::vector<std::pair<std::string, std::string>> texts;
  for (const std::string& env : config.env) texts.emplace_back("config:Env", env);
  for (const auto& [key, value] : config.labels) {
    texts.emplace_back("config:Labels", key + "=" + value);
  }
  for (size_t i = 0; i < config.history.size(); ++i) {
    texts.emplace_back("config:history[" + std::to_string(i) + "]", config.history[i].created_by);
  }
  for (const auto& [origin, text] : texts) {
    std::vector<secret::SecretMatch> matches;
    BULKHEAD_RETURN_IF_ERROR(secret::ScanText(scratch.get(), text, origin, &matches));
    for (secret::SecretMatch& m : matches) {
      Finding f = SecretFinding(m, origin);
      f.line = 0;  // a config value has no file line
      out->push_back(std::move(f));
    }
  }
  return Status::OK();
}

// What the squash and the checks need to know about the source.
struct SourceFacts {
  const image::ImageConfig* config = nullptr;  // null for a rootfs
  std::string requested_tag;
};

Result<Report> Analyze(Report report, std::vector<LayerResult>& layers,
                       const pkg::AnalyzerRegistry& analyzers, const ScanOptions& options,
                       const SourceFacts& facts) {
  std::vector<const image::LayerFiles*> ptrs;
  std::vector<pkg::FileSet::LayerCapture> captures;
  std::vector<std::string> digests;
  for (size_t i = 0; i < layers.size(); ++i) {
    ptrs.push_back(&layers[i].files);
    captures.push_back(std::move(layers[i].captures));
    digests.push_back(report.layers[i].digest);
    for (Diagnostic d : layers[i].files.diagnostics) {
      d.layer = report.layers[i].digest;
      report.diagnostics.push_back(std::move(d));
    }
  }
  image::Overlay overlay = image::Overlay::Build(ptrs);
  for (size_t i = 0; i < layers.size(); ++i) {
    for (auto& [path, match] : layers[i].secrets) {
      Finding f = SecretFinding(match, path);
      f.layer = report.layers[i].digest;
      // Deleted later, the secret is still shipped inside the image: report where.
      if (auto by = overlay.DeletedIn(static_cast<uint32_t>(i), path)) {
        f.deleted_in_layer = report.layers[*by].digest;
      }
      report.findings.push_back(std::move(f));
    }
    for (auto& [path, match] : layers[i].malware) {
      Finding f;
      f.id = std::move(match.id);
      f.kind = FindingKind::kMalware;
      f.severity = match.severity;
      f.title = std::move(match.title);
      f.path = path;
      f.layer = report.layers[i].digest;
      if (auto by = overlay.DeletedIn(static_cast<uint32_t>(i), path)) {
        f.deleted_in_layer = report.layers[*by].digest;
      }
      f.controls = {"4.1.3"};
      report.findings.push_back(std::move(f));
    }
  }
  pkg::FileSet files(&overlay, std::move(captures), std::move(digests));
  report.target.os = pkg::DetectOs(files);
  pkg::AnalysisInput input{files, report.target.os};
  for (const auto& analyzer : analyzers.analyzers()) {
    pkg::AnalysisSink sink;
    Status s = analyzer->Analyze(input, sink);
    for (Package& p : sink.packages()) report.packages.push_back(std::move(p));
    for (Diagnostic& d : sink.diagnostics()) {
      d.source = std::string(analyzer->Type());
      report.diagnostics.push_back(std::move(d));
    }
    if (!s.ok()) {
      report.diagnostics.push_back({"", "", std::string(analyzer->Type()), s.ToString()});
    }
  }
  report.control_scope.assign(std::begin(kImageControls), std::end(kImageControls));
  if (options.config_checks) {
    config::CheckInput check_input{report.target, facts.config, files, report.packages,
                                   facts.requested_tag};
    for (Finding& f : config::RunImageChecks(check_input, options.checks)) {
      report.findings.push_back(std::move(f));
    }
    report.assessed_controls.push_back("4.1.2");
    if (!options.checks.trusted_registries.empty()) report.assessed_controls.push_back("4.1.5");
  }
  if (options.secrets) {
    if (facts.config) {
      BULKHEAD_RETURN_IF_ERROR(
          ScanConfigForSecrets(*options.secrets, *facts.config, &report.findings));
    }
    report.assessed_controls.push_back("4.1.4");
  }
  if (options.vulndb) BULKHEAD_RETURN_IF_ERROR(MatchVulnerabilities(options, &report));
  if (!options.malicious_packages.empty()) {
    for (Finding& f :
         malware::MatchMaliciousPackages(options.malicious_packages, report.packages)) {
      report.findings.push_back(std::move(f));
    }
  }
  // EICAR alone is a smoke test, not an assessment: 4.1.3 counts as assessed only with
  // real signatures (YARA rules, hash lists or malicious-package lists).
  if ((options.malware && (options.malware->has_yara_rules() || options.malware->needs_hashes())) ||
      !options.malicious_packages.empty()) {
    report.assessed_controls.push_back("4.1.3");
  }
  report.Sort();
  RollUpControls(&report);
  return report;
}

}  // namespace

Result<Report> ScanImage(std::string_view source, const pkg::AnalyzerRegistry& analyzers,
                         const ScanOptions& options, ProgressSink* progress) {
  BULKHEAD_ASSIGN_OR_RETURN(image::SourceSpec spec, image::ParseSourceSpec(source));
  Report report;
  BULKHEAD_ASSIGN_OR_RETURN(std::unique_ptr<internal::ContentPool> pool, MaybeContentPool(options));
  if (spec.kind == image::SourceKind::kRootfs) {
    report.target.name = spec.display;
    report.target.kind = "rootfs";
    std::vector<LayerResult> layers(1);
    BULKHEAD_RETURN_IF_ERROR(VisitLayer(
        analyzers, options, pool.get(),
        [&](image::EntryVisitor& v) {
          return image::WalkRootfs(spec.path, options.rootfs, v, &layers[0].files);
        },
        &layers[0]));
    LayerInfo info;
    info.digest = "rootfs";
    report.layers.push_back(info);
    if (progress) progress->LayerDone(1, 1);
    Result<Report> out = Analyze(std::move(report), layers, analyzers, options, SourceFacts{});
    if (out.ok()) out->layers.clear();  // a directory has no layers to speak of
    if (out.ok()) {
      for (Package& p : out->packages) p.layer.clear();
      for (Diagnostic& d : out->diagnostics) d.layer.clear();
      for (Finding& f : out->findings) f.layer.clear();
    }
    return out;
  }

  BULKHEAD_ASSIGN_OR_RETURN(auto img, image::OpenImage(spec, options.source));
  report.target = img->target();
  report.layers = img->layers();
  const size_t n = report.layers.size();
  std::vector<LayerResult> layers(n);
  std::atomic<size_t> done{0};
  ParallelFor(n, options.threads, [&](size_t i) {
    LayerResult& r = layers[i];
    // A big layer gets a second thread: decompression on one, hashing and the tar walk
    // on the other.
    const uint64_t size = report.layers[i].size;
    const bool read_ahead = size == 0 || size >= kReadAheadMinBytes;
    Result<std::unique_ptr<archive::ByteSource>> stream =
        img->OpenLayer(i, options.decompress, read_ahead);
    if (!stream.ok()) {
      r.status = stream.error();
      return;
    }
    auto walk = [&](image::EntryVisitor& v) {
      return image::WalkLayer(std::move(stream).value(), options.tar, v, &r.files);
    };
    r.status = VisitLayer(analyzers, options, pool.get(), walk, &r);
    if (r.status.code() == StatusCode::kCorruption) {
      // A tampered blob usually breaks decompression before its digest can be checked
      // at the end of the stream; name the root cause when that is what happened.
      Status blob = img->VerifyLayerBlob(i);
      if (!blob.ok()) r.status = blob;
    }
    if (progress) progress->LayerDone(++done, n);
  });
  for (size_t i = 0; i < n; ++i) {
    if (!layers[i].status.ok()) {
      return layers[i].status.WithContext("layer " + std::to_string(i + 1) + " of " +
                                          std::to_string(n));
    }
  }
  return Analyze(std::move(report), layers, analyzers, options,
                 SourceFacts{&img->config(), spec.tag});
}

Status RegisterScanAnalyzers(pkg::AnalyzerRegistry* registry) {
  BULKHEAD_RETURN_IF_ERROR(pkg::RegisterBuiltinAnalyzers(registry));
  return registry->Add(std::make_unique<config::AccountFilesAnalyzer>());
}

}  // namespace bulkhead::scan
