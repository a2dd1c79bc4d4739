#include "bulkhead/k8s/internal/pod_checks.h"

#include <algorithm>
#include <array>

#include "bulkhead/k8s/check_catalog.h"
#include "bulkhead/k8s/internal/findings.h"
#include "bulkhead/secret/file_scanner.h"

namespace bulkhead::k8s::internal {
namespace {

constexpr std::array<std::string_view, 13> kBaselineCaps = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};
constexpr std::array<std::string_view, 10> kSafeSysctls = {"kernel.shm_rmid_forced",
                                                           "net.ipv4.ip_local_port_range",
                                                           "net.ipv4.ip_unprivileged_port_start",
                                                           "net.ipv4.tcp_syncookies",
                                                           "net.ipv4.ping_group_range",
                                                           "net.ipv4.ip_local_reserved_ports",
                                                           "net.ipv4.tcp_keepalive_time",
                                                           "net.ipv4.tcp_fin_timeout",
                                                           "net.ipv4.tcp_keepalive_intvl",
                                                           "net.ipv4.tcp_keepalive_probes"};
constexpr std::array<std::string_view, 8> kRestrictedVolumes = {
    "configMap", "csi",   "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
    "projected", "secret"};
constexpr std::array<std::string_view, 5> kSelinuxTypes = {"", "container_t", "container_init_t",
                                                           "container_kvm_t", "container_engine_t"};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

struct Ctx {
  const Workload& w;
  const PodCheckContext& pc;
  std::vector<Finding>* out;
  const Node& spec;
  const Node& pod_sc;
  std::string pod_sc_path;

  void Add(std::string_view id, std::string title, const Container* c, std::string field,
           uint32_t line) {
    out->push_back(
        MakeFinding(id, *w.object, std::move(title), c ? c->name : "", std::move(field), line));
  }
};

std::string Who(const Container& c) { return "container " + c.name; }

// The container's security-context value of `key`, else the pod's (for the fields that
// the pod context provides defaults for). Sets *field to where it came from.
const Node& Effective(const Ctx& x, const Container& c, std::string_view key, std::string* field) {
  const Node& own = (*c.node)["securityContext"][key];
  if (!own.IsNull()) {
    *field = c.field + ".securityContext." + std::string(key);
    return own;
  }
  *field = x.pod_sc_path + "." + std::string(key);
  return x.pod_sc[key];
}

void CheckPodLevel(Ctx& x) {
  for (std::string_view ns : {"hostNetwork", "hostPID", "hostIPC"}) {
    const Node& v = x.spec[ns];
    if (v.IsTrue()) {
      x.Add(kHostNamespaces, "Pod shares the host namespace: " + std::string(ns) + ": true",
            nullptr, x.w.spec_path + "." + std::string(ns), v.line());
    }
  }
  const Node& hp = x.pod_sc["windowsOptions"]["hostProcess"];
  if (hp.IsTrue()) {
    x.Add(kHostProcess, "Pod runs as a Windows HostProcess", nullptr,
          x.pod_sc_path + ".windowsOptions.hostProcess", hp.line());
  }
  const Node& user = x.pod_sc["runAsUser"];
  if (user.Int() == 0) {
    x.Add(kRunAsUserRoot, "Pod sets runAsUser: 0", nullptr, x.pod_sc_path + ".runAsUser",
          user.line());
  }
  const Node& sysctls = x.pod_sc["sysctls"];
  for (size_t i = 0; i < sysctls.size(); ++i) {
    std::string_view name = sysctls[i]["name"].Str();
    if (!In(kSafeSysctls, name)) {
      x.Add(kSysctls, "Unsafe sysctl " + std::string(name), nullptr,
            Indexed(x.pod_sc_path + ".sysctls", i) + ".name", sysctls[i].line());
    }
  }
  // SELinux, seccomp and AppArmor set on the pod.
  const Node& se = x.pod_sc["seLinuxOptions"];
  if (se.IsMap()) {
    if (!In(kSelinuxTypes, se["type"].Str()) || !se["user"].Str().empty() ||
        !se["role"].Str().empty()) {
      x.Add(kSelinux, "Pod SELinux options set a custom type, user or role", nullptr,
            x.pod_sc_path + ".seLinuxOptions", se.line());
    }
  }
  const Node& seccomp = x.pod_sc["seccompProfile"]["type"];
  if (seccomp.Str() == "Unconfined") {
    x.Add(kSeccompBaseline, "Pod seccomp profile is Unconfined", nullptr,
          x.pod_sc_path + ".seccompProfile.type", seccomp.line());
  }
  const Node& aa = x.pod_sc["appArmorProfile"]["type"];
  if (!aa.IsNull() && aa.Str() != "RuntimeDefault" && aa.Str() != "Localhost") {
    x.Add(kAppArmor, "Pod AppArmor profile is " + std::string(aa.Str()), nullptr,
          x.pod_sc_path + ".appArmorProfile.type", aa.line());
  }
}

// AppArmor profiles set by the (pre-1.30) per-container annotations.
void CheckAppArmorAnnotations(Ctx& x) {
  const Node& ann = (*x.w.pod_meta)["annotations"];
  constexpr std::string_view kAaPrefix = "container.apparmor.security.beta.kubernetes.io/";
  for (size_t i = 0; i < ann.keys().size(); ++i) {
    const std::string& key = ann.keys()[i];
    if (!key.starts_with(kAaPrefix)) continue;
    std::string_view v = ann.items()[i].Str();
    if (v.empty() || v == "runtime/default" || v.starts_with("localhost/")) continue;
    x.out->push_back(MakeFinding(kAppArmor, *x.w.object,
                                 "AppArmor annotation sets profile " + std::string(v),
                                 key.substr(kAaPrefix.size()),
                                 x.w.meta_path + ".annotations." + key, ann.items()[i].line()));
  }
}

// Volume types, hostPath volumes and runtime sockets.
void CheckVolumes(Ctx& x) {
  const Node& volumes = x.spec["volumes"];
  for (size_t i = 0; i < volumes.size(); ++i) {
    const Node& v = volumes[i];
    std::string vpath = Indexed(x.w.spec_path + ".volumes", i);
    for (size_t k = 0; k < v.keys().size(); ++k) {
      const std::string& type = v.keys()[k];
      if (type == "name") continue;
      if (!In(kRestrictedVolumes, type)) {
        x.Add(kVolumeTypes, "Volume " + std::string(v["name"].Str()) + " is of type " + type,
              nullptr, vpath + "." + type, v.items()[k].line());
      }
    }
    const Node& host = v["hostPath"];
    if (host.IsNull()) continue;
    std::string path(host["path"].Str());
    x.Add(kHostPathVolumes, "hostPath volume " + std::string(v["name"].Str()) + " mounts " + path,
          nullptr, vpath + ".hostPath.path", host.line());
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    static constexpr std::string_view kSocketDirs[] = {"/var/run",
                                                       "/run",
                                                       "/var/run/docker",
                                                       "/run/docker",
                                                       "/var/run/containerd",
                                                       "/run/containerd",
                                                       "/var/run/crio",
                                                       "/run/crio",
                                                       "/var/lib/docker"};
    bool socket = path.ends_with("docker.sock") || path.ends_with("containerd.sock") ||
                  path.ends_with("crio.sock") || path.ends_with("cri-dockerd.sock") ||
                  path.ends_with("podman.sock");
    for (std::string_view d : kSocketDirs) socket = socket || path == d;
    if (socket) {
      // Name the containers that mount it.
      std::string who;
      for (const Container& c : x.w.containers) {
        for (const Node& m : (*c.node)["volumeMounts"].items()) {
          if (m["name"].Str() == v["name"].Str()) who += (who.empty() ? "" : ",") + c.name;
        }
      }
      x.out->push_back(MakeFinding(kRuntimeSocket, *x.w.object,
                                   "Container runtime socket mounted from the host: " + path, who,
                                   vpath + ".hostPath.path", host.line()));
    }
  }
}

void CheckCaps(Ctx& x, const Container& c, const Node& sc) {
  const Node& caps = sc["capabilities"];
  std::string cpath = c.field + ".securityContext.capabilities";
  std::string added_bad, added_restricted;
  for (const Node& cap : caps["add"].items()) {
    if (!In(kBaselineCaps, cap.Str()))
      added_bad += (added_bad.empty() ? "" : ", ") + std::string(cap.Str());
    if (cap.Str() != "NET_BIND_SERVICE") {
      added_restricted += (added_restricted.empty() ? "" : ", ") + std::string(cap.Str());
    }
  }
  if (!added_bad.empty()) {
    x.Add(kCapabilitiesBaseline, Who(c) + " adds capabilities " + added_bad, &c, cpath + ".add",
          caps["add"].line());
  }
  bool drops_all = false;
  for (const Node& cap : caps["drop"].items()) drops_all = drops_all || cap.Str() == "ALL";
  if (!drops_all || !added_restricted.empty()) {
    std::string why = !drops_all
                          ? " does not drop ALL capabilities"
                          : " adds capabilities other than NET_BIND_SERVICE: " + added_restricted;
    x.Add(kCapabilitiesRestricted, Who(c) + why, &c, cpath + (drops_all ? ".add" : ".drop"),
          caps.line() ? caps.line() : c.node->line());
  }
}

void CheckContainerRestricted(Ctx& x, const Container& c, bool linux_restricted);

// The baseline profile's per-container controls (and the restricted capabilities).
void CheckContainer(Ctx& x, const Container& c, bool linux_restricted) {
  const Node& sc = (*c.node)["securityContext"];
  const std::string scp = c.field + ".securityContext";
  if (sc["privileged"].IsTrue()) {
    x.Add(kPrivileged, Who(c) + " is privileged", &c, scp + ".privileged", sc["privileged"].line());
  }
  if (sc["windowsOptions"]["hostProcess"].IsTrue()) {
    x.Add(kHostProcess, Who(c) + " runs as a Windows HostProcess", &c,
          scp + ".windowsOptions.hostProcess", sc["windowsOptions"].line());
  }
  const Node& proc = sc["procMount"];
  if (!proc.IsNull() && proc.Str() != "Default") {
    x.Add(kProcMount, Who(c) + " sets procMount: " + std::string(proc.Str()), &c,
          scp + ".procMount", proc.line());
  }
  const Node& se = sc["seLinuxOptions"];
  if (se.IsMap() && (!In(kSelinuxTypes, se["type"].Str()) || !se["user"].Str().empty() ||
                     !se["role"].Str().empty())) {
    x.Add(kSelinux, Who(c) + " SELinux options set a custom type, user or role", &c,
          scp + ".seLinuxOptions", se.line());
  }
  if (sc["seccompProfile"]["type"].Str() == "Unconfined") {
    x.Add(kSeccompBaseline, Who(c) + " seccomp profile is Unconfined", &c,
          scp + ".seccompProfile.type", sc["seccompProfile"].line());
  }
  const Node& aa = sc["appArmorProfile"]["type"];
  if (!aa.IsNull() && aa.Str() != "RuntimeDefault" && aa.Str() != "Localhost") {
    x.Add(kAppArmor, Who(c) + " AppArmor profile is " + std::string(aa.Str()), &c,
          scp + ".appArmorProfile.type", aa.line());
  }
  const Node& ports = (*c.node)["ports"];
  for (size_t i = 0; i < ports.size(); ++i) {
    const Node& hp = ports[i]["hostPort"];
    if (hp.Int().value_or(0) != 0) {
      x.Add(kHostPorts, Who(c) + " binds host port " + std::string(hp.Str()), &c,
            Indexed(c.field + ".ports", i) + ".hostPort", hp.line());
    }
  }
  if (linux_restricted) CheckCaps(x, c, sc);
  CheckContainerRestricted(x, c, linux_restricted);
}

// The restricted profile's per-container controls, and the root filesystem and limits.
void CheckContainerRestricted(Ctx& x, const Container& c, bool linux_restricted) {
  const Node& sc = (*c.node)["securityContext"];
  const std::string scp = c.field + ".securityContext";
  const bool ephemeral = c.field.find("ephemeralContainers") != std::string::npos;
  std::string field;
  // Restricted: Linux-only controls are skipped for Windows pods (spec.os.name).
  if (linux_restricted) {
    const Node& ape = sc["allowPrivilegeEscalation"];
    if (ape.Bool() != false) {
      x.Add(kPrivilegeEscalation, Who(c) + " does not set allowPrivilegeEscalation: false", &c,
            scp + ".allowPrivilegeEscalation", ape.line() ? ape.line() : c.node->line());
    }
    const Node& seccomp = Effective(x, c, "seccompProfile", &field);
    std::string_view type = seccomp["type"].Str();
    if (type != "RuntimeDefault" && type != "Localhost" && type != "Unconfined") {
      x.Add(kSeccompRestricted, Who(c) + " has no RuntimeDefault or Localhost seccomp profile", &c,
            field + ".type", seccomp.line() ? seccomp.line() : c.node->line());
    } else if (type == "Unconfined") {
      x.Add(kSeccompRestricted, Who(c) + " seccomp profile is Unconfined", &c, field + ".type",
            seccomp.line());
    }
  }
  const Node& non_root = Effective(x, c, "runAsNonRoot", &field);
  if (!non_root.IsTrue()) {
    x.Add(kRunAsNonRoot, Who(c) + " is not required to run as non-root", &c, field,
          non_root.line() ? non_root.line() : c.node->line());
  }
  const Node& own_user = sc["runAsUser"];
  if (own_user.Int() == 0) {
    x.Add(kRunAsUserRoot, Who(c) + " sets runAsUser: 0", &c, scp + ".runAsUser", own_user.line());
  }
  if (!ephemeral) {
    const Node& ro = sc["readOnlyRootFilesystem"];
    if (!ro.IsTrue()) {
      x.Add(kWritableRootFs, Who(c) + " has a writable root filesystem", &c,
            scp + ".readOnlyRootFilesystem", ro.line() ? ro.line() : c.node->line());
    }
    const Node& limits = (*c.node)["resources"]["limits"];
    std::string missing;
    if (limits["cpu"].IsNull()) missing = "cpu";
    if (limits["memory"].IsNull()) missing += missing.empty() ? "memory" : " and memory";
    if (!missing.empty()) {
      x.Add(kNoResourceLimits, Who(c) + " has no " + missing + " limit", &c,
            c.field + ".resources.limits", limits.line() ? limits.line() : c.node->line());
    }
  }
}

bool SecretShapedKey(std::string_view raw) {
  std::string key(raw);
  for (char& ch : key) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
  for (std::string_view marker : {"GPG", "PGP", "PUBLIC"}) {
    if (key.find(marker) != std::string::npos) return false;
  }
  if (key == "TOKEN" || key == "PASSWORD" || key == "SECRET") return true;
  for (std::string_view suffix :
       {"PASSWORD", "PASSWD", "_PASS", "SECRET", "_TOKEN", "_KEY", "APIKEY", "_KEY_CONTENT"}) {
    if (key.ends_with(suffix)) return true;
  }
  return false;
}

Finding SecretFinding(std::string_view id, const Object& o, secret::SecretMatch& m,
                      std::string what, std::string container, std::string field, uint32_t line) {
  Finding f =
      MakeFinding(id, o, what + ": " + m.title, std::move(container), std::move(field), line);
  f.kind = FindingKind::kSecret;
  f.severity = m.severity;
  f.match = std::move(m.masked_line);
  f.secret = std::move(m.masked_secret);
  return f;
}

Status CheckEnv(Ctx& x, const Container& c) {
  const Node& env = (*c.node)["env"];
  for (size_t i = 0; i < env.size(); ++i) {
    const Node& e = env[i];
    const Node& value = e["value"];
    if (!value.IsScalar() || value.Str().empty()) continue;
    std::string name(e["name"].Str());
    std::string field = Indexed(c.field + ".env", i) + ".value";
    bool engine_hit = false;
    if (x.pc.scratch) {
      std::vector<secret::SecretMatch> matches;
      std::string text = name + "=" + std::string(value.Str());
      BULKHEAD_RETURN_IF_ERROR(
          secret::ScanText(x.pc.scratch, text, x.w.id + ":" + field, &matches));
      for (secret::SecretMatch& m : matches) {
        engine_hit = true;
        x.out->push_back(SecretFinding(kSecretInEnv, *x.w.object, m,
                                       Who(c) + " env " + name + " holds a secret", c.name, field,
                                       value.line()));
      }
    }
    if (!engine_hit && SecretShapedKey(name)) {
      x.Add(kSecretNamedEnv, Who(c) + " env " + name + " has a literal value", &c, field,
            value.line());
    }
  }
  return Status::OK();
}

void CheckImage(Ctx& x, const Container& c) {
  const Node& image = (*c.node)["image"];
  std::string field = c.field + ".image";
  if (!image.IsScalar()) return;
  ImageRef ref = ParseImage(image.Str());
  if (ref.digest.empty()) {
    if (ref.tag.empty() || ref.tag == "latest") {
      x.Add(kImageLatest,
            Who(c) + " image " + std::string(image.Str()) + " has tag " +
                (ref.tag.empty() ? "none (latest)" : "latest"),
            &c, field, image.line());
    } else {
      x.Add(kImageNoDigest,
            Who(c) + " image " + std::string(image.Str()) + " is not pinned by digest", &c, field,
            image.line());
    }
  }
  if (!x.pc.trusted_registries.empty()) {
    bool trusted = false;
    for (std::string t : x.pc.trusted_registries) {
      while (!t.empty() && t.back() == '/') t.pop_back();
      if (ref.repository == t || ref.repository.starts_with(t + "/")) trusted = true;
    }
    if (!trusted) {
      x.Add(kUntrustedRegistry,
            Who(c) + " image " + ref.repository + " is not from a trusted registry", &c, field,
            image.line());
    }
  }
}

}  // namespace

ImageRef ParseImage(std::string_view image) {
  ImageRef r;
  size_t at = image.find('@');
  if (at != std::string_view::npos) {
    r.digest = std::string(image.substr(at + 1));
    image = image.substr(0, at);
  }
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = std::string(image.substr(colon + 1));
    image = image.substr(0, colon);
  }
  size_t first = image.find('/');
  std::string_view head = image.substr(0, first);
  bool has_registry = first != std::string_view::npos &&
                      (head.find('.') != std::string_view::npos ||
                       head.find(':') != std::string_view::npos || head == "localhost");
  if (has_registry) {
    r.repository = std::string(image);
    if (head == "index.docker.io" || head == "registry-1.docker.io") {
      r.repository = "docker.io" + std::string(image.substr(first));
    }
  } else if (first == std::string_view::npos) {
    r.repository = "docker.io/library/" + std::string(image);
  } else {
    r.repository = "docker.io/" + std::string(image);
  }
  if (r.repository.starts_with("docker.io/") && r.repository.find('/', 10) == std::string::npos) {
    r.repository.insert(10, "library/");
  }
  return r;
}

Status CheckWorkload(const Workload& w, const PodCheckContext& pc, std::vector<Finding>* out) {
  const Node& spec = *w.pod_spec;
  Ctx x{w, pc, out, spec, spec["securityContext"], w.spec_path + ".securityContext"};
  CheckPodLevel(x);
  CheckAppArmorAnnotations(x);
  CheckVolumes(x);
  const bool windows = spec["os"]["name"].Str() == "windows";
  for (const Container& c : w.containers) {
    CheckContainer(x, c, !windows);
    CheckImage(x, c);
    BULKHEAD_RETURN_IF_ERROR(CheckEnv(x, c));
  }
  // Service-account token: the pod's own setting wins, then its service account's.
  const Node& pod_auto = spec["automountServiceAccountToken"];
  bool automount = true;
  if (pod_auto.Bool().has_value()) {
    automount = *pod_auto.Bool();
  } else {
    std::string sa(spec["serviceAccountName"].Str());
    if (sa.empty()) sa = "default";
    auto it = pc.sa_automount.find(w.object->ns + "/" + sa);
    if (it != pc.sa_automount.end()) automount = it->second;
  }
  if (automount) {
    x.Add(kAutomountToken, "Pod automounts its service account token", nullptr,
          w.spec_path + ".automountServiceAccountToken", pod_auto.line() ? pod_auto.line() : 0);
  }
  return Status::OK();
}

Status CheckConfigMap(const Object& o, const PodCheckContext& pc, std::vector<Finding>* out) {
  const Node& data = o.root["data"];
  for (size_t i = 0; i < data.keys().size(); ++i) {
    const std::string& key = data.keys()[i];
    const Node& value = data.items()[i];
    if (!value.IsScalar() || value.Str().empty()) continue;
    std::string field = "data." + key;
    bool hit = false;
    if (pc.scratch) {
      std::vector<secret::SecretMatch> matches;
      std::string_view v = value.Str();
      bool one_line = v.find('\n') == std::string_view::npos;
      std::string text = one_line ? key + "=" + std::string(v) : std::string(v);
      BULKHEAD_RETURN_IF_ERROR(secret::ScanText(pc.scratch, text, o.Id() + ":" + field, &matches));
      for (secret::SecretMatch& m : matches) {
        hit = true;
        uint32_t line = value.line() + (one_line || m.line == 0 ? 0 : m.line);
        out->push_back(SecretFinding(kSecretInConfigMap, o, m,
                                     "ConfigMap key " + key + " holds a secret", "", field, line));
      }
    }
    if (!hit && SecretShapedKey(key)) {
      out->push_back(MakeFinding(kSecretInConfigMap, o,
                                 "ConfigMap key " + key + " is named like a secret", "", field,
                                 value.line()));
    }
  }
  return Status::OK();
}

}  // namespace bulkhead::k8s::internal
