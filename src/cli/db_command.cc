// `bulkhead db import|update|info`: the vulnerability database. Only parses and wires.
#include "cli/commands.h"

#include <cstdio>

namespace bulkhead::cli {

int RunDb(int, char**) {
  std::fprintf(stderr, "bulkhead db: not available yet\n");
  return kExitError;
}

}  // namespace bulkhead::cli
