// Binary inputs for analyzer tests, built in memory: zips (jars), ELF executables with
// chosen sections, and the encodings Go and cargo-auditable use inside them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulkhead::testing {

using Entries = std::vector<std::pair<std::string, std::string>>;

/// A deflated zip holding `entries` (name, bytes), in order.
std::string MakeZip(const Entries& entries);

/// Where MakeElf maps the file: section i's address is kElfBase plus its file offset.
inline constexpr uint64_t kElfBase = 0x400000;

/// Writes the `n` low bytes of `v` little-endian at s[at].
void PutLittleEndian(std::string* s, size_t at, uint64_t v, size_t n);

/// A little-endian x86-64 ELF64 executable whose sections are `sections` (name, bytes),
/// laid out after the headers and mapped by one PT_LOAD at kElfBase, padded to 2 KiB
/// (BinaryAnalyzer reads files of 1 KiB or more). `offsets` gets each section's offset.
std::string MakeElf(const Entries& sections, std::vector<uint64_t>* offsets = nullptr);

/// Go's unsigned varint.
std::string Uvarint(uint64_t v);

/// zlib's compress() of `text` (cargo-auditable's .dep-v0).
std::string Zlib(std::string_view text);

}  // namespace bulkhead::testing
