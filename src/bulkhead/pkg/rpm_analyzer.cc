#include "bulkhead/pkg/rpm_analyzer.h"

#include <fcntl.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>

#include "bulkhead/core/path.h"
#include "bulkhead/pkg/os_release.h"
#include "bulkhead/pkg/purl.h"

namespace bulkhead::pkg {
namespace {

struct DbFile {
  std::string_view base;
  RpmDbFormat format;
  std::string_view backend;  // librpm's _db_backend name
};
constexpr DbFile kDbFiles[] = {
    {"rpmdb.sqlite", RpmDbFormat::kSqlite, "sqlite"},
    {"Packages.db", RpmDbFormat::kNdb, "ndb"},
    {"Packages", RpmDbFormat::kBerkeley, "bdb_ro"},
};
constexpr std::string_view kDbDirs[] = {"/var/lib/rpm/", "/usr/lib/sysimage/rpm/",
                                        "/usr/share/rpm/"};

// librpm is configured through process-wide macros: one scan at a time may use it.
std::mutex& RpmLock() {
  static std::mutex* lock = new std::mutex();  // never destroyed: safe at exit
  return *lock;
}

Status WriteFile(const std::string& path, std::string_view data) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("cannot create " + path);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      close(fd);
      return Status::IOError("cannot write " + path);
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  return Status::OK();
}

class TempDir {
 public:
  TempDir() {
    const char* base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/bulkhead-rpmdb-XXXXXX";
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Cheap checks of a database's own header, before librpm sees it. librpm (4.18) leaks
// the sqlite connection whenever sqlite rejects a file, and an unreadable NDB file reads
// as an empty database; both must be Corruption, never silence or a leak per scan.
Status CheckDatabaseHeader(std::string_view db, RpmDbFormat format, const std::string& name) {
  switch (format) {
    case RpmDbFormat::kSqlite: {
      constexpr std::string_view kMagic("SQLite format 3\0", 16);
      if (db.size() < 100 || db.substr(0, kMagic.size()) != kMagic) {
        return Status::Corruption(name + ": not an sqlite database");
      }
      auto byte = [&](size_t i) { return static_cast<uint8_t>(db[i]); };
      uint32_t page_size = (uint32_t{byte(16)} << 8) | byte(17);
      if (page_size == 1) page_size = 65536;
      bool power_of_two = page_size >= 512 && (page_size & (page_size - 1)) == 0;
      if (!power_of_two || byte(21) != 64 || byte(22) != 32 || byte(23) != 32) {
        return Status::Corruption(name + ": corrupt sqlite header");
      }
      if (db.size() % page_size != 0) {
        return Status::Corruption(name + ": truncated sqlite database");
      }
      return Status::OK();
    }
    case RpmDbFormat::kNdb:
      if (db.size() < 32 || db.substr(0, 4) != "RpmP") {
        return Status::Corruption(name + ": not an ndb rpm database");
      }
      return Status::OK();
    case RpmDbFormat::kBerkeley:
      break;  // librpm's read-only BerkeleyDB reader rejects garbage itself
  }
  return Status::OK();
}

std::string HeaderString(Header h, rpmTagVal tag) {
  const char* s = headerGetString(h, tag);
  return s ? s : "";
}

}  // namespace

Result<std::vector<RpmRecord>> ReadRpmDatabase(std::string_view db, std::string_view wal,
                                               RpmDbFormat format, const std::string& name) {
  const DbFile* kind = nullptr;
  for (const DbFile& f : kDbFiles) {
    if (f.format == format) kind = &f;
  }
  BULKHEAD_RETURN_IF_ERROR(CheckDatabaseHeader(db, format, name));
  TempDir dir;
  if (dir.path().empty()) return Status::IOError("cannot create a temporary directory");
  BULKHEAD_RETURN_IF_ERROR(WriteFile(dir.path() + "/" + std::string(kind->base), db));
  if (!wal.empty()) {
    BULKHEAD_RETURN_IF_ERROR(WriteFile(dir.path() + "/" + std::string(kind->base) + "-wal", wal));
  }

  std::lock_guard<std::mutex> guard(RpmLock());
  static bool configured = [] {
    rpmlogSetMask(RPMLOG_UPTO(RPMLOG_EMERG));  // errors come back as statuses, not stderr
    return rpmReadConfigFiles(nullptr, nullptr) == 0;
  }();
  if (!configured)
    return Status::Internal("librpm: cannot read its configuration (is rpm installed?)");
  rpmPushMacro(nullptr, "_dbpath", nullptr, dir.path().c_str(), RMIL_CMDLINE);
  rpmPushMacro(nullptr, "_db_backend", nullptr, std::string(kind->backend).c_str(), RMIL_CMDLINE);
  rpmts ts = rpmtsCreate();
  rpmtsSetRootDir(ts, "/");
  rpmtsSetVSFlags(ts, RPMVSF_MASK_NOSIGNATURES | RPMVSF_MASK_NODIGESTS);
  std::vector<RpmRecord> out;
  Status status;
  struct stat db_stat;
  if (rpmtsOpenDB(ts, O_RDONLY) != 0) {
    status = Status::Corruption(name + ": not a readable " + std::string(kind->backend) +
                                " rpm database");
  } else if (rpmdbFStat(rpmtsGetRdb(ts), &db_stat) != 0) {
    // librpm fell back to its "dummy" backend, which lists nothing: this build of librpm
    // cannot read the format (Debian's has no NDB support).
    status = Status::Unsupported(name + ": this librpm cannot read " + std::string(kind->backend) +
                                 " rpm databases");
  } else {
    rpmdbMatchIterator mi = rpmtsInitIterator(ts, RPMDBI_PACKAGES, nullptr, 0);
    while (Header h = mi ? rpmdbNextIterator(mi) : nullptr) {
      RpmRecord r;
      r.name = HeaderString(h, RPMTAG_NAME);
      if (r.name == "gpg-pubkey") continue;  // imported keys, not packages
      if (headerIsEntry(h, RPMTAG_EPOCH))
        r.epoch = std::to_string(headerGetNumber(h, RPMTAG_EPOCH));
      r.version = HeaderString(h, RPMTAG_VERSION);
      r.release = HeaderString(h, RPMTAG_RELEASE);
      r.arch = HeaderString(h, RPMTAG_ARCH);
      r.source_rpm = HeaderString(h, RPMTAG_SOURCERPM);
      r.modularity_label = HeaderString(h, RPMTAG_MODULARITYLABEL);
      rpmfi fi = rpmfiNew(ts, h, RPMTAG_BASENAMES, RPMFI_KEEPHEADER);
      while (fi && rpmfiNext(fi) >= 0) {
        if (!S_ISDIR(rpmfiFMode(fi))) r.files.emplace_back(rpmfiFN(fi));
      }
      rpmfiFree(fi);
      std::sort(r.files.begin(), r.files.end());
      out.push_back(std::move(r));
    }
    rpmdbFreeIterator(mi);
  }
  rpmtsFree(ts);
  rpmPopMacro(nullptr, "_db_backend");
  rpmPopMacro(nullptr, "_dbpath");
  if (!status.ok()) return status;
  return out;
}

bool RpmAnalyzer::Required(std::string_view path, const FileMeta& meta) const noexcept {
  if (meta.type == image::EntryType::kDirectory) return false;
  for (std::string_view dir : kDbDirs) {
    if (!PathHasPrefix(path, dir)) continue;
    std::string_view base = path.substr(dir.size());
    return base == "Packages" || base == "Packages.db" || base == "rpmdb.sqlite" ||
           base == "rpmdb.sqlite-wal";
  }
  return false;
}

namespace {

// Source rpm "openssl-3.0.7-25.el9_3.src.rpm" -> {"openssl", "3.0.7-25.el9_3"}.
std::pair<std::string, std::string> SplitSourceRpm(std::string_view srpm) {
  constexpr std::string_view kSuffix = ".src.rpm";
  if (srpm.size() > kSuffix.size() && srpm.substr(srpm.size() - kSuffix.size()) == kSuffix) {
    srpm.remove_suffix(kSuffix.size());
  } else if (srpm.size() > 10 && srpm.substr(srpm.size() - 10) == ".nosrc.rpm") {
    srpm.remove_suffix(10);
  } else {
    return {"", ""};
  }
  size_t rel = srpm.rfind('-');
  if (rel == std::string_view::npos || rel == 0) return {"", ""};
  size_t ver = srpm.rfind('-', rel - 1);
  if (ver == std::string_view::npos || ver == 0) return {"", ""};
  return {std::string(srpm.substr(0, ver)), std::string(srpm.substr(ver + 1))};
}

struct FoundDb {
  std::string path;
  RpmDbFormat format;
};

std::vector<FoundDb> FindDatabases(const std::function<bool(const std::string&)>& exists) {
  std::vector<FoundDb> out;
  for (std::string_view dir : kDbDirs) {
    for (const DbFile& f : kDbFiles) {
      std::string path = std::string(dir) + std::string(f.base);
      if (exists(path)) {
        out.push_back({path, f.format});
        break;  // one database per directory: the newest format wins
      }
    }
  }
  return out;
}

}  // namespace

Status RpmAnalyzer::Analyze(const AnalysisInput& input, AnalysisSink& sink) const {
  const FileSet& files = input.files;
  // Layer attribution: read each layer's own copy of each database.
  std::map<std::string, PackageLayers> layers_by_db;
  for (size_t layer = 0; layer < files.layer_count(); ++layer) {
    for (const FoundDb& db : FindDatabases(
             [&](const std::string& p) { return files.ReadInLayer(layer, p).has_value(); })) {
      std::string_view wal = files.ReadInLayer(layer, db.path + "-wal").value_or("");
      Result<std::vector<RpmRecord>> records =
          ReadRpmDatabase(*files.ReadInLayer(layer, db.path), wal, db.format, db.path);
      if (!records.ok()) continue;
      std::vector<std::pair<std::string, std::string>> entries;
      for (const RpmRecord& r : *records) {
        entries.emplace_back(r.name + "." + r.arch, r.epoch + ":" + r.version + "-" + r.release);
      }
      layers_by_db[db.path].Observe(layer, entries);
    }
  }

  const std::string distro = DistroQualifier(input.os);
  const std::string ns = input.os.family.empty() ? "redhat" : input.os.family;
  Status first_error;
  for (const FoundDb& db :
       FindDatabases([&](const std::string& p) { return files.ReadFinal(p).ok(); })) {
    Result<std::string_view> wal = files.ReadFinal(db.path + "-wal");
    Result<std::vector<RpmRecord>> records = ReadRpmDatabase(
        *files.ReadFinal(db.path), wal.ok() ? *wal : std::string_view(), db.format, db.path);
    if (!records.ok()) {
      if (first_error.ok())
        first_error = records.error();
      else
        sink.AddDiagnostic(db.path, std::string(records.error().message()));
      continue;
    }
    for (RpmRecord& r : *records) {
      Package p;
      p.type = "rpm";
      p.name = r.name;
      p.epoch = r.epoch;
      p.version =
          (r.epoch.empty() || r.epoch == "0" ? "" : r.epoch + ":") + r.version + "-" + r.release;
      p.arch = r.arch;
      auto [src_name, src_version] = SplitSourceRpm(r.source_rpm);
      p.source_name = src_name.empty() ? r.name : src_name;
      p.source_version = src_version.empty() ? r.version + "-" + r.release : src_version;
      p.modularity_label = r.modularity_label;
      p.db_path = db.path;
      p.purl = BuildPurl("rpm", ns, r.name, r.version + "-" + r.release,
                         {{"arch", r.arch}, {"distro", distro}, {"epoch", r.epoch}});
      std::optional<size_t> layer = layers_by_db[db.path].Find(
          r.name + "." + r.arch, r.epoch + ":" + r.version + "-" + r.release);
      if (!layer) layer = files.FinalLayer(db.path);
      if (layer) p.layer = files.layer_digest(*layer);
      p.files = std::move(r.files);
      sink.AddPackage(std::move(p));
    }
  }
  return first_error;
}

}  // namespace bulkhead::pkg
