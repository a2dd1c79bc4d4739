// What the user names as a scan target, e.g. "oci:./img:v1", "docker-archive:x.tar",
// "dir:/", or a bare path detected by looking at it.
#pragma once

#include <string>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::image {

enum class SourceKind {
  kOciLayout,
  kOciArchive,
  kDockerArchive,
  kArchive,  ///< A bare archive path: OCI or docker form, decided from its members.
  kRootfs,
};
std::string_view SourceKindName(SourceKind kind);

struct SourceSpec {
  SourceKind kind = SourceKind::kRootfs;
  std::string path;
  std::string tag;      ///< A tag, a ref name or a "sha256:" digest; empty for "the only one".
  std::string display;  ///< The text the user gave.
};

/// Parses `text`: "oci:", "oci-archive:", "docker-archive:" or "dir:" and a path, or a
/// bare path. A ":<tag>" (for docker-archive "name:tag", or a "sha256:" digest) may follow
/// the path when the path before it exists. A bare path is detected: a directory with
/// `oci-layout` is an OCI layout, another directory a rootfs, a file an archive (kArchive)
/// whose form is decided when it is opened. Registry references are Unsupported (for now),
/// a bare path that does not exist is NotFound, and an empty or special file is
/// InvalidArgument. A prefixed path is not checked here; opening it fails instead.
Result<SourceSpec> ParseSourceSpec(std::string_view text);

}  // namespace bulkhead::image
