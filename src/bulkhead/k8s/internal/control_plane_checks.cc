#include <map>
#include <optional>

#include "bulkhead/k8s/check_catalog.h"
#include "bulkhead/k8s/internal/cluster_checks.h"
#include "bulkhead/k8s/internal/findings.h"

namespace bulkhead::k8s::internal {
namespace {

// A component's command line: flag -> (value, field path, line).
struct Flag {
  std::string value;
  std::string field;
  uint32_t line = 0;
};

struct Component {
  const Object* object = nullptr;
  std::string name;       // "kube-apiserver", ...
  std::string container;  // container name
  std::string field;      // the container's field path
  uint32_t line = 0;
  std::map<std::string, Flag, std::less<>> flags;

  const Flag* Get(std::string_view f) const {
    auto it = flags.find(f);
    return it == flags.end() ? nullptr : &it->second;
  }
  bool Is(std::string_view f, std::string_view v) const {
    const Flag* x = Get(f);
    return x && x->value == v;
  }
};

void ParseArgs(const Node& list, const std::string& field, Component* c) {
  for (size_t i = 0; i < list.size(); ++i) {
    std::string_view arg = list[i].Str();
    if (!arg.starts_with("--")) continue;
    arg.remove_prefix(2);
    size_t eq = arg.find('=');
    Flag f;
    f.field = Indexed(field, i);
    f.line = list[i].line();
    if (eq != std::string_view::npos) {
      f.value = std::string(arg.substr(eq + 1));
      arg = arg.substr(0, eq);
    } else if (i + 1 < list.size() && !list[i + 1].Str().starts_with("-")) {
      f.value = std::string(list[i + 1].Str());
    } else {
      f.value = "true";
    }
    c->flags[std::string(arg)] = std::move(f);
  }
}

std::string Basename(std::string_view s) {
  size_t slash = s.rfind('/');
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

std::optional<Component> Identify(const Object& o, const Node& c, const std::string& field) {
  static constexpr std::string_view kNames[] = {"kube-apiserver", "kube-controller-manager",
                                                "kube-scheduler", "etcd"};
  std::string cmd = Basename(c["command"][size_t{0}].Str());
  std::string image(c["image"].Str());
  for (std::string_view n : kNames) {
    bool hit = cmd == n || c["name"].Str() == n;
    if (!hit && cmd.empty()) {
      size_t slash = image.rfind('/');
      std::string_view base =
          std::string_view(image).substr(slash == std::string::npos ? 0 : slash + 1);
      hit = base.starts_with(std::string(n) + ":") || base == n;
    }
    if (!hit) continue;
    Component comp;
    comp.object = &o;
    comp.name = std::string(n);
    comp.container = std::string(c["name"].Str());
    comp.field = field;
    comp.line = c.line();
    ParseArgs(c["command"], field + ".command", &comp);
    ParseArgs(c["args"], field + ".args", &comp);
    return comp;
  }
  return std::nullopt;
}

bool ListHas(std::string_view list, std::string_view item) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    if (list.substr(0, comma) == item) return true;
    list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
  }
  return false;
}

class Checker {
 public:
  Checker(const Component& c, std::vector<Finding>* out) : c_(c), out_(out) {}

  // A finding about flag `flag` (present or not).
  void Add(std::string_view id, std::string_view flag, std::string title) {
    const Flag* f = c_.Get(flag);
    out_->push_back(MakeFinding(id, *c_.object, c_.name + ": " + title, c_.container,
                                f ? f->field : c_.field + ".command", f ? f->line : c_.line));
  }
  void RequireSet(std::string_view id, std::string_view flag) {
    if (!c_.Get(flag)) Add(id, flag, "--" + std::string(flag) + " is not set");
  }
  void RequireValue(std::string_view id, std::string_view flag, std::string_view want,
                    std::string_view default_value) {
    const Flag* f = c_.Get(flag);
    std::string have = f ? f->value : std::string(default_value);
    if (have != want) {
      Add(id, flag, "--" + std::string(flag) + "=" + have + (f ? "" : " (the default)"));
    }
  }
  void ForbidValue(std::string_view id, std::string_view flag, std::string_view bad) {
    const Flag* f = c_.Get(flag);
    if (f && f->value == bad) Add(id, flag, "--" + std::string(flag) + "=" + f->value);
  }

 private:
  const Component& c_;
  std::vector<Finding>* out_;
};

void CheckApiServer(const Component& c, std::vector<Finding>* out) {
  Checker k(c, out);
  k.RequireValue(kApiAnonymousAuth, "anonymous-auth", "false", "true");
  const Flag* authz = c.Get("authorization-mode");
  if (!authz || ListHas(authz->value, "AlwaysAllow")) {
    k.Add(kApiAlwaysAllow, "authorization-mode",
          authz ? "--authorization-mode includes AlwaysAllow"
                : "--authorization-mode is not set (AlwaysAllow)");
  }
  if (authz && !ListHas(authz->value, "Node")) {
    k.Add(kApiNoNodeAuthz, "authorization-mode", "--authorization-mode does not include Node");
  }
  if (authz && !ListHas(authz->value, "RBAC")) {
    k.Add(kApiNoRbac, "authorization-mode", "--authorization-mode does not include RBAC");
  }
  k.RequireSet(kApiNoEncryption, "encryption-provider-config");
  k.RequireSet(kApiNoAuditLog, "audit-log-path");
  if (!c.Get("tls-cert-file") || !c.Get("tls-private-key-file")) {
    k.Add(kApiNoTlsCert, "tls-cert-file", "--tls-cert-file or --tls-private-key-file is not set");
  }
  k.RequireSet(kApiNoClientCa, "client-ca-file");
  if (!c.Get("etcd-certfile") || !c.Get("etcd-keyfile") || !c.Get("etcd-cafile")) {
    k.Add(kApiNoEtcdTls, "etcd-certfile",
          "--etcd-certfile, --etcd-keyfile or --etcd-cafile is not set");
  }
  k.RequireSet(kApiNoKubeletCa, "kubelet-certificate-authority");
  const Flag* plugins = c.Get("enable-admission-plugins");
  if (!plugins || !ListHas(plugins->value, "NodeRestriction")) {
    k.Add(kApiNoNodeRestriction, "enable-admission-plugins",
          "--enable-admission-plugins does not include NodeRestriction");
  }
  if (plugins && ListHas(plugins->value, "AlwaysAdmit")) {
    k.Add(kApiAlwaysAdmit, "enable-admission-plugins",
          "--enable-admission-plugins includes AlwaysAdmit");
  }
  if (c.Get("token-auth-file"))
    k.Add(kApiTokenAuthFile, "token-auth-file", "--token-auth-file is set");
  k.RequireValue(kProfiling, "profiling", "false", "true");
}

void CheckComponent(const Component& c, std::vector<Finding>* out) {
  Checker k(c, out);
  if (c.name == "kube-apiserver") {
    CheckApiServer(c, out);
  } else if (c.name == "kube-controller-manager") {
    k.RequireValue(kControllerNoSaCredentials, "use-service-account-credentials", "true", "false");
    k.RequireValue(kBindAddress, "bind-address", "127.0.0.1", "0.0.0.0");
    k.RequireValue(kProfiling, "profiling", "false", "true");
  } else if (c.name == "kube-scheduler") {
    k.RequireValue(kBindAddress, "bind-address", "127.0.0.1", "0.0.0.0");
    k.RequireValue(kProfiling, "profiling", "false", "true");
  } else if (c.name == "etcd") {
    if (!c.Get("cert-file") || !c.Get("key-file")) {
      k.Add(kEtcdNoTls, "cert-file", "--cert-file or --key-file is not set");
    }
    k.RequireValue(kEtcdNoClientCertAuth, "client-cert-auth", "true", "false");
    k.ForbidValue(kEtcdAutoTls, "auto-tls", "true");
    k.RequireValue(kEtcdNoPeerClientCertAuth, "peer-client-cert-auth", "true", "false");
    k.ForbidValue(kEtcdPeerAutoTls, "peer-auto-tls", "true");
  }
}

void CheckKubelet(const Object& o, std::vector<Finding>* out) {
  const Node& authn = o.root["authentication"];
  const Node& anon = authn["anonymous"]["enabled"];
  if (anon.IsTrue()) {
    out->push_back(MakeFinding(kKubeletAnonymousAuth, o,
                               "Kubelet authentication.anonymous.enabled: true", "",
                               "authentication.anonymous.enabled", anon.line()));
  }
  const Node& mode = o.root["authorization"]["mode"];
  if (mode.Str() == "AlwaysAllow") {
    out->push_back(MakeFinding(kKubeletAlwaysAllow, o, "Kubelet authorization.mode: AlwaysAllow",
                               "", "authorization.mode", mode.line()));
  }
  const Node& port = o.root["readOnlyPort"];
  if (port.Int().value_or(0) != 0) {
    out->push_back(MakeFinding(kKubeletReadOnlyPort, o,
                               "Kubelet readOnlyPort: " + std::string(port.Str()), "",
                               "readOnlyPort", port.line()));
  }
  if (authn["x509"]["clientCAFile"].Str().empty()) {
    out->push_back(MakeFinding(kKubeletNoClientCa, o,
                               "Kubelet authentication.x509.clientCAFile is not set", "",
                               "authentication.x509.clientCAFile", authn.line()));
  }
}

}  // namespace

size_t CheckControlPlane(const std::vector<Object>& objects, std::vector<Finding>* out) {
  size_t examined = 0;
  for (const Object& o : objects) {
    if (o.kind == "KubeletConfiguration") {
      ++examined;
      CheckKubelet(o, out);
      continue;
    }
    if (o.kind != "Pod") continue;
    const Node& containers = o.root["spec"]["containers"];
    for (size_t i = 0; i < containers.size(); ++i) {
      std::optional<Component> c = Identify(o, containers[i], Indexed("spec.containers", i));
      if (!c) continue;
      ++examined;
      CheckComponent(*c, out);
    }
  }
  return examined;
}

}  // namespace bulkhead::k8s::internal
