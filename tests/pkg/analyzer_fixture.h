// A hand-built image for analyzer tests: layers of entries (files, directories, links,
// whiteouts), captured the way the scanner captures them (only what some built-in
// analyzer's Required() asks for; hard links get their target's content), squashed with
// image::Overlay into a pkg::FileSet.
//
// Usage:
//   FakeImage img;
//   img.AddLayer().File("/var/lib/dpkg/status", kStatus);
//   img.AddLayer().File("/etc/os-release", "ID=debian\n");
//   FakeImage::Output out = img.Run(DpkgAnalyzer());
//
// Not thread-safe. Files() freezes the image: adding entries afterwards is a test bug.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/path.h"
#include "bulkhead/core/sha256.h"
#include "bulkhead/image/overlay.h"
#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/builtin_analyzers.h"
#include "bulkhead/pkg/os_release.h"

namespace bulkhead::testing {

using pkg::AnalysisInput;
using pkg::AnalysisSink;
using pkg::Analyzer;
using pkg::AnalyzerRegistry;
using pkg::FileSet;

class FakeImage {
 public:
  FakeImage() { EXPECT_TRUE(pkg::RegisterBuiltinAnalyzers(&registry_).ok()); }
  FakeImage(const FakeImage&) = delete;
  FakeImage& operator=(const FakeImage&) = delete;

  /// The digest FakeImage gives layer `index` (0-based) when none is given.
  static std::string LayerDigest(size_t index) {
    return Sha256Digest("fake layer " + std::to_string(index));
  }

  /// Starts a new, topmost layer.
  FakeImage& AddLayer(std::string digest = "") {
    EXPECT_EQ(files_, nullptr) << "FakeImage changed after Files()";
    layers_.emplace_back();
    layers_.back().digest = digest.empty() ? LayerDigest(layers_.size() - 1) : std::move(digest);
    return *this;
  }
  FakeImage& File(std::string_view path, std::string_view content, uint32_t mode = 0644) {
    image::FileMeta meta;
    meta.type = image::EntryType::kFile;
    meta.mode = mode;
    meta.size = content.size();
    std::string canonical = Add(path, meta);
    if (registry_.Required(canonical, meta)) Top().captures[canonical] = std::string(content);
    return *this;
  }
  FakeImage& Dir(std::string_view path) {
    image::FileMeta meta;
    meta.type = image::EntryType::kDirectory;
    meta.mode = 0755;
    Add(path, meta);
    return *this;
  }
  /// A symbolic link; `target` is raw, as a tar would store it (relative or absolute).
  FakeImage& Symlink(std::string_view path, std::string_view target) {
    image::FileMeta meta;
    meta.type = image::EntryType::kSymlink;
    meta.link_target = std::string(target);
    Add(path, meta);
    return *this;
  }
  /// A hard link to the canonical `target`, which gets the target's captured content.
  FakeImage& Hardlink(std::string_view path, std::string_view target) {
    image::FileMeta meta;
    meta.type = image::EntryType::kHardlink;
    meta.link_target = CanonicalizePath(target).path;
    std::string canonical = Add(path, meta);
    auto it = Top().captures.find(meta.link_target);
    if (registry_.Required(canonical, meta) && it != Top().captures.end()) {
      Top().captures[canonical] = it->second;
    }
    return *this;
  }
  FakeImage& Whiteout(std::string_view path) {
    Top().files.whiteouts.push_back(CanonicalizePath(path).path);
    return *this;
  }
  FakeImage& Opaque(std::string_view dir) {
    Top().files.opaque_dirs.push_back(CanonicalizePath(dir).path);
    return *this;
  }

  /// Squashes the layers (once) and returns the analyzers' view of them.
  const FileSet& Files() {
    if (!files_) {
      std::vector<const image::LayerFiles*> ptrs;
      std::vector<FileSet::LayerCapture> captures;
      std::vector<std::string> digests;
      for (const Layer& l : layers_) {
        ptrs.push_back(&l.files);
        captures.push_back(l.captures);
        digests.push_back(l.digest);
      }
      overlay_ = std::make_unique<image::Overlay>(image::Overlay::Build(ptrs));
      files_ = std::make_unique<FileSet>(overlay_.get(), std::move(captures), std::move(digests));
    }
    return *files_;
  }
  OsInfo Os() { return pkg::DetectOs(Files()); }

  struct Output {
    Status status;
    std::vector<Package> packages;
    std::vector<Diagnostic> diagnostics;
  };
  /// Runs `analyzer` over the image, with the OS DetectOs() finds.
  Output Run(const Analyzer& analyzer) { return Run(analyzer, Os()); }
  Output Run(const Analyzer& analyzer, const OsInfo& os) {
    AnalysisInput input{Files(), os};
    AnalysisSink sink;
    Output out;
    out.status = analyzer.Analyze(input, sink);
    out.packages = std::move(sink.packages());
    out.diagnostics = std::move(sink.diagnostics());
    return out;
  }

 private:
  struct Layer {
    image::LayerFiles files;
    FileSet::LayerCapture captures;
    std::string digest;
  };
  Layer& Top() {
    if (layers_.empty()) AddLayer();
    return layers_.back();
  }
  std::string Add(std::string_view path, const image::FileMeta& meta) {
    EXPECT_EQ(files_, nullptr) << "FakeImage changed after Files()";
    std::string canonical = CanonicalizePath(path).path;
    Top().files.entries.push_back({canonical, meta});
    return canonical;
  }

  AnalyzerRegistry registry_;
  std::vector<Layer> layers_;
  std::unique_ptr<image::Overlay> overlay_;
  std::unique_ptr<FileSet> files_;
};

/// The packages named `name` (and of architecture `arch`, when given).
inline std::vector<const Package*> FindPackages(const std::vector<Package>& packages,
                                                std::string_view name, std::string_view arch = "") {
  std::vector<const Package*> out;
  for (const Package& p : packages) {
    if (p.name == name && (arch.empty() || p.arch == arch)) out.push_back(&p);
  }
  return out;
}

/// The one package named `name`; fails the test (and returns an empty package) otherwise.
inline Package OnePackage(const std::vector<Package>& packages, std::string_view name,
                          std::string_view arch = "") {
  std::vector<const Package*> found = FindPackages(packages, name, arch);
  EXPECT_EQ(found.size(), 1u) << "packages named " << name << (arch.empty() ? "" : ":") << arch;
  return found.size() == 1 ? *found[0] : Package();
}

/// Names of `packages`, sorted, as "name" or "name:arch" when `with_arch`.
inline std::vector<std::string> PackageNames(const std::vector<Package>& packages,
                                             bool with_arch = false) {
  std::vector<std::string> out;
  for (const Package& p : packages) out.push_back(with_arch ? p.name + ":" + p.arch : p.name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace bulkhead::testing
