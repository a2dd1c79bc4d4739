// Conformance with gitleaks' own data (../shared/data/secrets/gitleaks): its default
// configuration must load and compile, and its test data (plain files, archives of every
// kind, loose git objects) must yield the secrets gitleaks' tests plant there.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/gitleaks_config.h"
#include "tests/secret/secret_test_util.h"
#include "tests/testing/test_util.h"

namespace bulkhead::secret {
namespace {

namespace fs = std::filesystem;
using testing::Describe;
using testing::Scan;

std::string GitleaksDir() { return ::bulkhead::testing::SharedDataDir() + "/secrets/gitleaks"; }

TEST(GitleaksConformanceTest, DefaultConfigLoadsAndEveryRuleCompiles) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  std::vector<std::string> warnings;
  auto set = LoadGitleaksConfig(GitleaksDir() + "/config/gitleaks.toml", {}, &warnings);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->rules.size(), 222u);
  for (const std::string& w : warnings) std::cout << "[load warning] " << w << "\n";

  // Each rule on its own: where does it go?
  size_t hyperscan = 0, prefilter = 0, fallback = 0, path_only = 0, rejected = 0, multiline = 0;
  for (const Rule& r : set->rules) {
    RuleSet one;
    one.rules.push_back(r);
    std::vector<std::string> w;
    auto e = Engine::Compile(one, &w);
    if (!e.ok()) {
      ++rejected;
      std::cout << "[rejected] " << e.status().ToString() << "\n";
      continue;
    }
    hyperscan += (*e)->stats().hyperscan;
    prefilter += (*e)->stats().hyperscan_prefilter;
    fallback += (*e)->stats().re2_fallback;
    path_only += (*e)->stats().path_only;
    multiline += (*e)->rule(0).multiline;
    for (const std::string& x : w) std::cout << "[fallback] " << x << "\n";
  }
  std::cout << "gitleaks.toml: " << set->rules.size() << " rules: " << hyperscan << " vectorscan, "
            << prefilter << " vectorscan prefilter, " << fallback << " RE2 fallback, " << path_only
            << " path-only, " << rejected << " rejected (" << multiline << " multi-line)\n";
  EXPECT_EQ(rejected, 0u);
  EXPECT_EQ(hyperscan + prefilter + fallback + path_only, set->rules.size());

  // All together, with the global allowlist.
  std::vector<std::string> w;
  auto engine = Engine::Compile(*set, &w);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  EXPECT_EQ((*engine)->stats().rules, 222u);
  EXPECT_EQ((*engine)->stats().hyperscan + (*engine)->stats().hyperscan_prefilter,
            hyperscan + prefilter);
}

// The gitleaks test configurations: valid ones load and compile, invalid ones fail.
TEST(GitleaksConformanceTest, TestConfigsValidAndInvalid) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  GitleaksLoadOptions options;
  options.extend_base_dir = GitleaksDir() + "/config";  // gitleaks runs its tests from there.
  const std::string dir = GitleaksDir() + "/testdata/config";
  size_t valid = 0;
  for (const auto& e : fs::directory_iterator(dir + "/valid")) {
    // Bases of [extend] chains are not loaded on their own by gitleaks' tests (some point
    // at files that do not exist, beyond the depth limit).
    const std::string name = e.path().filename().string();
    if (name.find("_base.toml") != std::string::npos ||
        (name.rfind("extend_base_", 0) == 0 &&
         name.size() == std::string("extend_base_1.toml").size())) {
      continue;
    }
    SCOPED_TRACE(e.path().string());
    std::vector<std::string> warnings;
    auto set = LoadGitleaksConfig(e.path().string(), options, &warnings);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    auto engine = Engine::Compile(*set, nullptr);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    ++valid;
  }
  size_t invalid = 0;
  for (const auto& e : fs::directory_iterator(dir + "/invalid")) {
    SCOPED_TRACE(e.path().string());
    auto set = LoadGitleaksConfig(e.path().string(), options, nullptr);
    Status status = set.status();
    if (set.ok()) status = Engine::Compile(*set, nullptr).status();
    EXPECT_FALSE(status.ok()) << "accepted";
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
    std::cout << "[invalid] " << e.path().filename().string() << ": " << status.ToString() << "\n";
    ++invalid;
  }
  EXPECT_GE(valid, 25u);
  EXPECT_GE(invalid, 12u);
}

// Test data, flattened: plain files, archive members (recursively) and git blobs.
struct DataFile {
  std::string name;
  std::string content;
};

bool IsArchiveName(const std::string& name) {
  for (const char* ext : {".tar", ".zip", ".7z", ".gz", ".xz", ".zst", ".tgz"}) {
    const std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      return true;
    }
  }
  return false;
}

void ExpandArchive(const std::string& name, const std::string& data, std::vector<DataFile>* out) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  archive_read_support_format_raw(a);
  ASSERT_EQ(archive_read_open_memory(a, data.data(), data.size()), ARCHIVE_OK)
      << name << ": " << archive_error_string(a);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    if (archive_entry_filetype(entry) != AE_IFREG && archive_entry_filetype(entry) != 0) continue;
    std::string member = name + "!" + archive_entry_pathname(entry);
    std::string content;
    char buf[16384];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
      content.append(buf, static_cast<size_t>(n));
    if (IsArchiveName(archive_entry_pathname(entry))) {
      ExpandArchive(member, content, out);
    } else {
      out->push_back(DataFile{member, content});
    }
  }
  archive_read_free(a);
}

std::string Inflate(const std::string& data) {
  std::string out(1 << 20, '\0');
  uLongf len = out.size();
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &len,
                 reinterpret_cast<const Bytef*>(data.data()), data.size()) != Z_OK) {
    return "";
  }
  out.resize(len);
  return out;
}

std::vector<DataFile> CollectTestdata() {
  std::vector<DataFile> files;
  const fs::path root = GitleaksDir() + "/testdata";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), root).string();
    const std::string data = ::bulkhead::testing::ReadFileOrDie(e.path().string());
    if (rel.find("dotGit/objects/") != std::string::npos &&
        rel.find("/pack/") == std::string::npos && rel.find("/info/") == std::string::npos) {
      const std::string obj = Inflate(data);
      if (obj.rfind("blob ", 0) == 0)
        files.push_back(DataFile{rel, obj.substr(obj.find('\0') + 1)});
      continue;
    }
    if (IsArchiveName(rel)) {
      ExpandArchive(rel, data, &files);
      continue;
    }
    files.push_back(DataFile{rel, data});
  }
  return files;
}

struct Planted {
  const char* needle;  ///< A piece of the planted secret.
  const char* rule;    ///< The gitleaks rule that must report it.
  const char* builtin_rule;
};

constexpr Planted kPlanted[] = {
    {"AKIALALEMEL33243OLIA", "aws-access-token", "aws-access-token"},
    {"8ae31cacf141669ddfb5da", "generic-api-key", "generic-api-key"},
    {"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", "private-key",
     "private-key"},
};

// Scans every test file with `engine`; returns found/expected over the planted secrets.
std::pair<size_t, size_t> ScanTestdata(const Engine& engine, bool builtin) {
  const std::vector<DataFile> files = CollectTestdata();
  size_t expected = 0;
  size_t found = 0;
  size_t other = 0;
  std::map<std::string, size_t> by_rule;
  for (const DataFile& f : files) {
    const auto matches = Scan(engine, f.content, 4096, f.name);
    for (const SecretMatch& m : matches) ++by_rule[m.rule_id];
    std::vector<bool> used(matches.size(), false);
    for (const Planted& p : kPlanted) {
      const std::string rule = builtin ? p.builtin_rule : p.rule;
      for (size_t pos = f.content.find(p.needle); pos != std::string::npos;
           pos = f.content.find(p.needle, pos + 1)) {
        ++expected;
        const uint32_t line =
            1 + static_cast<uint32_t>(std::count(f.content.begin(), f.content.begin() + pos, '\n'));
        bool hit = false;
        for (size_t i = 0; i < matches.size(); ++i) {
          // A private key is reported from its BEGIN line (gitleaks) or its body (bulkhead).
          if (matches[i].rule_id == rule && matches[i].line + 1 >= line &&
              matches[i].line <= line) {
            hit = used[i] = true;
          }
        }
        found += hit;
        if (!hit) std::cout << "[missed] " << f.name << ":" << line << " " << rule << "\n";
      }
    }
    for (size_t i = 0; i < matches.size(); ++i) {
      if (!used[i]) {
        ++other;
        std::cout << "[other] " << f.name << " " << Describe({matches[i]});
      }
    }
  }
  std::cout << (builtin ? "built-in" : "gitleaks.toml")
            << " rules on gitleaks testdata: " << files.size() << " files, planted secrets found "
            << found << "/" << expected << ", other findings " << other << "; by rule:";
  for (const auto& [rule, n] : by_rule) std::cout << " " << rule << "=" << n;
  std::cout << "\n";
  return {found, expected};
}

TEST(GitleaksConformanceTest, GitleaksRulesFindThePlantedSecrets) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  auto set = LoadGitleaksConfig(GitleaksDir() + "/config/gitleaks.toml", {}, nullptr);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  auto engine = Engine::Compile(*set, nullptr);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  const auto [found, expected] = ScanTestdata(**engine, false);
  EXPECT_GE(expected, 20u);
  EXPECT_EQ(found, expected);
}

TEST(GitleaksConformanceTest, BuiltinRulesFindThePlantedSecrets) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const auto [found, expected] = ScanTestdata(testing::BuiltinEngine(), true);
  EXPECT_EQ(found, expected);
}

}  // namespace
}  // namespace bulkhead::secret
