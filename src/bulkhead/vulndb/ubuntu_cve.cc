#include "bulkhead/vulndb/ubuntu_cve.h"

#include <map>
#include <optional>

#include "bulkhead/vulndb/cvss.h"
#include "bulkhead/vulndb/internal/json_util.h"

namespace bulkhead::vulndb {
namespace {

using internal::CleanString;

constexpr size_t kMaxFileBytes = 4 << 20;

std::optional<std::string_view> UbuntuRelease(std::string_view codename) {
  static constexpr std::pair<std::string_view, std::string_view> kReleases[] = {
      {"warty", "4.10"},     {"hoary", "5.04"},    {"breezy", "5.10"},    {"dapper", "6.06"},
      {"edgy", "6.10"},      {"feisty", "7.04"},   {"gutsy", "7.10"},     {"hardy", "8.04"},
      {"intrepid", "8.10"},  {"jaunty", "9.04"},   {"karmic", "9.10"},    {"lucid", "10.04"},
      {"maverick", "10.10"}, {"natty", "11.04"},   {"oneiric", "11.10"},  {"precise", "12.04"},
      {"quantal", "12.10"},  {"raring", "13.04"},  {"saucy", "13.10"},    {"trusty", "14.04"},
      {"utopic", "14.10"},   {"vivid", "15.04"},   {"wily", "15.10"},     {"xenial", "16.04"},
      {"yakkety", "16.10"},  {"zesty", "17.04"},   {"artful", "17.10"},   {"bionic", "18.04"},
      {"cosmic", "18.10"},   {"disco", "19.04"},   {"eoan", "19.10"},     {"focal", "20.04"},
      {"groovy", "20.10"},   {"hirsute", "21.04"}, {"impish", "21.10"},   {"jammy", "22.04"},
      {"kinetic", "22.10"},  {"lunar", "23.04"},   {"mantic", "23.10"},   {"noble", "24.04"},
      {"oracular", "24.10"}, {"plucky", "25.04"},  {"questing", "25.10"},
  };
  for (const auto& [name, number] : kReleases) {
    if (name == codename) return number;
  }
  return std::nullopt;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool LeftSupport(std::string_view note) {
  return note.find("end-of-life") != std::string_view::npos ||
         note.find("end of standard support") != std::string_view::npos ||
         note.find("out of standard support") != std::string_view::npos ||
         note.find("end of life") != std::string_view::npos;
}

Range AllVersions() {
  Range r;
  r.events.push_back({Event::Kind::kIntroduced, "0"});
  return r;
}

}  // namespace

bool LooksLikeUbuntuCve(std::string_view text) {
  std::string_view head = text.substr(0, 4096);
  return head.rfind("Candidate:", 0) == 0 || head.find("\nCandidate:") != std::string_view::npos;
}

Status ParseUbuntuCve(std::string_view text, std::string_view name, const RecordSink& sink) {
  if (text.size() > kMaxFileBytes) {
    return Status::ResourceExhausted(std::string(name) + ": larger than 4 MiB");
  }
  auto bad = [&](size_t line, const std::string& what) {
    return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line) + ": " + what);
  };
  Vulnerability v;
  std::optional<Severity> priority;
  std::map<std::string, Severity> package_priority;
  std::string description;
  std::string field;  // The field that continuation lines belong to.
  struct Entry {
    std::string release;
    std::string package;
    std::string status;
    std::string note;
  };
  std::vector<Entry> entries;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.size() > 8192) return bad(line_no, "line longer than 8192 bytes");
    if (Trim(line).empty() || line.front() == '#') continue;
    if (line.front() == ' ' || line.front() == '\t') {
      std::string_view value = Trim(line);
      if (field == "Description" && description.size() < 512) {
        description += (description.empty() ? "" : " ") + std::string(value);
      } else if (field == "References" && v.references.size() < 10 && CleanString(value, 2048)) {
        v.references.emplace_back(value);
      } else if (field == "CVSS") {
        size_t colon = value.find(": ");
        Result<CvssScore> cvss =
            ScoreCvss(colon == std::string_view::npos ? value : value.substr(colon + 2));
        if (cvss.ok() && (!v.cvss || cvss->version > v.cvss->version)) {
          v.cvss = std::move(cvss).value();
        }
      }
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bad(line_no, "expected 'Field: value'");
    std::string_view key = line.substr(0, colon);
    std::string_view value = Trim(line.substr(colon + 1));
    field = std::string(key);
    if (key == "Candidate") {
      if (value.empty() || !CleanString(value, 64)) return bad(line_no, "bad Candidate");
      v.id = std::string(value);
    } else if (key == "Priority") {
      priority = ParseSeverityWord(value.substr(0, value.find(' ')));
    } else if (key.rfind("Priority_", 0) == 0) {
      if (auto s = ParseSeverityWord(value.substr(0, value.find(' ')))) {
        package_priority[std::string(key.substr(9))] = *s;
      }
    } else if (key == "Description") {
      description = std::string(value);
    } else if (size_t us = key.find('_'); us != std::string_view::npos && us > 0 &&
                                          key.substr(0, us) != "Patches" &&
                                          key.substr(0, us) != "Tags") {
      Entry e;
      e.release = std::string(key.substr(0, us));
      e.package = std::string(key.substr(us + 1));
      if (!CleanString(e.package, 256) || e.package.empty()) return bad(line_no, "bad package");
      e.status = std::string(value.substr(0, value.find(' ')));
      if (size_t open = value.find('('); open != std::string_view::npos) {
        std::string_view note = value.substr(open + 1);
        if (!note.empty() && note.back() == ')') note.remove_suffix(1);
        e.note = std::string(note);
      }
      entries.push_back(std::move(e));
    }
  }
  if (v.id.empty()) return Status::InvalidArgument(std::string(name) + ": no Candidate field");
  v.summary = internal::OneLine(description, 512);
  for (const Entry& e : entries) {
    std::optional<std::string_view> number = UbuntuRelease(e.release);
    if (!number) continue;  // upstream, devel, snap, Pro streams, overlays
    Affected a;
    a.ecosystem = "Ubuntu:" + std::string(*number);
    a.package = e.package;
    a.status_note = e.status + (e.note.empty() ? "" : " (" + e.note + ")");
    if (e.status == "DNE") continue;
    if (e.status == "released") {
      if (e.note.empty() || !CleanString(e.note, 256) || e.note.find(' ') != std::string::npos) {
        continue;  // No single version to compare with.
      }
      a.status = VulnStatus::kFixed;
      Range r = AllVersions();
      r.events.push_back({Event::Kind::kFixed, e.note});
      a.ranges.push_back(std::move(r));
    } else if (e.status == "not-affected") {
      a.status = VulnStatus::kNotAffected;
    } else {
      a.ranges.push_back(AllVersions());
      if (e.status == "needed" || e.status == "active") {
        a.status = LeftSupport(e.note) ? VulnStatus::kEndOfLife : VulnStatus::kAffected;
      } else if (e.status == "pending" || e.status == "deferred") {
        a.status = VulnStatus::kFixDeferred;
      } else if (e.status == "ignored") {
        a.status = LeftSupport(e.note) ? VulnStatus::kEndOfLife : VulnStatus::kWillNotFix;
      } else if (e.status == "needs-triage") {
        a.status = VulnStatus::kUnderInvestigation;
      } else {
        return Status::InvalidArgument(std::string(name) + ": " + e.release + "_" + e.package +
                                       ": unknown status '" + e.status.substr(0, 40) + "'");
      }
    }
    auto pp = package_priority.find(e.package);
    if (pp != package_priority.end() || priority) {
      a.severity = pp != package_priority.end() ? pp->second : *priority;
      a.severity_source = "ubuntu";
    }
    v.affected.push_back(std::move(a));
  }
  if (v.cvss) {
    v.severity = CvssSeverity(v.cvss->score);
    v.severity_source = "cvss:" + v.cvss->version;
  }
  return sink(std::move(v));
}

}  // namespace bulkhead::vulndb
