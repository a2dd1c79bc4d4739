// The subcommand handlers. Each parses its flags, calls the library, picks a writer and
// returns the process exit code: 0 success, 1 policy gate, 2 bad input or usage.
#pragma once

#include <string_view>

#include "bulkhead/core/status.h"

namespace bulkhead::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitPolicy = 1;
inline constexpr int kExitError = 2;

/// Prints "<prefix>: <message>" on stderr, one line whatever the message holds, and
/// returns kExitError.
int Fail(std::string_view prefix, const Status& s);
/// Prints "<prefix>: warning: <message>" on stderr, as one line.
void Warn(std::string_view prefix, std::string_view message);

using Handler = int (*)(int argc, char** argv);

struct Command {
  std::string_view name;
  std::string_view help;
  Handler handler;
};

int RunImage(int argc, char** argv);
int RunSbom(int argc, char** argv);
int RunVersion(int argc, char** argv);
int RunDb(int argc, char** argv);
int RunK8s(int argc, char** argv);

}  // namespace bulkhead::cli
