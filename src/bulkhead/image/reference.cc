#include "bulkhead/image/reference.h"

#include <sys/stat.h>

namespace bulkhead::image {
namespace {

struct Prefix {
  std::string_view text;
  SourceKind kind;
};
constexpr Prefix kPrefixes[] = {
    {"oci:", SourceKind::kOciLayout},
    {"oci-archive:", SourceKind::kOciArchive},
    {"docker-archive:", SourceKind::kDockerArchive},
    {"dir:", SourceKind::kRootfs},
};

bool StatPath(const std::string& path, struct stat* st) { return stat(path.c_str(), st) == 0; }

// Splits "path[:tag]" where the path itself may contain ':' and the tag may too (a
// docker-archive reference "name:tag", a "sha256:..." digest). The whole text wins when
// it names something that exists, then the longest existing path before a ':'. Returns
// false when no such path exists; `spec` then gets a best guess.
bool SplitTag(std::string_view rest, SourceSpec* spec) {
  struct stat st;
  if (StatPath(std::string(rest), &st)) {
    spec->path = std::string(rest);
    return true;
  }
  for (size_t colon = rest.rfind(':'); colon != std::string_view::npos && colon > 0;
       colon = rest.rfind(':', colon - 1)) {
    if (StatPath(std::string(rest.substr(0, colon)), &st)) {
      spec->path = std::string(rest.substr(0, colon));
      spec->tag = std::string(rest.substr(colon + 1));
      return true;
    }
  }
  size_t digest = rest.rfind(":sha256:");
  size_t colon = digest != std::string_view::npos ? digest : rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    spec->path = std::string(rest);
    return false;
  }
  spec->path = std::string(rest.substr(0, colon));
  spec->tag = std::string(rest.substr(colon + 1));
  return false;
}

Status RegistryNotYet(std::string_view text) {
  return Status::Unsupported("'" + std::string(text) +
                             "' looks like a registry reference; registry sources are not "
                             "supported yet. Export the image first, e.g. `skopeo copy "
                             "docker://IMAGE oci-archive:image.tar`, and scan the archive");
}

}  // namespace

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kOciLayout:
      return "oci";
    case SourceKind::kOciArchive:
      return "oci-archive";
    case SourceKind::kDockerArchive:
      return "docker-archive";
    case SourceKind::kArchive:
      return "archive";
    case SourceKind::kRootfs:
      break;
  }
  return "dir";
}

Result<SourceSpec> ParseSourceSpec(std::string_view text) {
  SourceSpec spec;
  spec.display = std::string(text);
  if (text.empty()) return Status::InvalidArgument("no image source given");
  for (const Prefix& p : kPrefixes) {
    if (text.substr(0, p.text.size()) == p.text) {
      spec.kind = p.kind;
      std::string_view rest = text.substr(p.text.size());
      if (rest.empty()) return Status::InvalidArgument("'" + spec.display + "': no path given");
      if (p.kind == SourceKind::kRootfs) {
        spec.path = std::string(rest);
      } else {
        SplitTag(rest, &spec);  // a missing path fails when the image is opened
      }
      return spec;
    }
  }
  if (text.substr(0, 9) == "docker://" || text.substr(0, 9) == "registry:") {
    return RegistryNotYet(text);
  }
  // A bare path may carry a tag too ("./img:v1") when the part before it exists.
  if (!SplitTag(text, &spec)) {
    spec.path = std::string(text);
    spec.tag.clear();
    // Not a local path. Something shaped like "name:tag" or "host/name" is a registry
    // reference; anything else is a path that does not exist.
    bool has_slash = text.find('/') != std::string_view::npos;
    bool starts_local = text[0] == '/' || text[0] == '.' || text[0] == '~';
    if (!starts_local && (text.find(':') != std::string_view::npos || has_slash ||
                          text.find('@') != std::string_view::npos)) {
      return RegistryNotYet(text);
    }
    return Status::NotFound("'" + spec.display + "': no such file or directory");
  }
  struct stat st;
  if (!StatPath(spec.path, &st)) {
    return Status::NotFound("'" + spec.display + "': no such file or directory");
  }
  if (S_ISDIR(st.st_mode)) {
    struct stat layout;
    spec.kind =
        StatPath(spec.path + "/oci-layout", &layout) ? SourceKind::kOciLayout : SourceKind::kRootfs;
    return spec;
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("'" + spec.display + "': not a file or a directory");
  }
  if (st.st_size == 0) {
    return Status::InvalidArgument("'" + spec.display + "': empty file, not an image");
  }
  spec.kind = SourceKind::kArchive;
  return spec;
}

}  // namespace bulkhead::image
