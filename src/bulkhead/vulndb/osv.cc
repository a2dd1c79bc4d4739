#include "bulkhead/vulndb/osv.h"

#include <simdjson.h>

#include <algorithm>

#include "bulkhead/core/file.h"
#include "bulkhead/vulndb/cvss.h"
#include "bulkhead/vulndb/database.h"
#include "bulkhead/vulndb/ecosystem.h"
#include "bulkhead/vulndb/internal/encoding.h"
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

// An affected entry as read: views into the parsed document, in vectors that keep their
// capacity from record to record. It then becomes an Affected (Parse) or is encoded for
// the database directly (ParsePrepared), without a string allocated per version.
struct RangeSpan {
  Range::Type type;
  size_t first;  // into AffectedDraft::events
  size_t count;
};

struct AffectedDraft {
  bool has_package = false;  // GIT-only entries name no package: nothing to match
  std::string_view ecosystem;
  std::string_view eco_key;
  std::string_view package;
  std::vector<RangeSpan> ranges;
  std::vector<internal::EventView> events;
  std::vector<std::string_view> versions;
  VulnStatus status = VulnStatus::kAffected;
  Severity severity = Severity::kUnknown;
  std::string_view severity_source;

  void Clear() {
    has_package = false;
    ranges.clear();
    events.clear();
    versions.clear();
    status = VulnStatus::kAffected;
    severity = Severity::kUnknown;
    severity_source = {};
  }
};

Status ParseRange(simdjson::dom::element range, std::string_view name, size_t index,
                  AffectedDraft* d) {
  std::string_view type = Str(range, "type").value_or("");
  const auto where = [&] { return "affected range " + std::to_string(index); };
  if (type != "ECOSYSTEM" && type != "SEMVER" && type != "GIT") {
    return internal::Invalid(name, where() + " has type '" + std::string(type.substr(0, 40)) +
                                       "' (ECOSYSTEM, SEMVER or GIT)");
  }
  if (type == "GIT" && !Str(range, "repo"))
    return internal::Invalid(name, where() + ": a GIT range needs a repo");
  std::optional<simdjson::dom::array> events = Arr(range, "events");
  if (!events || events->size() == 0) return internal::Invalid(name, where() + " has no events");
  if (events->size() > kMaxEvents) return internal::Invalid(name, where() + " has too many events");
  const size_t first = d->events.size();
  bool introduced = false;
  for (simdjson::dom::element ev : *events) {
    simdjson::dom::object o;
    if (ev.get(o) != simdjson::SUCCESS || o.size() != 1) {
      return internal::Invalid(name, where() +
                                         ": each event has exactly one of introduced, fixed, "
                                         "last_affected, limit");
    }
    const simdjson::dom::key_value_pair kv = *o.begin();
    internal::EventView e;
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
          name, where() + ": unknown event '" + std::string(kv.key.substr(0, 40)) + "'");
    }
    if (kv.value.get(e.version) != simdjson::SUCCESS || e.version.empty() ||
        !CleanString(e.version, kMaxVersionBytes)) {
      return internal::Invalid(
          name, where() + ": event '" + std::string(kv.key) + "' is not a version string");
    }
    d->events.push_back(e);
  }
  if (!introduced) return internal::Invalid(name, where() + " has no 'introduced' event");
  const internal::EventView* ev = d->events.data() + first;
  const size_t n = d->events.size() - first;
  // The linter's "distinct" rule: no event twice, and no empty interval (introduced X
  // followed by fixed X). A fix and a re-introduction at one version are fine: real
  // feeds write adjacent intervals that way.
  for (size_t i = 1; i < n; ++i) {
    if (ev[i].kind == Event::Kind::kFixed && ev[i - 1].kind == Event::Kind::kIntroduced &&
        ev[i - 1].version == ev[i].version) {
      return internal::Invalid(name, where() + " is empty: introduced and fixed at '" +
                                         std::string(ev[i].version.substr(0, 80)) + "'");
    }
  }
  // Most ranges hold two or three events: a quadratic check allocates nothing.
  const internal::EventView* dup = nullptr;
  if (n <= 16) {
    for (size_t i = 0; i < n && !dup; ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (ev[j].kind == ev[i].kind && ev[j].version == ev[i].version) {
          dup = &ev[i];
          break;
        }
      }
    }
  } else {
    std::vector<std::pair<Event::Kind, std::string_view>> seen;
    seen.reserve(n);
    for (size_t i = 0; i < n; ++i) seen.emplace_back(ev[i].kind, ev[i].version);
    std::sort(seen.begin(), seen.end());
    if (auto it = std::adjacent_find(seen.begin(), seen.end()); it != seen.end()) {
      for (size_t i = 0; i < n; ++i) {
        if (ev[i].kind == it->first && ev[i].version == it->second) dup = &ev[i];
      }
    }
  }
  if (dup) {
    return internal::Invalid(
        name, where() + " repeats the event at '" + std::string(dup->version.substr(0, 80)) + "'");
  }
  if (type == "GIT") {
    d->events.resize(first);  // not matched: versions are commits
  } else {
    d->ranges.push_back(
        {type == "SEMVER" ? Range::Type::kSemver : Range::Type::kEcosystem, first, n});
  }
  return Status::OK();
}

Status ParseAffected(simdjson::dom::element a, std::string_view name, size_t index,
                     EcosystemKeyCache& eco_keys, AffectedDraft* d) {
  d->Clear();
  std::optional<simdjson::dom::object> pkg = Obj(a, "package");
  std::optional<simdjson::dom::array> ranges = Arr(a, "ranges");
  std::optional<simdjson::dom::array> versions = Arr(a, "versions");
  if (ranges && ranges->size() > kMaxRanges) return internal::Invalid(name, "too many ranges");
  if (versions && versions->size() > kMaxVersions)
    return internal::Invalid(name, "too many versions");
  size_t range_index = 0;
  if (ranges) {
    for (simdjson::dom::element r : *ranges) {
      BULKHEAD_RETURN_IF_ERROR(ParseRange(r, name, range_index++, d));
    }
  }
  if (versions) {
    for (simdjson::dom::element v : *versions) {
      std::string_view s;
      if (v.get(s) != simdjson::SUCCESS || !CleanString(s, kMaxVersionBytes)) {
        return internal::Invalid(
            name, "affected " + std::to_string(index) + ": versions[] holds a non-string");
      }
      d->versions.push_back(s);
    }
  }
  if (!pkg) return Status::OK();
  if ((*pkg)["ecosystem"].get(d->ecosystem) != simdjson::SUCCESS ||
      (*pkg)["name"].get(d->package) != simdjson::SUCCESS || d->package.empty()) {
    return internal::Invalid(
        name, "affected " + std::to_string(index) + ": package needs ecosystem and name");
  }
  if (!CleanString(d->package, kMaxNameBytes) || !CleanString(d->ecosystem, kMaxNameBytes)) {
    return internal::Invalid(
        name, "affected " + std::to_string(index) + ": bad package name or ecosystem");
  }
  Result<std::string_view> eco_key = eco_keys.Key(d->ecosystem);
  if (!eco_key.ok()) return internal::Invalid(name, std::string(eco_key.error().message()));
  d->eco_key = *eco_key;
  d->has_package = true;
  bool has_fix = false;
  for (const internal::EventView& e : d->events) has_fix |= e.kind == Event::Kind::kFixed;
  d->status = has_fix ? VulnStatus::kFixed : VulnStatus::kAffected;
  if (std::optional<Severity> s = SpecificSeverity(a, "ecosystem_specific")) {
    d->severity = *s;
    d->severity_source = "osv:ecosystem_specific";
  } else if (std::optional<Severity> s = SpecificSeverity(a, "database_specific")) {
    d->severity = *s;
    d->severity_source = "osv:database_specific";
  }
  return Status::OK();
}

Affected Materialize(const AffectedDraft& d) {
  Affected a;
  a.ecosystem = std::string(d.ecosystem);
  a.package = std::string(d.package);
  a.status = d.status;
  a.severity = d.severity;
  a.severity_source = std::string(d.severity_source);
  a.ranges.reserve(d.ranges.size());
  for (const RangeSpan& span : d.ranges) {
    Range& r = a.ranges.emplace_back();
    r.type = span.type;
    r.events.reserve(span.count);
    for (size_t i = span.first; i < span.first + span.count; ++i) {
      r.events.push_back({d.events[i].kind, std::string(d.events[i].version)});
    }
  }
  a.versions.assign(d.versions.begin(), d.versions.end());
  return a;
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
  EcosystemKeyCache eco_keys;
  AffectedDraft draft;
  std::string ranges, versions;  // encoding scratch

  // The record's own fields into `v`; each affected entry with a package goes to
  // `on_affected` (the draft's views live until the next parse).
  template <typename OnAffected>
  Result<std::optional<Vulnerability>> ParseRecord(std::string_view json, std::string_view name,
                                                   OnAffected&& on_affected);
};

OsvParser::OsvParser() : impl_(std::make_unique<Impl>()) {
  if (impl_->parser.allocate(1 << 16, kMaxDepth) != simdjson::SUCCESS) impl_.reset();
}
OsvParser::~OsvParser() = default;

template <typename OnAffected>
Result<std::optional<Vulnerability>> OsvParser::Impl::ParseRecord(std::string_view json,
                                                                  std::string_view name,
                                                                  OnAffected&& on_affected) {
  if (json.size() > kMaxOsvRecordBytes) {
    return Status::ResourceExhausted(std::string(name) + ": OSV record larger than " +
                                     LimitText(kMaxOsvRecordBytes));
  }
  simdjson::dom::element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root)) {
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
    for (simdjson::dom::element a : *affected) {
      if (!a.is_object()) return internal::Invalid(name, "affected[] holds a non-object");
      BULKHEAD_RETURN_IF_ERROR(ParseAffected(a, name, index++, eco_keys, &draft));
      if (draft.has_package) on_affected(v, draft);
    }
  } else if (root["affected"].error() != simdjson::NO_SUCH_FIELD) {
    return internal::Invalid(name, "'affected' is not an array");
  }
  return std::optional<Vulnerability>(std::move(v));
}

Result<std::optional<Vulnerability>> OsvParser::Parse(std::string_view json,
                                                      std::string_view name) {
  if (!impl_) return Status::ResourceExhausted("no memory for the OSV parser");
  return impl_->ParseRecord(json, name, [](Vulnerability& v, const AffectedDraft& d) {
    v.affected.push_back(Materialize(d));
  });
}

Result<std::optional<Vulnerability>> OsvParser::ParsePrepared(std::string_view json,
                                                              std::string_view name, int64_t vid,
                                                              PreparedRecord* out) {
  if (!impl_) return Status::ResourceExhausted("no memory for the OSV parser");
  *out = PreparedRecord();
  out->vid = vid;
  Impl& impl = *impl_;
  Result<std::optional<Vulnerability>> v =
      impl.ParseRecord(json, name, [&](Vulnerability& rec, const AffectedDraft& d) {
        impl.ranges.clear();
        for (const RangeSpan& span : d.ranges) {
          internal::AppendRangeStart(span.type, &impl.ranges);
          for (size_t i = span.first; i < span.first + span.count; ++i) {
            internal::AppendEvent(d.events[i].kind, d.events[i].version, &impl.ranges);
          }
        }
        impl.versions.clear();
        for (std::string_view s : d.versions) internal::AppendListItem(s, &impl.versions);
        AffectedFields f;
        f.eco_key = d.eco_key;
        f.package = d.package;
        f.status = d.status;
        f.severity = d.severity;
        f.ranges = impl.ranges;
        f.versions = impl.versions;
        f.severity_source = d.severity_source;
        DatabaseWriter::PrepareAffected(rec.id, f, out);
      });
  if (v.ok() && v->has_value()) {
    out->aliases = internal::EncodeList((*v)->aliases);
    out->references = internal::EncodeList((*v)->references);
  }
  return v;
}

}  // namespace bulkhead::vulndb
