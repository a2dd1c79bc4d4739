#include "bulkhead/pkg/dotnet_analyzer.h"

#include <charconv>
#include <utility>

namespace bulkhead::pkg {
namespace {

using internal::LangEntry;

bool IsPackagesProps(std::string_view path) noexcept {
  const std::string_view base = internal::BaseName(path);
  return base == "Directory.Packages.props" || base == "Packages.props";
}

bool Wanted(std::string_view path) noexcept {
  return PathHasSuffix(path, ".deps.json") || internal::BaseName(path) == "packages.lock.json" ||
         IsPackagesProps(path);
}

// A minimal reader of the XML that MSBuild files are: elements, attributes, comments,
// processing instructions and CDATA. Not a validating parser: DTDs are refused, and
// entities other than the predefined and numeric ASCII ones are kept as written.
struct XmlTag {
  bool closing = false;       // </name>
  bool self_closing = false;  // <name/>
  std::string_view name;
  std::vector<std::pair<std::string_view, std::string>> attributes;
};

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

Status Corrupt(const std::string& file, size_t offset, std::string_view what) {
  return Status::Corruption(file + ": offset " + std::to_string(offset) + ": " + std::string(what));
}

std::string XmlUnescape(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t semi = v[i] == '&' ? v.find(';', i) : std::string_view::npos;
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back(v[i]);
      continue;
    }
    const std::string_view entity = v.substr(i + 1, semi - i - 1);
    char c = 0;
    if (entity == "amp") {
      c = '&';
    } else if (entity == "lt") {
      c = '<';
    } else if (entity == "gt") {
      c = '>';
    } else if (entity == "quot") {
      c = '"';
    } else if (entity == "apos") {
      c = '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      unsigned code = 0;
      auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
      if (ec == std::errc() && end == digits.data() + digits.size() && code > 0 && code < 0x80) {
        c = static_cast<char>(code);
      }
    }
    if (c == 0) {
      out.push_back('&');
      continue;
    }
    out.push_back(c);
    i = semi;
  }
  return out;
}

// Moves *pos past the next `end`; Corruption when there is none.
Status SkipPast(std::string_view text, size_t* pos, std::string_view end, const std::string& file) {
  const size_t at = text.find(end, *pos);
  if (at == std::string_view::npos) return Corrupt(file, *pos, "unterminated markup");
  *pos = at + end.size();
  return Status::OK();
}

// Reads the start or end tag at text[*pos] == '<' and moves *pos past it.
Status ReadTag(std::string_view text, size_t* pos, const std::string& file, XmlTag* tag) {
  const size_t start = *pos;
  size_t i = start + 1;
  tag->closing = i < text.size() && text[i] == '/';
  if (tag->closing) ++i;
  const size_t name_start = i;
  while (i < text.size() && !IsXmlSpace(text[i]) && text[i] != '>' && text[i] != '/') ++i;
  tag->name = text.substr(name_start, i - name_start);
  if (tag->name.empty()) return Corrupt(file, start, "a tag without a name");
  tag->self_closing = false;
  tag->attributes.clear();
  while (true) {
    while (i < text.size() && IsXmlSpace(text[i])) ++i;
    if (i >= text.size()) return Corrupt(file, start, "an unterminated tag");
    if (text[i] == '>') {
      *pos = i + 1;
      return Status::OK();
    }
    if (text[i] == '/' && !tag->closing && i + 1 < text.size() && text[i + 1] == '>') {
      tag->self_closing = true;
      *pos = i + 2;
      return Status::OK();
    }
    if (tag->closing) return Corrupt(file, i, "junk in a closing tag");
    const size_t attr_start = i;
    while (i < text.size() && !IsXmlSpace(text[i]) && text[i] != '=' && text[i] != '>' &&
           text[i] != '/') {
      ++i;
    }
    const std::string_view attr = text.substr(attr_start, i - attr_start);
    while (i < text.size() && IsXmlSpace(text[i])) ++i;
    if (attr.empty() || i >= text.size() || text[i] != '=') {
      return Corrupt(file, attr_start, "an attribute without a value");
    }
    ++i;
    while (i < text.size() && IsXmlSpace(text[i])) ++i;
    if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) {
      return Corrupt(file, i, "an unquoted attribute value");
    }
    const size_t value_end = text.find(text[i], i + 1);
    if (value_end == std::string_view::npos) return Corrupt(file, i, "an unterminated value");
    const std::string_view raw = text.substr(i + 1, value_end - i - 1);
    if (raw.find('<') != std::string_view::npos) return Corrupt(file, i, "'<' in a value");
    tag->attributes.emplace_back(attr, XmlUnescape(raw));
    i = value_end + 1;
  }
}

// The package of one <PackageVersion>/<PackageReference> item, if it names one version.
void AddItem(const XmlTag& tag, std::vector<LangEntry>* out) {
  std::string include, update, version;
  for (const auto& [key, value] : tag.attributes) {
    const std::string trimmed(internal::Trim(value));
    if (key == "Include") include = trimmed;
    if (key == "Update") update = trimmed;
    if (key == "Version") version = trimmed;
  }
  std::string name = include.empty() ? update : include;
  if (name.empty() || version.empty() || out->size() >= internal::kMaxPackagesPerFile) return;
  // MSBuild properties and version ranges name no one version.
  if (name.find("$(") != std::string::npos || version.find("$(") != std::string::npos ||
      version[0] == '[' || version[0] == '(') {
    return;
  }
  out->push_back({std::move(name), std::move(version)});
}

}  // namespace

Result<std::vector<LangEntry>> ParseDepsJson(std::string_view text, const std::string& name) {
  internal::JsonParser json;
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  simdjson::dom::object libraries;
  if (root["libraries"].get_object().get(libraries) != simdjson::SUCCESS) {
    return Status::Corruption(name + ": no \"libraries\" object");
  }
  std::vector<LangEntry> out;
  for (auto [key, value] : libraries) {
    if (out.size() >= internal::kMaxPackagesPerFile) break;
    if (internal::JsonStr(value, "type") != "package") continue;
    size_t slash = key.rfind('/');  // "Name/1.2.3"
    if (slash == std::string_view::npos) continue;
    out.push_back({std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))});
  }
  return out;
}

Result<std::vector<LangEntry>> ParseNugetLock(std::string_view text, const std::string& name) {
  internal::JsonParser json;
  BULKHEAD_ASSIGN_OR_RETURN(simdjson::dom::element root, json.Parse(text, name));
  simdjson::dom::object frameworks;
  if (root["dependencies"].get_object().get(frameworks) != simdjson::SUCCESS) {
    return Status::Corruption(name + ": no \"dependencies\" object");
  }
  std::vector<LangEntry> out;
  for (auto [framework, deps] : frameworks) {
    simdjson::dom::object pkgs;
    if (deps.get_object().get(pkgs) != simdjson::SUCCESS) continue;
    for (auto [key, value] : pkgs) {
      if (out.size() >= internal::kMaxPackagesPerFile) break;
      std::string_view type = internal::JsonStr(value, "type");
      if (type == "Project") continue;  // another project of the solution
      out.push_back({std::string(key), std::string(internal::JsonStr(value, "resolved"))});
    }
  }
  return out;
}

Result<std::vector<LangEntry>> ParsePackagesProps(std::string_view text, const std::string& name) {
  std::vector<std::string_view> open;  // The elements that enclose the next tag.
  std::vector<LangEntry> out;
  XmlTag tag;
  bool seen_root = false;
  size_t pos = 0;
  while ((pos = text.find('<', pos)) != std::string_view::npos) {
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with("<!--")) {
      BULKHEAD_RETURN_IF_ERROR(SkipPast(text, &pos, "-->", name));
      continue;
    }
    if (rest.starts_with("<![CDATA[")) {
      BULKHEAD_RETURN_IF_ERROR(SkipPast(text, &pos, "]]>", name));
      continue;
    }
    if (rest.starts_with("<?")) {
      BULKHEAD_RETURN_IF_ERROR(SkipPast(text, &pos, "?>", name));
      continue;
    }
    if (rest.starts_with("<!")) return Corrupt(name, pos, "a DTD (not supported)");
    const size_t at = pos;
    BULKHEAD_RETURN_IF_ERROR(ReadTag(text, &pos, name, &tag));
    if (tag.closing) {
      if (open.empty() || open.back() != tag.name) {
        return Corrupt(name, at, "</" + std::string(tag.name.substr(0, 64)) + "> closes nothing");
      }
      open.pop_back();
      continue;
    }
    if (open.empty() && seen_root) return Corrupt(name, at, "a second root element");
    seen_root = true;
    if ((tag.name == "PackageVersion" || tag.name == "PackageReference") && open.size() == 2 &&
        open[0] == "Project" && open[1] == "ItemGroup") {
      AddItem(tag, &out);
    }
    if (tag.self_closing) continue;
    if (open.size() >= internal::kMaxLockDepth) {
      return Status::ResourceExhausted(name + ": elements nested deeper than " +
                                       std::to_string(internal::kMaxLockDepth));
    }
    open.push_back(tag.name);
  }
  if (!seen_root) return Corrupt(name, 0, "no element");
  if (!open.empty()) {
    return Corrupt(name, text.size(),
                   "<" + std::string(open.back().substr(0, 64)) + "> is not closed");
  }
  return out;
}

bool DotnetAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  return meta.type != image::EntryType::kDirectory && Wanted(path);
}

Status DotnetAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  internal::ForEachWantedFile(
      input.files, sink, Wanted, [&](const std::string& path, std::string_view text) -> Status {
        std::vector<LangEntry> entries;
        if (PathHasSuffix(path, ".deps.json")) {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParseDepsJson(text, path));
        } else if (IsPackagesProps(path)) {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParsePackagesProps(text, path));
        } else {
          BULKHEAD_ASSIGN_OR_RETURN(entries, ParseNugetLock(text, path));
        }
        internal::EmitPackages("nuget", path, std::move(entries), input.files, sink);
        return Status::OK();
      });
  return Status::OK();
}

}  // namespace bulkhead::pkg
