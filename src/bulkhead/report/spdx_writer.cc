// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/).
#include <cctype>
#include <nlohmann/json.hpp>

#include "bulkhead/report/writer.h"

namespace bulkhead::report {
namespace {
using Json = nlohmann::ordered_json;

// SPDX wants "YYYY-MM-DDThh:mm:ssZ"; image configs carry RFC 3339 with fractions.
std::string SpdxTime(const std::string& created) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  if (created.size() < kShape.size()) return "1970-01-01T00:00:00Z";
  for (size_t i = 0; i < kShape.size(); ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(created[i]));
    if (kShape[i] == 'd' ? !digit : created[i] != kShape[i]) return "1970-01-01T00:00:00Z";
  }
  return created.substr(0, kShape.size()) + "Z";
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
    image["checksums"] =
        Json::array({{{"algorithm", "SHA256"}, {"checksumValue", t.digest.substr(7)}}});
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
                        {"primaryPackagePurpose", "OPERATING-SYSTEM"}});
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
    j["externalRefs"] = Json::array({{{"referenceCategory", "PACKAGE-MANAGER"},
                                      {"referenceType", "purl"},
                                      {"referenceLocator", p.purl}}});
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
