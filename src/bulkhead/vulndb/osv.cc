#include "bulkhead/vulndb/osv.h"

#include <simdjson.h>

#include <algorithm>

#include "bulkhead/vulndb/cvss.h"
#include "bulkhead/vulndb/ecosystem.h"
#include "bulkhead/vulndb/internal/json_util.h"

namespace bulkhead::vulndb {
namespace {

using internal::Arr;
using internal::CleanString;
using internal::kMaxIdBytes;
using internal::kMaxVersionBytes;
using internal::Obj;
using internal::Str;

constexpr size_t kMaxDepth = 64;
constexpr size_t kMaxNameBytes = 1024;
constexpr size_t kMaxSummaryBytes = 512;
constexpr size_t kMaxAliases = 1024;
constexpr size_t kMaxAffected = 1 << 16;
constexpr size_t kMaxRanges = 1024;
constexpr size_t kMaxEvents = 1 << 14;
constexpr size_t kMaxVersions = 1 << 20;
constexpr size_t kMaxReferences = 32;

// The first line of `details` when there is no summary, cut at a character boundary.
std::string Summary(simdjson::dom::element root) {
  std::string_view s = Str(root, "summary").value_or("");
  if (s.empty()) {
    s = Str(root, "details").value_or("");
    s = s.substr(0, s.find('\n'));
  }
  return internal::OneLine(s, kMaxSummaryBytes);
}

// A `severity` word from database_specific or ecosystem_specific, when there is one.
std::optional<Severity> SpecificSeverity(simdjson::dom::element e, std::string_view key) {
  std::optional<simdjson::dom::object> o = Obj(e, key);
  if (!o) return std::nullopt;
  std::string_view word;
  if ((*o)["severity"].get(word) != simdjson::SUCCESS) return std::nullopt;
  return ParseSeverityWord(word);
}

Status ParseRange(simdjson::dom::element range, std::string_view name, size_t index,
                  std::optional<Range>* out) {
  std::string_view type = Str(range, "type").value_or("");
  const std::string where = "affected range " + std::to_string(index);
  if (type != "ECOSYSTEM" && type != "SEMVER" && type != "GIT") {
    return internal::Invalid(name, where + " has type '" + std::string(type.substr(0, 40)) +
                                       "' (ECOSYSTEM, SEMVER or GIT)");
  }
  if (type == "GIT" && !Str(range, "repo"))
    return internal::Invalid(name, where + ": a GIT range needs a repo");
  std::optional<simdjson::dom::array> events = Arr(range, "events");
  if (!events || events->size() == 0) return internal::Invalid(name, where + " has no events");
  if (events->size() > kMaxEvents) return internal::Invalid(name, where + " has too many events");
  Range r;
  r.type = type == "SEMVER" ? Range::Type::kSemver : Range::Type::kEcosystem;
  r.events.reserve(events->size());
  bool introduced = false;
  for (simdjson::dom::element ev : *events) {
    simdjson::dom::object o;
    if (ev.get(o) != simdjson::SUCCESS || o.size() != 1) {
      return internal::Invalid(name, where +
                                         ": each event has exactly one of introduced, fixed, "
                                         "last_affected, limit");
    }
    const simdjson::dom::key_value_pair kv = *o.begin();
    Event e;
    if (kv.key == "introduced") {
      e.kind = Event::Kind::kIntroduced;
      introduced = true;
    } else if (kv.key == "fixed") {
      e.kind = Event::Kind::kFixed;
    } else if (kv.key == "last_affected") {
      e.kind = Event::Kind::kLastAffected;
    } else if (kv.key == "limit") {
      e.kind = Event::Kind::kLimit;
    } else {
      return internal::Invalid(
          name, where + ": unknown event '" + std::string(kv.key.substr(0, 40)) + "'");
    }
    std::string_view v;
    if (kv.value.get(v) != simdjson::SUCCESS || v.empty() || !CleanString(v, kMaxVersionBytes)) {
      return internal::Invalid(
          name, where + ": event '" + std::string(kv.key) + "' is not a version string");
    }
    e.version = std::string(v);
    r.events.push_back(std::move(e));
  }
  if (!introduced) return internal::Invalid(name, where + " has no 'introduced' event");
  // The linter's "distinct" rule: no event twice, and no empty interval (introduced X
  // followed by fixed X). A fix and a re-introduction at one version are fine: real
  // feeds write adjacent intervals that way.
  for (size_t i = 0; i < r.events.size(); ++i) {
    const Event& e = r.events[i];
    if (i > 0 && e.kind == Event::Kind::kFixed &&
        r.events[i - 1].kind == Event::Kind::kIntroduced && r.events[i - 1].version == e.version) {
      return internal::Invalid(name, where + " is empty: introduced and fixed at '" +
                                         std::string(e.version.substr(0, 80)) + "'");
    }
  }
  // Most ranges hold two or three events: a quadratic check allocates nothing.
  const Event* dup = nullptr;
  if (r.events.size() <= 16) {
    for (size_t i = 0; i < r.events.size() && !dup; ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (r.events[j].kind == r.events[i].kind && r.events[j].version == r.events[i].version) {
          dup = &r.events[i];
          break;
        }
      }
    }
  } else {
    std::vector<std::pair<Event::Kind, std::string_view>> seen;
    seen.reserve(r.events.size());
    for (const Event& e : r.events) seen.emplace_back(e.kind, e.version);
    std::sort(seen.begin(), seen.end());
    if (auto it = std::adjacent_find(seen.begin(), seen.end()); it != seen.end()) {
      for (const Event& e : r.events) {
        if (e.kind == it->first && e.version == it->second) dup = &e;
      }
    }
  }
  if (dup) {
    return internal::Invalid(
        name, where + " repeats the event at '" + std::string(dup->version.substr(0, 80)) + "'");
  }
  if (type != "GIT") *out = std::move(r);
  return Status::OK();
}

Status ParseAffected(simdjson::dom::element a, std::string_view name, size_t index,
                     std::optional<Affected>* out) {
  std::optional<simdjson::dom::object> pkg = Obj(a, "package");
  std::optional<simdjson::dom::array> ranges = Arr(a, "ranges");
  std::optional<simdjson::dom::array> versions = Arr(a, "versions");
  if (ranges && ranges->size() > kMaxRanges) return internal::Invalid(name, "too many ranges");
  if (versions && versions->size() > kMaxVersions)
    return internal::Invalid(name, "too many versions");
  Affected aff;
  size_t range_index = 0;
  if (ranges) {
    aff.ranges.reserve(ranges->size());
    for (simdjson::dom::element r : *ranges) {
      std::optional<Range> range;
      BULKHEAD_RETURN_IF_ERROR(ParseRange(r, name, range_index++, &range));
      if (range) aff.ranges.push_back(std::move(*range));
    }
  }
  if (versions) {
    aff.versions.reserve(versions->size());
    for (simdjson::dom::element v : *versions) {
      std::string_view s;
      if (v.get(s) != simdjson::SUCCESS || !CleanString(s, kMaxVersionBytes)) {
        return internal::Invalid(
            name, "affected " + std::to_string(index) + ": versions[] holds a non-string");
      }
      aff.versions.emplace_back(s);
    }
  }
  if (!pkg) return Status::OK();  // GIT-only entries name no package: nothing to match.
  std::string_view ecosystem, pkg_name;
  if ((*pkg)["ecosystem"].get(ecosystem) != simdjson::SUCCESS ||
      (*pkg)["name"].get(pkg_name) != simdjson::SUCCESS || pkg_name.empty()) {
    return internal::Invalid(
        name, "affected " + std::to_string(index) + ": package needs ecosystem and name");
  }
  if (!CleanString(pkg_name, kMaxNameBytes) || !CleanString(ecosystem, kMaxNameBytes)) {
    return internal::Invalid(
        name, "affected " + std::to_string(index) + ": bad package name or ecosystem");
  }
  Result<EcosystemInfo> eco = ResolveEcosystem(ecosystem);
  if (!eco.ok()) return internal::Invalid(name, std::string(eco.error().message()));
  aff.ecosystem = std::string(ecosystem);
  aff.package = std::string(pkg_name);
  bool has_fix = false;
  for (const Range& r : aff.ranges) {
    for (const Event& e : r.events) has_fix |= e.kind == Event::Kind::kFixed;
  }
  aff.status = has_fix ? VulnStatus::kFixed : VulnStatus::kAffected;
  for (std::string_view key : {"ecosystem_specific", "database_specific"}) {
    if (std::optional<Severity> s = SpecificSeverity(a, key)) {
      aff.severity = *s;
      aff.severity_source = "osv:" + std::string(key);
      break;
    }
  }
  *out = std::move(aff);
  return Status::OK();
}

// CVSS from `severity[]`, the newest version first; Ubuntu's own word when present.
void ParseSeverity(simdjson::dom::element root, Vulnerability* v) {
  std::optional<simdjson::dom::array> list = Arr(root, "severity");
  std::optional<Severity> ubuntu;
  if (list) {
    for (simdjson::dom::element s : *list) {
      std::string_view type = Str(s, "type").value_or("");
      std::string_view score = Str(s, "score").value_or("");
      if (type == "Ubuntu") {
        ubuntu = ParseSeverityWord(score);
        continue;
      }
      if (type != "CVSS_V3" && type != "CVSS_V4") continue;
      Result<CvssScore> cvss = ScoreCvss(score);
      if (!cvss.ok()) continue;  // A bad vector must not cost the record its package data.
      if (!v->cvss || cvss->version > v->cvss->version) v->cvss = std::move(cvss).value();
    }
  }
  if (std::optional<Severity> s = SpecificSeverity(root, "database_specific")) {
    v->severity = *s;
    v->severity_source = "osv:database_specific";
  } else if (ubuntu) {
    v->severity = *ubuntu;
    v->severity_source = "ubuntu";
  } else if (v->cvss) {
    v->severity = CvssSeverity(v->cvss->score);
    v->severity_source = "cvss:" + v->cvss->version;
  }
}

}  // namespace

struct OsvParser::Impl {
  simdjson::dom::parser parser{kMaxOsvRecordBytes};
};

OsvParser::OsvParser() : impl_(std::make_unique<Impl>()) {
  if (impl_->parser.allocate(1 << 16, kMaxDepth) != simdjson::SUCCESS) impl_.reset();
}
OsvParser::~OsvParser() = default;

Result<std::optional<Vulnerability>> OsvParser::Parse(std::string_view json,
                                                      std::string_view name) {
  if (json.size() > kMaxOsvRecordBytes) {
    return Status::ResourceExhausted(std::string(name) + ": OSV record larger than " +
                                     std::to_string(kMaxOsvRecordBytes >> 20) + " MiB");
  }
  if (!impl_) return Status::ResourceExhausted("no memory for the OSV parser");
  simdjson::dom::element root;
  if (auto err = impl_->parser.parse(json.data(), json.size()).get(root)) {
    return Status::Corruption(std::string(name) + ": not valid JSON (" +
                              simdjson::error_message(err) + ")");
  }
  if (!root.is_object()) return internal::Invalid(name, "an OSV record is a JSON object");
  std::optional<std::string_view> id = Str(root, "id");
  if (!id || id->empty() || !CleanString(*id, kMaxIdBytes)) {
    return internal::Invalid(name, "missing or malformed 'id'");
  }
  std::optional<std::string_view> modified = Str(root, "modified");
  if (!modified || !CleanString(*modified, 64))
    return internal::Invalid(name, "missing or malformed 'modified'");
  if (Str(root, "withdrawn")) return std::optional<Vulnerability>();

  Vulnerability v;
  v.id = std::string(*id);
  v.modified = std::string(*modified);
  v.summary = Summary(root);
  if (std::optional<simdjson::dom::array> aliases = Arr(root, "aliases")) {
    if (aliases->size() > kMaxAliases) return internal::Invalid(name, "too many aliases");
    for (simdjson::dom::element a : *aliases) {
      std::string_view s;
      if (a.get(s) != simdjson::SUCCESS || s.empty() || !CleanString(s, kMaxIdBytes)) {
        return internal::Invalid(name, "aliases[] holds a malformed id");
      }
      if (s != v.id) v.aliases.emplace_back(s);
    }
    std::sort(v.aliases.begin(), v.aliases.end());
    v.aliases.erase(std::unique(v.aliases.begin(), v.aliases.end()), v.aliases.end());
  }
  if (std::optional<simdjson::dom::array> refs = Arr(root, "references")) {
    for (simdjson::dom::element r : *refs) {
      std::optional<std::string_view> url = Str(r, "url");
      if (url && CleanString(*url, 2048) && v.references.size() < kMaxReferences) {
        v.references.emplace_back(*url);
      }
    }
  }
  ParseSeverity(root, &v);
  if (std::optional<simdjson::dom::array> affected = Arr(root, "affected")) {
    if (affected->size() > kMaxAffected)
      return internal::Invalid(name, "too many affected entries");
    size_t index = 0;
    v.affected.reserve(affected->size());
    for (simdjson::dom::element a : *affected) {
      if (!a.is_object()) return internal::Invalid(name, "affected[] holds a non-object");
      std::optional<Affected> aff;
      BULKHEAD_RETURN_IF_ERROR(ParseAffected(a, name, index++, &aff));
      if (aff) v.affected.push_back(std::move(*aff));
    }
  } else if (root["affected"].error() != simdjson::NO_SUCH_FIELD) {
    return internal::Invalid(name, "'affected' is not an array");
  }
  return std::optional<Vulnerability>(std::move(v));
}

}  // namespace bulkhead::vulndb
