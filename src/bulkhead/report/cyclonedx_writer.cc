// CycloneDX 1.6 JSON (https://cyclonedx.org/docs/1.6/json/).
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "bulkhead/core/sha256.h"
#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {
using Json = nlohmann::ordered_json;

Json Property(std::string_view name, std::string_view value) {
  return {{"name", name}, {"value", value}};
}
std::string CdxSeverity(Severity s) {
  std::string name(SeverityName(s));
  for (char& c : name) c = static_cast<char>(c - 'A' + 'a');
  return name;
}

// One entry per vulnerability id and analysis state, affecting the packages it was
// found in: open findings carry no analysis, suppressed ones say why (VEX-capable).
Json Vulnerabilities(const Report& report, const std::map<std::string, std::string>& ref_of_purl) {
  struct Group {
    const Finding* first = nullptr;
    std::set<std::string> affects;
    std::string state;
    std::string detail;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;  // (id, analysis key)
  auto add = [&](const Finding& f, const std::string& state, const std::string& detail) {
    if (f.kind != FindingKind::kVulnerability) return;
    Group& g = groups[{f.id, state + "\n" + detail}];
    if (!g.first) g.first = &f;
    g.state = state;
    g.detail = detail;
    if (f.package) {
      auto it = ref_of_purl.find(f.package->purl);
      g.affects.insert(it != ref_of_purl.end() ? it->second : "image");
    } else {
      g.affects.insert("image");
    }
  };
  for (const Finding& f : report.findings) add(f, "", "");
  for (const SuppressedFinding& sf : report.suppressed) {
    std::string state;
    if (sf.by == "vex") state = sf.reason.rfind("fixed", 0) == 0 ? "resolved" : "not_affected";
    add(sf.finding, state, (sf.by == "vex" ? "VEX: " : "policy exception: ") + sf.reason);
  }
  Json out = Json::array();
  for (const auto& [key, g] : groups) {
    const Finding& f = *g.first;
    Json v;
    v["id"] = f.id;
    v["ratings"] = Json::array({{{"severity", CdxSeverity(f.severity)}, {"method", "other"}}});
    if (f.cvss) {
      // The computed base score beside the feed's own severity.
      v["ratings"].push_back({{"score", f.cvss->score},
                              {"severity", CdxSeverity(f.severity)},
                              {"method", f.cvss->version == "4.0"   ? "CVSSv4"
                                         : f.cvss->version == "3.0" ? "CVSSv3"
                                                                    : "CVSSv31"},
                              {"vector", f.cvss->vector}});
    }
    if (!f.aliases.empty()) {
      Json refs = Json::array();
      for (const std::string& a : f.aliases)
        refs.push_back({{"id", a}, {"source", {{"name", "alias"}}}});
      v["references"] = refs;
    }
    if (!f.title.empty()) v["description"] = f.title;
    if (!f.fixed_version.empty()) v["recommendation"] = "Upgrade to " + f.fixed_version;
    Json advisories = Json::array();
    for (const std::string& r : f.references) advisories.push_back({{"url", r}});
    if (!advisories.empty()) v["advisories"] = advisories;
    if (!g.detail.empty()) {
      Json analysis;
      if (!g.state.empty()) analysis["state"] = g.state;
      analysis["detail"] = g.detail;
      v["analysis"] = analysis;
    }
    Json affects = Json::array();
    for (const std::string& ref : g.affects) affects.push_back({{"ref", ref}});
    v["affects"] = affects;
    out.push_back(v);
  }
  return out;
}

}  // namespace

void WriteCycloneDx(const Report& report, const WriteOptions& options, std::ostream& out) {
  const Target& t = report.target;
  std::string identity = t.digest.empty() ? t.config_digest + t.name : t.digest;
  Json bom;
  bom["$schema"] = "http://cyclonedx.org/schema/bom-1.6.schema.json";
  bom["bomFormat"] = "CycloneDX";
  bom["specVersion"] = "1.6";
  bom["serialNumber"] = "urn:uuid:" + StableUuid("cyclonedx:" + identity);
  bom["version"] = 1;

  Json image;
  image["bom-ref"] = "image";
  image["type"] = t.kind == "rootfs" ? "file" : "container";
  image["name"] = t.repo_tags.empty() ? t.name : t.repo_tags.front();
  if (!t.digest.empty()) {
    image["version"] = t.digest;
    // Only a sha256 digest is a SHA-256 hash; anything else would be a false claim.
    if (IsSha256Digest(t.digest)) {
      image["hashes"] = Json::array({{{"alg", "SHA-256"}, {"content", t.digest.substr(7)}}});
    }
  }
  Json image_props = Json::array();
  if (!t.architecture.empty())
    image_props.push_back(Property("bulkhead:image:architecture", t.architecture));
  if (!t.config_digest.empty())
    image_props.push_back(Property("bulkhead:image:config_digest", t.config_digest));
  for (const LayerInfo& l : report.layers) {
    image_props.push_back(Property("bulkhead:image:layer", l.digest));
  }
  if (!image_props.empty()) image["properties"] = image_props;

  Json metadata;
  metadata["tools"] = {{"components", Json::array({{{"type", "application"},
                                                    {"name", "bulkhead"},
                                                    {"version", options.tool_version}}})}};
  metadata["component"] = image;
  bom["metadata"] = metadata;

  Json components = Json::array();
  Json depends = Json::array();
  if (!t.os.family.empty()) {
    components.push_back({{"bom-ref", "os"},
                          {"type", "operating-system"},
                          {"name", t.os.family},
                          {"version", t.os.version},
                          {"description", t.os.pretty_name}});
    depends.push_back("os");
  }
  std::set<std::string> refs;
  std::map<std::string, std::string> ref_of_purl;  // first component for each purl
  for (const Package& p : report.packages) {
    // The purl names the package; packages without one (or sharing one: the same package
    // in two databases) still need a unique, non-empty bom-ref.
    const std::string base =
        p.purl.empty() ? "bulkhead:package:" + p.type + "/" + p.name + "@" + p.version : p.purl;
    std::string ref = base;
    for (int n = 2; !refs.insert(ref).second; ++n) ref = base + "#" + std::to_string(n);
    if (!p.purl.empty()) ref_of_purl.emplace(p.purl, ref);
    Json c;
    c["bom-ref"] = ref;
    c["type"] = "library";
    c["name"] = p.name;
    c["version"] = p.version;
    if (!p.purl.empty()) c["purl"] = p.purl;
    Json props = Json::array();
    props.push_back(Property("bulkhead:package:type", p.type));
    if (!p.source_name.empty())
      props.push_back(Property("bulkhead:package:source_name", p.source_name));
    if (!p.source_version.empty()) {
      props.push_back(Property("bulkhead:package:source_version", p.source_version));
    }
    if (!p.arch.empty()) props.push_back(Property("bulkhead:package:arch", p.arch));
    if (!p.layer.empty()) props.push_back(Property("bulkhead:package:layer", p.layer));
    if (!p.db_path.empty()) props.push_back(Property("bulkhead:package:db_path", p.db_path));
    c["properties"] = props;
    components.push_back(c);
    depends.push_back(ref);
  }
  bom["components"] = components;
  bom["dependencies"] = Json::array({{{"ref", "image"}, {"dependsOn", depends}}});
  Json vulnerabilities = Vulnerabilities(report, ref_of_purl);
  if (!vulnerabilities.empty()) bom["vulnerabilities"] = vulnerabilities;
  out << bom.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace bulkhead::report
