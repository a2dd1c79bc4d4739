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

void CheckUser(const CheckInput& in, std::vector<Finding>* out) {
  std::string_view user = in.config->user;
  std::string_view name = user.substr(0, user.find(':'));
  if (name.empty() || name == "root" || name == "0") {
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
    if (m.type == image::EntryType::kFile && (m.mode & 06000)) {
      std::string bits = (m.mode & 04000) && (m.mode & 02000) ? "setuid and setgid"
                         : (m.mode & 04000)                   ? "setuid"
                                                              : "setgid";
      out->push_back(FileFinding(kSetuidFile, bits + " file " + path, path, in.files, file.layer));
    }
    bool world_writable =
        (m.mode & 0002) && (m.type == image::EntryType::kFile ||
                            (m.type == image::EntryType::kDirectory && !(m.mode & 01000)));
    bool temporary = path == "/tmp" || path.rfind("/tmp/", 0) == 0 || path == "/var/tmp" ||
                     path.rfind("/var/tmp/", 0) == 0 || path.rfind("/dev/", 0) == 0;
    if (world_writable && !temporary) {
      out->push_back(FileFinding(
          kWorldWritable,
          "World-writable " +
              std::string(m.type == image::EntryType::kFile ? "file " : "directory ") + path,
          path, in.files, file.layer));
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
  }
  if (in.config) {
    for (const std::string& port : in.config->exposed_ports) {
      if (port == "22" || port == "22/tcp") why.push_back("port 22 is exposed");
    }
  }
  if (!why.empty()) {
    std::string title = "SSH server in the image: " + why[0];
    for (size_t i = 1; i < why.size(); ++i) title += "; " + why[i];
    out->push_back(MakeFinding(kSshServer, title));
  }
}

void CheckEnv(const CheckInput& in, std::vector<Finding>* out) {
  for (size_t i = 0; i < in.config->env.size(); ++i) {
    const std::string& entry = in.config->env[i];
    size_t eq = entry.find('=');
    std::string key = Upper(std::string_view(entry).substr(0, eq));
    std::string_view value = eq == std::string::npos ? "" : std::string_view(entry).substr(eq + 1);
    if (value.empty()) continue;
    bool shaped = EndsWith(key, "PASSWORD") || EndsWith(key, "PASSWD") || EndsWith(key, "_TOKEN") ||
                  EndsWith(key, "_KEY") || EndsWith(key, "SECRET") ||
                  EndsWith(key, "_SECRET_KEY") || key == "TOKEN";
    // Public material that official images set routinely (GPG_KEY fingerprints).
    bool public_material =
        key.find("GPG") != std::string::npos || key.find("PUBLIC") != std::string::npos;
    if (!shaped || public_material) continue;
    Finding f = MakeFinding(
        kSecretEnvKey, "ENV " + std::string(entry.substr(0, eq)) + " holds a secret-shaped value");
    f.path = "config:Env";
    out->push_back(std::move(f));
  }
}

void CheckHistory(const CheckInput& in, std::vector<Finding>* out) {
  bool remote_add = false;
  bool upgrade = false;
  for (const image::HistoryEntry& h : in.config->history) {
    std::string_view c = h.created_by;
    for (size_t pos = c.find("ADD "); pos != std::string_view::npos;
         pos = c.find("ADD ", pos + 4)) {
      std::string_view rest = c.substr(pos + 4);
      while (!rest.empty() && rest.front() == '-') {  // flags such as --chown=...
        size_t sp = rest.find(' ');
        rest = sp == std::string_view::npos ? "" : rest.substr(sp + 1);
      }
      if (rest.rfind("http://", 0) == 0 || rest.rfind("https://", 0) == 0) remote_add = true;
    }
    for (std::string_view verb :
         {"apt-get upgrade", "apt-get dist-upgrade", "apt upgrade", "apt full-upgrade",
          "apt-get -y upgrade", "apk upgrade", "dnf upgrade", "yum upgrade"}) {
      if (c.find(verb) != std::string_view::npos) upgrade = true;
    }
  }
  if (remote_add) {
    Finding f = MakeFinding(kRemoteAdd, "");
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

std::string TagOf(const CheckInput& in) {
  if (!in.requested_tag.empty()) return std::string(in.requested_tag);
  if (in.target.repo_tags.empty()) return "";
  std::string_view ref = in.target.repo_tags.front();
  size_t colon = ref.rfind(':');
  size_t slash = ref.rfind('/');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) {
    return std::string(ref);  // an OCI ref name is the tag itself
  }
  return std::string(ref.substr(colon + 1));
}

void CheckTag(const CheckInput& in, std::vector<Finding>* out) {
  std::string tag = TagOf(in);
  if (tag.rfind("sha256:", 0) == 0) return;  // pinned by digest
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
  if (in.target.repo_tags.empty() || in.target.repo_tags.front().find(':') == std::string::npos) {
    out->push_back(MakeFinding(kUntrustedRegistry,
                               "Image carries no registry name, so its origin cannot be "
                               "checked against --trusted-registries"));
    return;
  }
  std::string repo = NormalizeRepository(in.target.repo_tags.front());
  for (const std::string& trusted : options.trusted_registries) {
    std::string t = trusted;
    while (!t.empty() && t.back() == '/') t.pop_back();
    if (repo == t ||
        (repo.size() > t.size() && repo.compare(0, t.size(), t) == 0 && repo[t.size()] == '/')) {
      return;
    }
  }
  out->push_back(
      MakeFinding(kUntrustedRegistry, "Image " + repo + " is not from a trusted registry"));
}

void CheckAccounts(const CheckInput& in, std::vector<Finding>* out) {
  Result<std::string_view> shadow = in.files.ReadFinal("/etc/shadow");
  if (!shadow.ok()) return;
  std::optional<uint32_t> layer = in.files.FinalLayer("/etc/shadow");
  std::string_view text = *shadow;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? "" : text.substr(nl + 1);
    size_t c1 = line.find(':');
    if (c1 == std::string_view::npos || c1 == 0) continue;
    size_t c2 = line.find(':', c1 + 1);
    std::string_view password =
        line.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1);
    if (password.empty()) {
      out->push_back(FileFinding(
          kEmptyPassword, "Account '" + std::string(line.substr(0, c1)) + "' has an empty password",
          "/etc/shadow", in.files, layer.value_or(0)));
    }
  }
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
  std::string out(ref);
  size_t first = out.find('/');
  std::string_view head = first == std::string::npos ? "" : std::string_view(out).substr(0, first);
  bool has_registry = head.find('.') != std::string_view::npos ||
                      head.find(':') != std::string_view::npos || head == "localhost";
  if (!has_registry) {
    out = first == std::string::npos ? "docker.io/library/" + out : "docker.io/" + out;
  }
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
