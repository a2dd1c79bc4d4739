#include "tests/testing/test_util.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace bulkhead::testing {

TempDir::TempDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/bulkhead-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::WriteFile(std::string_view relative, std::string_view content) const {
  std::filesystem::path p = std::filesystem::path(path_) / relative;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return p.string();
}

std::string MakeTar(const std::vector<TarSpec>& entries, int archive_format) {
  static_assert(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED == 0x30003, "default format in the header");
  struct archive* a = archive_write_new();
  archive_write_set_format(a, archive_format);
  archive_write_set_bytes_in_last_block(a, 1);
  std::string out;
  struct Sink {
    std::string* out;
  } sink{&out};
  archive_write_open(
      a, &sink, nullptr,
      [](struct archive*, void* ctx, const void* buf, size_t n) -> la_ssize_t {
        auto* s = static_cast<Sink*>(ctx);
        s->out->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr);
  for (const TarSpec& spec : entries) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, spec.path.c_str());
    archive_entry_set_perm(e, spec.mode);
    archive_entry_set_mtime(e, 0, 0);
    switch (spec.type) {
      case TarSpec::kFile:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, static_cast<la_int64_t>(spec.content.size()));
        break;
      case TarSpec::kDir:
        archive_entry_set_filetype(e, AE_IFDIR);
        break;
      case TarSpec::kSymlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, spec.content.c_str());
        break;
      case TarSpec::kHardlink:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, spec.content.c_str());
        break;
    }
    archive_write_header(a, e);
    if (spec.type == TarSpec::kFile && !spec.content.empty()) {
      archive_write_data(a, spec.content.data(), spec.content.size());
    }
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

std::string CompressibleText(size_t n) {
  std::string out;
  for (size_t i = 0; out.size() < n; ++i) {
    out += "line " + std::to_string(i) + ": the quick brown fox\n";
  }
  out.resize(n);
  return out;
}

std::string Deflate(std::string_view data, int window_bits, int level, gz_header* header) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  if (header) deflateSetHeader(&zs, header);
  std::string out(deflateBound(&zs, data.size()) + 256, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

std::string Gzip(std::string_view data) { return Deflate(data, 16 + MAX_WBITS); }

std::string Zstd(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  out.resize(n);
  return out;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RunCommand(const std::string& command, int* exit_status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    *exit_status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int rc = pclose(pipe);
  *exit_status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::string SharedDataDir() {
#ifdef BULKHEAD_SHARED_DATA
  struct stat st;
  if (stat(BULKHEAD_SHARED_DATA, &st) == 0 && S_ISDIR(st.st_mode)) return BULKHEAD_SHARED_DATA;
#endif
  return "";
}

bool HaveCommand(const std::string& name) {
  int status = 0;
  RunCommand("command -v " + name + " >/dev/null 2>&1", &status);
  return status == 0;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace bulkhead::testing
