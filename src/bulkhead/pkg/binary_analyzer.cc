#include "bulkhead/pkg/binary_analyzer.h"

#include <zlib.h>

#include <cstring>
#include <optional>

#include "bulkhead/pkg/internal/lang.h"
#include "bulkhead/pkg/internal/sparse_file.h"

namespace bulkhead::pkg {
namespace {

using internal::Summary;
using internal::SummaryPackage;

constexpr uint64_t kMinExecutableBytes = 1024;
constexpr uint64_t kMaxStringBytes = 4 << 20;    // a Go version or module info string
constexpr uint64_t kMaxDepJsonBytes = 16 << 20;  // inflated cargo-auditable JSON
constexpr std::string_view kGoMagic = "\xff Go buildinf:";

// Bounds-checked reads of an ELF file, from the bytes a SparseFile kept. Open() succeeds
// as soon as the file header is there; what else could be read is in the flags
// (table_read(), names_read()), so that a reduction can learn the layout as the file
// streams past.
class Elf {
 public:
  struct Section {
    std::string name;  // Owned: the file's kept bytes move when more are kept.
    uint32_t type = 0;
    uint64_t flags = 0, addr = 0, offset = 0, size = 0;
  };
  struct Load {
    uint64_t offset = 0, vaddr = 0, filesz = 0;
    uint32_t flags = 0;
  };

  /// Nullopt (and `*why`) unless the file header is kept and sane.
  static std::optional<Elf> Open(const internal::SparseFile& file, std::string* why) {
    Elf e(file);
    std::string_view ident = file.Bytes(0, 16);
    if (ident.size() != 16 || ident.substr(0, 4) !=
                                  "\x7f"
                                  "ELF") {
      *why = "not an ELF file";
      return std::nullopt;
    }
    if ((ident[4] != 1 && ident[4] != 2) || (ident[5] != 1 && ident[5] != 2)) {
      *why = "unknown ELF class or byte order";
      return std::nullopt;
    }
    e.is64_ = ident[4] == 2;
    e.big_ = ident[5] == 2;
    uint16_t phentsize, phnum, shentsize;
    bool ok = e.is64_
                  ? e.U64(0x20, &e.phoff_) && e.U64(0x28, &e.shoff_) && e.U16(0x36, &phentsize) &&
                        e.U16(0x38, &phnum) && e.U16(0x3A, &shentsize) && e.U16(0x3C, &e.shnum_) &&
                        e.U16(0x3E, &e.shstrndx_)
                  : e.Word(0x1C, &e.phoff_) && e.Word(0x20, &e.shoff_) && e.U16(0x2A, &phentsize) &&
                        e.U16(0x2C, &phnum) && e.U16(0x2E, &shentsize) && e.U16(0x30, &e.shnum_) &&
                        e.U16(0x32, &e.shstrndx_);
    if (!ok) {
      *why = "truncated ELF header";
      return std::nullopt;
    }
    e.shentsize_ = shentsize;
    // Program headers: PT_LOAD segments map virtual addresses to file offsets. An entry
    // size below the format's would read one header over and over (a fuzzer found that
    // 65,535 times per parse); such a file has no usable program headers.
    e.phdrs_read_ = true;
    if (phentsize < (e.is64_ ? 56 : 32) || e.phoff_ > file.size() ||
        uint64_t{phnum} * phentsize > file.size() - e.phoff_) {
      phnum = 0;
    }
    for (uint16_t i = 0; i < phnum; ++i) {
      uint64_t at = e.phoff_ + uint64_t{i} * phentsize;
      uint32_t type;
      Load l;
      bool good = e.U32(at, &type) &&
                  (e.is64_ ? e.U32(at + 4, &l.flags) && e.U64(at + 8, &l.offset) &&
                                 e.U64(at + 16, &l.vaddr) && e.U64(at + 32, &l.filesz)
                           : e.Word(at + 4, &l.offset) && e.Word(at + 8, &l.vaddr) &&
                                 e.Word(at + 16, &l.filesz) && e.U32(at + 24, &l.flags));
      if (!good) {
        e.phdrs_read_ = false;
        e.loads_.clear();
        break;
      }
      if (type == 1) e.loads_.push_back(l);
    }
    if (e.shnum_ == 0) {
      e.table_read_ = e.names_read_ = true;
      return e;
    }
    uint64_t min_entsize = e.is64_ ? 64 : 40;
    // A table that cannot fit in the file (as declared) is refused before anything is
    // allocated for its entries.
    if (shentsize < min_entsize || e.shstrndx_ >= e.shnum_) {
      *why = "bad section header table";
      return std::nullopt;
    }
    if (e.shoff_ > file.size() || uint64_t{e.shnum_} * shentsize > file.size() - e.shoff_) {
      return e;  // the table is not in the file: what the program headers give
    }
    std::vector<uint32_t> names(e.shnum_);
    std::vector<Section> raw(e.shnum_);
    for (uint16_t i = 0; i < e.shnum_; ++i) {
      uint64_t at = e.shoff_ + uint64_t{i} * shentsize;
      Section& s = raw[i];
      bool good = e.U32(at, &names[i]) && e.U32(at + 4, &s.type) &&
                  (e.is64_ ? e.U64(at + 8, &s.flags) && e.U64(at + 16, &s.addr) &&
                                 e.U64(at + 24, &s.offset) && e.U64(at + 32, &s.size)
                           : e.Word(at + 8, &s.flags) && e.Word(at + 12, &s.addr) &&
                                 e.Word(at + 16, &s.offset) && e.Word(at + 20, &s.size));
      if (!good) return e;  // the table is not (yet) there
    }
    e.table_read_ = true;
    const Section& strtab = raw[e.shstrndx_];
    std::string_view strings = file.Bytes(strtab.offset, strtab.size);
    e.names_read_ = strings.size() == strtab.size && strtab.type != 8;
    if (e.names_read_) {
      for (uint16_t i = 0; i < e.shnum_; ++i) {
        if (names[i] < strings.size()) {
          std::string_view n = strings.substr(names[i]);
          raw[i].name = std::string(n.substr(0, n.find('\0')));
        }
      }
    }
    e.sections_ = std::move(raw);
    return e;
  }

  const Section* Find(std::string_view name) const {
    for (const Section& s : sections_) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
  bool phdrs_read() const { return phdrs_read_; }
  /// The section header table was kept (or there is none).
  bool table_read() const { return table_read_; }
  /// The section names were kept too.
  bool names_read() const { return names_read_; }
  bool has_sections() const { return shnum_ != 0; }
  uint64_t table_offset() const { return shoff_; }
  uint64_t table_bytes() const { return uint64_t{shnum_} * shentsize_; }
  const std::vector<Load>& loads() const { return loads_; }
  const std::vector<Section>& sections() const { return sections_; }
  const Section* names_section() const {
    return shstrndx_ < sections_.size() ? &sections_[shstrndx_] : nullptr;
  }
  /// The bytes of a section; empty when it has none in the file or they were not kept.
  std::string_view Contents(const Section& s) const {
    if (s.type == 8) return {};  // SHT_NOBITS
    return file_->Bytes(s.offset, s.size);
  }
  /// `size` bytes at virtual address `addr`, from the PT_LOAD segment holding them.
  std::string_view AtAddress(uint64_t addr, uint64_t size) const {
    for (const Load& l : loads_) {
      if (addr >= l.vaddr && addr - l.vaddr < l.filesz && size <= l.filesz - (addr - l.vaddr)) {
        return file_->Bytes(l.offset + (addr - l.vaddr), size);
      }
    }
    return {};
  }

 private:
  explicit Elf(const internal::SparseFile& file) : file_(&file) {}
  bool Read(uint64_t at, size_t n, uint64_t* out) const {
    std::string_view b = file_->Bytes(at, n);
    if (b.size() != n) return false;
    *out = 0;
    for (size_t i = 0; i < n; ++i) {
      uint8_t byte = static_cast<uint8_t>(b[big_ ? i : n - 1 - i]);
      *out = (*out << 8) | byte;
    }
    return true;
  }
  bool U16(uint64_t at, uint16_t* out) const {
    uint64_t v;
    if (!Read(at, 2, &v)) return false;
    *out = static_cast<uint16_t>(v);
    return true;
  }
  bool U32(uint64_t at, uint32_t* out) const {
    uint64_t v;
    if (!Read(at, 4, &v)) return false;
    *out = static_cast<uint32_t>(v);
    return true;
  }
  bool U64(uint64_t at, uint64_t* out) const { return Read(at, 8, out); }
  bool Word(uint64_t at, uint64_t* out) const { return Read(at, 4, out); }

  const internal::SparseFile* file_;
  bool is64_ = true, big_ = false;
  bool phdrs_read_ = false, table_read_ = false, names_read_ = false;
  uint64_t phoff_ = 0, shoff_ = 0;
  uint16_t shnum_ = 0, shstrndx_ = 0, shentsize_ = 0;
  std::vector<Load> loads_;
  std::vector<Section> sections_;
};

bool ReadUvarint(std::string_view* s, uint64_t* out) {
  *out = 0;
  for (int shift = 0; shift < 64 && !s->empty(); shift += 7) {
    uint8_t b = static_cast<uint8_t>(s->front());
    s->remove_prefix(1);
    *out |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

uint64_t ReadPtr(std::string_view b, bool big) {
  uint64_t v = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    v = (v << 8) | static_cast<uint8_t>(b[big ? i : b.size() - 1 - i]);
  }
  return v;
}

// A Go string header (data pointer, length) at `addr`, followed to its bytes.
std::optional<std::string_view> GoString(const Elf& elf, uint64_t addr, size_t ptr_size, bool big) {
  std::string_view header = elf.AtAddress(addr, 2 * ptr_size);
  if (header.size() != 2 * ptr_size) return std::nullopt;
  uint64_t data = ReadPtr(header.substr(0, ptr_size), big);
  uint64_t len = ReadPtr(header.substr(ptr_size), big);
  if (len > kMaxStringBytes) return std::nullopt;
  if (len == 0) return std::string_view();
  std::string_view s = elf.AtAddress(data, len);
  if (s.size() != len) return std::nullopt;
  return s;
}

// Why `s` could not be read: past the end of the file, or outside the bytes kept.
std::string Unread(const internal::SparseFile& file, const Elf::Section& s) {
  std::string name(s.name);
  if (s.offset > file.size() || s.size > file.size() - s.offset) {
    return name + " section runs past the end of the file";
  }
  return name + " section lies outside the bytes kept of this file";
}

void ReadGoBuildInfo(const Elf& elf, const internal::SparseFile& file, Summary* out) {
  std::string_view info;
  if (const Elf::Section* s = elf.Find(".go.buildinfo")) {
    info = elf.Contents(*s);
    if (info.size() != s->size) {
      out->problems.push_back(Unread(file, *s));
      return;
    }
  } else if (!elf.has_sections() || !elf.names_read()) {
    // No section names: Go's own reader searches for the magic, 16-byte aligned.
    for (const auto& [offset, run] : file.Runs()) {
      for (size_t at = run.find(kGoMagic); at != std::string_view::npos;
           at = run.find(kGoMagic, at + 1)) {
        if ((offset + at) % 16 == 0) {
          info = run.substr(at, 64 * 1024);
          break;
        }
      }
      if (!info.empty()) break;
    }
  }
  if (info.empty()) return;  // not a Go binary
  if (info.size() < 32 || !info.starts_with(kGoMagic)) {
    out->problems.push_back(".go.buildinfo: truncated or without its magic");
    return;
  }
  const size_t ptr_size = static_cast<uint8_t>(info[14]);
  const uint8_t flags = static_cast<uint8_t>(info[15]);
  std::string_view version, modinfo;
  if (flags & 2) {  // Go 1.18+: two varint-prefixed strings after the 32-byte header
    std::string_view rest = info.substr(32);
    uint64_t len;
    if (!ReadUvarint(&rest, &len) || len > rest.size()) {
      out->problems.push_back(".go.buildinfo: truncated version string");
      return;
    }
    version = rest.substr(0, len);
    rest.remove_prefix(len);
    if (!ReadUvarint(&rest, &len) || len > rest.size()) {
      out->problems.push_back(".go.buildinfo: truncated module information");
      return;
    }
    modinfo = rest.substr(0, len);
  } else {
    if ((ptr_size != 4 && ptr_size != 8) || info.size() < 16 + 2 * ptr_size) {
      out->problems.push_back(".go.buildinfo: bad pointer size");
      return;
    }
    const bool big = flags & 1;
    auto v = GoString(elf, ReadPtr(info.substr(16, ptr_size), big), ptr_size, big);
    auto m = GoString(elf, ReadPtr(info.substr(16 + ptr_size, ptr_size), big), ptr_size, big);
    if (!v || !m) {
      out->problems.push_back(".go.buildinfo: version or module pointers lead outside the file");
      return;
    }
    version = *v;
    modinfo = *m;
  }
  // Module info is framed by 16-byte sentinels.
  if (modinfo.size() >= 33 && modinfo[modinfo.size() - 17] == '\n') {
    modinfo = modinfo.substr(16, modinfo.size() - 32);
  }
  for (SummaryPackage& p : ParseGoModInfo(version, modinfo)) out->packages.push_back(std::move(p));
}

// zlib-inflates `in`, at most `max` bytes; nullopt on corrupt data or past the bound.
std::optional<std::string> Inflate(std::string_view in, uint64_t max, std::string* why) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[64 * 1024];
  int r = Z_OK;
  while (r == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    r = inflate(&z, Z_NO_FLUSH);
    if (r != Z_OK && r != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max) {
      inflateEnd(&z);
      *why = "inflates past " + std::to_string(max) + " bytes";
      return std::nullopt;
    }
    if (r == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // input ended early
  }
  inflateEnd(&z);
  if (r != Z_STREAM_END) {
    *why = "corrupt or truncated zlib data";
    return std::nullopt;
  }
  return out;
}

void ReadCargoAuditable(const Elf& elf, const internal::SparseFile& file, Summary* out) {
  const Elf::Section* s = elf.Find(".dep-v0");
  if (!s) return;
  std::string_view compressed = elf.Contents(*s);
  if (compressed.size() != s->size) {
    out->problems.push_back(Unread(file, *s));
    return;
  }
  std::string why;
  std::optional<std::string> json_text = Inflate(compressed, kMaxDepJsonBytes, &why);
  if (!json_text) {
    out->problems.push_back(".dep-v0: " + why);
    return;
  }
  internal::JsonParser json;
  Result<simdjson::dom::element> root = json.Parse(*json_text, ".dep-v0");
  simdjson::dom::array packages;
  if (!root.ok() || (*root)["packages"].get_array().get(packages) != simdjson::SUCCESS) {
    out->problems.push_back(".dep-v0: not the cargo-auditable JSON");
    return;
  }
  for (simdjson::dom::element p : packages) {
    bool root_crate = false;
    if (p["root"].get_bool().get(root_crate) != simdjson::SUCCESS) root_crate = false;
    if (root_crate || internal::JsonStr(p, "kind") == "build" ||
        internal::JsonStr(p, "source") == "local") {
      continue;
    }
    out->packages.push_back({"cargo", std::string(internal::JsonStr(p, "name")),
                             std::string(internal::JsonStr(p, "version"))});
  }
}

// Streams an ELF file past, keeping only the regions the build information can be in:
// the headers, the section header table, the section names and, once named, the
// .go.buildinfo and .dep-v0 sections. Sections that stream past before the table is
// known (GNU ld and Go's external linking put the table at the end) are caught by
// keeping the head of each writable segment (where .go.buildinfo lives), the region
// after the loaded segments (where non-allocated sections such as .dep-v0 go) and the
// bytes just before the table. All within kMaxKeptBytes.
class ElfReduction final : public Reduction {
 public:
  explicit ElfReduction(uint64_t size) : file_(size) {}

  bool Feed(std::string_view chunk) override {
    const uint64_t at = pos_;
    pos_ += chunk.size();
    uint64_t wanted_end = 0;
    for (int pass = 0; pass < 8; ++pass) {
      wanted_end = 0;
      bool kept = false;
      for (const auto& [a, b] : Wanted()) {
        wanted_end = std::max(wanted_end, b);
        uint64_t lo = std::max(a, at), hi = std::min(b, at + chunk.size());
        if (lo >= hi) continue;
        if (file_.kept_bytes() + (hi - lo) > kMaxKeptBytes) {
          over_ = true;
          continue;
        }
        file_.Keep(lo, chunk.substr(lo - at, hi - lo));
        kept = true;
      }
      // The layout can only be learnt anew from bytes not seen before.
      if (!kept || !Learn()) break;
    }
    return pos_ < wanted_end;  // nothing further on is wanted: stop reading
  }

  std::string Finish() override {
    Summary s = ReadElfPackages(file_);
    if (over_ && s.packages.empty()) {
      s.problems.push_back("kept more than " + std::to_string(kMaxKeptBytes) +
                           " bytes of this executable; the rest was not read");
    }
    return internal::EncodeSummary(s);
  }

 private:
  static constexpr uint64_t kHeadBytes = 64 * 1024;
  static constexpr uint64_t kSegmentHeadBytes = 4 << 20;
  static constexpr uint64_t kTailBytes = 8 << 20;
  static constexpr uint64_t kBeforeTableBytes = 1 << 20;
  static constexpr uint64_t kMaxSectionBytes = 16 << 20;
  static constexpr uint64_t kMaxKeptBytes = 64 << 20;

  // What is known of the layout: 0 nothing, 1 header, 2 + program headers, 3 + section
  // table, 4 + section names. Returns true when it grew.
  bool Learn() {
    if (stage_ == 4) return false;
    std::string why;
    std::optional<Elf> elf = Elf::Open(file_, &why);
    int stage = !elf                ? 0
                : elf->names_read() ? 4
                : elf->table_read() ? 3
                : elf->phdrs_read() ? 2
                                    : 1;
    if (stage <= stage_) return false;
    stage_ = stage;
    elf_.emplace(std::move(*elf));
    return true;
  }

  // The byte ranges worth keeping, given what is known of the layout so far.
  std::vector<std::pair<uint64_t, uint64_t>> Wanted() const {
    std::vector<std::pair<uint64_t, uint64_t>> out{{0, kHeadBytes}};
    if (!elf_) return out;
    auto add = [&](uint64_t a, uint64_t n) {
      if (a + n >= a) out.emplace_back(a, a + n);
    };
    if (stage_ == 4) {  // the layout is known: only the sections themselves
      for (const Elf::Section& s : elf_->sections()) {
        if ((s.name == ".go.buildinfo" || s.name == ".dep-v0") && s.size <= kMaxSectionBytes) {
          add(s.offset, s.size);
        }
      }
      return out;
    }
    if (stage_ < 3) {
      const uint64_t table = elf_->table_offset();
      if (elf_->table_bytes() <= kSegmentHeadBytes) add(table, elf_->table_bytes());
      add(table > kBeforeTableBytes ? table - kBeforeTableBytes : 0,
          std::min(table, kBeforeTableBytes));
    }
    if (stage_ >= 2) {
      uint64_t end_of_loads = 0;
      for (const Elf::Load& l : elf_->loads()) {
        if (l.flags & 2) add(l.offset, std::min(l.filesz, kSegmentHeadBytes));  // PF_W
        end_of_loads = std::max(end_of_loads, l.offset + l.filesz);
      }
      add(end_of_loads, kTailBytes);
    }
    if (stage_ == 3) {
      if (const Elf::Section* names = elf_->names_section()) {
        if (names->size <= kMaxSectionBytes) add(names->offset, names->size);
      }
    }
    return out;
  }

  internal::SparseFile file_;
  std::optional<Elf> elf_;
  int stage_ = 0;
  uint64_t pos_ = 0;
  bool over_ = false;
};

}  // namespace

std::vector<SummaryPackage> ParseGoModInfo(std::string_view go_version, std::string_view modinfo) {
  std::vector<SummaryPackage> out;
  go_version = go_version.substr(0, go_version.find(' '));  // "go1.21.0 X:boringcrypto"
  if (go_version.starts_with("go") && go_version.size() > 2) {
    out.push_back({"golang", "stdlib", "v" + std::string(go_version.substr(2))});
  }
  ForEachLine(modinfo, [&](std::string_view line) {
    if (out.size() >= internal::kMaxPackagesPerFile) return;
    std::string_view fields[4];
    size_t n = 0;
    while (n < 4) {
      size_t tab = line.find('\t');
      fields[n++] = line.substr(0, tab);
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    if (n < 3) return;
    if (fields[0] == "mod" || fields[0] == "dep") {
      // The main module of a plain `go build` is "(devel)": no release to match.
      if (fields[2] == "(devel)" || fields[2].empty()) return;
      out.push_back({"golang", std::string(fields[1]), std::string(fields[2])});
    } else if (fields[0] == "=>" && !out.empty() && out.back().name != "stdlib") {
      // A replacement of the dependency on the line before; a local path has no version.
      if (fields[2].empty()) {
        out.pop_back();
      } else {
        out.back().name = std::string(fields[1]);
        out.back().version = std::string(fields[2]);
      }
    }
  });
  return out;
}

internal::Summary ReadElfPackages(const internal::SparseFile& file) {
  Summary out;
  std::string why;
  std::optional<Elf> elf = Elf::Open(file, &why);
  if (!elf) {
    if (why != "not an ELF file") out.problems.push_back(why);
    return out;
  }
  if (elf->has_sections() && !elf->table_read()) {
    uint64_t end = elf->table_offset() + elf->table_bytes();
    out.problems.push_back(end > file.size() || end < elf->table_offset()
                               ? "section header table runs past the end of the file"
                               : "section header table lies outside the bytes kept");
  }
  ReadGoBuildInfo(*elf, file, &out);
  ReadCargoAuditable(*elf, file, &out);
  return out;
}

internal::Summary ReadElfPackages(std::string_view content) {
  return ReadElfPackages(internal::SparseFile::Whole(content));
}

bool BinaryAnalyzer::Required(std::string_view, const FileMeta& meta) const noexcept {
  return meta.type == image::EntryType::kFile && (meta.mode & 0111) != 0 &&
         meta.size >= kMinExecutableBytes;
}

bool BinaryAnalyzer::Accepts(std::string_view head) const noexcept {
  return head.size() >= 4 && head.substr(0, 4) ==
                                 "\x7f"
                                 "ELF";
}

std::unique_ptr<Reduction> BinaryAnalyzer::StartReduction(std::string_view, uint64_t size) const {
  return std::make_unique<ElfReduction>(size);
}

Status BinaryAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  const image::Overlay& overlay = input.files.overlay();
  internal::AnalyzeReduced(*this, input.files, sink, [&](std::string_view path) {
    const image::Overlay::File* f = overlay.Find(path);
    return f && Required(path, f->meta);
  });
  return Status::OK();
}

}  // namespace bulkhead::pkg
