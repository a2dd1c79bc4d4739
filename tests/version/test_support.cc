#include "tests/version/test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>

namespace bulkhead::version::testing {

std::mt19937_64 SeededRng(std::string_view what) {
  uint64_t seed;
  if (const char* forced = std::getenv("BULKHEAD_VERSION_SEED")) {
    seed = std::strtoull(forced, nullptr, 10);
  } else {
    seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  std::printf("[ seed ] %.*s: seed %llu (replay with BULKHEAD_VERSION_SEED=%llu)\n",
              static_cast<int>(what.size()), what.data(), static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  return std::mt19937_64(seed);
}

std::string RunShell(const std::string& command, int* exit_code) {
  *exit_code = -1;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) *exit_code = WEXITSTATUS(status);
  return out;
}

bool HaveProgram(const std::string& program) {
  int code;
  RunShell("command -v " + program + " >/dev/null 2>&1", &code);
  return code == 0;
}

std::string WriteTempFile(std::string_view content) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/bulkhead_version_XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) return "";
  close(fd);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace bulkhead::version::testing
