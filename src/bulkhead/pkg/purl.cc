#include "bulkhead/pkg/purl.h"

#include <algorithm>

namespace bulkhead::pkg {

std::string PurlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    // The spec's allowed set (alphanumerics and ".-_~"), plus ':', which "MUST NOT be
    // percent-encoded, whether used as a Separator Character or otherwise".
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
    if (safe) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string BuildPurl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      std::vector<std::pair<std::string, std::string>> qualifiers) {
  std::string out = "pkg:";
  out += type;
  out += '/';
  // Namespace segments are separated by unencoded '/'; each segment is encoded.
  while (!ns.empty()) {
    size_t slash = ns.find('/');
    std::string_view segment = ns.substr(0, slash);
    if (!segment.empty()) {
      out += PurlEncode(segment);
      out += '/';
    }
    if (slash == std::string_view::npos) break;
    ns.remove_prefix(slash + 1);
  }
  out += PurlEncode(name);
  if (!version.empty()) {
    out += '@';
    out += PurlEncode(version);
  }
  std::erase_if(qualifiers, [](const auto& q) { return q.second.empty(); });
  std::sort(qualifiers.begin(), qualifiers.end());
  char sep = '?';
  for (const auto& [k, v] : qualifiers) {
    out += sep;
    out += k;
    out += '=';
    out += PurlEncode(v);
    sep = '&';
  }
  return out;
}

}  // namespace bulkhead::pkg
