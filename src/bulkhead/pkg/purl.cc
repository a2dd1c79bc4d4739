#include "bulkhead/pkg/purl.h"

#include <algorithm>

namespace bulkhead::pkg {

std::string PurlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_' || c == '~';
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
  if (!ns.empty()) {
    out += PurlEncode(ns);
    out += '/';
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
