#include "bulkhead/vulndb/internal/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>

namespace bulkhead::vulndb::internal {
namespace {

constexpr size_t kMaxDepth = 64;
constexpr size_t kMaxNodes = 4'000'000;

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
  }
  // No overlong forms, no surrogates, nothing above U+10FFFF (as simdjson checks).
  if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) > 0x9F) || (c == 0xF0 && b(1) < 0x90) ||
      (c == 0xF4 && b(1) > 0x8F)) {
    return 0;
  }
  return n;
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      // yaml-cpp 0.7 writes the escapes "\_" (U+00A0) and "\N" (U+0085) as one raw byte;
      // real feeds use them. Such a stray byte is read as the Latin-1 code point it is.
      size_t n = Utf8Length(s, i);
      if (n) {
        out->append(s.substr(i, n));
        i += n - 1;
      } else {
        out->push_back(static_cast<char>(0xC0 | (c >> 6)));
        out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
      continue;
    }
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

// Walks the tree, aliases included (each visit counts), so that a billion-laughs
// document hits the budget instead of exhausting memory.
Status Emit(const YAML::Node& node, size_t depth, size_t* budget, std::string* out) {
  if (depth > kMaxDepth) return Status::ResourceExhausted("nested deeper than 64");
  if (*budget == 0) return Status::ResourceExhausted("more than 4M nodes (alias bomb?)");
  --*budget;
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      *out += "null";
      return Status::OK();
    case YAML::NodeType::Scalar:
      AppendJsonString(node.Scalar(), out);
      return Status::OK();
    case YAML::NodeType::Sequence: {
      out->push_back('[');
      bool first = true;
      for (const YAML::Node& item : node) {
        if (!first) out->push_back(',');
        first = false;
        BULKHEAD_RETURN_IF_ERROR(Emit(item, depth + 1, budget, out));
      }
      out->push_back(']');
      return Status::OK();
    }
    case YAML::NodeType::Map: {
      out->push_back('{');
      bool first = true;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) return Status::InvalidArgument("a mapping key is not a scalar");
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(kv.first.Scalar(), out);
        out->push_back(':');
        BULKHEAD_RETURN_IF_ERROR(Emit(kv.second, depth + 1, budget, out));
      }
      out->push_back('}');
      return Status::OK();
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::string> YamlToJson(std::string_view text, std::string_view name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Status::Corruption(std::string(name) + ": invalid YAML at line " +
                              std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  size_t budget = kMaxNodes;
  try {
    Status s = Emit(root, 0, &budget, &out);
    if (!s.ok()) return Status(s.code(), std::string(name) + ": " + std::string(s.message()));
  } catch (const YAML::Exception& e) {
    return Status::Corruption(std::string(name) + ": " + e.msg);
  }
  return out;
}

}  // namespace bulkhead::vulndb::internal
