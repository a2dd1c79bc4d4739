#include "bulkhead/vulndb/feeds.h"

#include <simdjson.h>

#include <map>

#include "bulkhead/version/version.h"
#include "bulkhead/vulndb/internal/json_util.h"

namespace bulkhead::vulndb {
namespace {

using internal::Arr;
using internal::CleanString;
using internal::kMaxIdBytes;
using internal::kMaxVersionBytes;
using internal::Obj;
using internal::Str;

constexpr size_t kMaxDepth = 32;

Result<simdjson::dom::element> ParseDocument(simdjson::dom::parser& parser, std::string_view json,
                                             std::string_view name) {
  if (json.size() > kMaxFeedBytes) {
    return Status::ResourceExhausted(std::string(name) + ": feed larger than 1 GiB");
  }
  simdjson::dom::element root;
  if (auto err = parser.allocate(json.size() + 64, kMaxDepth)) {
    return Status::ResourceExhausted(std::string(name) + ": " + simdjson::error_message(err));
  }
  if (auto err = parser.parse(json.data(), json.size()).get(root)) {
    return Status::Corruption(std::string(name) + ": not valid JSON (" +
                              simdjson::error_message(err) + ")");
  }
  return root;
}

// Debian's code names and their release numbers; "sid" is unstable.
std::optional<std::string_view> DebianRelease(std::string_view codename) {
  static constexpr std::pair<std::string_view, std::string_view> kReleases[] = {
      {"buzz", "1.1"},    {"rex", "1.2"},     {"bo", "1.3"},    {"hamm", "2.0"},  {"slink", "2.1"},
      {"potato", "2.2"},  {"woody", "3.0"},   {"sarge", "3.1"}, {"etch", "4"},    {"lenny", "5"},
      {"squeeze", "6"},   {"wheezy", "7"},    {"jessie", "8"},  {"stretch", "9"}, {"buster", "10"},
      {"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"duke", "15"},
  };
  for (const auto& [name, number] : kReleases) {
    if (name == codename) return number;
  }
  return std::nullopt;
}

struct Urgency {
  Severity severity;
  std::string_view word;  // Without the tracker's '*' marks.
};

Urgency MapUrgency(std::string_view urgency) {
  while (!urgency.empty() && urgency.back() == '*') urgency.remove_suffix(1);
  if (urgency == "high") return {Severity::kHigh, urgency};
  if (urgency == "medium") return {Severity::kMedium, urgency};
  if (urgency == "low" || urgency == "unimportant") return {Severity::kLow, urgency};
  return {Severity::kUnknown, urgency};
}

Range AllVersions() {
  Range r;
  r.events.push_back({Event::Kind::kIntroduced, "0"});
  return r;
}

Range FixedIn(std::string_view v) {
  Range r = AllVersions();
  r.events.push_back({Event::Kind::kFixed, std::string(v)});
  return r;
}

// The newest version a release's repositories carry ("bookworm", "bookworm-security").
std::string_view NewestCarried(simdjson::dom::element release) {
  std::string_view newest;
  std::optional<simdjson::dom::object> repos = Obj(release, "repositories");
  if (!repos) return newest;
  for (auto kv : *repos) {
    std::string_view v;
    if (kv.value.get(v) != simdjson::SUCCESS) continue;
    if (newest.empty() || version::Compare(version::Scheme::kDpkg, v, newest) > 0) newest = v;
  }
  return newest;
}

Status DebianAffected(simdjson::dom::element release, std::string_view release_name,
                      std::string_view package, std::string_view sid_fix, Affected* out) {
  std::string_view status = Str(release, "status").value_or("");
  std::string_view fixed = Str(release, "fixed_version").value_or("");
  const Urgency urgency = MapUrgency(Str(release, "urgency").value_or(""));
  std::string_view nodsa_reason = Str(release, "nodsa_reason").value_or("");
  const bool nodsa = Str(release, "nodsa").has_value();
  if (!CleanString(fixed, kMaxVersionBytes)) return Status::InvalidArgument("bad fixed_version");
  Affected& a = *out;
  a.package = std::string(package);
  a.severity = urgency.severity;
  if (!urgency.word.empty()) a.severity_source = "debian:urgency " + std::string(urgency.word);
  if (status == "resolved") {
    if (fixed == "0" || fixed.empty()) {
      a.status = VulnStatus::kNotAffected;
      a.status_note = "resolved, fixed_version 0";
    } else {
      a.status = VulnStatus::kFixed;
      a.status_note = "resolved";
      a.ranges.push_back(FixedIn(fixed));
    }
    return Status::OK();
  }
  if (status == "undetermined") {
    a.status = VulnStatus::kUnderInvestigation;
    a.status_note = "undetermined";
    a.ranges.push_back(AllVersions());
    return Status::OK();
  }
  if (status != "open") {
    return Status::InvalidArgument("release '" + std::string(release_name.substr(0, 40)) +
                                   "' has unknown status '" + std::string(status.substr(0, 40)) +
                                   "'");
  }
  std::string_view carried = NewestCarried(release);
  if (fixed.empty() && !sid_fix.empty() && sid_fix != "0" && !carried.empty() &&
      version::Compare(version::Scheme::kDpkg, carried, sid_fix) >= 0) {
    a.status = VulnStatus::kFixed;
    a.status_note = "open; carries unstable's fix " + std::string(sid_fix);
    a.ranges.push_back(FixedIn(sid_fix));
    return Status::OK();
  }
  if (urgency.word == "end-of-life") {
    a.status = VulnStatus::kEndOfLife;
    a.status_note = "end-of-life";
  } else if (nodsa_reason == "ignored") {
    a.status = VulnStatus::kWillNotFix;
    a.status_note = "ignored";
  } else if (nodsa_reason == "postponed") {
    a.status = VulnStatus::kFixDeferred;
    a.status_note = "postponed";
  } else {
    a.status = VulnStatus::kAffected;
    a.status_note = nodsa ? "no-dsa" : "open";
  }
  a.ranges.push_back(fixed.empty() ? AllVersions() : FixedIn(fixed));
  return Status::OK();
}

}  // namespace

Status ParseDebianTracker(std::string_view json, std::string_view name, const RecordSink& sink,
                          size_t* skipped_releases) {
  simdjson::dom::parser parser;
  Result<simdjson::dom::element> root = ParseDocument(parser, json, name);
  if (!root.ok()) return root.error();
  simdjson::dom::object packages;
  if (root->get(packages) != simdjson::SUCCESS) {
    return internal::Invalid(name, "the Debian tracker JSON is an object of source packages");
  }
  for (auto pkg : packages) {
    if (!CleanString(pkg.key, 256) || pkg.key.empty())
      return internal::Invalid(name, "bad package name");
    simdjson::dom::object cves;
    if (pkg.value.get(cves) != simdjson::SUCCESS) {
      return internal::Invalid(name,
                               "package '" + std::string(pkg.key) + "' is not an object of issues");
    }
    for (auto cve : cves) {
      if (!CleanString(cve.key, kMaxIdBytes) || cve.key.empty()) {
        return internal::Invalid(name, "package '" + std::string(pkg.key) + "': bad issue id");
      }
      std::optional<simdjson::dom::object> releases = Obj(cve.value, "releases");
      simdjson::dom::array no_releases;
      if (!releases && cve.value["releases"].get(no_releases) == simdjson::SUCCESS &&
          no_releases.size() == 0) {
        continue;  // The tracker writes [] for an issue that no release tracks.
      }
      if (!releases) {
        return internal::Invalid(
            name, std::string(pkg.key) + "/" + std::string(cve.key) + ": no 'releases'");
      }
      std::string_view sid_fix;
      simdjson::dom::element sid;
      if (cve.value["releases"]["sid"].get(sid) == simdjson::SUCCESS &&
          Str(sid, "status").value_or("") == "resolved") {
        sid_fix = Str(sid, "fixed_version").value_or("");
      }
      Vulnerability v;
      v.id = std::string(cve.key);
      v.summary = internal::OneLine(Str(cve.value, "description").value_or(""), 512);
      for (auto rel : *releases) {
        std::optional<std::string_view> number = DebianRelease(rel.key);
        if (rel.key == "sid") number = "unstable";
        if (!number) {
          if (skipped_releases) ++*skipped_releases;
          continue;
        }
        Affected a;
        a.ecosystem = "Debian:" + std::string(*number);
        Status s = DebianAffected(rel.value, rel.key, pkg.key, rel.key == "sid" ? "" : sid_fix, &a);
        if (!s.ok()) {
          return internal::Invalid(name, std::string(pkg.key) + "/" + std::string(cve.key) + ": " +
                                             std::string(s.message()));
        }
        v.affected.push_back(std::move(a));
      }
      BULKHEAD_RETURN_IF_ERROR(sink(std::move(v)));
    }
  }
  return Status::OK();
}

Status ParseAlpineSecdb(std::string_view json, std::string_view name, const RecordSink& sink) {
  simdjson::dom::parser parser;
  Result<simdjson::dom::element> root = ParseDocument(parser, json, name);
  if (!root.ok()) return root.error();
  std::optional<std::string_view> branch = Str(*root, "distroversion");
  std::optional<simdjson::dom::array> packages = Arr(*root, "packages");
  if (!branch || !packages)
    return internal::Invalid(name, "an Alpine secdb needs 'distroversion' and 'packages'");
  if (branch->size() < 2 || (*branch)[0] != 'v' || !CleanString(*branch, 32)) {
    return internal::Invalid(
        name, "distroversion '" + std::string(branch->substr(0, 32)) + "' is not vX.Y");
  }
  const std::string ecosystem = "Alpine:" + std::string(*branch);
  for (simdjson::dom::element entry : *packages) {
    simdjson::dom::element pkg;
    std::string_view pkg_name;
    if (entry["pkg"].get(pkg) != simdjson::SUCCESS ||
        pkg["name"].get(pkg_name) != simdjson::SUCCESS || !CleanString(pkg_name, 256)) {
      return internal::Invalid(name, "packages[] entry without pkg.name");
    }
    std::optional<simdjson::dom::object> secfixes = Obj(pkg, "secfixes");
    if (!secfixes) continue;
    // One record per (package, id); an id listed under several versions is fixed in the
    // oldest of them.
    std::map<std::string, std::pair<std::string, std::vector<std::string>>> by_id;
    for (auto fix : *secfixes) {
      if (!CleanString(fix.key, kMaxVersionBytes) || fix.key.empty()) {
        return internal::Invalid(name, std::string(pkg_name) + ": bad secfixes version");
      }
      simdjson::dom::array ids;
      if (fix.value.get(ids) != simdjson::SUCCESS) {
        return internal::Invalid(name, std::string(pkg_name) + ": secfixes '" +
                                           std::string(fix.key) + "' is not a list");
      }
      for (simdjson::dom::element id_el : ids) {
        std::string_view text;
        if (id_el.get(text) != simdjson::SUCCESS || !CleanString(text, 1024)) {
          return internal::Invalid(name, std::string(pkg_name) + ": secfixes id is not a string");
        }
        std::vector<std::string> words;
        for (size_t i = 0; i < text.size();) {
          size_t j = text.find(' ', i);
          if (j == std::string_view::npos) j = text.size();
          if (j > i) words.emplace_back(text.substr(i, j - i));
          i = j + 1;
        }
        if (words.empty()) continue;
        auto [it, inserted] = by_id.try_emplace(words[0]);
        std::string& version = it->second.first;
        if (inserted || version == "0" ||
            (fix.key != "0" && version::Compare(version::Scheme::kApk, fix.key, version) < 0)) {
          version = std::string(fix.key);
        }
        for (size_t w = 1; w < words.size(); ++w) it->second.second.push_back(words[w]);
      }
    }
    for (auto& [id, fix] : by_id) {
      Vulnerability v;
      v.id = id;
      v.aliases = std::move(fix.second);
      Affected a;
      a.ecosystem = ecosystem;
      a.package = std::string(pkg_name);
      if (fix.first == "0") {
        a.status = VulnStatus::kNotAffected;
        a.status_note = "secfixes 0";
      } else {
        a.status = VulnStatus::kFixed;
        a.status_note = "secfixes";
        a.ranges.push_back(FixedIn(fix.first));
      }
      v.affected.push_back(std::move(a));
      BULKHEAD_RETURN_IF_ERROR(sink(std::move(v)));
    }
  }
  return Status::OK();
}

std::string_view SniffFeed(std::string_view json) {
  // Cheap shape tests on the first bytes; the parsers do the real validation.
  std::string_view head = json.substr(0, 4096);
  size_t start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || head[start] != '{') return "";
  if (head.find("\"distroversion\"") != std::string_view::npos ||
      head.find("\"apkurl\"") != std::string_view::npos) {
    return "alpine-secdb";
  }
  if (head.find("\"releases\"") != std::string_view::npos &&
      head.find("\"modified\"") == std::string_view::npos) {
    return "debian-tracker";
  }
  if (head.find("\"id\"") != std::string_view::npos ||
      json.find("\"modified\"") != std::string_view::npos) {
    return "osv";
  }
  return "";
}

}  // namespace bulkhead::vulndb
