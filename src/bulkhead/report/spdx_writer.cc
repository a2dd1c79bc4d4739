// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "bulkhead/core/sha256.h"
#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {
using Json = nlohmann::ordered_json;

// SPDX wants UTC "YYYY-MM-DDThh:mm:ssZ". Image configs carry RFC 3339, with fractions
// and sometimes an offset ("+02:00"), which is applied; the epoch when unreadable.
std::string SpdxTime(const std::string& created) {
  static constexpr std::string_view kEpoch = "1970-01-01T00:00:00Z";
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  auto digit = [&](size_t i) {
    return i < created.size() && std::isdigit(static_cast<unsigned char>(created[i]));
  };
  if (created.size() < kShape.size()) return std::string(kEpoch);
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? !digit(i) : created[i] != kShape[i]) return std::string(kEpoch);
  }
  auto number = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) v = v * 10 + (created[i] - '0');
    return v;
  };
  size_t i = kShape.size();
  if (i < created.size() && created[i] == '.') {
    for (++i; digit(i);) ++i;
  }
  int offset_minutes = 0;
  std::string_view zone = std::string_view(created).substr(i);
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digit(i + 1) && digit(i + 2) &&
      zone[3] == ':' && digit(i + 4) && digit(i + 5)) {
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (number(i + 1, 2) * 60 + number(i + 4, 2));
  }
  using namespace std::chrono;
  const year_month_day date{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                            day{static_cast<unsigned>(number(8, 2))}};
  const int hh = number(11, 2), mm = number(14, 2), ss = number(17, 2);
  if (!date.ok() || hh > 23 || mm > 59 || ss > 60) return std::string(kEpoch);
  const sys_seconds utc = sys_days{date} + hours{hh} + minutes{mm} + seconds{std::min(ss, 59)} -
                          minutes{offset_minutes};
  const sys_days utc_day = floor<days>(utc);
  const year_month_day d{utc_day};
  const hh_mm_ss<seconds> t{utc - utc_day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
                static_cast<int>(t.hours().count()), static_cast<int>(t.minutes().count()),
                static_cast<int>(t.seconds().count()));
  return buf;
}

std::string SpdxRef(size_t index) { return "SPDXRef-Package-" + std::to_string(index + 1); }

}  // namespace

void WriteSpdx(const Report& report, const WriteOptions& options, std::ostream& out) {
  const Target& t = report.target;
  std::string identity = t.digest.empty() ? t.config_digest + t.name : t.digest;
  std::string image_name = t.repo_tags.empty() ? t.name : t.repo_tags.front();
  Json doc;
  doc["spdxVersion"] = "SPDX-2.3";
  doc["dataLicense"] = "CC0-1.0";
  doc["SPDXID"] = "SPDXRef-DOCUMENT";
  doc["name"] = image_name;
  doc["documentNamespace"] = "https://spdx.org/spdxdocs/bulkhead-" + StableUuid("spdx:" + identity);
  doc["creationInfo"] = {{"created", SpdxTime(t.created)},
                         {"creators", Json::array({"Tool: bulkhead-" + options.tool_version})}};

  Json packages = Json::array();
  Json image;
  image["SPDXID"] = "SPDXRef-Image";
  image["name"] = image_name;
  if (!t.digest.empty()) {
    image["versionInfo"] = t.digest;
    if (IsSha256Digest(t.digest)) {
      image["checksums"] =
          Json::array({{{"algorithm", "SHA256"}, {"checksumValue", t.digest.substr(7)}}});
    }
  }
  image["downloadLocation"] = "NOASSERTION";
  image["filesAnalyzed"] = false;
  image["primaryPackagePurpose"] = t.kind == "rootfs" ? "FILE" : "CONTAINER";
  packages.push_back(image);

  Json relationships = Json::array();
  relationships.push_back({{"spdxElementId", "SPDXRef-DOCUMENT"},
                           {"relationshipType", "DESCRIBES"},
                           {"relatedSpdxElement", "SPDXRef-Image"}});
  if (!t.os.family.empty()) {
    packages.push_back({{"SPDXID", "SPDXRef-OperatingSystem"},
                        {"name", t.os.family},
                        {"versionInfo", t.os.version},
                        {"downloadLocation", "NOASSERTION"},
                        {"filesAnalyzed", false},
                        {"primaryPackagePurpose", "OPERATING_SYSTEM"}});
    relationships.push_back({{"spdxElementId", "SPDXRef-Image"},
                             {"relationshipType", "CONTAINS"},
                             {"relatedSpdxElement", "SPDXRef-OperatingSystem"}});
  }
  for (size_t i = 0; i < report.packages.size(); ++i) {
    const Package& p = report.packages[i];
    Json j;
    j["SPDXID"] = SpdxRef(i);
    j["name"] = p.name;
    j["versionInfo"] = p.version;
    j["downloadLocation"] = "NOASSERTION";
    j["filesAnalyzed"] = false;
    j["licenseConcluded"] = "NOASSERTION";
    j["licenseDeclared"] = "NOASSERTION";
    j["copyrightText"] = "NOASSERTION";
    if (!p.source_name.empty()) {
      j["sourceInfo"] =
          "built from " + p.type + " source package " + p.source_name + " " + p.source_version;
    }
    j["primaryPackagePurpose"] = "LIBRARY";
    if (!p.purl.empty()) {
      j["externalRefs"] = Json::array({{{"referenceCategory", "PACKAGE-MANAGER"},
                                        {"referenceType", "purl"},
                                        {"referenceLocator", p.purl}}});
    }
    packages.push_back(j);
    relationships.push_back({{"spdxElementId", "SPDXRef-Image"},
                             {"relationshipType", "CONTAINS"},
                             {"relatedSpdxElement", SpdxRef(i)}});
  }
  doc["packages"] = packages;
  doc["relationships"] = relationships;
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace bulkhead::report
