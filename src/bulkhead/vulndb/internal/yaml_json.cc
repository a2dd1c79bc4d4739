#include "bulkhead/vulndb/internal/yaml_json.h"

#include <yaml.h>

#include <cstdio>
#include <map>
#include <vector>

// libyaml's event parser, not yaml-cpp (which the rest of bulkhead uses for manifests and
// policies): feeds are bulk data, and yaml-cpp builds a node tree at about 6 MB/s where
// libyaml streams events at about 85 MB/s. Events go straight to JSON text, with no tree.

namespace bulkhead::vulndb::internal {
namespace {

constexpr size_t kMaxDepth = 64;
constexpr size_t kMaxNodes = 4'000'000;
// Output beyond this many bytes (plus four per input byte) is an alias bomb: a node count
// alone does not stop one anchor of a 1 MiB string replayed a million times.
constexpr size_t kMaxExpansionBytes = size_t{64} << 20;

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

bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // Copy the run of characters that need nothing in one go.
    size_t run = i;
    while (run < s.size() && !NeedsEscape(static_cast<unsigned char>(s[run]))) ++run;
    out->append(s.data() + i, run - i);
    if (run == s.size()) break;
    i = run;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      // libyaml checks its input, so this is defence in depth: a stray byte is read as
      // the Latin-1 code point it is, so that the JSON stays valid UTF-8.
      const size_t n = Utf8Length(s, i);
      if (n) {
        out->append(s.substr(i, n));
        i += n;
      } else {
        out->push_back(static_cast<char>(0xC0 | (c >> 6)));
        out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        ++i;
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
      default: {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        *out += buf;
      }
    }
    ++i;
  }
  out->push_back('"');
}

namespace {

// YAML 1.1/1.2 core-schema nulls, as yaml-cpp reads them: only plain, untagged scalars.
bool IsNull(const yaml_event_t& e, std::string_view value) {
  if (e.data.scalar.style != YAML_PLAIN_SCALAR_STYLE || e.data.scalar.tag) return false;
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

struct Event {
  yaml_event_t e{};
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() { yaml_event_delete(&e); }
};

struct Parser {
  yaml_parser_t p;
  Parser() { yaml_parser_initialize(&p); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  ~Parser() { yaml_parser_delete(&p); }
};

// One open collection: where its anchor's text starts, whether the next scalar in a
// mapping is a key, and how many nodes it holds so far (for alias replays).
struct Frame {
  bool mapping;
  bool expect_key = true;
  bool first = true;
  std::string anchor;
  size_t start = 0;
  size_t nodes_at_start = 0;
};

// An anchored node: its JSON text and how many nodes replaying it costs.
struct Anchored {
  std::string json;
  size_t nodes;
};

class Converter {
 public:
  Converter(std::string* out, size_t max_bytes) : out_(out), max_bytes_(max_bytes) {}

  // Handles one event; `done` at the end of the first document.
  Status Feed(const yaml_event_t& e, bool* done) {
    switch (e.type) {
      case YAML_SCALAR_EVENT: {
        const std::string_view value(reinterpret_cast<const char*>(e.data.scalar.value),
                                     e.data.scalar.length);
        BULKHEAD_RETURN_IF_ERROR(BeginNode());
        const size_t start = out_->size();
        if (IsNull(e, value)) {
          if (InKeyPosition()) return Status::InvalidArgument("a mapping key is null");
          *out_ += "null";
        } else {
          AppendJsonString(value, out_);
        }
        BULKHEAD_RETURN_IF_ERROR(CountNode(1));
        if (e.data.scalar.anchor) BULKHEAD_RETURN_IF_ERROR(KeepAnchor(out_->size() - start));
        Remember(e.data.scalar.anchor, start, 1);
        return EndNode();
      }
      case YAML_ALIAS_EVENT: {
        const std::string name(reinterpret_cast<const char*>(e.data.alias.anchor));
        auto it = anchors_.find(name);
        if (it == anchors_.end()) return Status::Corruption("unknown alias *" + name);
        if (InKeyPosition() && it->second.json.front() != '"') {
          return Status::InvalidArgument("a mapping key is not a scalar");
        }
        BULKHEAD_RETURN_IF_ERROR(BeginNode());
        BULKHEAD_RETURN_IF_ERROR(CountNode(it->second.nodes));
        if (out_->size() + it->second.json.size() > max_bytes_) return TooBig();
        *out_ += it->second.json;
        return EndNode();
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        const bool mapping = e.type == YAML_MAPPING_START_EVENT;
        if (InKeyPosition()) return Status::InvalidArgument("a mapping key is not a scalar");
        BULKHEAD_RETURN_IF_ERROR(BeginNode());
        if (stack_.size() >= kMaxDepth) return Status::ResourceExhausted("nested deeper than 64");
        BULKHEAD_RETURN_IF_ERROR(CountNode(1));
        Frame f{mapping};
        const yaml_char_t* anchor =
            mapping ? e.data.mapping_start.anchor : e.data.sequence_start.anchor;
        if (anchor) f.anchor = reinterpret_cast<const char*>(anchor);
        f.start = out_->size();
        f.nodes_at_start = nodes_ - 1;
        stack_.push_back(std::move(f));
        out_->push_back(mapping ? '{' : '[');
        return Status::OK();
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        out_->push_back(f.mapping ? '}' : ']');
        if (!f.anchor.empty()) {
          BULKHEAD_RETURN_IF_ERROR(KeepAnchor(out_->size() - f.start));
          anchors_[f.anchor] = {out_->substr(f.start), nodes_ - f.nodes_at_start};
        }
        return EndNode();
      }
      case YAML_DOCUMENT_END_EVENT:
        *done = true;
        return Status::OK();
      default:
        return Status::OK();
    }
  }

  bool empty() const { return out_->empty(); }

 private:
  bool InKeyPosition() const {
    return !stack_.empty() && stack_.back().mapping && stack_.back().expect_key;
  }

  // Writes the separator before a node: ',' between items, ':' after a key.
  Status BeginNode() {
    if (stack_.empty()) return Status::OK();
    Frame& f = stack_.back();
    if (f.mapping && !f.expect_key) {
      out_->push_back(':');
      return Status::OK();
    }
    if (!f.first) out_->push_back(',');
    f.first = false;
    return Status::OK();
  }

  Status EndNode() {
    if (!stack_.empty() && stack_.back().mapping) stack_.back().expect_key ^= true;
    return Status::OK();
  }

  Status CountNode(size_t n) {
    nodes_ += n;
    if (nodes_ > kMaxNodes) return Status::ResourceExhausted("more than 4M nodes (alias bomb?)");
    if (out_->size() > max_bytes_) return TooBig();
    return Status::OK();
  }

  // Anchored text is kept for replays; nested anchors keep overlapping copies, so it is
  // bounded like the output.
  Status KeepAnchor(size_t bytes) {
    anchor_bytes_ += bytes;
    return anchor_bytes_ > max_bytes_ ? TooBig() : Status::OK();
  }

  Status TooBig() const {
    return Status::ResourceExhausted("expands past " + std::to_string(max_bytes_ >> 20) +
                                     " MiB of JSON (alias bomb?)");
  }

  void Remember(const yaml_char_t* anchor, size_t start, size_t nodes) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = {out_->substr(start), nodes};
  }

  std::string* out_;
  size_t max_bytes_;
  size_t anchor_bytes_ = 0;
  std::vector<Frame> stack_;
  std::map<std::string, Anchored> anchors_;
  size_t nodes_ = 0;
};

}  // namespace

Result<std::string> YamlToJson(std::string_view text, std::string_view name) {
  if (std::optional<std::string> fast = BlockYamlToJson(text)) return std::move(fast).value();
  return LibyamlToJson(text, name);
}

Result<std::string> LibyamlToJson(std::string_view text, std::string_view name) {
  Parser parser;
  yaml_parser_set_input_string(&parser.p, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  Converter converter(&out, kMaxExpansionBytes + 4 * text.size());
  for (bool done = false; !done;) {
    Event event;
    if (!yaml_parser_parse(&parser.p, &event.e)) {
      const yaml_mark_t& mark = parser.p.problem ? parser.p.problem_mark : parser.p.mark;
      return Status::Corruption(std::string(name) + ": invalid YAML at line " +
                                std::to_string(mark.line + 1) + ": " +
                                (parser.p.problem ? parser.p.problem : "syntax error"));
    }
    if (event.e.type == YAML_STREAM_END_EVENT) break;
    Status s = converter.Feed(event.e, &done);
    if (!s.ok()) {
      return Status(s.code(), std::string(name) + ": line " +
                                  std::to_string(event.e.start_mark.line + 1) + ": " +
                                  std::string(s.message()));
    }
  }
  if (out.empty()) out = "null";  // An empty stream, as yaml-cpp reads it.
  return out;
}

}  // namespace bulkhead::vulndb::internal
