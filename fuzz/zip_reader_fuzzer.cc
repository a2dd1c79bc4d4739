// The zip reader on arbitrary bytes: its central directory walk, zip64 records and
// inflation must never crash, hang or read outside the file, and whatever it accepts
// must keep its promises (entries inside the file, each read exactly its declared size).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "bulkhead/archive/zip_reader.h"

namespace {

constexpr uint64_t kMaxBytes = 1 << 20;

// One memfd for the whole run: ZipReader reads a path, and /proc/self/fd/N is one.
int MemFd() {
  static const int fd = memfd_create("zip_reader_fuzzer", MFD_CLOEXEC);
  if (fd < 0) __builtin_trap();
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = MemFd();
  if (ftruncate(fd, 0) != 0 || ftruncate(fd, static_cast<off_t>(size)) != 0) __builtin_trap();
  for (size_t done = 0; done < size;) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0) __builtin_trap();
    done += static_cast<size_t>(n);
  }
  bulkhead::archive::ZipLimits limits;
  limits.max_entries = 1000;
  limits.max_directory_bytes = 1 << 20;
  auto zip = bulkhead::archive::ZipReader::Open("/proc/self/fd/" + std::to_string(fd), limits);
  if (!zip.ok()) return 0;
  const auto& entries = (*zip)->entries();
  for (size_t i = 0; i < entries.size(); ++i) {
    const bulkhead::archive::ZipEntry& e = entries[i];
    // Open promised that each entry's header and data lie before the next one.
    if (e.local_header_offset > e.limit || e.limit > size ||
        e.compressed_size > e.limit - e.local_header_offset) {
      __builtin_trap();
    }
    auto bytes = (*zip)->Read(i, kMaxBytes);
    if (bytes.ok() && bytes->size() != e.size) __builtin_trap();
  }
  return 0;
}
