// Incremental SHA-256 (OpenSSL EVP, which uses SHA-NI where the CPU has it).
// Not thread-safe; one hasher per stream. Movable, not copyable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace bulkhead {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  /// Returns "sha256:<64 lower-case hex digits>". The hasher is reset afterwards.
  std::string FinishDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "sha256:<hex>" of `data`.
std::string Sha256Digest(std::string_view data);

/// True when `digest` is "sha256:" followed by exactly 64 lower-case hex digits.
bool IsSha256Digest(std::string_view digest);

}  // namespace bulkhead
