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

/// Parses `text`. A bare path is detected: a directory with `oci-layout` is an OCI
/// layout, another directory a rootfs, a file an archive (kArchive) whose form is
/// decided when it is opened. Registry references are Unsupported (for now), anything else that
/// does not exist is NotFound, and a file that is not an image archive is InvalidArgument.
Result<SourceSpec> ParseSourceSpec(std::string_view text);

}  // namespace bulkhead::image
