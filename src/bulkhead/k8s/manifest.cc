// The yaml-cpp adapter of the k8s module: yaml-cpp throws, bulkhead does not, so every
// call into it happens inside ParseDocument's try block. Its parse events build k8s::Node
// trees directly, counting every node (an alias counts the nodes it repeats) against a
// budget, so that a billion-laughs document stops at the limit.
#include "bulkhead/k8s/manifest.h"

#include <unistd.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <streambuf>

#include "bulkhead/core/parallel.h"

namespace bulkhead::k8s {
namespace {

const Node& NullNode() {
  static const Node* const kNull = new Node();
  return *kNull;
}

struct Budget {
  size_t nodes_left;
  size_t max_depth;
  bool exhausted = false;
  bool too_deep = false;
};

// Builds k8s::Node trees straight from yaml-cpp's parse events (no yaml-cpp node graph),
// spending the budget on every node, an alias costing the size of what it repeats.
class TreeBuilder final : public YAML::EventHandler {
 public:
  // Thrown (and caught in ParseDocument) to stop the parser at a limit.
  struct Stop {
    uint32_t line;
  };

  TreeBuilder(uint32_t base_line, Budget* budget) : base_(base_line), budget_(budget) {}

  /// The documents built, in order.
  std::vector<Node>& documents() { return documents_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {
    documents_.push_back(std::move(root_));
    root_ = Node();
    anchors_.clear();
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Spend(1, mark);
    Complete(Node(), 1, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      Spend(1, mark);
      Complete(Node(), 1, 0);
      return;
    }
    Spend(it->second.second, mark);
    Complete(it->second.first, it->second.second, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    Spend(1, mark);
    Complete(Node::Scalar(value, Line(mark)), 1, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor, false);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor, true);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    bool map = false;
    uint32_t line = 0;
    YAML::anchor_t anchor = 0;
    size_t size = 1;
    std::vector<std::string> keys;
    std::vector<Node> items;
    bool have_key = false;
    bool skip_value = false;  // the key was not a scalar
    std::string key;
  };

  uint32_t Line(const YAML::Mark& m) const {
    return m.line < 0 ? 0 : static_cast<uint32_t>(m.line) + base_ + 1;
  }
  void Spend(size_t nodes, const YAML::Mark& mark) {
    if (budget_->nodes_left < nodes) {
      budget_->exhausted = true;
      throw Stop{Line(mark)};
    }
    budget_->nodes_left -= nodes;
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, bool map) {
    Spend(1, mark);
    if (stack_.size() >= budget_->max_depth) {
      budget_->too_deep = true;
      throw Stop{Line(mark)};
    }
    Frame f;
    f.map = map;
    f.line = Line(mark);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }
  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Node n = f.map ? Node::Map(std::move(f.keys), std::move(f.items), f.line)
                   : Node::Sequence(std::move(f.items), f.line);
    Complete(std::move(n), f.size, f.anchor);
  }
  // A finished node: the document root, a sequence item, a map key or a map value.
  void Complete(Node n, size_t size, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = {n, size};
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    top.size += size;
    if (!top.map) {
      top.items.push_back(std::move(n));
    } else if (!top.have_key) {
      top.have_key = true;
      top.skip_value = !n.IsScalar();  // complex keys mean nothing to Kubernetes
      top.key = std::string(n.Str());
    } else {
      top.have_key = false;
      if (!top.skip_value) {
        top.keys.push_back(std::move(top.key));
        top.items.push_back(std::move(n));
      }
    }
  }

  uint32_t base_;
  Budget* budget_;
  std::vector<Frame> stack_;
  Node root_;
  std::vector<Node> documents_;
  std::map<YAML::anchor_t, std::pair<Node, size_t>> anchors_;
};

// Reads a chunk of text without copying it.
class MemoryBuf final : public std::streambuf {
 public:
  explicit MemoryBuf(std::string_view text) {
    char* p = const_cast<char*>(text.data());
    setg(p, p, p + text.size());
  }
};

// One document: its text and the 0-based line it starts on.
struct Chunk {
  std::string_view text;
  uint32_t first_line = 0;
};

bool IsDocumentStart(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (line.substr(0, 3) != "---") return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

// Splits a stream at "---" lines (a document marker ends any block or flow context, so
// this matches the YAML grammar for the streams Kubernetes tools write).
std::vector<Chunk> SplitDocuments(std::string_view text) {
  std::vector<Chunk> out;
  size_t start = 0;
  uint32_t start_line = 0;
  uint32_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    if (pos != start && IsDocumentStart(text.substr(pos, next - pos))) {
      out.push_back({text.substr(start, pos - start), start_line});
      start = pos;
      start_line = line_no;
    }
    pos = next;
    ++line_no;
  }
  if (start < text.size()) out.push_back({text.substr(start), start_line});
  return out;
}

// Parses one chunk (normally one document) into `docs`, spending `budget`. Errors name
// the file and the line.
Status ParseDocument(const Chunk& chunk, const std::string& name, const LoadOptions& options,
                     Budget* budget, std::vector<Node>* docs) {
  TreeBuilder builder(chunk.first_line, budget);
  try {
    MemoryBuf buf(chunk.text);
    std::istream in(&buf);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const TreeBuilder::Stop& stop) {
    if (budget->too_deep) {
      return Status::ResourceExhausted(name + ":" + std::to_string(stop.line) +
                                       ": YAML nested deeper than " +
                                       std::to_string(options.max_depth) + " levels");
    }
    return Status::ResourceExhausted(name + ":" + std::to_string(stop.line) + ": more than " +
                                     std::to_string(options.max_nodes) +
                                     " YAML nodes (aliases counted each time they are used)");
  } catch (const YAML::Exception& e) {
    uint32_t line = e.mark.line < 0 ? chunk.first_line + 1
                                    : chunk.first_line + static_cast<uint32_t>(e.mark.line) + 1;
    return Status::Corruption(name + ":" + std::to_string(line) + ": invalid YAML: " + e.msg);
  }
  *docs = std::move(builder.documents());
  return Status::OK();
}

struct KindInfo {
  std::string_view kind;
  bool cluster_scoped;
};

constexpr std::array<KindInfo, 19> kKinds = {{
    {"ClusterRole", true},  {"ClusterRoleBinding", true},
    {"ConfigMap", false},   {"CronJob", false},
    {"DaemonSet", false},   {"Deployment", false},
    {"Job", false},         {"KubeletConfiguration", true},
    {"Namespace", true},    {"NetworkPolicy", false},
    {"Node", true},         {"Pod", false},
    {"ReplicaSet", false},  {"ReplicationController", false},
    {"Role", false},        {"RoleBinding", false},
    {"RuntimeClass", true}, {"ServiceAccount", false},
    {"StatefulSet", false},
}};

constexpr std::array<std::string_view, 8> kOtherClusterKinds = {"PersistentVolume",
                                                                "StorageClass",
                                                                "CustomResourceDefinition",
                                                                "PriorityClass",
                                                                "IngressClass",
                                                                "MutatingWebhookConfiguration",
                                                                "ValidatingWebhookConfiguration",
                                                                "APIService"};

struct Ignored {
  std::map<std::string, size_t> kinds;
};

// Appends the objects of one parsed document (flattening List items), moving the document
// into the object.
void Collect(Node&& doc, const std::string& name, int list_depth, Manifests* out, Ignored* ignored,
             size_t* not_objects) {
  if (doc.IsNull()) return;
  std::string kind(doc["kind"].Str());
  if (!doc.IsMap() || kind.empty()) {
    ++*not_objects;
    return;
  }
  if (doc["items"].IsSequence() && kind.size() >= 4 && kind.ends_with("List") && list_depth < 4) {
    size_t at = std::find(doc.keys().begin(), doc.keys().end(), "items") - doc.keys().begin();
    std::vector<Node> values = doc.TakeItems();
    for (Node& item : values[at].TakeItems()) {
      Collect(std::move(item), name, list_depth + 1, out, ignored, not_objects);
    }
    return;
  }
  if (!IsKnownKind(kind)) {
    ++ignored->kinds[kind];
    return;
  }
  Object o;
  o.kind = kind;
  o.api_version = std::string(doc["apiVersion"].Str());
  o.name = std::string(doc["metadata"]["name"].Str());
  if (!IsClusterScoped(kind)) {
    o.ns = std::string(doc["metadata"]["namespace"].Str());
    if (o.ns.empty()) o.ns = "default";
  }
  if (o.name.empty() && kind == "KubeletConfiguration") o.name = name;
  o.file = name;
  o.line = doc.line();
  o.root = std::move(doc);
  out->objects.push_back(std::move(o));
}

Status ReadAll(std::FILE* f, const std::string& name, uint64_t max_bytes, std::string* text) {
  char buf[65536];
  for (;;) {
    size_t n = std::fread(buf, 1, sizeof(buf), f);
    if (n == 0) break;
    if (text->size() + n > max_bytes) {
      return Status::ResourceExhausted(name + ": larger than " + std::to_string(max_bytes) +
                                       " bytes (--max-file-bytes)");
    }
    text->append(buf, n);
  }
  if (std::ferror(f)) return Status::IOError(name + ": read error");
  return Status::OK();
}

Status LoadFile(const std::string& path, const LoadOptions& options, Manifests* out) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > options.max_file_bytes) {
    return Status::ResourceExhausted(path + ": " + std::to_string(size) + " bytes, larger than " +
                                     std::to_string(options.max_file_bytes) +
                                     " (--max-file-bytes)");
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::IOError(path + ": cannot open");
  std::string text;
  Status s = ReadAll(f, path, options.max_file_bytes, &text);
  std::fclose(f);
  BULKHEAD_RETURN_IF_ERROR(s);
  return ParseManifests(text, path, options, out);
}

bool IsManifestFile(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

std::optional<bool> Node::Bool() const {
  if (!IsScalar()) return std::nullopt;
  static constexpr std::string_view kTrue[] = {"true", "True", "TRUE", "yes", "Yes",
                                               "YES",  "on",   "On",   "ON"};
  static constexpr std::string_view kFalse[] = {"false", "False", "FALSE", "no", "No",
                                                "NO",    "off",   "Off",   "OFF"};
  for (std::string_view t : kTrue) {
    if (scalar_ == t) return true;
  }
  for (std::string_view t : kFalse) {
    if (scalar_ == t) return false;
  }
  return std::nullopt;
}

std::optional<int64_t> Node::Int() const {
  if (!IsScalar() || scalar_.empty() || scalar_.size() > 18) return std::nullopt;
  size_t i = scalar_[0] == '-' || scalar_[0] == '+' ? 1 : 0;
  if (i == scalar_.size()) return std::nullopt;
  int64_t v = 0;
  for (size_t j = i; j < scalar_.size(); ++j) {
    char c = scalar_[j];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return scalar_[0] == '-' ? -v : v;
}

const Node& Node::operator[](std::string_view key) const {
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return items_[i];
  }
  return NullNode();
}

const Node& Node::operator[](size_t i) const {
  return IsSequence() && i < items_.size() ? items_[i] : NullNode();
}

Node Node::Scalar(std::string text, uint32_t line) {
  Node n;
  n.type_ = Type::kScalar;
  n.line_ = line;
  n.scalar_ = std::move(text);
  return n;
}

Node Node::Sequence(std::vector<Node> items, uint32_t line) {
  Node n;
  n.type_ = Type::kSequence;
  n.line_ = line;
  n.items_ = std::move(items);
  return n;
}

Node Node::Map(std::vector<std::string> keys, std::vector<Node> values, uint32_t line) {
  Node n;
  n.type_ = Type::kMap;
  n.line_ = line;
  n.keys_ = std::move(keys);
  n.items_ = std::move(values);
  return n;
}

std::string Object::Id() const {
  return ns.empty() ? kind + "/" + name : kind + "/" + ns + "/" + name;
}

bool IsClusterScoped(std::string_view kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) return k.cluster_scoped;
  }
  return std::find(kOtherClusterKinds.begin(), kOtherClusterKinds.end(), kind) !=
         kOtherClusterKinds.end();
}

bool IsKnownKind(std::string_view kind) {
  return std::any_of(kKinds.begin(), kKinds.end(),
                     [&](const KindInfo& k) { return k.kind == kind; });
}

Status ParseManifests(std::string_view text, const std::string& name, const LoadOptions& options,
                      Manifests* out) {
  if (text.size() > options.max_file_bytes) {
    return Status::ResourceExhausted(name + ": larger than " +
                                     std::to_string(options.max_file_bytes) +
                                     " bytes (--max-file-bytes)");
  }
  out->inputs.push_back(name);
  std::vector<Chunk> chunks = SplitDocuments(text);
  if (chunks.size() > options.max_documents) {
    return Status::ResourceExhausted(name + ": more than " + std::to_string(options.max_documents) +
                                     " YAML documents");
  }
  // Documents are parsed in parallel, each within the whole budget, while a shared count
  // stops new work once the file's budget is spent. Any failure is then reproduced by one
  // sequential pass, so that the error reported is always the first one in the stream.
  std::vector<std::vector<Node>> docs(chunks.size());
  std::atomic<size_t> used{0};
  std::atomic<bool> failed{false};
  ParallelFor(chunks.size(), options.threads, [&](size_t i) {
    if (failed.load(std::memory_order_relaxed)) return;
    Budget budget{options.max_nodes, options.max_depth};
    if (!ParseDocument(chunks[i], name, options, &budget, &docs[i]).ok() ||
        used.fetch_add(options.max_nodes - budget.nodes_left) +
                (options.max_nodes - budget.nodes_left) >
            options.max_nodes) {
      failed.store(true);
    }
  });
  if (failed.load()) {
    Budget budget{options.max_nodes, options.max_depth};
    for (const Chunk& chunk : chunks) {
      std::vector<Node> doc;
      BULKHEAD_RETURN_IF_ERROR(ParseDocument(chunk, name, options, &budget, &doc));
    }
    return Status::Internal(name + ": a parse failure could not be reproduced");
  }
  Ignored ignored;
  size_t not_objects = 0;
  for (std::vector<Node>& chunk_docs : docs) {
    for (Node& doc : chunk_docs) Collect(std::move(doc), name, 0, out, &ignored, &not_objects);
  }
  for (const auto& [kind, count] : ignored.kinds) {
    out->diagnostics.push_back(
        {"", name, "k8s",
         "kind " + kind + " is not audited: " + std::to_string(count) + " object(s) ignored"});
  }
  if (not_objects > 0) {
    out->diagnostics.push_back({"", name, "k8s",
                                std::to_string(not_objects) +
                                    " document(s) without a kind are not Kubernetes objects: "
                                    "ignored"});
  }
  return Status::OK();
}

Status LoadPath(const std::string& path, const LoadOptions& options, Manifests* out) {
  if (path == "-") {
    std::string text;
    BULKHEAD_RETURN_IF_ERROR(ReadAll(stdin, "-", options.max_file_bytes, &text));
    return ParseManifests(text, "-", options, out);
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::symlink_status(path, ec);
  if (ec || !fs::exists(st)) return Status::NotFound(path + ": no such file or directory");
  if (fs::is_symlink(st)) st = fs::status(path, ec);  // a link named by the user is followed
  if (!fs::is_directory(st)) return LoadFile(path, options, out);

  std::vector<std::string> files;
  fs::recursive_directory_iterator it(path, fs::directory_options::none, ec), end;
  if (ec) return Status::IOError(path + ": cannot read directory: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return Status::IOError(path + ": " + ec.message());
    if (it.depth() > static_cast<int>(options.max_dir_depth)) {
      it.disable_recursion_pending();
      continue;
    }
    std::error_code e2;
    if (it->is_symlink(e2) || !it->is_regular_file(e2) || !IsManifestFile(it->path())) continue;
    files.push_back(it->path().string());
    if (files.size() > options.max_files) {
      return Status::ResourceExhausted(path + ": more than " + std::to_string(options.max_files) +
                                       " manifest files");
    }
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) BULKHEAD_RETURN_IF_ERROR(LoadFile(f, options, out));
  return Status::OK();
}

}  // namespace bulkhead::k8s
