// Real feeds in ../shared/data against the matcher and an independent oracle.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "bulkhead/version/version.h"
#include "bulkhead/vuln/matcher.h"
#include "bulkhead/vulndb/internal/yaml_json.h"
#include "bulkhead/vulndb/osv.h"
#include "tests/testing/test_util.h"

namespace bulkhead::vuln {
namespace {

using version::Scheme;
using vulndb::Affected;
using vulndb::Event;
using vulndb::Range;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every PyPI record's ranges, evaluated by the matcher, yield exactly the versions the
// record lists, among the releases the record set knows below the record's newest listed
// version (newer releases in an open range are affected but not yet listed).
TEST(PyPIConformance, RangesYieldTheListedVersions) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string root = testing::SharedDataDir() + "/osv-pypa/vulns";
  std::vector<vulndb::Vulnerability> records;
  std::set<std::string> git_ranges;
  vulndb::OsvParser parser;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.path().extension() != ".yaml") continue;
    Result<std::string> json = vulndb::internal::YamlToJson(Slurp(e.path()), e.path().string());
    ASSERT_TRUE(json.ok()) << json.error().ToString();
    auto v = parser.Parse(*json, e.path().string());
    ASSERT_TRUE(v.ok()) << v.error().ToString();
    if (!v->has_value()) continue;
    // The parser keeps no GIT ranges (nothing matches on them); note which records had.
    if (json->find("\"GIT\"") != std::string::npos) git_ranges.insert((*v)->id);
    records.push_back(std::move(**v));
  }
  ASSERT_GT(records.size(), 1000u);
  // The releases of each package that any record lists, and the earliest `modified` of
  // a record that lists each: a release first listed by a later record may not have
  // existed when an earlier record's list was made.
  std::map<std::string, std::set<std::string>> releases;
  std::map<std::pair<std::string, std::string>, std::string> first_seen;
  for (const auto& r : records) {
    for (const Affected& a : r.affected) {
      releases[a.package].insert(a.versions.begin(), a.versions.end());
      for (const std::string& v : a.versions) {
        auto [it, inserted] = first_seen.try_emplace({a.package, v}, r.modified);
        if (!inserted && r.modified < it->second) it->second = r.modified;
      }
    }
  }
  // Two documented ways in which OSV's lists depart from its own ranges, counted apart:
  //  - a record with GIT ranges lists versions found from commits, beyond its ECOSYSTEM
  //    ranges;
  //  - a release first listed by records newer than this one (a backport published
  //    after this record's list was made);
  //  - the lists leave out some pre-releases (a, b, rc, dev) that the ranges hold, and
  //    include pre-releases of an `introduced` release (3.2a1 for introduced 3.2), which
  //    PEP 440 orders before it.
  // Everything else is a disagreement between bulkhead's evaluation and the feed.
  auto is_pre = [](const std::string& v) {
    std::string rest = v;
    const size_t post = rest.find("post");
    if (post != std::string::npos) rest.erase(post, 4);
    return rest.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
           std::string::npos;
  };
  size_t checked = 0, unexplained = 0, git = 0, pre = 0, later = 0;
  for (const auto& r : records) {
    for (const Affected& a : r.affected) {
      if (a.ranges.empty() || a.versions.empty()) continue;
      Affected ranges_only = a;
      ranges_only.versions.clear();
      const std::set<std::string> listed(a.versions.begin(), a.versions.end());
      std::string newest = a.versions.front();
      for (const std::string& v : a.versions) {
        if (version::Compare(Scheme::kPep440, v, newest) > 0) newest = v;
      }
      for (const std::string& v : releases[a.package]) {
        if (version::Compare(Scheme::kPep440, v, newest) > 0) continue;
        ++checked;
        const bool hit = Evaluate(ranges_only, Scheme::kPep440, v).affected;
        if (hit == static_cast<bool>(listed.count(v))) continue;
        if (!hit && git_ranges.count(r.id)) {
          ++git;
        } else if (is_pre(v)) {
          ++pre;
        } else if (hit && first_seen[{a.package, v}] > r.modified) {
          ++later;
        } else if (++unexplained <= 10) {
          ADD_FAILURE() << r.id << ": " << a.package << " " << v
                        << (hit ? " is in range but not listed" : " is listed but not in range");
        }
      }
    }
  }
  std::printf(
      "[ pypi ] %zu records, %zu (record, release) pairs checked: %zu differ through GIT "
      "ranges, %zu are pre-releases, %zu released after the record, %zu unexplained\n",
      records.size(), checked, git, pre, later, unexplained);
  EXPECT_GT(checked, 10000u);
}

// AlmaLinux's fixed versions, sorted by bulkhead's rpm order, are in rpm's own order
// (rpm.vercmp in one rpm process).
TEST(AlmaLinuxConformance, FixVersionsOrderAsRpmOrdersThem) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  int code = 0;
  testing::RunCommand("rpm --version", &code);
  if (code != 0) GTEST_SKIP() << "rpm is not installed";
  const std::string path =
      testing::SharedDataDir() + "/osv-almalinux/almalinux-osv-advisories.tar.gz";
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  ASSERT_EQ(archive_read_open_filename(a, path.c_str(), 1 << 16), ARCHIVE_OK);
  vulndb::OsvParser parser;
  std::map<std::string, std::set<std::string>> fixes;  // (ecosystem, package) -> versions
  archive_entry* entry;
  size_t records = 0;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(entry);
    if (name.size() < 5 || name.substr(name.size() - 5) != ".json") continue;
    std::string data(static_cast<size_t>(archive_entry_size(entry)), '\0');
    ASSERT_EQ(archive_read_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
    auto v = parser.Parse(data, name);
    ASSERT_TRUE(v.ok()) << v.error().ToString();
    if (!v->has_value()) continue;
    ++records;
    for (const Affected& aff : (*v)->affected) {
      for (const Range& r : aff.ranges) {
        for (const Event& e : r.events) {
          if (e.kind == Event::Kind::kFixed)
            fixes[aff.ecosystem + "/" + aff.package].insert(e.version);
        }
      }
    }
  }
  archive_read_free(a);
  ASSERT_GT(records, 1000u);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (auto& [pkg, set] : fixes) {
    std::vector<std::string> sorted(set.begin(), set.end());
    for (const std::string& v : sorted) {
      ASSERT_EQ(v.find_first_of("\"\\\n"), std::string::npos) << v;
    }
    std::sort(sorted.begin(), sorted.end(), [](const std::string& x, const std::string& y) {
      return version::Compare(Scheme::kRpm, x, y) < 0;
    });
    for (size_t i = 1; i < sorted.size(); ++i) pairs.emplace_back(sorted[i - 1], sorted[i]);
  }
  ASSERT_GT(pairs.size(), 1000u);
  std::ostringstream lua;
  lua << "local t = {\n";
  for (const auto& [x, y] : pairs) lua << "{\"" << x << "\",\"" << y << "\"},\n";
  lua << "}\nlocal out = {}\n"
      << "for i, p in ipairs(t) do out[i] = tostring(rpm.vercmp(p[1], p[2])) end\n"
      << "print(table.concat(out, \"\\n\"))\n";
  testing::TempDir dir;
  const std::string script = dir.WriteFile("pairs.lua", lua.str());
  std::string out = testing::RunCommand("rpm --eval \"%{lua: dofile('" + script + "')}\"", &code);
  ASSERT_EQ(code, 0) << out;
  std::istringstream lines(out);
  std::string line;
  size_t i = 0, mismatches = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ASSERT_LT(i, pairs.size());
    const int want = std::stoi(line);
    const int got = version::Compare(Scheme::kRpm, pairs[i].first, pairs[i].second);
    if ((want > 0) - (want < 0) != got && ++mismatches <= 10) {
      ADD_FAILURE() << pairs[i].first << " vs " << pairs[i].second << ": rpm " << want
                    << ", bulkhead " << got;
    }
    ++i;
  }
  EXPECT_EQ(i, pairs.size());
  std::printf(
      "[ almalinux ] %zu records, %zu packages, %zu adjacent fix pairs checked with "
      "rpm.vercmp, %zu mismatches\n",
      records, fixes.size(), pairs.size(), mismatches);
}

}  // namespace
}  // namespace bulkhead::vuln
