// Lexical path handling for paths inside an image or root filesystem.
//
// The canonical form is absolute, "/"-separated, with no ".", "..", empty or trailing
// components: "/etc/os-release". The root itself is "/". ".." never climbs above the
// root (as in a chroot), so no canonical path can name anything outside the image.
#pragma once

#include <string>
#include <string_view>

namespace bulkhead {

struct CanonicalPath {
  std::string path;
  bool escaped = false;  ///< A ".." tried to climb above the root and was clamped.
};

/// Canonicalises `raw` (an archive entry name, a link target joined to its directory...).
/// Leading "./" and "/" are both taken as the root.
CanonicalPath CanonicalizePath(std::string_view raw);

/// The canonical directory part of canonical `path`: "/a/b" -> "/a", "/a" -> "/".
std::string_view ParentPath(std::string_view path);

/// The last component of canonical `path`; empty for "/".
std::string_view BaseName(std::string_view path);

/// Joins a symlink `target` to the directory holding the link at canonical `link_path`,
/// as the kernel would inside a chroot at the image root.
CanonicalPath ResolveLinkTarget(std::string_view link_path, std::string_view target);

}  // namespace bulkhead
