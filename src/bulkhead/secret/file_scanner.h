// FileScanner: streams one file's bytes through a compiled Engine and returns the
// secrets it holds; ScanText: the same for a string that is not a file (image config Env,
// Labels, history).
//
// Thread-safety: a FileScanner is used by one thread; it borrows its Scratch exclusively
// until it is destroyed (or moved from), so a thread scans one file at a time per
// Scratch. Ownership: the Engine and the Scratch must outlive the FileScanner.
//
// Results never contain a secret in clear: SecretMatch holds it masked (MaskSecret in
// text.h), and its line with every secret found on that line masked.
//
// Results do not depend on how the bytes are cut into chunks: vectorscan runs in
// streaming mode (its state carries across Feed calls), and RE2 confirms each hit on a
// window that depends only on the file's content (the hit's line, or 64 KiB pieces of a
// longer line with a 4 KiB overlap, plus up to 16 KiB before it for multi-line rules).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/secret/engine.h"

namespace bulkhead::secret {

struct ScanOptions {
  /// Scan files whose first 8 KiB look binary (LooksBinary in text.h). Off by default:
  /// such files are skipped, and only path-only rules apply to them.
  bool scan_binary = false;
  /// Bytes of a file that are scanned; 0 means no limit. Past it, Feed ignores input and
  /// Finish reports ResourceExhausted along with what the scanned part held.
  uint64_t max_file_bytes = 64ull << 20;
};

/// One secret found.
struct SecretMatch {
  std::string rule_id;
  Severity severity = Severity::kUnknown;
  std::string title;
  uint32_t line = 0;    ///< 1-based line of the secret's first byte; 0 for path-only rules.
  uint32_t column = 0;  ///< 1-based, in bytes.
  uint64_t offset = 0;  ///< Byte offset of the secret in the file.
  uint32_t length = 0;  ///< Bytes of the secret.
  std::string masked_secret;
  /// The secret's line with every secret on it masked, at most ~200 bytes around the
  /// secret ("..." marks a cut), made report-safe (SanitizeForReport).
  std::string masked_line;
};

class FileScanner {
 public:
  /// Starts scanning the file at `path` (used by path rules and path allowlists; any
  /// form, e.g. "etc/app/config.yaml"). Errors: InvalidArgument when `scratch` is null or
  /// already used by another FileScanner.
  static Result<FileScanner> Start(Scratch* scratch, std::string_view path,
                                   const ScanOptions& options = {});
  FileScanner(FileScanner&& other) noexcept;
  FileScanner& operator=(FileScanner&& other) noexcept;
  ~FileScanner();

  /// Scans the next bytes of the file. Returns OK except for misuse (after Finish:
  /// InvalidArgument) or a vectorscan failure (Internal); input past the size limit or
  /// after a binary verdict is ignored.
  Status Feed(std::string_view chunk);
  /// Ends the file and appends its matches to `out`, sorted by offset then rule id.
  /// Returns ResourceExhausted (with the matches of the scanned part appended) when the
  /// size limit cut the file. The scanner can only be destroyed afterwards.
  Status Finish(std::vector<SecretMatch>* out);

  /// The file was skipped as binary (known once 8 KiB were fed, or at Finish).
  bool skipped_binary() const;
  /// False once further input would be ignored (binary, or past the size limit): the
  /// caller may stop reading the file and call Finish.
  bool wants_more() const;

 private:
  explicit FileScanner(Scratch* scratch) : scratch_(scratch) {}
  Scratch* scratch_ = nullptr;
};

/// Scans a string that is not a file (always as text, no size limit); `origin` plays the
/// role of the path, e.g. "config:Env". Appends matches to `out`.
Status ScanText(Scratch* scratch, std::string_view text, std::string_view origin,
                std::vector<SecretMatch>* out);

}  // namespace bulkhead::secret
