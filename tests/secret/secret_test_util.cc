#include "tests/secret/secret_test_util.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include "bulkhead/core/report.h"
#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/text.h"

namespace bulkhead::secret::testing {

std::unique_ptr<Engine> CompileOrFail(const RuleSet& rules, std::vector<std::string>* warnings,
                                      const CompileOptions& options) {
  auto engine = Engine::Compile(rules, warnings, options);
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  if (!engine.ok()) return nullptr;
  return std::move(engine).value();
}

const Engine& BuiltinEngine() {
  static const Engine* engine = [] {
    auto e = Engine::Compile(BuiltinRules(), nullptr);
    if (!e.ok()) {
      ADD_FAILURE() << e.status().ToString();
      std::abort();
    }
    return std::move(e).value().release();
  }();
  return *engine;
}

std::vector<SecretMatch> Scan(const Engine& engine, std::string_view content, size_t chunk,
                              std::string_view path, const ScanOptions& options, Status* status) {
  std::vector<SecretMatch> out;
  auto scratch = engine.NewScratch();
  EXPECT_TRUE(scratch.ok()) << scratch.status().ToString();
  if (!scratch.ok()) return out;
  auto scanner = FileScanner::Start(scratch->get(), path, options);
  EXPECT_TRUE(scanner.ok()) << scanner.status().ToString();
  if (!scanner.ok()) return out;
  if (chunk == 0) chunk = 1;
  for (size_t pos = 0; pos < content.size(); pos += chunk) {
    Status s = scanner->Feed(content.substr(pos, chunk));
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Status s = scanner->Finish(&out);
  if (status != nullptr) {
    *status = s;
  } else {
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  return out;
}

std::string Describe(const std::vector<SecretMatch>& matches) {
  std::ostringstream os;
  for (const SecretMatch& m : matches) {
    os << m.line << ":" << m.column << " @" << m.offset << " " << m.rule_id << " "
       << m.masked_secret << " | " << m.masked_line << "\n";
  }
  return os.str();
}

bool LeaksSecret(const SecretMatch& m, std::string_view raw) {
  for (const std::string* field : {&m.rule_id, &m.title, &m.masked_secret, &m.masked_line}) {
    if (field->find(raw) != std::string::npos) return true;
  }
  return false;
}

Random::Random() {
  if (const char* s = std::getenv("BULKHEAD_TEST_SEED")) {
    seed_ = std::strtoull(s, nullptr, 10);
  } else {
    std::random_device rd;
    seed_ = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  gen_.seed(seed_);
}

std::string Random::Token(std::string_view alphabet, size_t n) {
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::string out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out += alphabet[pick(gen_)];
  return out;
}

std::string Random::Secret(std::string_view alphabet, size_t n, double min_entropy) {
  static const char* kMarks[] = {"xxxx",  "fake",  "todo",   "example", "sample", "dummy",
                                 "lorem", "ipsum", "foobar", "fixme",   "****",   "...."};
  for (;;) {
    std::string s = Token(alphabet, n);
    std::string lower = s;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool bad = ShannonEntropy(s) < min_entropy;
    for (const char* m : kMarks) bad = bad || lower.find(m) != std::string::npos;
    if (!bad) return s;
  }
}

uint64_t Random::Uniform(uint64_t lo, uint64_t hi) {
  return std::uniform_int_distribution<uint64_t>(lo, hi)(gen_);
}

}  // namespace bulkhead::secret::testing
