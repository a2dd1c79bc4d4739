#include "cli/commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>

#include "bulkhead/image/manifest.h"
#include "bulkhead/malware/engine.h"
#include "bulkhead/policy/gate.h"
#include "bulkhead/policy/policy_file.h"
#include "bulkhead/policy/vex.h"
#include "bulkhead/report/writer.h"
#include "bulkhead/scan/scanner.h"
#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/gitleaks_config.h"
#include "bulkhead/vuln/matcher.h"
#include "bulkhead/vulndb/database.h"

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
  std::string severity;
  int exit_code = 0;
  std::string trusted_registries;
  std::string policy;
  std::vector<std::string> vex;
  std::string scanners = "vuln,config,secret,malware";
  std::string db_path;
  std::string ignore_status;
  malware::LoadOptions malware_options;
  std::string secret_config;
  std::vector<std::string> secret_allow;
  std::vector<std::string> malware_packages;
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
  app.add_option("--severity", f.severity,
                 "report only these severities, e.g. CRITICAL,HIGH (default: all)");
  app.add_option("--exit-code", f.exit_code,
                 "exit with this code when any reported finding remains (default 0)");
  app.add_option("--trusted-registries", f.trusted_registries,
                 "comma-separated registries (or registry/repository prefixes) images may "
                 "come from; others are findings (4.1.5)");
  app.add_option("--as-of", f.options.checks.today,
                 "judge end-of-life dates and exception expiry as of YYYY-MM-DD, not today");
  app.add_option("--policy", f.policy,
                 "policy file (YAML): fail_on rules, checks to skip or enforce, exceptions "
                 "with reasons and expiry, trusted registries (docs/policy.md)");
  app.add_option("--vex", f.vex,
                 "OpenVEX document; not_affected and fixed statements suppress the matching "
                 "vulnerability findings (repeatable)");
  app.add_option("--scanners", f.scanners,
                 "what to run besides the inventory: vuln (4.1.1), config (4.1.2, 4.1.5), "
                 "secret (4.1.4), malware (4.1.3)")
      ->capture_default_str();
  app.add_option("--db", f.db_path,
                 "vulnerability database (default $XDG_CACHE_HOME/bulkhead/db.sqlite)");
  app.add_flag("--ignore-unfixed", f.options.match.ignore_unfixed,
               "drop vulnerabilities that have no fixed version yet");
  app.add_option("--ignore-status", f.ignore_status,
                 "drop vulnerabilities with these statuses, e.g. will-not-fix,end-of-life");
  app.add_option("--secret-config", f.secret_config,
                 "secret rules and allowlists in gitleaks' TOML format; replaces the built-in "
                 "rules unless it says [extend] useDefault = true");
  app.add_option("--secret-allow", f.secret_allow,
                 "RE2 regex: silence secrets whose path or value matches (repeatable)");
  app.add_flag("--secret-scan-binaries", f.options.secret_options.scan_binary,
               "scan files that look binary for secrets too");
  app.add_option("--malware-rules", f.malware_options.rules_dir,
                 "directory of YARA rules (*.yar, *.yara), compiled once, run on every file");
  app.add_option("--malware-hashes", f.malware_options.hashes_file,
                 "sha256/sha1/md5 block list: one hash per line, or signature-base's "
                 "hash;comment form");
  app.add_option("--malware-packages", f.malware_packages,
                 "list of known malicious npm packages ({name: {versions: [...]}}, the "
                 "shai-hulud lists' format), matched against the inventory (repeatable)");
  app.add_option("--malware-max-file-bytes", f.options.malware_max_file_bytes,
                 "bytes of one file scanned for malware")
      ->capture_default_str();
  app.add_option("--secret-max-file-bytes", f.options.secret_options.max_file_bytes,
                 "bytes of one file scanned for secrets")
      ->capture_default_str();
}

// The vulnerability database for a scan. Absent: an error when the user asked for
// vulnerabilities, else a warning (4.1.1 then stays not-assessed) and null. Warnings are
// printed once the scan has succeeded, so that a failing scan stays one line on stderr.
Result<std::unique_ptr<vulndb::Database>> OpenVulnDb(std::string path, bool required,
                                                     std::vector<std::string>* warnings) {
  if (path.empty()) path = vulndb::DefaultDatabasePath();
  Result<std::unique_ptr<vulndb::Database>> db = vulndb::Database::OpenReadOnly(path);
  if (!db.ok()) {
    if (db.error().code() != StatusCode::kNotFound) return db.error();
    if (required) {
      return Status::InvalidArgument(path +
                                     ": no vulnerability database; run 'bulkhead db import "
                                     "PATH' or 'bulkhead db update' first");
    }
    warnings->push_back("no vulnerability database at " + path +
                        ": vulnerabilities not scanned (run 'bulkhead db update' or "
                        "'bulkhead db import')");
    return std::unique_ptr<vulndb::Database>();
  }
  if (std::optional<int64_t> age = vulndb::AgeInDays((*db)->updated_at()); age && *age > 7) {
    warnings->push_back("the vulnerability database is " + std::to_string(*age) +
                        " days old; run 'bulkhead db update'");
  }
  return db;
}

// The day exceptions are judged against: --as-of, or today (UTC).
std::string Today(const ScanFlags& f) {
  if (!f.options.checks.today.empty()) return f.options.checks.today;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Parses, scans and writes; returns the exit code. `allowed` lists the formats.
int Scan(CLI::App& app, ScanFlags& f, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::fprintf(stderr, "bulkhead %s: %s (see --help)\n", argv[0], e.what());
    return kExitError;
  }
  Result<report::Format> format = report::ParseFormat(f.format);
  if (!format.ok()) return Fail("bulkhead", format.error());
  if (!f.platform.empty()) {
    Result<image::Platform> p = image::Platform::Parse(f.platform);
    if (!p.ok()) return Fail("bulkhead", p.error());
    f.options.source.platform = *p;
  }
  std::vector<Severity> severities;
  if (!f.severity.empty()) {
    Result<std::vector<Severity>> parsed = policy::ParseSeverities(f.severity);
    if (!parsed.ok()) return Fail("bulkhead", parsed.error());
    severities = std::move(parsed).value();
  }
  if (!f.options.checks.today.empty() && !IsIsoDate(f.options.checks.today)) {
    return Fail("bulkhead", Status::InvalidArgument("--as-of '" + f.options.checks.today +
                                                    "': expected YYYY-MM-DD"));
  }
  for (std::string_view rest = f.trusted_registries; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    if (!item.empty()) f.options.checks.trusted_registries.emplace_back(item);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
  }
  f.options.decompress.max_output_bytes = f.max_layer_bytes;
  std::optional<policy::Policy> gate_policy;
  if (!f.policy.empty()) {
    Result<policy::Policy> loaded = policy::LoadPolicy(f.policy);
    if (!loaded.ok()) return Fail("bulkhead", loaded.error());
    gate_policy = std::move(loaded).value();
    for (const std::string& r : gate_policy->trusted_registries) {
      f.options.checks.trusted_registries.push_back(r);
    }
  }

  // --scanners: the inventory always runs; the rest is chosen.
  f.options.config_checks = false;
  bool scan_secrets = false;
  bool scan_malware = false;
  bool scan_vulns = false;
  std::vector<std::string> warnings;
  for (std::string_view rest = f.scanners; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    if (name == "config") {
      f.options.config_checks = true;
    } else if (name == "secret") {
      scan_secrets = true;
    } else if (name == "malware") {
      scan_malware = true;
    } else if (name == "vuln") {
      scan_vulns = true;
    } else if (!name.empty() && name != "pkg") {
      return Fail("bulkhead",
                  Status::InvalidArgument("--scanners: unknown scanner '" + std::string(name) +
                                          "' (vuln, config, secret, malware)"));
    }
  }
  std::unique_ptr<vulndb::Database> vuln_db;
  if (scan_vulns) {
    Result<std::unique_ptr<vulndb::Database>> db =
        OpenVulnDb(f.db_path, /*required=*/app.count("--scanners") > 0, &warnings);
    if (!db.ok()) return Fail("bulkhead", db.error());
    vuln_db = std::move(db).value();
    f.options.vulndb = vuln_db.get();
    for (std::string_view rest = f.ignore_status; !rest.empty();) {
      size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      if (!item.empty()) f.options.match.ignore_status.emplace_back(item);
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    }
    Status valid = vuln::ValidateStatuses(f.options.match.ignore_status);
    if (!valid.ok()) return Fail("bulkhead", valid);
  }
  std::unique_ptr<secret::Engine> secret_engine;
  if (scan_secrets) {
    secret::RuleSet rules;
    if (f.secret_config.empty()) {
      rules = secret::BuiltinRules();
    } else {
      std::vector<std::string> notes;
      Result<secret::RuleSet> loaded = secret::LoadGitleaksConfig(f.secret_config, {}, &notes);
      if (!loaded.ok()) return Fail("bulkhead", loaded.error());
      for (const std::string& n : notes) Warn("bulkhead", n);
      rules = std::move(loaded).value();
    }
    for (const std::string& allow : f.secret_allow) {
      secret::AllowList list;
      list.description = "--secret-allow " + allow;
      list.paths = {allow};
      list.regexes = {allow};
      rules.allowlists.push_back(std::move(list));
    }
    std::vector<std::string> warnings;
    Result<std::unique_ptr<secret::Engine>> engine = secret::Engine::Compile(rules, &warnings);
    if (!engine.ok()) return Fail("bulkhead", engine.error());
    // Only the user's rules warrant a warning; a built-in rule that needs the RE2 path is
    // bulkhead's own business (and covered by its tests).
    if (!f.secret_config.empty()) {
      for (const std::string& w : warnings) {
        Warn("bulkhead", w);
      }
    }
    secret_engine = std::move(engine).value();
    f.options.secrets = secret_engine.get();
  }

  std::unique_ptr<malware::Engine> malware_engine;
  if (scan_malware) {
    Result<std::unique_ptr<malware::Engine>> engine = malware::Engine::Load(f.malware_options);
    if (!engine.ok()) return Fail("bulkhead", engine.error());
    malware_engine = std::move(engine).value();
    f.options.malware = malware_engine.get();
  } else if (!f.malware_options.rules_dir.empty() || !f.malware_options.hashes_file.empty() ||
             !f.malware_packages.empty()) {
    return Fail(
        "bulkhead",
        Status::InvalidArgument(
            "--malware-rules/--malware-hashes/--malware-packages given, but --scanners does not "
            "include malware"));
  }
  for (const std::string& path : f.malware_packages) {
    Result<malware::MaliciousPackages> list = malware::LoadMaliciousPackages(path);
    if (!list.ok()) return Fail("bulkhead", list.error());
    f.options.malicious_packages.push_back(std::move(list).value());
  }

  std::vector<policy::VexDocument> vex_documents;
  for (const std::string& path : f.vex) {
    Result<policy::VexDocument> doc = policy::LoadOpenVex(path);
    if (!doc.ok()) return Fail("bulkhead", doc.error());
    vex_documents.push_back(std::move(doc).value());
  }

  pkg::AnalyzerRegistry analyzers;
  Status reg = scan::RegisterScanAnalyzers(&analyzers);
  if (!reg.ok()) return Fail("bulkhead", reg);
  TerminalProgress progress;
  const bool show_progress = isatty(STDERR_FILENO);
  Result<Report> report =
      scan::ScanImage(f.source, analyzers, f.options, show_progress ? &progress : nullptr);
  if (!report.ok()) return Fail("bulkhead", report.error());
  for (const std::string& w : warnings) Warn("bulkhead", w);
  if (!severities.empty()) policy::FilterBySeverity(severities, &*report);
  for (const policy::VexDocument& doc : vex_documents) policy::ApplyVex(doc, &*report);
  const bool gate_fails = gate_policy ? policy::ApplyPolicy(*gate_policy, Today(f), &*report)
                                      : policy::GateFails(*report);

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
  if (!written.ok()) return Fail("bulkhead", written);
  return gate_fails ? f.exit_code : kExitOk;
}

}  // namespace

int RunImage(int argc, char** argv) {
  CLI::App app("Scan a container image: inventory, findings and NIST SP 800-190 controls",
               "bulkhead image");
  ScanFlags f;
  f.format = "table";
  AddScanFlags(app, f);
  app.add_option("-f,--format", f.format, "table, json, sarif, junit, html, cyclonedx or spdx")
      ->capture_default_str();
  app.add_flag("--package-files", f.package_files, "list the files of each package (json)");
  return Scan(app, f, argc, argv);
}

int RunSbom(int argc, char** argv) {
  CLI::App app("Write the package inventory of an image as an SBOM", "bulkhead sbom");
  ScanFlags f;
  f.format = "cyclonedx";
  f.scanners = "";  // an inventory, not an assessment
  AddScanFlags(app, f);
  app.add_option("-f,--format", f.format, "cyclonedx or spdx")->capture_default_str();
  return Scan(app, f, argc, argv);
}

int RunVersion(int, char**) {
  std::printf("bulkhead %s\n", BULKHEAD_VERSION);
  return kExitOk;
}

int Fail(std::string_view prefix, const Status& s) {
  std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(prefix.size()), prefix.data(),
               EscapeControlCharacters(s.message()).c_str());
  return kExitError;
}

void Warn(std::string_view prefix, std::string_view message) {
  std::fprintf(stderr, "%.*s: warning: %s\n", static_cast<int>(prefix.size()), prefix.data(),
               EscapeControlCharacters(message).c_str());
}

}  // namespace bulkhead::cli
