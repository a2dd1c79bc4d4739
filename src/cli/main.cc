// bulkhead: NIST SP 800-190 in one binary. This file only dispatches subcommands.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

using bulkhead::cli::Command;

constexpr Command kCommands[] = {
    {"image", "scan an image: inventory, findings, NIST 800-190 controls", bulkhead::cli::RunImage},
    {"sbom", "write the inventory of an image as CycloneDX or SPDX", bulkhead::cli::RunSbom},
    {"k8s", "audit Kubernetes manifests: workloads, network segmentation, RBAC, control plane",
     bulkhead::cli::RunK8s},
    {"db", "manage the vulnerability database: import, update, info", bulkhead::cli::RunDb},
    {"version", "print the version", bulkhead::cli::RunVersion},
};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1] ? 1u : 0u)});
      diag = up;
    }
  }
  return row[b.size()];
}

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "bulkhead: NIST SP 800-190 container security checks\n\n"
               "usage: bulkhead <command> [options]\n\ncommands:\n");
  for (const Command& c : kCommands) {
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.help.size()), c.help.data());
  }
  std::fprintf(out, "\nRun 'bulkhead <command> --help' for the options of a command.\n");
}

int Dispatch(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return bulkhead::cli::kExitError;
  }
  std::string_view name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    PrintUsage(stdout);
    return bulkhead::cli::kExitOk;
  }
  if (name == "--version") return bulkhead::cli::RunVersion(argc - 1, argv + 1);
  const Command* best = nullptr;
  size_t best_distance = 3;
  for (const Command& c : kCommands) {
    if (c.name == name) return c.handler(argc - 1, argv + 1);
    size_t d = EditDistance(c.name, name);
    if (d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  std::fprintf(stderr, "bulkhead: unknown command '%s'", argv[1]);
  if (best) {
    std::fprintf(stderr, "; did you mean '%.*s'?", static_cast<int>(best->name.size()),
                 best->name.data());
  }
  std::fprintf(stderr, " (see 'bulkhead --help')\n");
  return bulkhead::cli::kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Dispatch(argc, argv);
  } catch (const std::exception& e) {  // last resort: bulkhead code does not throw
    std::fprintf(stderr, "bulkhead: internal error: %s\n", e.what());
    return bulkhead::cli::kExitError;
  }
}
