// Kubernetes manifests as bulkhead reads them: a small immutable document tree (Node), the
// objects found in YAML/JSON streams (Object), and the bounded loader that fills them from
// files, directories or stdin (multi-document YAML, JSON, `List` objects such as
// `kubectl get -o yaml` dumps, Helm-rendered output).
//
// yaml-cpp is used only inside manifest.cc (the one adapter that catches its exceptions);
// the rest of the module walks Node, which never throws. Nodes and Objects are plain
// values: safe to read from many threads once built.
//
// Errors: a file that is not valid YAML is Corruption naming the file and the line; a file
// or stream past a limit is ResourceExhausted naming the file and the limit. Documents that
// are not Kubernetes objects and unknown kinds are kept out of `objects` and recorded as
// Diagnostics, never dropped silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::k8s {

/// One node of a YAML document. Map keys that are not scalars are dropped at load time.
class Node {
 public:
  enum class Type : uint8_t { kNull, kScalar, kSequence, kMap };

  Type type() const { return type_; }
  bool IsNull() const { return type_ == Type::kNull; }
  bool IsScalar() const { return type_ == Type::kScalar; }
  bool IsSequence() const { return type_ == Type::kSequence; }
  bool IsMap() const { return type_ == Type::kMap; }
  /// 1-based line of the node in its file; 0 when unknown.
  uint32_t line() const { return line_; }

  /// The scalar text; "" for anything else.
  std::string_view Str() const { return IsScalar() ? std::string_view(scalar_) : ""; }
  /// true/false (YAML 1.1 and 1.2 spellings); nullopt when not a boolean scalar.
  std::optional<bool> Bool() const;
  /// True only for a boolean scalar that is true.
  bool IsTrue() const { return Bool().value_or(false); }
  /// A decimal integer scalar; nullopt otherwise.
  std::optional<int64_t> Int() const;

  /// The value of `key` in a map, or a null node (also for non-maps).
  const Node& operator[](std::string_view key) const;
  /// Item `i` of a sequence, or a null node.
  const Node& operator[](size_t i) const;
  /// Items of a sequence or values of a map; empty otherwise.
  const std::vector<Node>& items() const { return items_; }
  /// Keys of a map, parallel to items(); empty otherwise.
  const std::vector<std::string>& keys() const { return keys_; }
  size_t size() const { return items_.size(); }
  /// Moves the items (or map values) out, leaving this node's list empty.
  std::vector<Node> TakeItems() {
    keys_.clear();
    return std::move(items_);
  }

  static Node Scalar(std::string text, uint32_t line = 0);
  static Node Sequence(std::vector<Node> items, uint32_t line = 0);
  static Node Map(std::vector<std::string> keys, std::vector<Node> values, uint32_t line = 0);

 private:
  Type type_ = Type::kNull;
  uint32_t line_ = 0;
  std::string scalar_;
  std::vector<std::string> keys_;
  std::vector<Node> items_;
};

/// One Kubernetes object: its identity and its whole document.
struct Object {
  std::string kind;
  std::string api_version;
  std::string name;
  std::string ns;    ///< "default" for namespaced kinds without one; "" for cluster-scoped.
  std::string file;  ///< The input it came from ("-" for stdin).
  uint32_t line = 0;
  Node root;

  /// "Kind/namespace/name", or "Kind/name" for cluster-scoped kinds.
  std::string Id() const;
};

/// Whether `kind` is cluster-scoped (Namespace, Node, ClusterRole, ...).
bool IsClusterScoped(std::string_view kind);
/// Whether bulkhead reads objects of `kind`; others are ignored with a note.
bool IsKnownKind(std::string_view kind);

struct LoadOptions {
  uint64_t max_file_bytes = 64ull << 20;  ///< One file, or stdin.
  size_t max_documents = 100000;          ///< YAML documents per file.
  size_t max_nodes = 5000000;             ///< Nodes per file, aliases counted each time used.
  size_t max_depth = 100;                 ///< Nesting of maps and sequences.
  size_t max_files = 100000;              ///< Files read from directories.
  size_t max_dir_depth = 32;              ///< Directory levels below a given directory.
  size_t threads = 0;                     ///< Documents parsed at once (0: one per core).
};

struct Manifests {
  std::vector<Object> objects;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::string> inputs;  ///< What was read, in order.
};

/// Parses one YAML or JSON stream named `name` and appends its objects (List items
/// flattened) to `out`. Errors: see the file comment; on error `out` may hold the objects
/// of the documents before the bad one.
Status ParseManifests(std::string_view text, const std::string& name, const LoadOptions& options,
                      Manifests* out);

/// Reads `path`: "-" is stdin; a directory is walked (sorted, symlinks not followed) for
/// *.yaml, *.yml and *.json files. NotFound when the path does not exist.
Status LoadPath(const std::string& path, const LoadOptions& options, Manifests* out);

}  // namespace bulkhead::k8s
