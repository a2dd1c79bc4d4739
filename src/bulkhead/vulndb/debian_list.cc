#include "bulkhead/vulndb/debian_list.h"

#include <simdjson.h>

#include "bulkhead/version/version.h"
#include "bulkhead/vulndb/internal/json_util.h"

namespace bulkhead::vulndb {
namespace {

using internal::CleanString;

constexpr size_t kMaxLine = 4096;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsIssueId(std::string_view word) {
  return word.rfind("CVE-", 0) == 0 || word.rfind("TEMP-", 0) == 0;
}

// "- pkg 1.2-3 (low; bug #1)" or "- pkg <no-dsa> (Minor issue)", after the release tag.
Status ParsePackageLine(std::string_view line, DebianAnnotation* a) {
  line = Trim(line.substr(1));  // the '-'
  size_t sp = line.find(' ');
  a->package = std::string(line.substr(0, sp));
  std::string_view rest = sp == std::string_view::npos ? "" : Trim(line.substr(sp));
  if (a->package.empty() || !CleanString(a->package, 256)) {
    return Status::InvalidArgument("bad package name");
  }
  size_t paren = rest.find('(');
  if (paren != std::string_view::npos) {
    std::string_view note = rest.substr(paren + 1);
    if (!note.empty() && note.back() == ')') note.remove_suffix(1);
    a->note = std::string(note);
    rest = Trim(rest.substr(0, paren));
  }
  if (rest.empty()) {
    a->kind = "unfixed";
  } else if (rest.front() == '<') {
    if (rest.back() != '>') return Status::InvalidArgument("unterminated <state>");
    a->kind = std::string(rest.substr(1, rest.size() - 2));
  } else {
    a->kind = "fixed";
    a->version = std::string(rest);
    if (!CleanString(a->version, 256) || a->version.find(' ') != std::string::npos) {
      return Status::InvalidArgument("bad version '" + a->version.substr(0, 60) + "'");
    }
  }
  return Status::OK();
}

Severity UrgencyOf(std::string_view note, std::string* word) {
  std::string_view first = note.substr(0, note.find_first_of(";) ,"));
  if (first == "unimportant" || first == "low") {
    *word = std::string(first);
    return Severity::kLow;
  }
  if (first == "medium") {
    *word = "medium";
    return Severity::kMedium;
  }
  if (first == "high") {
    *word = "high";
    return Severity::kHigh;
  }
  return Severity::kUnknown;
}

Range AllVersions() {
  Range r;
  r.events.push_back({Event::Kind::kIntroduced, "0"});
  return r;
}

Range FixedIn(const std::string& v) {
  Range r = AllVersions();
  r.events.push_back({Event::Kind::kFixed, v});
  return r;
}

// The affected entry for one release line (or unstable's), nullopt when it says nothing
// matchable (<itp>, an unknown state).
std::optional<Affected> FromLine(const DebianAnnotation& a) {
  Affected out;
  out.package = a.package;
  out.status_note = a.kind;
  if (a.kind == "fixed") {
    if (a.version == "0") {
      out.status = VulnStatus::kNotAffected;
      out.status_note = "fixed in 0";
      return out;
    }
    out.status = VulnStatus::kFixed;
    out.status_note = "resolved";
    out.ranges.push_back(FixedIn(a.version));
    return out;
  }
  out.ranges.push_back(AllVersions());
  if (a.kind == "unfixed") {
    out.status = VulnStatus::kAffected;
    out.status_note = "open";
  } else if (a.kind == "no-dsa") {
    out.status = VulnStatus::kAffected;
  } else if (a.kind == "ignored") {
    out.status = VulnStatus::kWillNotFix;
  } else if (a.kind == "postponed") {
    out.status = VulnStatus::kFixDeferred;
  } else if (a.kind == "end-of-life" || a.kind == "removed") {
    out.status = VulnStatus::kEndOfLife;
  } else if (a.kind == "undetermined") {
    out.status = VulnStatus::kUnderInvestigation;
  } else if (a.kind == "not-affected") {
    out.status = VulnStatus::kNotAffected;
    out.ranges.clear();
  } else {
    return std::nullopt;
  }
  return out;
}

}  // namespace

std::map<std::string, std::string, std::less<>> KnownDebianReleases() {
  return {{"jessie", "8"},    {"stretch", "9"}, {"buster", "10"}, {"bullseye", "11"},
          {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"}};
}

Status ParseDebianCveList(std::string_view text, std::string_view name,
                          std::vector<DebianIssue>* out, size_t* unassigned) {
  DebianIssue* current = nullptr;
  bool skipping = false;
  size_t line_no = 0;
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) + ": " + what);
  };
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (raw.size() > kMaxLine) return bad("line longer than 4096 bytes");
    if (Trim(raw).empty()) continue;
    if (raw.front() != ' ' && raw.front() != '\t') {
      std::string_view id = raw.substr(0, raw.find(' '));
      if (!IsIssueId(id))
        return bad("expected an issue id, found '" + std::string(id.substr(0, 40)) + "'");
      if (id.find("XXXX") != std::string_view::npos) {
        if (unassigned) ++*unassigned;
        skipping = true;
        current = nullptr;
        continue;
      }
      if (!CleanString(id, 64)) return bad("bad issue id");
      skipping = false;
      out->push_back(
          {std::string(id), internal::OneLine(Trim(raw.substr(id.size())), 512), {}, {}});
      current = &out->back();
      continue;
    }
    if (skipping) continue;
    if (!current) return bad("annotation before the first issue");
    std::string_view line = Trim(raw);
    if (line.front() == '{') {
      std::string_view inner = line.substr(1, line.find('}') - 1);
      while (!inner.empty()) {
        size_t sp = inner.find(' ');
        std::string_view x = inner.substr(0, sp);
        if (!x.empty() && CleanString(x, 64)) current->xrefs.emplace_back(x);
        inner = sp == std::string_view::npos ? "" : inner.substr(sp + 1);
      }
      continue;
    }
    DebianAnnotation a;
    if (line.front() == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos) return bad("unterminated [release]");
      a.release = std::string(line.substr(1, close - 1));
      line = Trim(line.substr(close + 1));
      if (line.empty() || line.front() != '-') return bad("expected '- package' after [release]");
    }
    if (line.front() != '-') continue;  // NOTE:, TODO:, NOT-FOR-US:, RESERVED, REJECTED
    Status s = ParsePackageLine(line, &a);
    if (!s.ok()) return bad(std::string(s.message()));
    current->annotations.push_back(std::move(a));
  }
  return Status::OK();
}

Status ParseVulnListDebianIssue(std::string_view json, std::string_view name, DebianIssue* out) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (json.size() > (16u << 20))
    return Status::ResourceExhausted(std::string(name) + ": too large");
  if (auto err = parser.parse(json.data(), json.size()).get(root)) {
    return Status::Corruption(std::string(name) + ": not valid JSON (" +
                              simdjson::error_message(err) + ")");
  }
  std::string_view id;
  if (root["Header"]["ID"].get(id) != simdjson::SUCCESS || !CleanString(id, 64) || id.empty()) {
    return Status::InvalidArgument(std::string(name) + ": no Header.ID");
  }
  out->id = std::string(id);
  std::string_view description;
  if (root["Header"]["Description"].get(description) == simdjson::SUCCESS) {
    out->description = internal::OneLine(description, 512);
  }
  simdjson::dom::array annotations;
  if (root["Annotations"].get(annotations) != simdjson::SUCCESS) return Status::OK();
  for (simdjson::dom::element e : annotations) {
    std::string_view type = internal::Str(e, "Type").value_or("");
    if (type == "xref") {
      simdjson::dom::array bugs;
      if (e["Bugs"].get(bugs) == simdjson::SUCCESS) {
        for (simdjson::dom::element b : bugs) {
          std::string_view x;
          if (b.get(x) == simdjson::SUCCESS && CleanString(x, 64)) out->xrefs.emplace_back(x);
        }
      }
      continue;
    }
    if (type != "package") continue;
    DebianAnnotation a;
    a.release = std::string(internal::Str(e, "Release").value_or(""));
    a.package = std::string(internal::Str(e, "Package").value_or(""));
    a.kind = std::string(internal::Str(e, "Kind").value_or(""));
    a.version = std::string(internal::Str(e, "Version").value_or(""));
    a.note = std::string(internal::Str(e, "Description").value_or(""));
    if (a.package.empty() || a.kind.empty() || !CleanString(a.package, 256) ||
        !CleanString(a.version, 256) || !CleanString(a.release, 64)) {
      return Status::InvalidArgument(std::string(name) + ": package annotation without " +
                                     "Package and Kind");
    }
    out->annotations.push_back(std::move(a));
  }
  return Status::OK();
}

Status EmitDebianIssue(const DebianIssue& issue,
                       const std::map<std::string, std::string, std::less<>>& releases,
                       const CarriedVersion& carried, const RecordSink& sink) {
  // Group the lines by package.
  std::map<std::string, std::vector<const DebianAnnotation*>> by_package;
  for (const DebianAnnotation& a : issue.annotations) by_package[a.package].push_back(&a);
  for (const auto& [package, lines] : by_package) {
    Vulnerability v;
    v.id = issue.id;
    v.aliases = issue.xrefs;
    v.summary = issue.description;
    const DebianAnnotation* unstable = nullptr;
    std::map<std::string, const DebianAnnotation*, std::less<>> own;
    for (const DebianAnnotation* a : lines) {
      if (a->release.empty()) {
        unstable = a;
      } else {
        own[a->release] = a;
      }
    }
    auto add = [&](const DebianAnnotation& line, const std::string& number,
                   std::optional<Affected> affected) {
      if (!affected) return;
      affected->ecosystem = "Debian:" + number;
      std::string word;
      affected->severity = UrgencyOf(line.note, &word);
      if (!word.empty()) affected->severity_source = "debian:urgency " + word;
      v.affected.push_back(std::move(*affected));
    };
    if (unstable) add(*unstable, "unstable", FromLine(*unstable));
    for (const auto& [codename, number] : releases) {
      if (auto it = own.find(codename); it != own.end()) {
        add(*it->second, number, FromLine(*it->second));
        continue;
      }
      if (!unstable) continue;
      std::optional<std::string> have = carried ? carried(codename, package) : std::nullopt;
      if (have && have->empty()) continue;  // The release's Sources lack the package.
      std::optional<Affected> a = FromLine(*unstable);
      if (a && unstable->kind == "fixed" && a->status == VulnStatus::kFixed) {
        if (have && version::Compare(version::Scheme::kDpkg, *have, unstable->version) < 0) {
          // The release still carries an older version: open there.
          a->status = VulnStatus::kAffected;
          a->status_note = "open; fixed in unstable " + unstable->version;
          a->ranges = {AllVersions()};
        } else {
          a->status_note = have ? "carries unstable's fix " + unstable->version
                                : "fixed in unstable " + unstable->version;
        }
      }
      add(*unstable, number, std::move(a));
    }
    if (!v.affected.empty()) BULKHEAD_RETURN_IF_ERROR(sink(std::move(v)));
  }
  return Status::OK();
}

void ParseDebianSources(std::string_view text, std::map<std::string, std::string>* out) {
  std::string package, version;
  auto flush = [&] {
    if (!package.empty() && !version.empty()) {
      auto [it, inserted] = out->try_emplace(package, version);
      if (!inserted && version::Compare(version::Scheme::kDpkg, version, it->second) > 0) {
        it->second = version;
      }
    }
    package.clear();
    version.clear();
  };
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (Trim(line).empty()) {
      flush();
    } else if (line.rfind("Package:", 0) == 0) {
      package = std::string(Trim(line.substr(8)));
    } else if (line.rfind("Version:", 0) == 0) {
      version = std::string(Trim(line.substr(8)));
    }
  }
  flush();
}

}  // namespace bulkhead::vulndb
