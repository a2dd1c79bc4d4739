// The Version rule (STYLE.md): an analyzer's Version() changes whenever its output for the
// same input may change, because cache keys hold (type, version) pairs and a cached layer
// must never outlive the code that analyzed it.
//
// Every analyzer RegisterBuiltinAnalyzers() adds has a directory tests/pkg/testdata/<type>/
// of hand-written inputs and a golden.json of its output on them. Each case directory
// (<type>/<case>/) is an image: layer0/, layer1/, ... hold the files of each layer, at
// their paths in the image. A few names stand for content built here from text, because
// the analyzer reads a binary format:
//   <name>.zip.d/    a zip (a jar) of the directory, nested .zip.d directories first;
//   <name>.elf.d/    an ELF executable (mode 0755) with the sections its files describe:
//                    go-version + go-modinfo -> .go.buildinfo (Go 1.18+ inline layout),
//                    dep-v0.json -> .dep-v0 (zlib, cargo-auditable), dep-v0.raw -> .dep-v0
//                    as is;
//   <name>.rpmdb.d/  an sqlite rpmdb holding the packages rpmbuild makes of the *.spec
//                    files (needs rpm and rpmbuild; the rpm golden is skipped without them);
//   .wh.<name>       a whiteout of <name>; files with an execute bit keep mode 0755.
//
// Checks, per analyzer type:
//   - the output equals golden.json (else: bump Version() and regenerate);
//   - golden.json was made by the current Version();
//   - testdata/analyzer_versions.tsv, an append-only record of every (type, version) ever
//     released with the sha256 of its output, has the current (type, Version()) with the
//     current output's digest. So regenerating a golden without bumping the version fails
//     too: the recorded digest of that version differs.
// And: every registered analyzer has a directory, and every directory an analyzer.
//
// BULKHEAD_UPDATE_GOLDENS=1 (scripts/update-analyzer-goldens) rewrites golden.json files
// and appends missing (type, version) lines, and refuses when the output of a recorded
// version changed.
#include <archive.h>
#include <archive_entry.h>
#include <cxxabi.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

#include "bulkhead/core/sha256.h"
#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/builtin_analyzers.h"
#include "tests/pkg/analyzer_fixture.h"
#include "tests/pkg/binary_builders.h"
#include "tests/testing/test_util.h"

namespace bulkhead::testing {
namespace {

namespace fs = std::filesystem;

// A new field of Package or Diagnostic must be written by ToJson() below, or a change in
// it would pass unnoticed: update the serializer, then these sizes.
static_assert(sizeof(Package) == 11 * sizeof(std::string) + sizeof(std::vector<std::string>),
              "Package changed: serialize the new field in the golden test");
static_assert(sizeof(Diagnostic) == 4 * sizeof(std::string),
              "Diagnostic changed: serialize the new field in the golden test");

constexpr std::string_view kUpdateHint = "scripts/update-analyzer-goldens";

std::string GoldenRoot() { return std::string(BULKHEAD_TESTDATA) + "/pkg/testdata"; }
std::string RegistryPath() { return GoldenRoot() + "/analyzer_versions.tsv"; }

bool UpdateMode() {
  const char* v = std::getenv("BULKHEAD_UPDATE_GOLDENS");
  return v && std::string_view(v) == "1";
}

// --- A small JSON writer: fixed member order, so equal values give equal bytes. ----------

struct Json {
  enum Kind { kString, kInt, kArray, kObject } kind = kObject;
  std::string str;
  int64_t num = 0;
  std::vector<std::string> keys;  // kObject
  std::vector<Json> items;        // kArray elements, or kObject values

  static Json Str(std::string s) {
    Json j;
    j.kind = kString;
    j.str = std::move(s);
    return j;
  }
  static Json Int(int64_t n) {
    Json j;
    j.kind = kInt;
    j.num = n;
    return j;
  }
  static Json Array() {
    Json j;
    j.kind = kArray;
    return j;
  }
  Json& Set(std::string key, Json value) {
    keys.push_back(std::move(key));
    items.push_back(std::move(value));
    return *this;
  }
  // Omits empty strings and lists: an unset field is absent, not "".
  Json& SetIf(std::string key, const std::string& value) {
    return value.empty() ? *this : Set(std::move(key), Str(value));
  }

  // indent < 0: compact, on one line.
  void Dump(std::string* out, int indent = 2, int depth = 0) const {
    auto newline = [&](int d) {
      if (indent < 0) return;
      *out += '\n';
      out->append(static_cast<size_t>(indent * d), ' ');
    };
    switch (kind) {
      case kString:
        Quote(str, out);
        return;
      case kInt:
        *out += std::to_string(num);
        return;
      case kArray:
      case kObject: {
        *out += kind == kArray ? '[' : '{';
        for (size_t i = 0; i < items.size(); ++i) {
          if (i) *out += ',';
          newline(depth + 1);
          if (kind == kObject) {
            Quote(keys[i], out);
            *out += indent < 0 ? ":" : ": ";
          }
          items[i].Dump(out, indent, depth + 1);
        }
        if (!items.empty()) newline(depth);
        *out += kind == kArray ? ']' : '}';
        return;
      }
    }
  }
  std::string Dump(int indent) const {
    std::string out;
    Dump(&out, indent);
    return out;
  }

  static void Quote(std::string_view s, std::string* out) {
    *out += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') {
        *out += '\\';
        *out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        *out += buf;
      } else {
        *out += c;
      }
    }
    *out += '"';
  }
};

Json ToJson(const Package& p) {
  Json j;
  j.SetIf("name", p.name)
      .SetIf("version", p.version)
      .SetIf("type", p.type)
      .SetIf("arch", p.arch)
      .SetIf("epoch", p.epoch)
      .SetIf("source_name", p.source_name)
      .SetIf("source_version", p.source_version)
      .SetIf("modularity_label", p.modularity_label)
      .SetIf("purl", p.purl)
      .SetIf("layer", p.layer)
      .SetIf("db_path", p.db_path);
  if (!p.files.empty()) {
    Json files = Json::Array();
    for (const std::string& f : p.files) files.items.push_back(Json::Str(f));
    j.Set("files", std::move(files));
  }
  return j;
}

Json ToJson(const Diagnostic& d) {
  Json j;
  j.SetIf("layer", d.layer).SetIf("path", d.path).SetIf("source", d.source);
  return j.SetIf("message", d.message);
}

// An array of `values`, sorted by their compact form: the analyzer's own order is not
// part of its output (the scanner sorts the report).
template <typename T>
Json SortedArray(const std::vector<T>& values) {
  std::vector<std::pair<std::string, Json>> keyed;
  for (const T& v : values) {
    Json j = ToJson(v);
    keyed.emplace_back(j.Dump(-1), std::move(j));
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Json out = Json::Array();
  for (auto& [key, j] : keyed) out.items.push_back(std::move(j));
  return out;
}

// --- Inputs built from text ---------------------------------------------------------------

std::string ReadFile(const fs::path& path) { return ReadFileOrDie(path.string()); }

// Regular files under `dir` (recursively) and .zip.d directories, by relative path, sorted.
std::vector<fs::path> SortedChildren(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string ZipDir(const fs::path& dir);

void CollectZipEntries(const fs::path& dir, const std::string& prefix, Entries* out) {
  for (const fs::path& p : SortedChildren(dir)) {
    std::string name = p.filename().string();
    if (fs::is_directory(p) && EndsWith(name, ".zip.d")) {
      out->emplace_back(prefix + name.substr(0, name.size() - 6), ZipDir(p));
    } else if (fs::is_directory(p)) {
      CollectZipEntries(p, prefix + name + "/", out);
    } else {
      out->emplace_back(prefix + name, ReadFile(p));
    }
  }
}

// A deflated zip of the files under `dir`, in path order.
std::string ZipDir(const fs::path& dir) {
  Entries entries;
  CollectZipEntries(dir, "", &entries);
  return MakeZip(entries);
}

std::string TrimLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string ElfFromDir(const fs::path& dir) {
  Entries sections;
  if (fs::exists(dir / "go-version")) {
    // Go 1.18+: magic, pointer size, flags (2: inline strings), then two varint-prefixed
    // strings; the module info is framed by 16 sentinel bytes on each side.
    const std::string sentinel = "0123456789abcdef";
    std::string version = TrimLine(ReadFile(dir / "go-version"));
    std::string mod = sentinel + ReadFile(dir / "go-modinfo") + sentinel;
    std::string info = "\xff Go buildinf:";
    info += '\x08';
    info += '\x02';
    info.resize(32, '\0');
    info += Uvarint(version.size()) + version + Uvarint(mod.size()) + mod;
    sections.emplace_back(".go.buildinfo", info);
  }
  if (fs::exists(dir / "dep-v0.json")) {
    sections.emplace_back(".dep-v0", Zlib(ReadFile(dir / "dep-v0.json")));
  }
  if (fs::exists(dir / "dep-v0.raw"))
    sections.emplace_back(".dep-v0", ReadFile(dir / "dep-v0.raw"));
  sections.emplace_back(".text", std::string(64, '\x90'));
  return MakeElf(sections);
}

// An sqlite rpmdb (rpm's default backend) of the packages built from the *.spec files in
// `dir`; "" after a test failure.
std::string RpmDbFromDir(const fs::path& dir) {
  TempDir work;
  std::vector<std::string> rpms;
  for (const fs::path& spec : SortedChildren(dir)) {
    if (spec.extension() != ".spec") continue;
    int status = 0;
    std::string log = RunCommand("rpmbuild --define " + ShellQuote("_topdir " + work.path()) +
                                     " --define '_build_id_links none' -bb " +
                                     ShellQuote(spec.string()) + " 2>&1",
                                 &status);
    EXPECT_EQ(status, 0) << log;
    if (status != 0) return "";
  }
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(work.path() + "/RPMS")) {
    if (e.path().extension() == ".rpm") rpms.push_back(e.path().string());
  }
  std::sort(rpms.begin(), rpms.end());
  const std::string db = work.path() + "/db";
  int status = 0;
  std::string log = RunCommand("rpm --initdb --dbpath " + ShellQuote(db) + " 2>&1", &status);
  EXPECT_EQ(status, 0) << log;
  std::string cmd = "rpm -i --justdb --nodeps --noscripts --dbpath " + ShellQuote(db);
  for (const std::string& r : rpms) cmd += " " + ShellQuote(r);
  log = RunCommand(cmd + " 2>&1", &status);
  EXPECT_EQ(status, 0) << log;
  EXPECT_FALSE(fs::exists(db + "/rpmdb.sqlite-wal") && fs::file_size(db + "/rpmdb.sqlite-wal") > 0)
      << "rpm left a write-ahead log; the golden would depend on checkpointing";
  return status == 0 ? ReadFileOrDie(db + "/rpmdb.sqlite") : "";
}

bool NeedsRpm(const fs::path& dir) {
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_directory() && EndsWith(e.path().filename().string(), ".rpmdb.d")) return true;
  }
  return false;
}

// Adds the tree `dir` (a layer directory) to the top layer of `img`, at `image_dir`.
void AddTree(FakeImage& img, const fs::path& dir, const std::string& image_dir) {
  for (const fs::path& p : SortedChildren(dir)) {
    const std::string name = p.filename().string();
    const std::string path = image_dir + "/" + name;
    auto stem = [&](size_t suffix) { return path.substr(0, path.size() - suffix); };
    if (fs::is_symlink(p)) {
      img.Symlink(path, fs::read_symlink(p).string());
    } else if (name == ".wh..wh..opq") {
      img.Opaque(image_dir.empty() ? "/" : image_dir);
    } else if (name.starts_with(".wh.")) {
      img.Whiteout(image_dir + "/" + name.substr(4));
    } else if (fs::is_directory(p) && EndsWith(name, ".zip.d")) {
      img.File(stem(6), ZipDir(p));
    } else if (fs::is_directory(p) && EndsWith(name, ".elf.d")) {
      img.File(stem(6), ElfFromDir(p), 0755);
    } else if (fs::is_directory(p) && EndsWith(name, ".rpmdb.d")) {
      img.File(stem(8), RpmDbFromDir(p));
    } else if (fs::is_directory(p)) {
      img.Dir(path);
      AddTree(img, p, path);
    } else {
      const bool exec = (fs::status(p).permissions() & fs::perms::owner_exec) != fs::perms::none;
      img.File(path, ReadFile(p), exec ? 0755 : 0644);
    }
  }
}

// The analyzer's output on the image of `case_dir`: status, packages, diagnostics (and,
// for os-release, whose analyzer only captures files, the OS DetectOs() finds in them).
Json RunCase(const pkg::Analyzer& analyzer, const fs::path& case_dir) {
  FakeImage img;
  size_t layers = 0;
  for (const fs::path& p : SortedChildren(case_dir)) {
    EXPECT_TRUE(fs::is_directory(p) && p.filename().string().starts_with("layer"))
        << p << ": a case holds only layer0/, layer1/, ...";
    ++layers;
  }
  for (size_t i = 0; i < layers; ++i) {
    const fs::path layer = case_dir / ("layer" + std::to_string(i));
    EXPECT_TRUE(fs::is_directory(layer)) << layer << " is missing: layers are numbered from 0";
    img.AddLayer("layer" + std::to_string(i));
    if (fs::is_directory(layer)) AddTree(img, layer, "");
  }
  FakeImage::Output out = img.Run(analyzer);
  Json j;
  j.Set("case", Json::Str(case_dir.filename().string()));
  j.Set("status", Json::Str(out.status.ok() ? "OK" : out.status.ToString()));
  if (analyzer.Type() == "os-release") {
    OsInfo os = img.Os();
    Json o;
    o.SetIf("family", os.family).SetIf("version", os.version).SetIf("pretty_name", os.pretty_name);
    j.Set("os", std::move(o));
  }
  j.Set("packages", SortedArray(out.packages));
  j.Set("diagnostics", SortedArray(out.diagnostics));
  return j;
}

// --- The registry of released versions ----------------------------------------------------

struct VersionLine {
  std::string type;
  uint32_t version = 0;
  std::string digest;
  size_t line = 0;
};

// The lines of analyzer_versions.tsv; problems with its shape are test failures.
std::vector<VersionLine> ReadRegistry() {
  std::vector<VersionLine> out;
  std::ifstream in(RegistryPath());
  EXPECT_TRUE(in) << RegistryPath() << " is missing";
  std::string text;
  size_t n = 0;
  while (std::getline(in, text)) {
    ++n;
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream ss(text);
    for (std::string f; std::getline(ss, f, '\t');) fields.push_back(f);
    VersionLine v;
    v.line = n;
    bool ok = fields.size() == 3 && !fields[1].empty() &&
              fields[1].find_first_not_of("0123456789") == std::string::npos &&
              IsSha256Digest(fields[2]);
    EXPECT_TRUE(ok) << "analyzer_versions.tsv:" << n << ": want type<TAB>version<TAB>sha256:...";
    if (!ok) continue;
    v.type = fields[0];
    v.version = static_cast<uint32_t>(std::stoul(fields[1]));
    v.digest = fields[2];
    out.push_back(std::move(v));
  }
  return out;
}

const VersionLine* FindVersion(const std::vector<VersionLine>& lines, std::string_view type,
                               uint32_t version) {
  for (const VersionLine& v : lines) {
    if (v.type == type && v.version == version) return &v;
  }
  return nullptr;
}

// --- Helpers -------------------------------------------------------------------------------

std::unique_ptr<pkg::AnalyzerRegistry> Builtins() {
  auto registry = std::make_unique<pkg::AnalyzerRegistry>();
  EXPECT_TRUE(pkg::RegisterBuiltinAnalyzers(registry.get()).ok());
  return registry;
}

std::vector<std::string> RegisteredTypes() {
  std::vector<std::string> out;
  std::unique_ptr<pkg::AnalyzerRegistry> registry = Builtins();  // outlives the loop
  for (const auto& a : registry->analyzers()) out.emplace_back(a->Type());
  return out;
}

// "DpkgAnalyzer", for messages.
std::string ClassName(const pkg::Analyzer& a) {
  int status = 0;
  char* raw = abi::__cxa_demangle(typeid(a).name(), nullptr, nullptr, &status);
  std::string name = status == 0 && raw ? raw : typeid(a).name();
  std::free(raw);
  size_t colons = name.rfind("::");
  return colons == std::string::npos ? name : name.substr(colons + 2);
}

std::string Render(std::string_view type, uint32_t version, const Json& output) {
  Json golden;
  golden.Set("type", Json::Str(std::string(type)));
  golden.Set("version", Json::Int(version));
  golden.Set("output", output);
  return golden.Dump(2) + "\n";
}

// The "version" of a golden.json, or -1.
int64_t GoldenVersion(const std::string& text) {
  size_t at = text.find("\"version\":");
  if (at == std::string::npos) return -1;
  at = text.find_first_not_of(" ", at + 10);
  if (at == std::string::npos || !std::isdigit(static_cast<unsigned char>(text[at]))) return -1;
  return std::stoll(text.substr(at, 10));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}

// The first differing lines of `want` and `got`, with line numbers.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::vector<std::string> a = Lines(want), b = Lines(got);
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::string out = "first difference at golden.json line " + std::to_string(i + 1) + ":\n";
  for (size_t k = i; k < i + 4 && (k < a.size() || k < b.size()); ++k) {
    out += "  golden " + std::to_string(k + 1) + ": " + (k < a.size() ? a[k] : "<end>") + "\n";
  }
  for (size_t k = i; k < i + 4 && (k < a.size() || k < b.size()); ++k) {
    out += "  actual " + std::to_string(k + 1) + ": " + (k < b.size() ? b[k] : "<end>") + "\n";
  }
  return out;
}

std::vector<fs::path> CaseDirs(const fs::path& type_dir) {
  std::vector<fs::path> out;
  for (const fs::path& p : SortedChildren(type_dir)) {
    if (fs::is_directory(p)) {
      out.push_back(p);
    } else {
      EXPECT_EQ(p.filename(), "golden.json") << p << ": only golden.json and case directories";
    }
  }
  return out;
}

// --- Tests ---------------------------------------------------------------------------------

class AnalyzerGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AnalyzerGoldenTest, OutputMatchesGoldenOfTheCurrentVersion) {
  std::unique_ptr<pkg::AnalyzerRegistry> registry = Builtins();
  const pkg::Analyzer* analyzer = nullptr;
  for (const auto& a : registry->analyzers()) {
    if (a->Type() == GetParam()) analyzer = a.get();
  }
  ASSERT_NE(analyzer, nullptr);
  const std::string type(analyzer->Type());
  const uint32_t version = analyzer->Version();
  const std::string bump = "bump " + ClassName(*analyzer) + "::Version() (now " +
                           std::to_string(version) + ") and run " + std::string(kUpdateHint);
  const fs::path dir = fs::path(GoldenRoot()) / type;
  ASSERT_TRUE(fs::is_directory(dir))
      << "analyzer " << type << " has no golden directory: add hand-written inputs under "
      << "tests/pkg/testdata/" << type << "/<case>/layer0/ and run " << kUpdateHint;
  std::vector<fs::path> cases = CaseDirs(dir);
  ASSERT_FALSE(cases.empty()) << dir << " has no case directory";
  if (NeedsRpm(dir) && (!HaveCommand("rpm") || !HaveCommand("rpmbuild"))) {
    GTEST_SKIP() << "rpm and rpmbuild are needed to build the " << type << " inputs";
  }

  Json output = Json::Array();
  for (const fs::path& c : cases) output.items.push_back(RunCase(*analyzer, c));
  ASSERT_FALSE(HasFailure()) << "building the inputs failed";
  const std::string digest = Sha256Digest(output.Dump(-1));
  const fs::path golden_path = dir / "golden.json";
  const std::vector<VersionLine> registered = ReadRegistry();
  const VersionLine* recorded = FindVersion(registered, type, version);

  if (UpdateMode()) {
    if (recorded && recorded->digest != digest) {
      FAIL() << "refusing to rewrite " << golden_path << ": the output of analyzer " << type
             << " changed but analyzer_versions.tsv:" << recorded->line << " records version "
             << version << " with another output; " << bump;
    }
    const std::string text = Render(type, version, output);
    if (!fs::exists(golden_path) || ReadFile(golden_path) != text) {
      std::ofstream(golden_path, std::ios::binary) << text;
      std::printf("[ golden   ] wrote %s (version %u)\n", golden_path.c_str(), version);
    }
    if (!recorded) {
      std::ofstream(RegistryPath(), std::ios::app)
          << type << '\t' << version << '\t' << digest << '\n';
      std::printf("[ golden   ] recorded %s version %u %s\n", type.c_str(), version,
                  digest.c_str());
    }
    return;
  }

  ASSERT_TRUE(fs::exists(golden_path))
      << golden_path << " is missing: run " << kUpdateHint << " to create it";
  const std::string golden = ReadFile(golden_path);
  const int64_t golden_version = GoldenVersion(golden);
  // Compared with the golden's own version number, so that a stale version is reported
  // once, below, and not as a change of output.
  const std::string expected =
      Render(type, golden_version < 0 ? version : static_cast<uint32_t>(golden_version), output);
  // Not EXPECT_EQ: the whole document would drown the first difference.
  EXPECT_TRUE(golden == expected) << "output of analyzer " << type << " changed: if intended, "
                                  << bump << "\n"
                                  << FirstDifference(golden, expected);
  EXPECT_EQ(golden_version, static_cast<int64_t>(version))
      << "golden.json of analyzer " << type << " was made by version " << golden_version << " but "
      << ClassName(*analyzer) << "::Version() is " << version << ": run " << kUpdateHint;
  if (!recorded) {
    ADD_FAILURE() << "analyzer " << type << " version " << version
                  << " is not in tests/pkg/testdata/analyzer_versions.tsv: run " << kUpdateHint
                  << " (it appends the line)";
  } else {
    EXPECT_EQ(recorded->digest, digest)
        << "output of analyzer " << type << " changed but its version did not: "
        << "analyzer_versions.tsv:" << recorded->line << " records another output for version "
        << version << "; " << bump;
  }
}

INSTANTIATE_TEST_SUITE_P(Builtin, AnalyzerGoldenTest, ::testing::ValuesIn(RegisteredTypes()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(AnalyzerGoldenDirsTest, EveryGoldenDirectoryNamesARegisteredAnalyzer) {
  std::vector<std::string> types = RegisteredTypes();
  std::set<std::string> known(types.begin(), types.end());
  for (const fs::path& p : SortedChildren(GoldenRoot())) {
    if (!fs::is_directory(p)) continue;
    EXPECT_TRUE(known.count(p.filename().string()))
        << p << " names no analyzer that RegisterBuiltinAnalyzers() adds: remove it, or "
        << "rename it to the analyzer's Type()";
  }
}

TEST(AnalyzerGoldenDirsTest, VersionRegistryIsWellFormed) {
  std::vector<VersionLine> lines = ReadRegistry();
  std::map<std::string, uint32_t> last;
  for (const VersionLine& v : lines) {
    auto it = last.find(v.type);
    if (it != last.end()) {
      EXPECT_GT(v.version, it->second)
          << "analyzer_versions.tsv:" << v.line << ": " << v.type << " version " << v.version
          << " repeats or goes back; lines are appended once per new version";
    }
    last[v.type] = std::max(v.version, it == last.end() ? 0 : it->second);
  }
}

}  // namespace
}  // namespace bulkhead::testing
