// `bulkhead db import|update|info`: the vulnerability database. Only parses and wires;
// the work is in vulndb/.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bulkhead/vulndb/database.h"
#include "bulkhead/vulndb/importer.h"
#include "cli/commands.h"

namespace bulkhead::cli {
namespace {

void PrintStats(const vulndb::ImportStats& s) {
  std::fprintf(stderr, "imported %s (%s): %lld records, %lld withdrawn ignored\n", s.source.c_str(),
               s.kind.c_str(), static_cast<long long>(s.records),
               static_cast<long long>(s.withdrawn));
}

void PrintNotice(const std::string& notice) { Warn("bulkhead db", notice); }

int Report(const std::string& db_path, const Result<std::vector<vulndb::ImportStats>>& stats) {
  if (!stats.ok()) return Fail("bulkhead db", stats.error());
  for (const vulndb::ImportStats& s : *stats) PrintStats(s);
  std::fprintf(stderr, "database: %s\n", db_path.c_str());
  return kExitOk;
}

int Import(const std::string& db_path, const std::vector<std::string>& paths,
           const std::string& name) {
  if (!name.empty() && paths.size() != 1) {
    return Fail("bulkhead db", Status::InvalidArgument("--name needs exactly one path"));
  }
  std::vector<vulndb::ImportInput> inputs;
  for (const std::string& path : paths) inputs.push_back({path, name, ""});
  return Report(db_path, vulndb::ImportAll(db_path, inputs, {}, PrintNotice));
}

int Update(const std::string& db_path, std::vector<std::string> urls, uint64_t max_bytes) {
  if (urls.empty()) urls = vulndb::DefaultSources();
  return Report(db_path, vulndb::UpdateFromUrls(
                             db_path, urls, max_bytes,
                             [](const std::string& url) {
                               std::fprintf(stderr, "downloading %s\n", url.c_str());
                             },
                             PrintNotice));
}

int Info(const std::string& db_path, const std::string& format) {
  Result<std::unique_ptr<vulndb::Database>> db = vulndb::Database::OpenReadOnly(db_path);
  if (!db.ok()) return Fail("bulkhead db", db.error());
  Result<std::vector<vulndb::SourceInfo>> sources = (*db)->Sources();
  if (!sources.ok()) return Fail("bulkhead db", sources.error());
  const std::optional<int64_t> age = vulndb::AgeInDays((*db)->updated_at());
  if (format == "json") {
    nlohmann::ordered_json j;
    j["path"] = db_path;
    j["schema_version"] = vulndb::kSchemaVersion;
    j["updated_at"] = (*db)->updated_at();
    j["age_days"] = age.value_or(-1);
    j["sources"] = nlohmann::ordered_json::array();
    for (const vulndb::SourceInfo& s : *sources) {
      j["sources"].push_back({{"name", s.name},
                              {"kind", s.kind},
                              {"location", s.location},
                              {"records", s.records},
                              {"withdrawn", s.withdrawn},
                              {"newest_modified", s.newest_modified},
                              {"imported_at", s.imported_at}});
    }
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("database  %s (schema %d)\nupdated   %s (%lld days ago)\n\n", db_path.c_str(),
              vulndb::kSchemaVersion, (*db)->updated_at().c_str(),
              static_cast<long long>(age.value_or(-1)));
  std::printf("%-40s %-15s %10s %10s  %-25s %s\n", "SOURCE", "KIND", "RECORDS", "WITHDRAWN",
              "NEWEST MODIFIED", "IMPORTED");
  for (const vulndb::SourceInfo& s : *sources) {
    std::printf("%-40s %-15s %10lld %10lld  %-25s %s\n", s.name.c_str(), s.kind.c_str(),
                static_cast<long long>(s.records), static_cast<long long>(s.withdrawn),
                s.newest_modified.empty() ? "-" : s.newest_modified.c_str(), s.imported_at.c_str());
  }
  return kExitOk;
}

}  // namespace

int RunDb(int argc, char** argv) {
  CLI::App app("Manage the vulnerability database", "bulkhead db");
  app.require_subcommand(1);
  std::string db_path;
  app.add_option("--db", db_path, "database file (default $XDG_CACHE_HOME/bulkhead/db.sqlite)");
  std::vector<std::string> paths;
  std::string name;
  CLI::App* import = app.add_subcommand(
      "import",
      "import OSV records (file, directory, zip, tar.gz), Debian tracker JSON, Alpine secdb");
  import->add_option("path", paths, "what to import")->required();
  import->add_option("--name", name, "source name (default: kind and file name)");
  import->add_option("--db", db_path, "database file");
  std::vector<std::string> urls;
  uint64_t max_bytes = uint64_t{4} << 30;
  CLI::App* update =
      app.add_subcommand("update", "download the default feeds (or --source URLs) and import them");
  update->add_option("--source", urls, "feed URL to download instead of the defaults (repeatable)");
  update->add_option("--max-download-bytes", max_bytes, "bytes of one download")
      ->capture_default_str();
  update->add_option("--db", db_path, "database file");
  std::string format = "table";
  CLI::App* info = app.add_subcommand("info", "show the sources, their record counts and age");
  info->add_option("-f,--format", format, "table or json")->capture_default_str();
  info->add_option("--db", db_path, "database file");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "bulkhead db: %s (see --help)\n", e.what());
    return kExitError;
  }
  if (db_path.empty()) db_path = vulndb::DefaultDatabasePath();
  if (*import) return Import(db_path, paths, name);
  if (*update) return Update(db_path, urls, max_bytes);
  if (format != "table" && format != "json") {
    return Fail("bulkhead db", Status::InvalidArgument("--format: table or json"));
  }
  return Info(db_path, format);
}

}  // namespace bulkhead::cli
