#include "bulkhead/config/image_checks.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "bulkhead/config/check_catalog.h"

namespace bulkhead::config {
namespace {

struct EolRow {
  std::string_view family;
  std::string_view version;
  std::string_view date;
};
constexpr EolRow kEol[] = {
#include "bulkhead/config/os_eol_data.inc"
};

Finding MakeFinding(std::string_view check_id, std::string title) {
  const CheckInfo* info = FindCheck(check_id);
  Finding f;
  f.id = std::string(check_id);
  f.kind = FindingKind::kMisconfiguration;
  f.severity = info->severity;
  f.title = title.empty() ? std::string(info->title) : std::move(title);
  f.description = std::string(info->rationale);
  f.remediation = std::string(info->remediation);
  f.controls.push_back(std::string(info->control));
  return f;
}

Finding FileFinding(std::string_view check_id, std::string title, const std::string& path,
                    const pkg::FileSet& files, uint32_t layer) {
  Finding f = MakeFinding(check_id, std::move(title));
  f.path = path;
  if (layer < files.layer_count()) f.layer = files.layer_digest(layer);
  return f;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && Upper(a) == Upper(b);
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return EqualsNoCase(s.substr(0, prefix.size()), prefix);
}

bool HasPackage(std::span<const Package> packages, std::initializer_list<std::string_view> names) {
  for (const Package& p : packages) {
    for (std::string_view n : names) {
      if (p.name == n) return true;
    }
  }
  return false;
}

bool HasFile(const pkg::FileSet& files, std::string_view path) {
  return files.overlay().Resolve(path).ok();
}

// Calls `fn(fields)` for each line of a colon-separated account file (/etc/passwd,
// /etc/shadow), skipping blank lines, comments and NIS "+"/"-" entries.
template <typename Fn>
void ForEachAccount(std::string_view text, Fn fn) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#' || line[0] == '+' || line[0] == '-') continue;
    std::vector<std::string_view> fields;
    for (size_t start = 0;;) {
      size_t colon = line.find(':', start);
      fields.push_back(line.substr(start, colon == std::string_view::npos ? colon : colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (fields.size() >= 2 && !fields[0].empty()) fn(fields);
  }
}

// The words of `text`, split at blanks.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

// The simple commands of a shell command line, each as its words. Commands end at
// ; & | newlines, parentheses, braces and backquotes; quotes and backslashes separate
// words and are dropped. Rough, but it finds "apt-get -y upgrade" in
// "apt-get update && apt-get -y upgrade" and not in "echo 'apt-get' upgrade".
std::vector<std::vector<std::string_view>> ShellCommands(std::string_view text) {
  std::vector<std::vector<std::string_view>> out(1);
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ';';
    bool ends_command = std::string_view(";&|\n(){}`").find(c) != std::string_view::npos;
    bool ends_word = ends_command || std::isspace(static_cast<unsigned char>(c)) || c == '"' ||
                     c == '\'' || c == '\\';
    if (!ends_word) continue;
    if (i > start) out.back().push_back(text.substr(start, i - start));
    start = i + 1;
    if (ends_command && !out.back().empty()) out.emplace_back();
  }
  out.pop_back();  // always empty: the loop ends with a command break
  return out;
}

void CheckUser(const CheckInput& in, std::vector<Finding>* out) {
  std::string_view user = in.config->user;
  std::string_view name = user.substr(0, user.find(':'));
  bool root = name.empty() || name == "root" || name == "0";
  if (!root) {
    // A named account is root when /etc/passwd gives it UID 0 ("toor", "admin", ...).
    Result<std::string_view> passwd = in.files.ReadFinal("/etc/passwd");
    if (passwd.ok()) {
      ForEachAccount(*passwd, [&](const std::vector<std::string_view>& fields) {
        if (fields[0] == name && fields.size() >= 3 && fields[2] == "0") root = true;
      });
    }
  }
  if (root) {
    out->push_back(MakeFinding(kRunsAsRoot, user.empty()
                                                ? "Image runs as root: no USER is set"
                                                : "Image runs as root: USER " + std::string(user)));
  }
}

void CheckHealthcheck(const CheckInput& in, std::vector<Finding>* out) {
  if (!in.config->has_healthcheck) out->push_back(MakeFinding(kNoHealthcheck, ""));
}

void CheckFileModes(const CheckInput& in, std::vector<Finding>* out) {
  for (const auto& [path, file] : in.files.overlay().files()) {
    const image::FileMeta& m = file.meta;
    // A hard link is another name for the same inode: its tar header carries the mode.
    bool regular = m.type == image::EntryType::kFile || m.type == image::EntryType::kHardlink;
    if (regular && (m.mode & 06000)) {
      std::string bits = (m.mode & 04000) && (m.mode & 02000) ? "setuid and setgid"
                         : (m.mode & 04000)                   ? "setuid"
                                                              : "setgid";
      out->push_back(FileFinding(kSetuidFile, bits + " file " + path, path, in.files, file.layer));
    }
    bool world_writable =
        (m.mode & 0002) &&
        (regular || (m.type == image::EntryType::kDirectory && !(m.mode & 01000)));
    bool temporary = path == "/tmp" || StartsWith(path, "/tmp/") || path == "/var/tmp" ||
                     StartsWith(path, "/var/tmp/") || StartsWith(path, "/dev/");
    if (world_writable && !temporary) {
      out->push_back(FileFinding(
          kWorldWritable,
          std::string(regular ? "World-writable file " : "World-writable directory ") + path, path,
          in.files, file.layer));
    }
  }
}

void CheckSudoAndSsh(const CheckInput& in, std::vector<Finding>* out) {
  if (HasPackage(in.packages, {"sudo"}) || HasFile(in.files, "/usr/bin/sudo")) {
    out->push_back(MakeFinding(kSudoInstalled, ""));
  }
  std::vector<std::string> why;
  if (HasPackage(in.packages, {"openssh-server", "dropbear", "dropbear-bin"})) {
    why.push_back("an SSH server package is installed");
  } else if (HasFile(in.files, "/usr/sbin/sshd")) {
    why.push_back("/usr/sbin/sshd is present");
  } else if (HasFile(in.files, "/usr/sbin/dropbear")) {
    why.push_back("/usr/sbin/dropbear is present");
  }
  if (in.config) {
    for (const std::string& port : in.config->exposed_ports) {
      if (port == "22" || port == "22/tcp") {
        why.push_back("port 22 is exposed");
        break;
      }
    }
  }
  if (!why.empty()) {
    std::string title = "SSH server in the image: " + why[0];
    for (size_t i = 1; i < why.size(); ++i) title += "; " + why[i];
    out->push_back(MakeFinding(kSshServer, title));
  }
}

// Whether an ENV key names a secret: DB_PASSWORD, API_TOKEN, AWS_SECRET_ACCESS_KEY, ...
// but not public material that official images set routinely (GPG_KEY fingerprints).
bool SecretShapedKey(std::string_view raw_key) {
  std::string key = Upper(raw_key);
  for (std::string_view marker : {"GPG", "PGP", "PUBLIC"}) {
    if (key.find(marker) != std::string::npos) return false;
  }
  if (key == "TOKEN") return true;
  for (std::string_view suffix :
       {"PASSWORD", "PASSWD", "_PASS", "SECRET", "_TOKEN", "_KEY", "APIKEY"}) {
    if (EndsWith(key, suffix)) return true;
  }
  return false;
}

void CheckEnv(const CheckInput& in, std::vector<Finding>* out) {
  for (const std::string& entry : in.config->env) {
    size_t eq = entry.find('=');
    std::string_view key = std::string_view(entry).substr(0, eq);
    std::string_view value = eq == std::string::npos ? "" : std::string_view(entry).substr(eq + 1);
    if (value.empty() || !SecretShapedKey(key)) continue;
    Finding f =
        MakeFinding(kSecretEnvKey, "ENV " + std::string(key) + " holds a secret-shaped value");
    f.path = "config:Env";
    out->push_back(std::move(f));
  }
}

// The first remote source of an ADD history entry, or "" when it has none. BuildKit
// records "ADD [--flags] src... dest # buildkit"; the classic builder
// "/bin/sh -c #(nop) ADD [--flags] src in dest". A source fetched with --checksum is
// verified by the builder and does not count.
std::string RemoteAddSource(std::string_view created_by) {
  std::vector<std::string_view> words = Words(created_by);
  size_t i = 0;
  auto nop = std::find(words.begin(), words.end(), "#(nop)");
  if (nop != words.end()) i = static_cast<size_t>(nop - words.begin()) + 1;
  if (i >= words.size() || !EqualsNoCase(words[i], "ADD")) return "";
  for (++i; i < words.size() && StartsWith(words[i], "--"); ++i) {
    if (StartsWith(words[i], "--checksum=")) return "";
  }
  for (; i < words.size(); ++i) {
    std::string_view w = words[i];
    while (!w.empty() && (w.front() == '[' || w.front() == '"')) w.remove_prefix(1);
    while (!w.empty() && (w.back() == ']' || w.back() == '"' || w.back() == ',')) {
      w.remove_suffix(1);
    }
    for (std::string_view scheme : {"http://", "https://", "git://", "git@"}) {
      if (StartsWithNoCase(w, scheme)) return std::string(w);
    }
  }
  return "";
}

// Package managers and their subcommands, for UpgradesPackages().
constexpr std::string_view kAptVerbs[] = {
    "update",     "upgrade",   "install",      "reinstall",    "remove",          "purge",
    "autoremove", "autopurge", "dist-upgrade", "full-upgrade", "dselect-upgrade", "build-dep",
    "satisfy",    "clean",     "autoclean",    "check",        "source",          "download",
    "changelog",  "list",      "search",       "show",         "policy"};
constexpr std::string_view kAptUpgrades[] = {"upgrade", "dist-upgrade", "full-upgrade",
                                             "dselect-upgrade"};
constexpr std::string_view kApkVerbs[] = {"add",   "del",    "fix",    "update", "upgrade",
                                          "cache", "info",   "list",   "search", "fetch",
                                          "audit", "verify", "policy", "stats",  "index"};
constexpr std::string_view kApkUpgrades[] = {"upgrade"};
constexpr std::string_view kRpmVerbs[] = {
    "install",        "update",          "upgrade",      "remove",        "erase",  "reinstall",
    "downgrade",      "distro-sync",     "check-update", "makecache",     "clean",  "list",
    "info",           "search",          "provides",     "groupinstall",  "module", "autoremove",
    "update-minimal", "upgrade-minimal", "repolist",     "config-manager"};
constexpr std::string_view kRpmUpgrades[] = {"update", "upgrade", "distro-sync", "update-minimal",
                                             "upgrade-minimal"};
struct PackageTool {
  std::string_view name;
  std::span<const std::string_view> verbs;     // its subcommands
  std::span<const std::string_view> upgrades;  // those of them that upgrade packages
};
constexpr PackageTool kPackageTools[] = {
    {"apt-get", kAptVerbs, kAptUpgrades}, {"apt", kAptVerbs, kAptUpgrades},
    {"apk", kApkVerbs, kApkUpgrades},     {"yum", kRpmVerbs, kRpmUpgrades},
    {"dnf", kRpmVerbs, kRpmUpgrades},     {"microdnf", kRpmVerbs, kRpmUpgrades},
    {"tdnf", kRpmVerbs, kRpmUpgrades}};

bool Contains(std::span<const std::string_view> list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Whether a RUN history entry upgrades packages: a package manager whose subcommand (the
// first word after it that is one) upgrades: "apt-get -o X=y -y upgrade",
// "apk --no-cache upgrade", "yum -y update". Index refreshes (apt-get update, apk update)
// do not count.
bool UpgradesPackages(std::string_view created_by) {
  for (const std::vector<std::string_view>& cmd : ShellCommands(created_by)) {
    for (size_t i = 0; i < cmd.size(); ++i) {
      std::string_view name = cmd[i].substr(cmd[i].rfind('/') + 1);  // "/usr/bin/apt-get"
      const PackageTool* tool = nullptr;
      for (const PackageTool& t : kPackageTools) {
        if (t.name == name) tool = &t;
      }
      if (!tool) continue;
      for (size_t j = i + 1; j < cmd.size(); ++j) {
        if (Contains(tool->verbs, cmd[j])) {
          if (Contains(tool->upgrades, cmd[j])) return true;
          break;
        }
      }
    }
  }
  return false;
}

// Whether a history entry ran a command (RUN), as opposed to recording metadata.
bool IsRunEntry(std::string_view created_by) {
  if (created_by.find("#(nop)") != std::string_view::npos) return false;  // classic metadata
  std::vector<std::string_view> words = Words(created_by.substr(0, 32));
  if (words.empty()) return false;
  for (std::string_view instr :
       {"ADD", "COPY", "ENV", "LABEL", "ARG", "CMD", "ENTRYPOINT", "EXPOSE", "USER", "WORKDIR",
        "VOLUME", "STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD", "MAINTAINER"}) {
    if (words[0] == instr) return false;
  }
  return true;
}

void CheckHistory(const CheckInput& in, std::vector<Finding>* out) {
  std::string remote;
  bool upgrade = false;
  for (const image::HistoryEntry& h : in.config->history) {
    if (remote.empty()) remote = RemoteAddSource(h.created_by);
    if (!upgrade && IsRunEntry(h.created_by)) upgrade = UpgradesPackages(h.created_by);
  }
  if (!remote.empty()) {
    Finding f = MakeFinding(kRemoteAdd, "ADD from a remote URL: " + remote);
    f.path = "config:history";
    out->push_back(std::move(f));
  }
  if (upgrade) {
    Finding f = MakeFinding(kUpgradeInBuild, "");
    f.path = "config:history";
    out->push_back(std::move(f));
  }
}

void CheckPackageCaches(const CheckInput& in, std::vector<Finding>* out) {
  struct Cache {
    std::string_view dir;
    std::string_view tool;
  };
  constexpr Cache kCaches[] = {{"/var/lib/apt/lists/", "apt"},
                               {"/var/cache/apt/", "apt"},
                               {"/var/cache/apk/", "apk"},
                               {"/var/cache/yum/", "yum"},
                               {"/var/cache/dnf/", "dnf"}};
  const auto& files = in.files.overlay().files();
  for (const Cache& cache : kCaches) {
    size_t count = 0;
    uint32_t layer = 0;
    for (auto it = files.lower_bound(cache.dir);
         it != files.end() && it->first.compare(0, cache.dir.size(), cache.dir) == 0; ++it) {
      std::string_view base = std::string_view(it->first).substr(it->first.rfind('/') + 1);
      if (it->second.meta.type != image::EntryType::kFile || base == "lock" ||
          it->second.meta.size == 0) {
        continue;
      }
      ++count;
      layer = std::max(layer, it->second.layer);
    }
    if (count > 0) {
      std::string dir(cache.dir.substr(0, cache.dir.size() - 1));
      out->push_back(FileFinding(kPackageCache,
                                 std::string(cache.tool) + " cache left in " + dir + " (" +
                                     std::to_string(count) + " files)",
                                 dir, in.files, layer));
    }
  }
}

// An image reference ("alpine:3.19", "ghcr.io/a/b", "a/b@sha256:...") rather than a bare
// tag, as an OCI layout's ref name often is ("3.19", "latest"). Tags cannot hold '/',
// ':' or '@'.
bool IsReference(std::string_view ref) {
  return !StartsWith(ref, "sha256:") && ref.find_first_of("/:@") != std::string_view::npos;
}

// The tag of a reference or bare tag: "3.19" for "alpine:3.19" and for "3.19",
// "sha256:..." when pinned by digest, "" when a reference has no tag.
std::string_view TagOfRef(std::string_view ref) {
  if (StartsWith(ref, "sha256:")) return ref;
  if (!IsReference(ref)) return ref;
  size_t at = ref.find('@');
  if (at != std::string_view::npos) return ref.substr(at + 1);
  size_t colon = ref.rfind(':');
  size_t slash = ref.rfind('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) {
    return "";
  }
  return ref.substr(colon + 1);
}

void CheckTag(const CheckInput& in, std::vector<Finding>* out) {
  std::string_view ref = in.requested_tag;
  if (ref.empty() && !in.target.repo_tags.empty()) ref = in.target.repo_tags.front();
  std::string_view tag = TagOfRef(ref);
  if (StartsWith(tag, "sha256:")) return;  // pinned by digest
  if (tag.empty()) {
    out->push_back(MakeFinding(kUnpinnedTag, "Image has no tag and is not referenced by digest"));
  } else if (tag == "latest") {
    out->push_back(MakeFinding(kUnpinnedTag, "Image is referenced by the tag 'latest'"));
  }
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

void CheckEol(const CheckInput& in, const CheckOptions& options, std::vector<Finding>* out) {
  std::string_view eol = EndOfLife(in.target.os);
  if (eol.empty()) return;
  std::string today = options.today.empty() ? Today() : options.today;
  if (today > eol) {
    out->push_back(MakeFinding(kEndOfLifeOs, in.target.os.family + " " + in.target.os.version +
                                                 " reached its end of life on " +
                                                 std::string(eol)));
  }
}

void CheckRegistry(const CheckInput& in, const CheckOptions& options, std::vector<Finding>* out) {
  if (options.trusted_registries.empty()) return;
  // The reference the user named, else the first name the image carries.
  std::string_view ref = IsReference(in.requested_tag) ? in.requested_tag : "";
  if (ref.empty() && !in.target.repo_tags.empty()) ref = in.target.repo_tags.front();
  if (!IsReference(ref)) {
    out->push_back(MakeFinding(kUntrustedRegistry,
                               "Image carries no registry name, so its origin cannot be "
                               "checked against --trusted-registries"));
    return;
  }
  std::string repo = NormalizeRepository(ref);
  for (const std::string& trusted : options.trusted_registries) {
    std::string t = trusted;
    while (!t.empty() && t.back() == '/') t.pop_back();
    if (t.empty()) continue;
    if (repo == t ||
        (repo.size() > t.size() && repo.compare(0, t.size(), t) == 0 && repo[t.size()] == '/')) {
      return;
    }
  }
  out->push_back(
      MakeFinding(kUntrustedRegistry, "Image " + repo + " is not from a trusted registry"));
}

void CheckAccountFile(const CheckInput& in, std::string_view path, std::vector<Finding>* out) {
  Result<std::string_view> text = in.files.ReadFinal(path);
  if (!text.ok()) return;
  std::optional<uint32_t> layer = in.files.FinalLayer(path);
  ForEachAccount(*text, [&](const std::vector<std::string_view>& fields) {
    if (!fields[1].empty()) return;
    out->push_back(FileFinding(kEmptyPassword,
                               "Account '" + std::string(fields[0]) + "' has an empty password",
                               std::string(path), in.files, layer.value_or(0)));
  });
}

void CheckAccounts(const CheckInput& in, std::vector<Finding>* out) {
  CheckAccountFile(in, "/etc/shadow", out);
  // An empty field in /etc/passwd (rather than "x") is the password itself: none.
  CheckAccountFile(in, "/etc/passwd", out);
}

}  // namespace

bool AccountFilesAnalyzer::Required(std::string_view path, const pkg::FileMeta&) const noexcept {
  return path == "/etc/shadow" || path == "/etc/passwd";
}

std::string NormalizeRepository(std::string_view ref) {
  size_t at = ref.find('@');
  if (at != std::string_view::npos) ref = ref.substr(0, at);
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref = ref.substr(0, colon);
  }
  size_t first = ref.find('/');
  std::string_view head = first == std::string_view::npos ? "" : ref.substr(0, first);
  bool has_registry = head.find('.') != std::string_view::npos ||
                      head.find(':') != std::string_view::npos || head == "localhost";
  std::string_view registry = has_registry ? head : "docker.io";
  std::string_view path = has_registry ? ref.substr(first + 1) : ref;
  // Docker Hub has several names, and puts official images under library/.
  if (registry == "index.docker.io" || registry == "registry-1.docker.io") registry = "docker.io";
  std::string out(registry);
  out += '/';
  if (registry == "docker.io" && path.find('/') == std::string_view::npos) out += "library/";
  out += path;
  return out;
}

std::string_view EndOfLife(const OsInfo& os) {
  if (os.family.empty() || os.version.empty()) return "";
  std::string_view v = os.version;
  size_t dot1 = v.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : v.find('.', dot1 + 1);
  std::string_view candidates[] = {v, v.substr(0, dot2), v.substr(0, dot1)};
  for (std::string_view c : candidates) {
    for (const EolRow& row : kEol) {
      if (row.family == os.family && row.version == c) return row.date;
    }
  }
  return "";
}

std::vector<Finding> RunImageChecks(const CheckInput& in, const CheckOptions& options) {
  std::vector<Finding> out;
  if (in.config) {
    CheckUser(in, &out);
    CheckHealthcheck(in, &out);
    CheckEnv(in, &out);
    CheckHistory(in, &out);
    CheckTag(in, &out);
  }
  CheckFileModes(in, &out);
  CheckSudoAndSsh(in, &out);
  CheckPackageCaches(in, &out);
  CheckEol(in, options, &out);
  CheckAccounts(in, &out);
  if (in.config) CheckRegistry(in, options, &out);
  return out;
}

}  // namespace bulkhead::config
