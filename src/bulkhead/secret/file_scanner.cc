#include "bulkhead/secret/file_scanner.h"

#include <utility>

#include "bulkhead/secret/internal/scan_state.h"

namespace bulkhead::secret {

Result<FileScanner> FileScanner::Start(Scratch* scratch, std::string_view path,
                                       const ScanOptions& options) {
  if (scratch == nullptr) return Status::InvalidArgument("FileScanner needs a Scratch");
  if (scratch->in_use_) {
    return Status::InvalidArgument("the Scratch is in use by another FileScanner (one per thread)");
  }
  scratch->in_use_ = true;
  scratch->state_->Begin(path, options);
  return FileScanner(scratch);
}

FileScanner::FileScanner(FileScanner&& other) noexcept
    : scratch_(std::exchange(other.scratch_, nullptr)) {}

FileScanner& FileScanner::operator=(FileScanner&& other) noexcept {
  if (this != &other) {
    if (scratch_ != nullptr) scratch_->in_use_ = false;
    scratch_ = std::exchange(other.scratch_, nullptr);
  }
  return *this;
}

FileScanner::~FileScanner() {
  if (scratch_ != nullptr) scratch_->in_use_ = false;
}

Status FileScanner::Feed(std::string_view chunk) {
  if (scratch_ == nullptr) return Status::InvalidArgument("Feed on a moved-from FileScanner");
  return scratch_->state_->Feed(chunk);
}

Status FileScanner::Finish(std::vector<SecretMatch>* out) {
  if (scratch_ == nullptr) return Status::InvalidArgument("Finish on a moved-from FileScanner");
  return scratch_->state_->Finish(out);
}

bool FileScanner::skipped_binary() const {
  return scratch_ != nullptr && scratch_->state_->skipped_binary();
}

bool FileScanner::wants_more() const {
  return scratch_ != nullptr && scratch_->state_->wants_more();
}

Status ScanText(Scratch* scratch, std::string_view text, std::string_view origin,
                std::vector<SecretMatch>* out) {
  ScanOptions options;
  options.scan_binary = true;
  options.max_file_bytes = 0;
  BULKHEAD_ASSIGN_OR_RETURN(FileScanner scanner, FileScanner::Start(scratch, origin, options));
  BULKHEAD_RETURN_IF_ERROR(scanner.Feed(text));
  return scanner.Finish(out);
}

}  // namespace bulkhead::secret
