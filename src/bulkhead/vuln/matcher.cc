#include "bulkhead/vuln/matcher.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include "bulkhead/vulndb/ecosystem.h"

namespace bulkhead::vuln {
namespace {

using version::Scheme;
using vulndb::Candidate;
using vulndb::Event;
using vulndb::Range;
using vulndb::VulnStatus;

// "1:2.3-4" -> "2.3-4"; strings without an epoch unchanged.
std::string_view StripEpoch(std::string_view v) {
  size_t colon = v.find(':');
  if (colon == std::string_view::npos) return v;
  for (size_t i = 0; i < colon; ++i) {
    if (v[i] < '0' || v[i] > '9') return v;
  }
  return v.substr(colon + 1);
}

bool HasEpoch(std::string_view v) { return StripEpoch(v).size() != v.size(); }

struct Comparator {
  Scheme scheme;
  bool rpm_epochless_advisory_match;  // See matcher.h: rpm epochs.
  int operator()(std::string_view installed, std::string_view advisory) const {
    if (rpm_epochless_advisory_match && !HasEpoch(advisory)) {
      return version::Compare(scheme, StripEpoch(installed), advisory);
    }
    return version::Compare(scheme, installed, advisory);
  }
};

bool RangeHolds(const Range& range, const Comparator& cmp, std::string_view v, std::string* fixed) {
  // OSV's evaluation: sort the events by version, then walk them; "introduced: 0" is
  // below everything.
  std::vector<const Event*> events;
  events.reserve(range.events.size());
  std::vector<const Event*> limits;
  for (const Event& e : range.events) {
    (e.kind == Event::Kind::kLimit ? limits : events).push_back(&e);
  }
  auto is_zero = [](const Event* e) {
    return e->kind == Event::Kind::kIntroduced && e->version == "0";
  };
  std::stable_sort(events.begin(), events.end(), [&](const Event* a, const Event* b) {
    if (is_zero(a) || is_zero(b)) return is_zero(a) && !is_zero(b);
    return version::Compare(cmp.scheme, a->version, b->version) < 0;
  });
  bool affected = false;
  const Event* next_fix = nullptr;
  for (const Event* e : events) {
    const int c = is_zero(e) ? 1 : cmp(v, e->version);
    switch (e->kind) {
      case Event::Kind::kIntroduced:
        if (c >= 0) affected = true, next_fix = nullptr;
        break;
      case Event::Kind::kFixed:
        if (c >= 0) {
          affected = false;
        } else if (affected && !next_fix) {
          next_fix = e;
        }
        break;
      case Event::Kind::kLastAffected:
        if (c > 0) affected = false;
        break;
      case Event::Kind::kLimit:
        break;
    }
    if (c < 0 && e->kind == Event::Kind::kIntroduced) break;  // Later events are above v.
  }
  if (!affected) {
    // Overlapping intervals ("introduced 2.11, fixed 2.11.7, introduced 0, fixed
    // 2.11.6", seen in PyPA's data) mean their union to their authors and to osv.dev's
    // version lists, but the sorted walk above closes the first at the second's fix.
    // So each introduced event also opens an interval that the next closing event in the
    // listed order ends, when that close lies above it; the version is affected when any
    // such interval holds it. For disjoint ranges this changes nothing.
    for (size_t i = 0; i < range.events.size() && !affected; ++i) {
      const Event& open = range.events[i];
      if (open.kind != Event::Kind::kIntroduced) continue;
      for (size_t j = i + 1; j < range.events.size(); ++j) {
        const Event& close = range.events[j];
        if (close.kind == Event::Kind::kIntroduced || close.kind == Event::Kind::kLimit) continue;
        const bool zero = open.version == "0";
        if (!zero && version::Compare(cmp.scheme, close.version, open.version) <= 0) break;
        const bool above_open = zero || cmp(v, open.version) >= 0;
        const int c = cmp(v, close.version);
        const bool below_close = close.kind == Event::Kind::kFixed ? c < 0 : c <= 0;
        if (above_open && below_close) {
          affected = true;
          next_fix = close.kind == Event::Kind::kFixed ? &close : nullptr;
        }
        break;
      }
    }
  }
  if (affected && !limits.empty()) {
    // Below at least one limit (each limit closes one branch of history).
    affected = std::any_of(limits.begin(), limits.end(),
                           [&](const Event* l) { return cmp(v, l->version) < 0; });
  }
  if (affected && next_fix) *fixed = next_fix->version;
  return affected;
}

struct Lookup {
  std::string key;
  std::optional<Scheme> scheme;
  std::string name;
  std::string version;
  bool rpm_epoch = false;
};

std::optional<Lookup> LookupFor(const Package& p, const std::optional<vulndb::EcosystemInfo>& os) {
  Lookup l;
  if (p.type == "deb" || p.type == "apk" || p.type == "rpm") {
    if (!os) return std::nullopt;
    l.key = os->key;
    l.scheme = os->scheme;
    if (p.type == "deb") {
      l.name = p.source_name.empty() ? p.name : p.source_name;
      l.version = p.source_version.empty() ? p.version : p.source_version;
    } else if (p.type == "apk") {
      l.name = p.source_name.empty() ? p.name : p.source_name;
      l.version = p.version;
    } else {
      l.name = p.name;
      l.version = p.version;
      l.rpm_epoch = !p.epoch.empty() && p.epoch != "0";
    }
    return l;
  }
  std::optional<vulndb::EcosystemInfo> eco = vulndb::LanguageEcosystem(p.type);
  if (!eco) return std::nullopt;
  l.key = eco->key;
  l.scheme = eco->scheme;
  l.name = p.name;
  l.version = p.version;
  return l;
}

// A union-find over vulnerability ids, to merge records that alias each other.
class IdGroups {
 public:
  size_t Id(const std::string& id) {
    auto [it, inserted] = index_.try_emplace(id, parent_.size());
    if (inserted) parent_.push_back(parent_.size());
    return it->second;
  }
  size_t Find(size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void Join(size_t a, size_t b) { parent_[Find(a)] = Find(b); }

 private:
  std::map<std::string, size_t> index_;
  std::vector<size_t> parent_;
};

bool IsCve(std::string_view id) { return id.substr(0, 4) == "CVE-"; }

int SeverityRank(const std::string& source) {
  // The distro's judgement first, then the feed's, then a computed CVSS score.
  if (source.rfind("debian", 0) == 0 || source == "ubuntu" || source == "alpine") return 0;
  if (source.rfind("osv:", 0) == 0) return 1;
  if (source.rfind("cvss:", 0) == 0) return 2;
  return 3;
}

// One entry that holds the installed version (or a distro's not-affected verdict), with
// its record loaded.
struct Evaluated {
  const Candidate* c;
  Verdict verdict;
  bool epochless;
  vulndb::Vulnerability vuln;  // Without affected entries; see Database::LoadVulnerability.
};

// The package-independent part of a finding, from one group of aliased entries.
Finding BuildTemplate(const Lookup& l, const std::vector<const Evaluated*>& group) {
  Finding f;
  f.kind = FindingKind::kVulnerability;
  f.controls = {"4.1.1"};
  std::set<std::string> ids;
  std::set<std::string> refs;
  int best_rank = 4;
  for (const Evaluated* e : group) {
    const vulndb::Vulnerability& v = e->vuln;
    ids.insert(v.id);
    ids.insert(v.aliases.begin(), v.aliases.end());
    for (const std::string& r : v.references) refs.insert(r);
    if (f.title.empty()) f.title = v.summary;
    // The highest fix of all feeds: upgrading to it clears every one.
    if (!e->verdict.fixed.empty() &&
        (f.fixed_version.empty() ||
         (l.scheme.has_value() &&
          version::Compare(*l.scheme, e->verdict.fixed, f.fixed_version) > 0))) {
      f.fixed_version = e->verdict.fixed;
    }
    const vulndb::Affected& a = e->c->affected;
    if (a.severity != Severity::kUnknown && SeverityRank(a.severity_source) < best_rank) {
      best_rank = SeverityRank(a.severity_source);
      f.severity = a.severity;
      f.severity_source = a.severity_source;
    }
    if (v.severity != Severity::kUnknown && SeverityRank(v.severity_source) < best_rank) {
      best_rank = SeverityRank(v.severity_source);
      f.severity = v.severity;
      f.severity_source = v.severity_source;
    }
    if (v.cvss && (!f.cvss || v.cvss->version > f.cvss->version)) f.cvss = v.cvss;
  }
  // The id: the CVE when there is one, else the smallest id.
  f.id = *ids.begin();
  for (const std::string& id : ids) {
    if (IsCve(id)) {
      f.id = id;
      break;
    }
  }
  for (const std::string& id : ids) {
    if (id != f.id) f.aliases.push_back(id);
  }
  f.references.assign(refs.begin(), refs.end());
  if (f.references.size() > 10) f.references.resize(10);
  const vulndb::Affected& a = group.front()->c->affected;
  if (!f.fixed_version.empty()) {
    f.status = "fixed";
  } else {
    f.status = std::string(
        vulndb::StatusName(a.status == VulnStatus::kFixed ? VulnStatus::kAffected : a.status));
  }
  f.status_note = a.status_note;
  for (const Evaluated* e : group) {
    if (e->epochless) {
      f.status_note += std::string(f.status_note.empty() ? "" : "; ") +
                       "advisory names no epoch: compared version-release";
      break;
    }
  }
  return f;
}

// The finding for one installed package, from a template.
Finding ForPackage(const Finding& t, const Package& p, const Lookup& l) {
  Finding f = t;
  if (f.id.rfind("MAL-", 0) == 0) {
    // OpenSSF's malicious-package records: the package is malware, not a flaw (4.1.3).
    f.kind = FindingKind::kMalware;
    f.controls = {"4.1.3"};
    f.severity = Severity::kCritical;
  }
  f.installed_version = p.version;
  f.package = PackageRef{p.name, p.version, p.purl, "", ""};
  if (p.type == "deb" || p.type == "apk" || p.type == "rpm") {
    if (p.type != "rpm") {
      f.package->source_name = l.name;
      f.package->source_version = l.version;
    }
  } else {
    f.path = p.db_path;
  }
  f.layer = p.layer;
  if (f.title.empty()) f.title = f.id + " in " + p.name;
  f.remediation = f.fixed_version.empty()
                      ? "No fixed version is known yet; watch the distro's advisory."
                      : "Upgrade " + p.name + " to " + f.fixed_version + " or later.";
  return f;
}

Verdict EvaluateEntry(const vulndb::Affected& a, std::optional<Scheme> scheme,
                      std::string_view version, bool rpm_epoch, bool* epochless) {
  Verdict verdict;
  // Explicit versions are equal under the ecosystem's order, not only as strings: Go's
  // "v1.2.3" is OSV's "1.2.3", and PEP 440's "1.0" is "1.0.0".
  for (const std::string& v : a.versions) {
    if (v == version || (scheme && version::Compare(*scheme, v, version) == 0)) {
      verdict.affected = true;
      break;
    }
  }
  for (const Range& r : a.ranges) {
    std::optional<Scheme> s = r.type == Range::Type::kSemver ? Scheme::kSemver : scheme;
    if (!s) continue;
    Comparator cmp{*s, rpm_epoch && *s == Scheme::kRpm};
    std::string fixed;
    if (!RangeHolds(r, cmp, version, &fixed)) continue;
    verdict.affected = true;
    if (verdict.fixed.empty()) verdict.fixed = fixed;
    for (const Event& e : r.events) {
      if (epochless && cmp.rpm_epochless_advisory_match && !HasEpoch(e.version) &&
          e.version != "0") {
        *epochless = true;
      }
    }
  }
  return verdict;
}

}  // namespace

Status ValidateStatuses(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    std::optional<VulnStatus> s = vulndb::ParseStatus(n);
    if (!s || *s == VulnStatus::kNotAffected) {
      return Status::InvalidArgument("--ignore-status: unknown status '" + n +
                                     "' (fixed, affected, fix-deferred, will-not-fix, "
                                     "end-of-life, under-investigation)");
    }
  }
  return Status::OK();
}

Verdict Evaluate(const vulndb::Affected& affected, std::optional<Scheme> scheme,
                 std::string_view version) {
  return EvaluateEntry(affected, scheme, version, false, nullptr);
}

namespace {

// Judges one (ecosystem, name, version): the findings' templates.
Status Judge(vulndb::Database& db, const Lookup& l, MatchStats& st, std::vector<Finding>* out) {
  std::vector<Candidate> candidates;
  BULKHEAD_RETURN_IF_ERROR(db.Lookup(l.key, l.name, &candidates));
  st.candidates += candidates.size();
  std::vector<Evaluated> relevant;
  for (const Candidate& c : candidates) {
    const vulndb::Affected& a = c.affected;
    Evaluated e{&c, {}, false, {}};
    if (a.status != VulnStatus::kNotAffected) {
      e.verdict = EvaluateEntry(a, l.scheme, l.version, l.rpm_epoch, &e.epochless);
      if (!e.verdict.affected) continue;
    }
    BULKHEAD_RETURN_IF_ERROR(db.LoadVulnerability(c.vid, &e.vuln));
    relevant.push_back(std::move(e));
  }
  if (relevant.empty()) return Status::OK();
  // Merge the entries that alias one another; a distro's not-affected verdict for any
  // id of a group silences the group.
  IdGroups groups;
  for (const Evaluated& e : relevant) {
    const size_t self = groups.Id(e.vuln.id);
    for (const std::string& alias : e.vuln.aliases) groups.Join(self, groups.Id(alias));
  }
  std::map<size_t, std::vector<const Evaluated*>> by_group;
  std::set<size_t> not_affected;
  for (const Evaluated& e : relevant) {
    const size_t g = groups.Find(groups.Id(e.vuln.id));
    if (e.c->affected.status == VulnStatus::kNotAffected) {
      not_affected.insert(g);
    } else {
      by_group[g].push_back(&e);
    }
  }
  for (const auto& [g, group] : by_group) {
    if (!not_affected.count(g)) out->push_back(BuildTemplate(l, group));
  }
  return Status::OK();
}

}  // namespace

Status MatchReport(vulndb::Database& db, const MatchOptions& options, Report* report,
                   MatchStats* stats) {
  MatchStats local;
  MatchStats& st = stats ? *stats : local;
  const std::optional<vulndb::EcosystemInfo> os = vulndb::OsEcosystem(report->target.os);
  // Files that an OS package owns: language packages there are the distro's to judge.
  std::unordered_set<std::string_view> os_owned;
  for (const Package& p : report->packages) {
    if (p.type == "deb" || p.type == "apk" || p.type == "rpm") {
      for (const std::string& f : p.files) os_owned.insert(f);
    }
  }
  // Binary packages of one source share a verdict: judge each (source, version) once.
  std::map<std::tuple<std::string, std::string, std::string, bool>, std::vector<Finding>> judged;
  std::vector<Finding> found;
  for (const Package& p : report->packages) {
    std::optional<Lookup> l = LookupFor(p, os);
    if (!l) {
      ++st.unmatched;
      continue;
    }
    if (!p.db_path.empty() && p.type != "deb" && p.type != "apk" && p.type != "rpm") {
      std::string owned = p.db_path.front() == '/' ? p.db_path : "/" + p.db_path;
      if (os_owned.count(owned)) continue;
    }
    ++st.packages;
    auto [it, inserted] = judged.try_emplace({l->key, l->name, l->version, l->rpm_epoch});
    if (inserted) BULKHEAD_RETURN_IF_ERROR(Judge(db, *l, st, &it->second));
    for (const Finding& t : it->second) {
      Finding f = ForPackage(t, p, *l);
      if (options.ignore_unfixed && f.fixed_version.empty()) continue;
      if (std::find(options.ignore_status.begin(), options.ignore_status.end(), f.status) !=
          options.ignore_status.end()) {
        continue;
      }
      found.push_back(std::move(f));
    }
  }
  st.findings = found.size();
  for (Finding& f : found) report->findings.push_back(std::move(f));
  return Status::OK();
}

}  // namespace bulkhead::vuln
