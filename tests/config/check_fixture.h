// Helpers for the config-check tests: the non-file inputs of RunImageChecks with defaults
// that pass every check, and file trees that tests/pkg/analyzer_fixture.h's FakeImage
// cannot express on its own (directory and link modes, captured account files).
//
// Not thread-safe. A FileSet returned here borrows the overlay of the FakeImage or
// ModeTree it came from: keep that alive while the FileSet is used.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/config/check_catalog.h"
#include "bulkhead/config/image_checks.h"
#include "tests/pkg/analyzer_fixture.h"

namespace bulkhead::testing {

/// What RunImageChecks needs besides the files. The defaults pass every check: a
/// numeric non-root USER, a HEALTHCHECK, a versioned tag, no known OS, no trust list.
struct CheckSetup {
  CheckSetup() {
    config.user = "10001";
    config.has_healthcheck = true;
    target.repo_tags = {"registry.example.com/team/app:1.4.2"};
    options.today = "2026-01-15";
  }

  Target target;
  image::ImageConfig config;
  bool with_config = true;  ///< False: a rootfs, which has no image config.
  std::vector<Package> packages;
  std::string requested_tag;
  config::CheckOptions options;

  std::vector<Finding> Run(const pkg::FileSet& files) const {
    config::CheckInput input{target, with_config ? &config : nullptr, files, packages,
                             requested_tag};
    return config::RunImageChecks(input, options);
  }
  /// With no files at all: the config-only checks.
  std::vector<Finding> Run() const {
    FakeImage empty;
    return Run(empty.Files());
  }
  void AddHistory(std::string created_by) { config.history.push_back({std::move(created_by)}); }
  void AddPackage(std::string name) {
    Package p;
    p.name = std::move(name);
    p.version = "1.0";
    packages.push_back(std::move(p));
  }
};

/// The findings with check id `id`.
inline std::vector<Finding> WithId(const std::vector<Finding>& findings, std::string_view id) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.id == id) out.push_back(f);
  }
  return out;
}

/// The distinct check ids of `findings`, sorted.
inline std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// Expects `f` to carry its check's catalog severity and NIST section, and the
/// misconfiguration kind.
inline void ExpectCatalogFields(const Finding& f) {
  const config::CheckInfo* info = config::FindCheck(f.id);
  ASSERT_NE(info, nullptr) << f.id;
  EXPECT_EQ(f.kind, FindingKind::kMisconfiguration) << f.id;
  EXPECT_EQ(f.severity, info->severity) << f.id;
  EXPECT_EQ(f.controls, std::vector<std::string>{std::string(info->control)}) << f.id;
  EXPECT_FALSE(f.title.empty()) << f.id;
}

/// A FileSet over `img`'s layers (numbered 0 to `layers` - 1, with FakeImage's default
/// digests) whose captured content is exactly `captures`, by layer index. FakeImage only
/// captures what the built-in package analyzers ask for; the account files the checks
/// read are captured by config::AccountFilesAnalyzer in a real scan.
inline pkg::FileSet WithCaptures(FakeImage& img, size_t layers,
                                 const std::map<size_t, pkg::FileSet::LayerCapture>& captures) {
  std::vector<pkg::FileSet::LayerCapture> per_layer(layers);
  std::vector<std::string> digests;
  for (size_t i = 0; i < layers; ++i) {
    auto it = captures.find(i);
    if (it != captures.end()) per_layer[i] = it->second;
    digests.push_back(FakeImage::LayerDigest(i));
  }
  return pkg::FileSet(&img.Files().overlay(), std::move(per_layer), std::move(digests));
}

/// One layer of entries with explicit types and modes (a 1777 directory, a 0777
/// symlink, a setuid hard link), which FakeImage's builders fix. Its digest is
/// FakeImage::LayerDigest(0).
class ModeTree {
 public:
  ModeTree& Add(std::string_view path, image::EntryType type, uint32_t mode,
                std::string_view link_target = "") {
    EXPECT_EQ(files_, nullptr) << "ModeTree changed after Files()";
    image::FileMeta meta;
    meta.type = type;
    meta.mode = mode;
    meta.size = type == image::EntryType::kFile ? 1 : 0;
    meta.link_target = std::string(link_target);
    layer_.entries.push_back({CanonicalizePath(path).path, meta});
    return *this;
  }
  const pkg::FileSet& Files() {
    if (!files_) {
      const image::LayerFiles* layers[] = {&layer_};
      overlay_ = std::make_unique<image::Overlay>(image::Overlay::Build(layers));
      files_ =
          std::make_unique<pkg::FileSet>(overlay_.get(), std::vector<pkg::FileSet::LayerCapture>(1),
                                         std::vector<std::string>{FakeImage::LayerDigest(0)});
    }
    return *files_;
  }

 private:
  image::LayerFiles layer_;
  std::unique_ptr<image::Overlay> overlay_;
  std::unique_ptr<pkg::FileSet> files_;
};

}  // namespace bulkhead::testing
