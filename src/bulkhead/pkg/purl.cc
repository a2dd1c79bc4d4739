#include "bulkhead/pkg/purl.h"

#include <algorithm>
#include <cctype>

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

namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
// Splits at the last `sep`: {"", s} when there is none.
std::pair<std::string_view, std::string_view> SplitLast(std::string_view s, char sep) {
  size_t at = s.rfind(sep);
  if (at == std::string_view::npos) return {std::string_view(), s};
  return {s.substr(0, at), s.substr(at + 1)};
}
}  // namespace

std::string NormalizePypiName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_run = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_run) out += '-';
      in_run = true;
      continue;
    }
    in_run = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string LanguagePurl(std::string_view type, std::string_view name, std::string_view version) {
  if (type == "npm") {
    std::string lower = Lower(name);
    auto [ns, base] = SplitLast(lower, '/');
    return BuildPurl(type, ns, base, version, {});
  }
  if (type == "pypi") return BuildPurl(type, "", NormalizePypiName(name), version, {});
  if (type == "maven") {
    auto [ns, base] = SplitLast(name, ':');
    return BuildPurl(type, ns, base, version, {});
  }
  if (type == "golang") {
    auto [ns, base] = SplitLast(name, '/');
    return BuildPurl(type, ns, base, version, {});
  }
  if (type == "composer") {
    std::string lower = Lower(name);
    auto [ns, base] = SplitLast(lower, '/');
    return BuildPurl(type, ns, base, version, {});
  }
  return BuildPurl(type, "", name, version, {});
}

}  // namespace bulkhead::pkg
