// Secret detection on arbitrary bytes with the built-in rules. The first byte picks a
// chunk size; the rest is scanned as a file (binary sniffing off) in chunks of that size
// and in one piece, and both results must be identical. Every result must be
// report-safe and must not contain the bytes of the secret it reports. Inputs that start
// with "#toml\n" are also parsed as a gitleaks configuration (which must simply return).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/file_scanner.h"
#include "bulkhead/secret/gitleaks_config.h"
#include "bulkhead/secret/text.h"

namespace {

using bulkhead::secret::SecretMatch;

struct Fixture {
  std::unique_ptr<bulkhead::secret::Engine> engine;
  std::unique_ptr<bulkhead::secret::Scratch> scratch;
};

const Fixture& Get() {
  static const Fixture* f = [] {
    auto* fx = new Fixture;
    auto engine = bulkhead::secret::Engine::Compile(bulkhead::secret::BuiltinRules(), nullptr);
    if (!engine.ok()) __builtin_trap();
    fx->engine = std::move(engine).value();
    auto scratch = fx->engine->NewScratch();
    if (!scratch.ok()) __builtin_trap();
    fx->scratch = std::move(scratch).value();
    return fx;
  }();
  return *f;
}

std::vector<SecretMatch> Scan(std::string_view text, size_t chunk) {
  bulkhead::secret::ScanOptions options;
  options.scan_binary = true;
  auto scanner = bulkhead::secret::FileScanner::Start(Get().scratch.get(), "fuzz.txt", options);
  if (!scanner.ok()) __builtin_trap();
  for (size_t pos = 0; pos < text.size(); pos += chunk) {
    if (!scanner->Feed(text.substr(pos, chunk)).ok()) __builtin_trap();
  }
  std::vector<SecretMatch> out;
  const bulkhead::Status s = scanner->Finish(&out);
  if (!s.ok() && !s.IsResourceExhausted()) __builtin_trap();
  return out;
}

bool Same(const std::vector<SecretMatch>& a, const std::vector<SecretMatch>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].rule_id != b[i].rule_id || a[i].offset != b[i].offset || a[i].length != b[i].length ||
        a[i].line != b[i].line || a[i].column != b[i].column ||
        a[i].masked_secret != b[i].masked_secret || a[i].masked_line != b[i].masked_line) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  if (text.substr(0, 6) == "#toml\n") {
    std::vector<std::string> warnings;
    (void)bulkhead::secret::ParseGitleaksConfig(text, "fuzz.toml", {}, &warnings);
  }

  const std::vector<SecretMatch> whole = Scan(text, text.size() + 1);
  const std::vector<SecretMatch> chunked = Scan(text, chunk);
  if (!Same(whole, chunked)) __builtin_trap();
  for (const SecretMatch& m : whole) {
    if (m.offset + m.length > text.size() || m.length == 0) __builtin_trap();
    if (bulkhead::secret::SanitizeForReport(m.masked_line) != m.masked_line) __builtin_trap();
    if (bulkhead::secret::SanitizeForReport(m.masked_secret) != m.masked_secret) __builtin_trap();
    const std::string_view raw = text.substr(m.offset, m.length);
    if (raw.size() >= 8 && (m.masked_line.find(raw) != std::string::npos ||
                            m.masked_secret.find(raw) != std::string::npos)) {
      __builtin_trap();
    }
  }
  return 0;
}
