#include "bulkhead/vulndb/importer.h"

#include <curl/curl.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <simdjson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/archive/decompress.h"
#include "bulkhead/archive/read_ahead.h"
#include "bulkhead/archive/tar_reader.h"
#include "bulkhead/archive/zip_reader.h"
#include "bulkhead/core/file.h"
#include "bulkhead/vulndb/debian_list.h"
#include "bulkhead/vulndb/feeds.h"
#include "bulkhead/vulndb/internal/yaml_json.h"
#include "bulkhead/vulndb/osv.h"
#include "bulkhead/vulndb/ubuntu_cve.h"

namespace bulkhead::vulndb {
namespace {

namespace fs = std::filesystem;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsYaml(std::string_view path) { return EndsWith(path, ".yaml") || EndsWith(path, ".yml"); }

// OSV records come as JSON, or as YAML in the PyPA and PSF databases.
bool IsRecordFile(std::string_view path) { return EndsWith(path, ".json") || IsYaml(path); }

// "osv:Debian/all.zip" from ".../Debian/all.zip".
std::string DefaultName(std::string_view kind, const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  std::string tail = p.filename().string();
  if (p.has_parent_path() && !p.parent_path().filename().empty()) {
    tail = p.parent_path().filename().string() + "/" + tail;
  }
  return std::string(kind) + ":" + tail;
}

// OSV records are parsed on every core while one thread writes them to the database,
// in input order (so vids, and the first error reported, do not depend on timing). The
// caller's thread only reads: it hands batches of raw records to parser threads, and the
// writer thread takes the parsed batches in sequence. At most kMaxInFlight batches are
// read but not yet written, which bounds memory.
class OsvImport {
 public:
  OsvImport(DatabaseWriter& writer, ImportStats& stats) : writer_(writer), stats_(stats) {}
  ~OsvImport() {
    pending_.clear();  // an abandoned import: write nothing more
    (void)Finish();
  }
  OsvImport(const OsvImport&) = delete;
  OsvImport& operator=(const OsvImport&) = delete;

  /// Queues one record. An error may belong to an earlier record: the first one, in
  /// input order, that failed.
  Status Add(std::string text, std::string name, bool is_json = false) {
    const size_t size = text.size();
    return Queue({.name = std::move(name), .text = std::move(text), .is_json = is_json}, size);
  }

  /// Queues a record file, which a parser thread reads (at most `max_bytes`): reading
  /// thousands of small files is kernel time that one thread would serialise.
  Status AddFile(std::string path, uint64_t listed_size, uint64_t max_bytes) {
    return Queue({.name = std::move(path), .read_limit = max_bytes}, listed_size);
  }

  /// Queues a zip entry, which a parser thread inflates: one thread inflating every
  /// entry of osv.dev's all.zip was the import's bottleneck.
  Status AddZipEntry(std::shared_ptr<const archive::ZipReader> zip, size_t index,
                     uint64_t max_bytes) {
    const archive::ZipEntry& e = zip->entries()[index];
    std::string name = zip->path() + ":" + e.name;
    const uint64_t size = e.size;
    return Queue({.name = std::move(name),
                  .read_limit = max_bytes,
                  .zip = std::move(zip),
                  .zip_index = index},
                 size);
  }

  /// Writes everything queued, stops the threads, and returns the first error.
  Status Finish() {
    if (!pending_.empty()) (void)Submit();
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    return FirstError();
  }

 private:
  static constexpr size_t kBatchRecords = 256;
  static constexpr size_t kBatchBytes = 4 << 20;

  struct Item {
    std::string name;  // the file, when read_limit is set and there is no zip
    std::string text;
    uint64_t read_limit = 0;  // 0: `text` holds the record
    bool is_json = false;
    std::shared_ptr<const archive::ZipReader> zip;  // set: the record is an entry of it
    size_t zip_index = 0;
    int64_t vid = 0;
    Status error;
    std::optional<Vulnerability> record;  // empty: withdrawn
    PreparedRecord prepared;
  };
  using Batch = std::vector<Item>;

  Status Queue(Item item, uint64_t size) {
    batch_bytes_ += size;
    // vids follow input order; a withdrawn record leaves a gap, which is fine.
    if (next_vid_ == 0) next_vid_ = writer_.next_vid();
    item.vid = next_vid_++;
    pending_.push_back(std::move(item));
    // The first batches are small, so that every parser has work early.
    const size_t batch_records = kBatchRecords >> (4 - std::min<size_t>(batches_, 4));
    if (pending_.size() >= batch_records || batch_bytes_ >= kBatchBytes) {
      ++batches_;
      return Submit();
    }
    return FirstError();
  }

  static void Parse(OsvParser& parser, Item& item) {
    if (item.read_limit) {
      Result<std::string> data = item.zip ? item.zip->Read(item.zip_index, item.read_limit)
                                          : ReadFileBounded(item.name, item.read_limit);
      item.zip.reset();
      if (!data.ok()) {
        item.error = data.error();
        return;
      }
      item.text = std::move(data).value();
    }
    std::string converted;
    std::string_view text = item.text;
    if (!item.is_json && IsYaml(item.name)) {
      Result<std::string> json = internal::YamlToJson(text, item.name);
      if (!json.ok()) {
        item.error = json.error();
        return;
      }
      converted = std::move(json).value();
      text = converted;
    }
    // The affected entries go straight into `prepared`; the writer needs only the
    // record's own fields.
    Result<std::optional<Vulnerability>> v =
        parser.ParsePrepared(text, item.name, item.vid, &item.prepared);
    if (!v.ok()) {
      item.error = v.error();
    } else if (v->has_value()) {
      item.record = std::move(v).value();
    }
    std::string().swap(item.text);
  }

  void StartThreads() {
    const size_t parsers = std::max<size_t>(1, std::thread::hardware_concurrency());
    max_in_flight_ = 2 * parsers + 2;
    // Named, so that top and perf tell the stages apart.
    for (size_t i = 0; i < parsers; ++i) {
      threads_.emplace_back([this] {
        pthread_setname_np(pthread_self(), "bh-osv-parse");
        ParseLoop();
      });
    }
    threads_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "bh-db-write");
      WriteLoop();
    });
  }

  Status Submit() {
    if (threads_.empty()) StartThreads();
    Batch batch;
    batch.swap(pending_);
    batch_bytes_ = 0;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return submitted_ - written_ < max_in_flight_ || !error_.ok(); });
    if (!error_.ok()) return error_;
    raw_.emplace_back(submitted_++, std::move(batch));
    cv_.notify_all();
    return Status::OK();
  }

  void ParseLoop() {
    OsvParser parser;
    for (;;) {
      std::pair<uint64_t, Batch> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return !raw_.empty() || closed_ || !error_.ok(); });
        if (raw_.empty() || !error_.ok()) return;
        job = std::move(raw_.front());
        raw_.pop_front();
      }
      for (Item& item : job.second) Parse(parser, item);
      std::lock_guard<std::mutex> lock(mu_);
      parsed_.emplace(job.first, std::move(job.second));
      cv_.notify_all();
    }
  }

  void WriteLoop() {
    for (;;) {
      Batch batch;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] {
          return parsed_.count(written_) || (closed_ && written_ == submitted_) || !error_.ok();
        });
        auto it = parsed_.find(written_);
        if (it == parsed_.end()) return;
        batch = std::move(it->second);
        parsed_.erase(it);
      }
      Status s = Write(batch);
      std::lock_guard<std::mutex> lock(mu_);
      ++written_;
      if (!s.ok()) error_ = std::move(s);
      cv_.notify_all();
      if (!error_.ok()) return;
    }
  }

  Status Write(const Batch& batch) {
    for (const Item& item : batch) {
      BULKHEAD_RETURN_IF_ERROR(item.error);
      if (!item.record) {
        writer_.CountWithdrawn();
        ++stats_.withdrawn;
        continue;
      }
      ++stats_.records;
      BULKHEAD_RETURN_IF_ERROR(writer_.AddPrepared(*item.record, item.prepared));
    }
    return Status::OK();
  }

  Status FirstError() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

  DatabaseWriter& writer_;
  ImportStats& stats_;
  Batch pending_;  // being filled by the caller
  size_t batch_bytes_ = 0;
  size_t batches_ = 0;    // submitted by the caller's thread
  int64_t next_vid_ = 0;  // 0: not asked yet
  std::vector<std::thread> threads_;
  size_t max_in_flight_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<uint64_t, Batch>> raw_;  // read, waiting for a parser
  std::map<uint64_t, Batch> parsed_;            // parsed, waiting for their turn
  uint64_t submitted_ = 0;
  uint64_t written_ = 0;
  Status error_;  // the first error, in input order
  bool closed_ = false;
};

// Walks a tree of OSV records depth first, names sorted bytewise within each directory
// (a stable order for vids and for which bad record is reported). Each directory's files
// are queued as soon as it is listed, so parsing starts while the walk goes on. Symbolic
// links are not followed.
class TreeWalk {
 public:
  TreeWalk(const std::string& root, const ImportLimits& limits, OsvImport& osv)
      : root_(root), limits_(limits), osv_(osv) {}

  Status Run() {
    BULKHEAD_RETURN_IF_ERROR(Directory(AT_FDCWD, root_, root_, 0));
    if (files_ == 0) {
      return Status::InvalidArgument(root_ + ": no OSV records (*.json, *.yaml) in this directory");
    }
    return Status::OK();
  }

 private:
  static constexpr int kMaxDepth = 64;

  struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
  };

  // POSIX rather than std::filesystem: entries are stat'ed relative to their directory,
  // not by a path the kernel walks again from the root (a third of the walk's time).
  Status Directory(int parent_fd, const std::string& name, const std::string& path, int depth) {
    if (depth > kMaxDepth) {
      return Status::ResourceExhausted(path + ": directories nested deeper than " +
                                       std::to_string(kMaxDepth));
    }
    // The root may be a symbolic link, as the user named it; nothing below it is followed.
    const int fd = ::openat(parent_fd, name.c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC | (depth ? O_NOFOLLOW : 0));
    if (fd < 0) return Status::IOError(path + ": " + std::strerror(errno));
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(fd));
    if (!dir) {
      ::close(fd);
      return Status::IOError(path + ": " + std::strerror(errno));
    }
    std::vector<std::pair<std::string, bool>> entries;  // name, is a directory
    for (;;) {
      errno = 0;  // readdir's only way to tell its end from an error
      const dirent* e = ::readdir(dir.get());
      if (!e) break;
      const std::string_view n = e->d_name;
      if (n == "." || n == "..") continue;
      unsigned char type = e->d_type;
      if (type == DT_UNKNOWN) {  // file systems that do not say: ask
        struct stat st;
        if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      }
      if (type == DT_DIR) {
        entries.emplace_back(n, true);
      } else if (type == DT_REG && IsRecordFile(n)) {
        entries.emplace_back(n, false);
      }
      if (++seen_ > limits_.max_entries) {
        return Status::ResourceExhausted(root_ + ": more than " +
                                         std::to_string(limits_.max_entries) + " files");
      }
    }
    if (errno != 0) return Status::IOError(path + ": " + std::strerror(errno));
    std::sort(entries.begin(), entries.end());
    for (const auto& [entry, is_dir] : entries) {
      std::string entry_path = path + "/" + entry;
      if (is_dir) {
        BULKHEAD_RETURN_IF_ERROR(Directory(fd, entry, entry_path, depth + 1));
      } else {
        BULKHEAD_RETURN_IF_ERROR(File(fd, entry, std::move(entry_path)));
      }
    }
    return Status::OK();
  }

  Status File(int dir_fd, const std::string& name, std::string path) {
    // The size listed here counts towards the total; the parser thread that reads the
    // file holds it to max_record_bytes whatever it has grown to since.
    struct stat st;
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return Status::IOError(path + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) return Status::OK();  // replaced since it was listed
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > limits_.max_record_bytes) {
      return Status::ResourceExhausted(path + ": larger than " +
                                       LimitText(limits_.max_record_bytes));
    }
    total_ += size;
    if (total_ > limits_.max_total_bytes) {
      return Status::ResourceExhausted(root_ + ": more than " + LimitText(limits_.max_total_bytes));
    }
    ++files_;
    return osv_.AddFile(std::move(path), size, limits_.max_record_bytes);
  }

  const std::string& root_;
  const ImportLimits& limits_;
  OsvImport& osv_;
  uint64_t seen_ = 0;
  uint64_t files_ = 0;
  uint64_t total_ = 0;
};

// A tar, plain, gzip or zstd (how AlmaLinux ships its tree), through the image layer
// reader: ISA-L inflates on a read-ahead thread while this one walks the tar.
Status ImportTar(const std::string& path, const ImportLimits& limits, OsvImport& osv) {
  Result<std::shared_ptr<archive::SharedFile>> file = archive::SharedFile::Open(path);
  if (!file.ok()) return file.error();
  const uint64_t size = (*file)->size();
  archive::DecompressOptions options;
  options.max_output_bytes = limits.max_total_bytes;
  Result<std::unique_ptr<archive::ByteSource>> plain = archive::OpenDecompressed(
      archive::OpenFileRange(std::move(file).value(), 0, size, path), options);
  if (!plain.ok()) return plain.error();
  archive::TarLimits tar_limits;
  tar_limits.max_entries = limits.max_entries;
  Result<std::unique_ptr<archive::TarReader>> tar =
      archive::TarReader::Open(archive::ReadAhead(std::move(plain).value()), tar_limits);
  if (!tar.ok()) return tar.error();
  archive::TarEntry entry;
  for (;;) {
    Result<bool> next = (*tar)->Next(&entry);
    if (!next.ok()) return next.error();
    if (!*next) return Status::OK();
    const std::string name = path + ":" + entry.path;
    if (entry.type != archive::EntryType::kFile || !IsRecordFile(name)) continue;
    if (entry.size > limits.max_record_bytes) {
      return Status::ResourceExhausted(name + ": entry larger than " +
                                       LimitText(limits.max_record_bytes));
    }
    std::string data(entry.size, '\0');
    size_t got = 0;
    while (got < data.size()) {
      Result<size_t> n =
          (*tar)->ReadData(reinterpret_cast<uint8_t*>(data.data()) + got, data.size() - got);
      if (!n.ok()) return n.error();
      if (*n == 0) return Status::Corruption(name + ": entry cut short");
      got += *n;
    }
    BULKHEAD_RETURN_IF_ERROR(osv.Add(std::move(data), name));
  }
}

// A zip, as osv.dev publishes each ecosystem (all.zip): entries in the order of its
// central directory, inflated on the parser threads.
Status ImportZip(const std::string& path, const ImportLimits& limits, OsvImport& osv) {
  archive::ZipLimits zip_limits;
  zip_limits.max_entries = limits.max_entries;
  Result<std::shared_ptr<const archive::ZipReader>> zip =
      archive::ZipReader::Open(path, zip_limits);
  if (!zip.ok()) return zip.error();
  uint64_t total = 0;
  const std::vector<archive::ZipEntry>& entries = (*zip)->entries();
  for (size_t i = 0; i < entries.size(); ++i) {
    const archive::ZipEntry& e = entries[i];
    if (e.is_directory() || !IsRecordFile(e.name)) continue;
    // Declared sizes are held to: an entry that inflates to more or less is corrupt.
    if (e.size > limits.max_record_bytes) {
      return Status::ResourceExhausted(path + ":" + e.name + ": entry larger than " +
                                       LimitText(limits.max_record_bytes));
    }
    total += e.size;
    if (total > limits.max_total_bytes) {
      return Status::ResourceExhausted(path + ": more than " + LimitText(limits.max_total_bytes) +
                                       " uncompressed");
    }
    BULKHEAD_RETURN_IF_ERROR(osv.AddZipEntry(*zip, i, limits.max_record_bytes));
  }
  return Status::OK();
}

enum class ArchiveKind { kNone, kZip, kTar };  // kTar: plain, gzip or zstd

ArchiveKind SniffArchive(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[512] = {};
  in.read(head, sizeof(head));
  const std::streamsize n = in.gcount();
  if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
    return ArchiveKind::kZip;
  }
  const bool gzip = n >= 2 && head[0] == '\x1f' && head[1] == '\x8b';
  const bool zstd = n >= 4 && std::string_view(head, 4) == "\x28\xb5\x2f\xfd";
  const bool tar = n >= 262 && std::string_view(head + 257, 5) == "ustar";
  return gzip || zstd || tar ? ArchiveKind::kTar : ArchiveKind::kNone;
}

size_t WriteToFile(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<std::pair<std::FILE*, uint64_t>*>(user);
  const size_t n = size * count;
  if (sink->second < n) return 0;  // Over the cap: abort the transfer.
  sink->second -= n;
  return std::fwrite(data, 1, n, sink->first);
}

// distributions.json: code name -> {"major-version": N}.
Result<std::map<std::string, std::string, std::less<>>> ReadDistributions(const std::string& path) {
  Result<std::string> data = ReadFileBounded(path, 1 << 20);
  if (!data.ok()) return data.error();
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(data->data(), data->size()).get(root) != simdjson::SUCCESS) {
    return Status::Corruption(path + ": not a JSON object of releases");
  }
  std::map<std::string, std::string, std::less<>> out;
  for (auto kv : root) {
    std::string_view major;
    if (kv.value["major-version"].get(major) == simdjson::SUCCESS && !major.empty() &&
        major.size() < 8) {
      out.emplace(std::string(kv.key), std::string(major));
    }
  }
  return out;
}

// The Debian tracker in its own layout (data/CVE/list, static/distributions.json,
// source/<release>/<component>/Sources) or in vuln-list's (CVE/*.json,
// distributions.json, source/<release>/<component>/<x>/<package>.json).
Status ImportDebianTree(const std::string& root, bool vuln_list, const ImportLimits& limits,
                        DatabaseWriter& writer, ImportStats& stats) {
  std::error_code ec;
  const std::string dists =
      root + (vuln_list ? "/distributions.json" : "/static/distributions.json");
  std::map<std::string, std::string, std::less<>> releases = KnownDebianReleases();
  if (fs::exists(dists, ec)) {
    Result<std::map<std::string, std::string, std::less<>>> read = ReadDistributions(dists);
    if (!read.ok()) return read.error();
    releases = std::move(read).value();
  }
  // release -> package -> newest version carried (main and security updates).
  std::map<std::string, std::map<std::string, std::string>, std::less<>> carried;
  uint64_t files = 0;
  for (const char* dir : {"/source", "/updates-source"}) {
    if (!fs::is_directory(root + dir, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root + dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      if (++files > limits.max_entries) return Status::ResourceExhausted(root + ": too many files");
      const fs::path rel = fs::relative(it->path(), root + dir, ec);
      const std::string release = rel.begin()->string();
      Result<std::string> data = ReadFileBounded(it->path().string(), limits.max_feed_bytes);
      if (!data.ok()) return data.error();
      if (!vuln_list && it->path().filename() == "Sources") {
        ParseDebianSources(*data, &carried[release]);
      } else if (vuln_list && EndsWith(it->path().native(), ".json")) {
        simdjson::dom::parser parser;
        simdjson::dom::element e;
        std::string_view package, version;
        simdjson::dom::array versions;
        if (parser.parse(data->data(), data->size()).get(e) != simdjson::SUCCESS ||
            e["Package"].at(0).get(package) != simdjson::SUCCESS ||
            e["Version"].get(versions) != simdjson::SUCCESS) {
          return Status::InvalidArgument(it->path().string() +
                                         ": not a source package (Package and Version lists)");
        }
        if (versions.at(0).get(version) == simdjson::SUCCESS) {
          std::string text =
              "Package: " + std::string(package) + "\nVersion: " + std::string(version) + "\n";
          ParseDebianSources(text, &carried[release]);
        }
      }
    }
  }
  CarriedVersion carried_fn = [&](std::string_view release,
                                  std::string_view package) -> std::optional<std::string> {
    auto r = carried.find(release);
    if (r == carried.end()) return std::nullopt;
    auto p = r->second.find(std::string(package));
    if (p == r->second.end()) return std::string();
    return p->second;
  };
  auto sink = [&](Vulnerability&& v) {
    ++stats.records;
    return writer.Add(v);
  };
  std::vector<DebianIssue> issues;
  if (!vuln_list) {
    const std::string list = root + "/data/CVE/list";
    Result<std::string> data = ReadFileBounded(list, limits.max_feed_bytes);
    if (!data.ok()) return data.error();
    BULKHEAD_RETURN_IF_ERROR(ParseDebianCveList(*data, list, &issues));
  } else {
    std::vector<std::string> paths;
    for (auto it = fs::directory_iterator(root + "/CVE", ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file(ec) && EndsWith(it->path().native(), ".json")) {
        paths.push_back(it->path().string());
      }
      if (paths.size() > limits.max_entries)
        return Status::ResourceExhausted(root + ": too many files");
    }
    std::sort(paths.begin(), paths.end());
    for (const std::string& p : paths) {
      Result<std::string> data = ReadFileBounded(p, limits.max_record_bytes);
      if (!data.ok()) return data.error();
      DebianIssue issue;
      BULKHEAD_RETURN_IF_ERROR(ParseVulnListDebianIssue(*data, p, &issue));
      issues.push_back(std::move(issue));
    }
  }
  for (const DebianIssue& issue : issues) {
    BULKHEAD_RETURN_IF_ERROR(EmitDebianIssue(issue, releases, carried_fn, sink));
  }
  return Status::OK();
}

// An Ubuntu CVE Tracker checkout (active/, retired/) or a folder of its files: regular
// files without an OSV extension whose text has a Candidate: field.
std::vector<std::string> UbuntuFiles(const std::string& root, size_t limit) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec) || IsRecordFile(it->path().native())) {
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    char head[4096];
    in.read(head, sizeof(head));
    if (LooksLikeUbuntuCve(std::string_view(head, static_cast<size_t>(in.gcount())))) {
      files.push_back(it->path().string());
      if (files.size() > limit) break;
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool IsUbuntuTree(const std::string& root) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && IsRecordFile(it->path().native())) return false;
  }
  return !UbuntuFiles(root, 1).empty();
}

Status ImportUbuntuTree(const std::string& root, const ImportLimits& limits, DatabaseWriter& writer,
                        ImportStats& stats) {
  std::vector<std::string> files = UbuntuFiles(root, limits.max_entries);
  if (files.size() > limits.max_entries) {
    return Status::ResourceExhausted(root + ": too many files");
  }
  for (const std::string& f : files) {
    Result<std::string> data = ReadFileBounded(f, limits.max_record_bytes);
    if (!data.ok()) return data.error();
    BULKHEAD_RETURN_IF_ERROR(ParseUbuntuCve(*data, f, [&](Vulnerability&& v) {
      ++stats.records;
      return writer.Add(v);
    }));
  }
  return Status::OK();
}

}  // namespace

Result<ImportStats> ImportPath(DatabaseWriter& writer, const std::string& path,
                               const ImportLimits& limits, std::string name, std::string location) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return Status::NotFound(path + ": no such file or directory");
  ImportStats stats;
  if (location.empty()) location = path;
  OsvImport osv(writer, stats);
  const bool cve_list = fs::is_directory(st) && (fs::exists(path + "/data/CVE/list", ec) ||
                                                 fs::exists(path + "/data/DSA/list", ec));
  const bool vuln_list =
      fs::is_directory(st) && fs::exists(path + "/distributions.json", ec) &&
      (fs::is_directory(path + "/CVE", ec) || fs::is_directory(path + "/source", ec));
  if (cve_list || vuln_list) {
    stats.kind = cve_list ? "debian-cve-list" : "debian-vuln-list";
    stats.source = name.empty() ? DefaultName(stats.kind, path) : name;
    BULKHEAD_RETURN_IF_ERROR(writer.BeginSource(stats.source, stats.kind, location));
    BULKHEAD_RETURN_IF_ERROR(ImportDebianTree(path, vuln_list, limits, writer, stats));
    BULKHEAD_RETURN_IF_ERROR(writer.EndSource());
    return stats;
  }
  if (fs::is_directory(st) && IsUbuntuTree(path)) {
    stats.kind = "ubuntu-cve-tracker";
    stats.source = name.empty() ? DefaultName(stats.kind, path) : name;
    BULKHEAD_RETURN_IF_ERROR(writer.BeginSource(stats.source, stats.kind, location));
    BULKHEAD_RETURN_IF_ERROR(ImportUbuntuTree(path, limits, writer, stats));
    BULKHEAD_RETURN_IF_ERROR(writer.EndSource());
    return stats;
  }
  const ArchiveKind archive = fs::is_directory(st) ? ArchiveKind::kNone : SniffArchive(path);
  if (fs::is_directory(st) || archive != ArchiveKind::kNone) {
    stats.kind = "osv";
    stats.source = name.empty() ? DefaultName(stats.kind, path) : name;
    BULKHEAD_RETURN_IF_ERROR(writer.BeginSource(stats.source, stats.kind, location));
    const Status read = fs::is_directory(st)           ? TreeWalk(path, limits, osv).Run()
                        : archive == ArchiveKind::kZip ? ImportZip(path, limits, osv)
                                                       : ImportTar(path, limits, osv);
    // A bad record queued before reading stopped comes first in input order; which one
    // is reported must not depend on how far the parsers had got.
    BULKHEAD_RETURN_IF_ERROR(osv.Finish());
    BULKHEAD_RETURN_IF_ERROR(read);
    BULKHEAD_RETURN_IF_ERROR(writer.EndSource());
    return stats;
  }
  Result<std::string> data = ReadFileBounded(path, limits.max_feed_bytes);
  if (!data.ok()) return data.error();
  if (LooksLikeUbuntuCve(*data)) {
    stats.kind = "ubuntu-cve-tracker";
    stats.source = name.empty() ? DefaultName(stats.kind, path) : name;
    BULKHEAD_RETURN_IF_ERROR(writer.BeginSource(stats.source, stats.kind, location));
    BULKHEAD_RETURN_IF_ERROR(ParseUbuntuCve(*data, path, [&](Vulnerability&& v) {
      ++stats.records;
      return writer.Add(v);
    }));
    BULKHEAD_RETURN_IF_ERROR(writer.EndSource());
    return stats;
  }
  if (IsYaml(path)) {
    data = internal::YamlToJson(*data, path);
    if (!data.ok()) return data.error();
  }
  stats.kind = std::string(SniffFeed(*data));
  if (stats.kind.empty()) {
    return Status::InvalidArgument(path +
                                   ": not an OSV record, OSV zip or directory, Debian tracker "
                                   "JSON or Alpine secdb");
  }
  stats.source = name.empty() ? DefaultName(stats.kind, path) : name;
  BULKHEAD_RETURN_IF_ERROR(writer.BeginSource(stats.source, stats.kind, location));
  auto sink = [&](Vulnerability&& v) {
    ++stats.records;
    return writer.Add(v);
  };
  if (stats.kind == "osv") {
    if (data->size() > limits.max_record_bytes) {
      return Status::ResourceExhausted(path + ": OSV record too large");
    }
    BULKHEAD_RETURN_IF_ERROR(osv.Add(std::move(data).value(), path, /*is_json=*/true));
    BULKHEAD_RETURN_IF_ERROR(osv.Finish());
  } else if (stats.kind == "debian-tracker") {
    BULKHEAD_RETURN_IF_ERROR(ParseDebianTracker(*data, path, sink));
  } else {
    BULKHEAD_RETURN_IF_ERROR(ParseAlpineSecdb(*data, path, sink));
  }
  BULKHEAD_RETURN_IF_ERROR(writer.EndSource());
  return stats;
}

namespace {

// Imports `count` inputs, one after another, into one new version of the database,
// made visible only when every one succeeded. `input(i)` yields input i when its turn
// comes (for `db update`, after downloading it).
Result<std::vector<ImportStats>> ImportEach(
    const std::string& db_path, size_t count,
    const std::function<Result<ImportInput>(size_t)>& input, const ImportLimits& limits,
    const std::function<void(const std::string&)>& on_notice) {
  Result<std::unique_ptr<DatabaseWriter>> writer = DatabaseWriter::Begin(db_path);
  if (!writer.ok()) return writer.error();
  if (on_notice && !(*writer)->notice().empty()) on_notice((*writer)->notice());
  std::vector<ImportStats> out;
  for (size_t i = 0; i < count; ++i) {
    Result<ImportInput> in = input(i);
    if (!in.ok()) return in.error();
    Result<ImportStats> stats = ImportPath(**writer, in->path, limits, in->name, in->location);
    if (!stats.ok()) return stats.error();
    out.push_back(std::move(stats).value());
  }
  BULKHEAD_RETURN_IF_ERROR((*writer)->Commit());
  return out;
}

}  // namespace

Result<std::vector<ImportStats>> ImportAll(
    const std::string& db_path, const std::vector<ImportInput>& inputs, const ImportLimits& limits,
    const std::function<void(const std::string&)>& on_notice) {
  return ImportEach(
      db_path, inputs.size(), [&](size_t i) -> Result<ImportInput> { return inputs[i]; }, limits,
      on_notice);
}

Result<std::vector<ImportStats>> UpdateFromUrls(
    const std::string& db_path, const std::vector<std::string>& urls, uint64_t max_bytes,
    const std::function<void(const std::string&)>& on_download,
    const std::function<void(const std::string&)>& on_notice) {
  std::error_code tmp_ec;
  const fs::path tmp = fs::temp_directory_path(tmp_ec);  // TMPDIR, else /tmp
  std::string scratch_template = ((tmp_ec ? fs::path("/tmp") : tmp) / "bulkhead-update-XXXXXX");
  const char* scratch = ::mkdtemp(scratch_template.data());
  if (!scratch) return Status::IOError(scratch_template + ": cannot create a temporary directory");
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{scratch};
  // Each feed is imported as soon as it is downloaded and then deleted, so the disk holds
  // one download at a time, not every feed (npm's and Maven's zips are hundreds of MB).
  // A failed download still changes nothing: the new version is committed at the end.
  std::string previous;
  return ImportEach(
      db_path, urls.size(),
      [&](size_t i) -> Result<ImportInput> {
        std::error_code ec;
        if (!previous.empty()) fs::remove(previous, ec);
        previous = cleanup.dir + "/" + std::to_string(i);
        if (on_download) on_download(urls[i]);
        BULKHEAD_RETURN_IF_ERROR(Download(urls[i], previous, max_bytes));
        return ImportInput{previous, "url:" + urls[i], urls[i]};
      },
      {}, on_notice);
}

std::vector<std::string> DefaultSources() {
  const std::string osv = "https://osv-vulnerabilities.storage.googleapis.com/";
  std::vector<std::string> out = {
      "https://security-tracker.debian.org/tracker/data/json",
  };
  for (const char* eco : {"Alpine", "AlmaLinux", "Rocky%20Linux", "Ubuntu", "Red%20Hat", "npm",
                          "PyPI", "Go", "Maven", "crates.io", "RubyGems", "Packagist", "NuGet"}) {
    out.push_back(osv + eco + "/all.zip");
  }
  return out;
}

Status Download(const std::string& url, const std::string& dest, uint64_t max_bytes) {
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return Status::Internal("libcurl failed to initialise");
  std::FILE* out = std::fopen(dest.c_str(), "wb");
  if (!out) return Status::IOError(dest + ": cannot write");
  std::pair<std::FILE*, uint64_t> sink{out, max_bytes};
  CURL* curl = curl_easy_init();
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "bulkhead");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteToFile);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  const bool closed = std::fclose(out) == 0;
  if (rc == CURLE_WRITE_ERROR && sink.second < max_bytes && !closed) {
    return Status::IOError(dest + ": write failed");
  }
  if (rc != CURLE_OK) {
    if (rc == CURLE_WRITE_ERROR) {
      return Status::ResourceExhausted(url + ": larger than " + LimitText(max_bytes));
    }
    return Status::IOError(url + ": " + (error[0] ? error : curl_easy_strerror(rc)));
  }
  if (!closed) return Status::IOError(dest + ": write failed");
  return Status::OK();
}

}  // namespace bulkhead::vulndb
