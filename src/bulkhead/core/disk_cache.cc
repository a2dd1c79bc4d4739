#include "bulkhead/core/disk_cache.h"

#include "bulkhead/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <utility>
#include <vector>

namespace bulkhead {

std::string CacheHome() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/bulkhead";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.cache/bulkhead";
}

DiskCache DiskCache::Default() {
  const char* off = std::getenv("BULKHEAD_NO_CACHE");
  if (off && *off && std::string_view(off) != "0") return DiskCache("");
  // Without a home, CacheHome() is relative to the working directory: no cache rather
  // than a .cache folder wherever bulkhead happens to run.
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  if (!(xdg && *xdg) && !(home && *home)) return DiskCache("");
  return DiskCache(CacheHome() + "/compiled");
}

std::string DiskCache::Path(std::string_view kind, std::string_view key) const {
  return dir_ + "/" + std::string(kind) + "-" + std::string(key);
}

std::optional<std::string> DiskCache::Get(std::string_view kind, std::string_view key,
                                          size_t max_bytes) const {
  if (!enabled()) return std::nullopt;
  Result<std::string> data = ReadFileBounded(Path(kind, key), max_bytes);
  if (!data.ok() || data->empty()) return std::nullopt;
  return std::move(data).value();
}

void DiskCache::Put(std::string_view kind, std::string_view key, std::string_view bytes) const {
  if (!enabled()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  static std::atomic<unsigned> counter{0};
  const std::string final_path = Path(kind, key);
  const std::string temp = final_path + ".tmp-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter.fetch_add(1));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return;
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = ::close(fd) == 0 && done == bytes.size();
  if (!ok || ::rename(temp.c_str(), final_path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return;
  }
  Trim();
}

// Keeps the newest kMaxEntries entries: rule sets change rarely, but each one that did
// would otherwise stay forever.
void DiskCache::Trim() const {
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> entries;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir_, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::error_code time_ec;
    const auto time = it->last_write_time(time_ec);
    if (!time_ec && it->is_regular_file(time_ec)) entries.emplace_back(time, it->path());
  }
  if (entries.size() <= kMaxEntries) return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i + kMaxEntries < entries.size(); ++i) {
    std::filesystem::remove(entries[i].second, ec);
  }
}

}  // namespace bulkhead
