#include "bulkhead/scan/scanner.h"

#include <atomic>

#include "bulkhead/core/controls.h"
#include "bulkhead/core/parallel.h"
#include "bulkhead/pkg/builtin_analyzers.h"
#include "bulkhead/pkg/os_release.h"

namespace bulkhead::scan {
namespace {

constexpr uint64_t kReadAheadMinBytes = 4 << 20;

// Records what the analyzers want from one layer. One per layer and thread.
class CaptureVisitor final : public image::EntryVisitor {
 public:
  CaptureVisitor(const pkg::AnalyzerRegistry& analyzers, const ScanOptions& options,
                 image::LayerFiles* files)
      : analyzers_(analyzers), options_(options), files_(files) {}

  Status OnEntry(const std::string& path, const image::FileMeta& meta,
                 image::ContentReader& content) override {
    if (meta.type == image::EntryType::kHardlink) {
      if (analyzers_.Required(path, meta)) hardlinks_.emplace_back(path, meta.link_target);
      return Status::OK();
    }
    if (meta.type != image::EntryType::kFile || !analyzers_.Required(path, meta)) {
      return Status::OK();
    }
    if (meta.size > options_.max_file_bytes) {
      files_->diagnostics.push_back({"", path, "walk",
                                     "file of " + std::to_string(meta.size) +
                                         " bytes not analyzed (over --max-file-bytes " +
                                         std::to_string(options_.max_file_bytes) + ")"});
      return Status::OK();
    }
    std::string data(meta.size, '\0');
    size_t got = 0;
    for (;;) {
      if (got == data.size()) data.resize(got + 4096);  // sparse or lying headers
      BULKHEAD_ASSIGN_OR_RETURN(
          size_t n, content.Read(reinterpret_cast<uint8_t*>(data.data()) + got, data.size() - got));
      if (n == 0) break;
      got += n;
      if (got > options_.max_file_bytes) {
        return Status::ResourceExhausted(path + ": more data than its header declares");
      }
    }
    data.resize(got);
    captures_[path] = std::move(data);
    return Status::OK();
  }

  /// Gives hardlinks the content of their targets when that was captured.
  pkg::FileSet::LayerCapture Finish() {
    for (const auto& [path, target] : hardlinks_) {
      auto it = captures_.find(target);
      if (it != captures_.end()) {
        captures_[path] = it->second;
      } else {
        files_->diagnostics.push_back(
            {"", path, "walk", "hard link to " + target + ", whose content was not read"});
      }
    }
    return std::move(captures_);
  }

 private:
  const pkg::AnalyzerRegistry& analyzers_;
  const ScanOptions& options_;
  image::LayerFiles* files_;
  pkg::FileSet::LayerCapture captures_;
  std::vector<std::pair<std::string, std::string>> hardlinks_;
};

struct LayerResult {
  image::LayerFiles files;
  pkg::FileSet::LayerCapture captures;
  Status status;
};

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
  report.Sort();
  RollUpControls(&report);
  return report;
}

}  // namespace

Result<Report> ScanImage(std::string_view source, const pkg::AnalyzerRegistry& analyzers,
                         const ScanOptions& options, ProgressSink* progress) {
  BULKHEAD_ASSIGN_OR_RETURN(image::SourceSpec spec, image::ParseSourceSpec(source));
  Report report;
  if (spec.kind == image::SourceKind::kRootfs) {
    report.target.name = spec.display;
    report.target.kind = "rootfs";
    std::vector<LayerResult> layers(1);
    CaptureVisitor visitor(analyzers, options, &layers[0].files);
    BULKHEAD_RETURN_IF_ERROR(
        image::WalkRootfs(spec.path, options.rootfs, visitor, &layers[0].files));
    layers[0].captures = visitor.Finish();
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
    CaptureVisitor visitor(analyzers, options, &r.files);
    r.status = image::WalkLayer(std::move(stream).value(), options.tar, visitor, &r.files);
    if (r.status.code() == StatusCode::kCorruption) {
      // A tampered blob usually breaks decompression before its digest can be checked
      // at the end of the stream; name the root cause when that is what happened.
      Status blob = img->VerifyLayerBlob(i);
      if (!blob.ok()) r.status = blob;
    }
    r.captures = visitor.Finish();
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
