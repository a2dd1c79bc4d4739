// `bulkhead k8s`: audits Kubernetes manifests (issue 6). Only parses flags and wires.
#include "cli/commands.h"

#include <cstdio>

namespace bulkhead::cli {

int RunK8s(int, char**) {
  std::fprintf(stderr, "bulkhead k8s: not available yet\n");
  return kExitError;
}

}  // namespace bulkhead::cli
