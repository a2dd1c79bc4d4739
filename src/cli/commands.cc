#include "cli/commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>

#include "bulkhead/image/manifest.h"
#include "bulkhead/pkg/builtin_analyzers.h"
#include "bulkhead/report/writer.h"
#include "bulkhead/scan/scanner.h"

namespace bulkhead::cli {
namespace {

// Progress on stderr, only when stderr is a terminal.
class TerminalProgress final : public scan::ProgressSink {
 public:
  void LayerDone(size_t done, size_t total) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::fprintf(stderr, "\r\033[Kscanning layers: %zu/%zu", done, total);
    if (done == total) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  std::mutex mu_;
};

struct ScanFlags {
  std::string source;
  std::string format;
  std::string output;
  std::string platform;
  bool package_files = false;
  scan::ScanOptions options;
  uint64_t max_layer_bytes = 0;
};

void AddScanFlags(CLI::App& app, ScanFlags& f) {
  app.add_option("source", f.source,
                 "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], "
                 "dir:PATH, or a bare path")
      ->required();
  app.add_option("-o,--output", f.output, "write the report to FILE instead of stdout");
  app.add_option("--platform", f.platform, "os/arch[/variant] of a multi-platform image");
  app.add_option("--threads", f.options.threads, "layers processed at once (0: one per core)");
  app.add_option("--max-entries", f.options.tar.max_entries, "tar entries per layer")
      ->capture_default_str();
  app.add_option("--max-path-bytes", f.options.tar.max_path_bytes, "length of one path")
      ->capture_default_str();
  app.add_option("--max-file-bytes", f.options.max_file_bytes, "largest file handed to analyzers")
      ->capture_default_str();
  f.max_layer_bytes = f.options.decompress.max_output_bytes;
  app.add_option("--max-layer-bytes", f.max_layer_bytes,
                 "decompressed bytes per layer (stops decompression bombs)")
      ->capture_default_str();
  app.add_option("--max-depth", f.options.rootfs.max_depth, "directory depth of dir: sources")
      ->capture_default_str();
}

// Parses, scans and writes; returns the exit code. `allowed` lists the formats.
int Scan(CLI::App& app, ScanFlags& f, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitError;
  }
  Result<report::Format> format = report::ParseFormat(f.format);
  if (!format.ok()) {
    std::fprintf(stderr, "bulkhead: %s\n", std::string(format.error().message()).c_str());
    return kExitError;
  }
  if (!f.platform.empty()) {
    Result<image::Platform> p = image::Platform::Parse(f.platform);
    if (!p.ok()) {
      std::fprintf(stderr, "bulkhead: %s\n", std::string(p.error().message()).c_str());
      return kExitError;
    }
    f.options.source.platform = *p;
  }
  f.options.decompress.max_output_bytes = f.max_layer_bytes;

  pkg::AnalyzerRegistry analyzers;
  Status reg = pkg::RegisterBuiltinAnalyzers(&analyzers);
  if (!reg.ok()) {
    std::fprintf(stderr, "bulkhead: %s\n", reg.ToString().c_str());
    return kExitError;
  }
  TerminalProgress progress;
  const bool show_progress = isatty(STDERR_FILENO);
  Result<Report> report =
      scan::ScanImage(f.source, analyzers, f.options, show_progress ? &progress : nullptr);
  if (!report.ok()) {
    std::fprintf(stderr, "bulkhead: %s\n", std::string(report.error().message()).c_str());
    return kExitError;
  }

  report::WriteOptions wo;
  wo.package_files = f.package_files;
  wo.tool_version = BULKHEAD_VERSION;
  Status written;
  if (f.output.empty()) {
    wo.color = *format == report::Format::kTable && isatty(STDOUT_FILENO);
    written = report::WriteReport(*report, *format, wo, std::cout);
  } else {
    std::ofstream out(f.output, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::fprintf(stderr, "bulkhead: cannot write %s\n", f.output.c_str());
      return kExitError;
    }
    written = report::WriteReport(*report, *format, wo, out);
  }
  if (!written.ok()) {
    std::fprintf(stderr, "bulkhead: %s\n", std::string(written.message()).c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

int RunImage(int argc, char** argv) {
  CLI::App app("Scan a container image: inventory, findings and NIST SP 800-190 controls",
               "bulkhead image");
  ScanFlags f;
  f.format = "table";
  AddScanFlags(app, f);
  app.add_option("-f,--format", f.format, "table or json")->capture_default_str();
  app.add_flag("--package-files", f.package_files, "list the files of each package (json)");
  return Scan(app, f, argc, argv);
}

int RunSbom(int argc, char** argv) {
  CLI::App app("Write the package inventory of an image as an SBOM", "bulkhead sbom");
  ScanFlags f;
  f.format = "cyclonedx";
  AddScanFlags(app, f);
  app.add_option("-f,--format", f.format, "cyclonedx or spdx")->capture_default_str();
  return Scan(app, f, argc, argv);
}

int RunVersion(int, char**) {
  std::printf("bulkhead %s\n", BULKHEAD_VERSION);
  return kExitOk;
}

}  // namespace bulkhead::cli
