#include "bulkhead/core/path.h"

namespace bulkhead {

CanonicalPath CanonicalizePath(std::string_view raw) {
  CanonicalPath out;
  out.path.reserve(raw.size() + 1);
  out.path.push_back('/');
  size_t i = 0;
  while (i < raw.size()) {
    size_t j = raw.find('/', i);
    if (j == std::string_view::npos) j = raw.size();
    std::string_view part = raw.substr(i, j - i);
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (out.path.size() == 1) {
        out.escaped = true;
        continue;
      }
      out.path.resize(out.path.rfind('/') == 0 ? 1 : out.path.rfind('/'));
      continue;
    }
    if (out.path.size() > 1) out.path.push_back('/');
    out.path.append(part.data(), part.size());
  }
  return out;
}

std::string_view ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

CanonicalPath ResolveLinkTarget(std::string_view link_path, std::string_view target) {
  if (!target.empty() && target.front() == '/') return CanonicalizePath(target);
  std::string joined(ParentPath(link_path));
  joined += '/';
  joined += target;
  return CanonicalizePath(joined);
}

}  // namespace bulkhead
