#include "bulkhead/pkg/os_release.h"

#include <array>
#include <cctype>

namespace bulkhead::pkg {
namespace {

constexpr std::array<std::string_view, 5> kReleaseFiles = {
    "/etc/os-release", "/usr/lib/os-release", "/etc/debian_version", "/etc/alpine-release",
    "/etc/redhat-release"};

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool LooksNumeric(std::string_view v) {
  return !v.empty() && std::isdigit(static_cast<unsigned char>(v[0]));
}

// "Rocky Linux release 9.3 (Blue Onyx)" -> {"rocky", "9.3"}.
OsInfo ParseRedhatRelease(std::string_view text) {
  OsInfo os;
  std::string line = Trim(text.substr(0, text.find('\n')));
  os.pretty_name = line;
  size_t rel = line.find(" release ");
  if (rel == std::string::npos) return os;
  std::string name = Lower(line.substr(0, rel));
  std::string version = line.substr(rel + 9);
  version = version.substr(0, version.find(' '));
  if (name.find("red hat") != std::string::npos)
    os.family = "rhel";
  else if (name.find("centos") != std::string::npos)
    os.family = "centos";
  else if (name.find("rocky") != std::string::npos)
    os.family = "rocky";
  else if (name.find("alma") != std::string::npos)
    os.family = "almalinux";
  else if (name.find("oracle") != std::string::npos)
    os.family = "ol";
  else if (name.find("fedora") != std::string::npos)
    os.family = "fedora";
  else
    os.family = name.substr(0, name.find(' '));
  os.version = version;
  return os;
}

// One os-release value, unquoted as systemd's env-file parser does (os-release(5)): '...'
// is literal; inside "...", a backslash escapes only $ ` " and \ (and is kept before
// anything else); outside quotes, a backslash escapes any character. Blanks after a
// closing quote are skipped, as is a "#" comment there; unquoted trailing blanks are
// dropped; an unterminated quote runs to the end of the line.
std::string UnquoteValue(std::string_view raw) {
  std::string value;
  size_t keep = 0;  // value.size() up to the last character that is not a trailing blank
  bool after_quote = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (after_quote && (c == ' ' || c == '\t')) continue;
    if (after_quote && c == '#') break;
    after_quote = false;
    if (c == '\'') {
      for (++i; i < raw.size() && raw[i] != '\''; ++i) value += raw[i];
      keep = value.size();
      after_quote = true;
    } else if (c == '"') {
      for (++i; i < raw.size() && raw[i] != '"'; ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
          char next = raw[i + 1];
          if (next == '$' || next == '`' || next == '"' || next == '\\') ++i;
        }
        value += raw[i];
      }
      keep = value.size();
      after_quote = true;
    } else if (c == '\\' && i + 1 < raw.size()) {
      value += raw[++i];
      keep = value.size();
    } else {
      value += c;
      if (c != ' ' && c != '\t') keep = value.size();
    }
  }
  value.resize(keep);
  return value;
}

}  // namespace

std::map<std::string, std::string> ParseOsRelease(std::string_view text) {
  std::map<std::string, std::string> out;
  ForEachLine(text, [&](std::string_view line) {
    std::string l = Trim(line);
    if (l.empty() || l[0] == '#') return;
    size_t eq = l.find('=');
    if (eq == std::string::npos || eq == 0) return;
    std::string key = Trim(std::string_view(l).substr(0, eq));
    out[key] = UnquoteValue(Trim(std::string_view(l).substr(eq + 1)));
  });
  return out;
}

bool OsReleaseAnalyzer::Required(std::string_view path, const FileMeta&) const noexcept {
  for (std::string_view f : kReleaseFiles) {
    if (path == f) return true;
  }
  return false;
}

OsInfo DetectOs(const FileSet& files) {
  OsInfo os;
  for (std::string_view path : {"/etc/os-release", "/usr/lib/os-release"}) {
    Result<std::string_view> text = files.ReadFinal(path);
    if (!text.ok()) continue;
    auto kv = ParseOsRelease(*text);
    os.family = Lower(kv["ID"]);
    os.version = kv["VERSION_ID"];
    os.pretty_name = kv["PRETTY_NAME"];
    break;
  }
  // The point release lives in distro-specific files.
  if (os.family.empty() || os.family == "debian") {
    Result<std::string_view> v = files.ReadFinal("/etc/debian_version");
    if (v.ok()) {
      std::string ver = Trim(*v);
      if (os.family.empty()) os.family = "debian";
      if (LooksNumeric(ver) || os.version.empty()) os.version = ver;
    }
  }
  if (os.family.empty() || os.family == "alpine") {
    Result<std::string_view> v = files.ReadFinal("/etc/alpine-release");
    if (v.ok()) {
      std::string ver = Trim(*v);
      if (os.family.empty()) os.family = "alpine";
      if (LooksNumeric(ver)) os.version = ver;
    }
  }
  if (os.family.empty()) {
    Result<std::string_view> v = files.ReadFinal("/etc/redhat-release");
    if (v.ok()) os = ParseRedhatRelease(*v);
  }
  return os;
}

std::string DistroQualifier(const OsInfo& os) {
  if (os.family.empty()) return "";
  std::string version = os.version;
  if (os.family == "debian") version = version.substr(0, version.find('.'));
  return version.empty() ? os.family : os.family + "-" + version;
}

}  // namespace bulkhead::pkg
