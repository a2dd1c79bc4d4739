#include "tests/pkg/binary_builders.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace bulkhead::testing {

std::string MakeZip(const Entries& entries) {
  size_t total = 1 << 16;
  for (const auto& [name, data] : entries) total += name.size() + data.size() + 256;
  std::vector<char> buf(total);
  size_t used = 0;
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  EXPECT_EQ(archive_write_open_memory(a, buf.data(), buf.size(), &used), ARCHIVE_OK);
  for (const auto& [name, data] : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    EXPECT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    EXPECT_EQ(archive_write_data(a, data.data(), data.size()),
              static_cast<la_ssize_t>(data.size()));
    archive_entry_free(e);
  }
  EXPECT_EQ(archive_write_close(a), ARCHIVE_OK) << archive_error_string(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

void PutLittleEndian(std::string* s, size_t at, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) (*s)[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string MakeElf(const Entries& sections, std::vector<uint64_t>* offsets) {
  const auto put = [](std::string* s, size_t at, uint64_t v, size_t n) {
    PutLittleEndian(s, at, v, n);
  };
  std::string out(64 + 56, '\0');
  std::vector<uint64_t> offs;
  for (const auto& [name, data] : sections) {
    while (out.size() % 16) out += '\0';
    offs.push_back(out.size());
    out += data;
  }
  out.resize(std::max<size_t>(out.size(), 2048), '\0');
  std::string shstr(1, '\0');
  std::vector<uint32_t> name_off;
  for (const auto& [name, data] : sections) {
    name_off.push_back(static_cast<uint32_t>(shstr.size()));
    shstr += name + '\0';
  }
  const uint32_t shstr_name = static_cast<uint32_t>(shstr.size());
  shstr += std::string(".shstrtab") + '\0';
  const uint64_t shstr_off = out.size();
  out += shstr;
  while (out.size() % 8) out += '\0';
  const uint64_t shoff = out.size();
  const size_t shnum = sections.size() + 2;  // null, sections, .shstrtab
  out.resize(out.size() + shnum * 64, '\0');
  for (size_t i = 0; i < sections.size(); ++i) {
    const size_t at = shoff + (i + 1) * 64;
    put(&out, at, name_off[i], 4);
    put(&out, at + 4, 1, 4);  // SHT_PROGBITS
    put(&out, at + 16, kElfBase + offs[i], 8);
    put(&out, at + 24, offs[i], 8);
    put(&out, at + 32, sections[i].second.size(), 8);
  }
  const size_t at = shoff + (shnum - 1) * 64;
  put(&out, at, shstr_name, 4);
  put(&out, at + 4, 3, 4);  // SHT_STRTAB
  put(&out, at + 24, shstr_off, 8);
  put(&out, at + 32, shstr.size(), 8);
  std::memcpy(out.data(),
              "\x7f"
              "ELF\x02\x01\x01",
              7);
  put(&out, 16, 2, 2);     // ET_EXEC
  put(&out, 18, 62, 2);    // EM_X86_64
  put(&out, 0x20, 64, 8);  // e_phoff
  put(&out, 0x28, shoff, 8);
  put(&out, 0x36, 56, 2);
  put(&out, 0x38, 1, 2);
  put(&out, 0x3A, 64, 2);
  put(&out, 0x3C, shnum, 2);
  put(&out, 0x3E, shnum - 1, 2);
  put(&out, 64, 1, 4);  // PT_LOAD
  put(&out, 64 + 8, 0, 8);
  put(&out, 64 + 16, kElfBase, 8);
  put(&out, 64 + 32, out.size(), 8);
  if (offsets) *offsets = offs;
  return out;
}

std::string Uvarint(uint64_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
  out += static_cast<char>(v);
  return out;
}

std::string Zlib(std::string_view text) {
  uLongf size = compressBound(text.size());
  std::string out(size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(out.data()), &size,
                     reinterpret_cast<const Bytef*>(text.data()), text.size()),
            Z_OK);
  out.resize(size);
  return out;
}

}  // namespace bulkhead::testing
