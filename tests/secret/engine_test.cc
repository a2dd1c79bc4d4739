// Engine and FileScanner: compile errors, the RE2 fallback, allowlists, path rules, and
// hostile input (chunk boundaries, huge lines, binary and invalid UTF-8, size limits).
#include "bulkhead/secret/engine.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/file_scanner.h"
#include "bulkhead/secret/text.h"
#include "tests/secret/secret_test_util.h"
#include "tests/testing/test_util.h"

namespace bulkhead::secret {
namespace {

using testing::BuiltinEngine;
using testing::CompileOrFail;
using testing::Describe;
using testing::kAlnum;
using testing::LeaksSecret;
using testing::Random;
using testing::Scan;

Rule MakeRule(std::string id, std::string regex) {
  Rule r;
  r.id = std::move(id);
  r.regex = std::move(regex);
  return r;
}

RuleSet OneRule(Rule r) {
  RuleSet set;
  set.rules.push_back(std::move(r));
  return set;
}

Status CompileStatus(const RuleSet& set) { return Engine::Compile(set, nullptr).status(); }

TEST(EngineCompileTest, RegexErrorsNameTheRule) {
  struct BadRegex {
    const char* regex;
    const char* says;
  };
  const BadRegex cases[] = {
      {R"(password(?=\s*=))", "lookaround"},
      {R"((?<!x)token)", "lookaround"},
      {R"((a)\1)", "back-reference"},
      {R"(a{1001})", "invalid repetition size"},
      {R"(((a{100}){100}){100})", "invalid repetition size"},
      {R"(\pL{1000})", "too large"},
      {R"([a-)", "missing ]"},
      {R"(x(?P<n>y)", "missing )"},
  };
  for (const BadRegex& c : cases) {
    SCOPED_TRACE(c.regex);
    const Status s = CompileStatus(OneRule(MakeRule("my-rule", c.regex)));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find("rule 'my-rule'"), std::string_view::npos) << s.ToString();
    EXPECT_NE(s.ToString().find(c.says), std::string::npos) << s.ToString();
  }
}

TEST(EngineCompileTest, RuleSetErrors) {
  {
    RuleSet set;
    set.rules = {MakeRule("a", "x"), MakeRule("a", "y")};
    EXPECT_NE(CompileStatus(set).ToString().find("defined twice"), std::string::npos);
  }
  EXPECT_NE(CompileStatus(OneRule(MakeRule("", "x"))).ToString().find("no id"), std::string::npos);
  EXPECT_NE(CompileStatus(OneRule(MakeRule("empty", ""))).ToString().find("neither"),
            std::string::npos);
  {
    Rule r = MakeRule("groups", "(a)(b)");
    r.secret_group = 3;
    EXPECT_NE(CompileStatus(OneRule(r)).ToString().find("secretGroup 3"), std::string::npos);
  }
  {
    Rule r = MakeRule("path", "x");
    r.path = "[";
    EXPECT_NE(CompileStatus(OneRule(r)).ToString().find("rule 'path' path"), std::string::npos);
  }
  {
    Rule r = MakeRule("allow", "x");
    r.allowlists.push_back(AllowList{});
    r.allowlists.back().regexes = {"(?=y)"};
    EXPECT_NE(CompileStatus(OneRule(r)).ToString().find("rule 'allow' allowlist #1"),
              std::string::npos);
  }
  {
    RuleSet set = OneRule(MakeRule("r", "x"));
    set.allowlists.emplace_back();
    set.allowlists.back().regexes = {"y"};
    set.allowlists.back().target_rules = {"nope"};
    EXPECT_NE(CompileStatus(set).ToString().find("unknown rule 'nope'"), std::string::npos);
  }
}

TEST(EngineCompileTest, FallbackRulesRunOnRe2WithAWarning) {
  // \p{Greek} needs RE2 (vectorscan would need UTF-8 mode, unsafe on arbitrary bytes).
  const std::string kleidi = "\u03ba\u03bb\u03b5\u03b9\u03b4\u03af";  // "key" in Greek.
  Rule greek = MakeRule("greek-secret", kleidi + R"(=(\p{Greek}{6,}))");
  greek.keywords = {kleidi};
  Rule ungated = MakeRule("unicode-any", R"(pass:(\pL{8,}))");  // No keyword: every line.
  RuleSet set;
  set.rules = {greek, ungated, MakeRule("plain", R"(plain_[0-9]{6})")};
  std::vector<std::string> warnings;
  auto engine = CompileOrFail(set, &warnings);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->stats().re2_fallback, 2u);
  EXPECT_EQ(engine->stats().hyperscan, 1u);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("rule 'greek-secret'"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("RE2"), std::string::npos) << warnings[0];
  const std::string file = "x\n" + kleidi +
                           "=\u03b1\u03b2\u03b3\u03b4\u03b5\u03b6\u03b7\u03b8\npass:"
                           "\u03a9mega\u03bb\u03b1\u03bc\u03b2\u03b4\u03b1\nplain_123456\n" +
                           kleidi + "=abc\n";
  for (size_t chunk : {size_t{1}, size_t{5}, SIZE_MAX}) {
    const auto m = Scan(*engine, file, chunk);
    ASSERT_EQ(m.size(), 3u) << Describe(m);
    EXPECT_EQ(m[0].rule_id, "greek-secret");
    EXPECT_EQ(m[0].line, 2u);
    EXPECT_EQ(m[1].rule_id, "unicode-any");
    EXPECT_EQ(m[1].line, 3u);
    EXPECT_EQ(m[2].rule_id, "plain");
  }
}

// vectorscan 5.4.9 misses [^"]{40,}" on long runs, depending on the buffer's alignment
// (found by the fuzzer); the engine keeps NUL out of such classes to avoid it.
TEST(EngineCompileTest, LongNegatedClassRunsAreFoundAtEveryAlignment) {
  auto engine = CompileOrFail(OneRule(MakeRule("quoted", R"re(key="([^"]{40,})")re")));
  ASSERT_NE(engine, nullptr);
  for (size_t run : {size_t{40}, size_t{70}, size_t{104}, size_t{200}, size_t{1000}}) {
    for (size_t shift = 0; shift < 20; ++shift) {
      SCOPED_TRACE("run " + std::to_string(run) + " shift " + std::to_string(shift));
      const std::string file = std::string(shift, ' ') + "key=\"" + std::string(run, 'a') + "\"\n";
      const auto whole = Scan(*engine, file);
      ASSERT_EQ(whole.size(), 1u);
      EXPECT_EQ(Describe(Scan(*engine, file, 17)), Describe(whole));
    }
  }
}

TEST(EngineCompileTest, TheDiskCacheGivesTheSameEngineAndSurvivesCorruption) {
  ::bulkhead::testing::TempDir dir;
  const char* before = std::getenv("XDG_CACHE_HOME");
  const std::string saved = before ? before : "";
  ::setenv("XDG_CACHE_HOME", dir.path().c_str(), 1);
  const std::string file = "key=\"" + std::string(50, 'q') + "\"\n";
  const RuleSet set = OneRule(MakeRule("quoted", R"re(key="([^"]{40,})")re"));
  const auto fresh = CompileOrFail(set);  // compiles and stores
  const std::string cache_dir = dir.path() + "/bulkhead/compiled";
  std::vector<std::string> entries;
  for (const auto& e : std::filesystem::directory_iterator(cache_dir)) {
    entries.push_back(e.path().string());
  }
  ASSERT_EQ(entries.size(), 1u);
  const auto cached = CompileOrFail(set);  // reads it back
  EXPECT_EQ(Describe(Scan(*cached, file)), Describe(Scan(*fresh, file)));
  ASSERT_EQ(Scan(*cached, file).size(), 1u);
  // A damaged entry is a miss: the rules are compiled again and still find the secret.
  for (const char* damage : {"", "garbage", "\x01\x02\x03\x04\x05\x06\x07\x08"}) {
    std::ofstream(entries[0], std::ios::binary | std::ios::trunc) << damage;
    const auto again = CompileOrFail(set);
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(Scan(*again, file).size(), 1u);
  }
  if (before) {
    ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_CACHE_HOME");
  }
}

TEST(EngineCompileTest, EmptyRuleSetScansNothing) {
  auto engine = CompileOrFail(RuleSet{});
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->stats().rules, 0u);
  EXPECT_TRUE(Scan(*engine, "password = \"hunter2hunter2\"\n", 3).empty());
}

TEST(EngineCompileTest, StatsCountRoutes) {
  RuleSet set;
  Rule path_only;
  path_only.id = "p12";
  path_only.path = R"(\.p12$)";
  set.rules = {MakeRule("a", "abc[0-9]+"), path_only};
  auto engine = CompileOrFail(set);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->stats().rules, 2u);
  EXPECT_EQ(engine->stats().hyperscan, 1u);
  EXPECT_EQ(engine->stats().path_only, 1u);
}

TEST(FileScannerTest, PathRulesAndPathOnlyRules) {
  Rule in_env = MakeRule("env-only", R"(SECRET_[0-9]{8})");
  in_env.path = R"(\.env$)";
  Rule p12;
  p12.id = "pkcs12-file";
  p12.title = "PKCS#12 file";
  p12.path = R"((?i)\.p(?:12|fx)$)";
  RuleSet set;
  set.rules = {in_env, p12};
  auto engine = CompileOrFail(set);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(Scan(*engine, "SECRET_12345678\n", SIZE_MAX, "app/.env").size(), 1u);
  EXPECT_TRUE(Scan(*engine, "SECRET_12345678\n", SIZE_MAX, "app/config.yaml").empty());
  // A path-only rule reports the file itself, even when its content is binary.
  const auto m = Scan(*engine, std::string(100, '\0'), SIZE_MAX, "certs/client.P12");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].rule_id, "pkcs12-file");
  EXPECT_EQ(m[0].line, 0u);
}

TEST(FileScannerTest, AllowLists) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  const std::string key = "ghp_" + rnd.Secret(kAlnum, 36);
  const std::string file = "GH=" + key + " # ci\n";
  RuleSet base;
  for (const Rule& r : BuiltinRules().rules) {
    if (r.id == "github-pat" || r.id == "aws-access-token") base.rules.push_back(r);
  }
  auto scan_with = [&](const AllowList& al, std::string_view path = "src/app.py") {
    RuleSet set = base;
    set.allowlists.push_back(al);
    auto engine = CompileOrFail(set);
    return engine ? Scan(*engine, file, SIZE_MAX, path).size() : size_t{99};
  };
  EXPECT_EQ(scan_with(AllowList{}), 1u);
  AllowList paths;
  paths.paths = {R"(^tests?/)"};
  EXPECT_EQ(scan_with(paths), 1u);
  EXPECT_EQ(scan_with(paths, "test/fixtures.py"), 0u);
  AllowList secret_re;
  secret_re.regexes = {"^ghp_"};
  EXPECT_EQ(scan_with(secret_re), 0u);
  AllowList line_re;
  line_re.regexes = {"# ci$"};
  EXPECT_EQ(scan_with(line_re), 1u);  // Targets the secret by default.
  line_re.regex_target = RegexTarget::kLine;
  EXPECT_EQ(scan_with(line_re), 0u);
  AllowList match_re;
  match_re.regexes = {"^GH="};
  match_re.regex_target = RegexTarget::kMatch;
  EXPECT_EQ(scan_with(match_re), 1u);  // The match is the token alone.
  AllowList stop;
  stop.stop_words = {key.substr(10, 6)};
  for (char& c : stop.stop_words[0])
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(scan_with(stop), 0u);
  AllowList both;
  both.require_all = true;
  both.paths = {R"(^test/)"};
  both.regexes = {"^ghp_"};
  EXPECT_EQ(scan_with(both), 1u);
  EXPECT_EQ(scan_with(both, "test/a.py"), 0u);
  AllowList targeted;
  targeted.regexes = {"."};
  targeted.target_rules = {"aws-access-token"};
  EXPECT_EQ(scan_with(targeted), 1u);
  targeted.target_rules = {"github-pat"};
  EXPECT_EQ(scan_with(targeted), 0u);
}

TEST(FileScannerTest, RuleAllowListAndEntropyAndKeywords) {
  Rule r = MakeRule("tok", R"(tok_([a-z0-9]{12}))");
  r.min_entropy = 3.0;
  r.keywords = {"TOK_"};  // Lower-cased by Compile.
  r.allowlists.emplace_back();
  r.allowlists.back().stop_words = {"fixture"};
  auto engine = CompileOrFail(OneRule(r));
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->rule(0).keywords, std::vector<std::string>{"tok_"});
  const auto m = Scan(*engine, "tok_a1b2c3d4e5f6\ntok_aaaaaaaaaaaa\ntok_fixture12345\n");
  ASSERT_EQ(m.size(), 1u) << Describe(m);
  EXPECT_EQ(m[0].line, 1u);
  EXPECT_EQ(m[0].column, 5u);  // The secret group, after "tok_".
  EXPECT_EQ(m[0].length, 12u);
}

TEST(FileScannerTest, SeveralSecretsOnALineAreAllMasked) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  const std::string a = "AKIA" + rnd.Secret("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  const std::string g = "ghp_" + rnd.Secret(kAlnum, 36);
  const std::string line = "creds " + a + " and " + g + " again " + a + "\n";
  const auto m = Scan(BuiltinEngine(), "first\r\n" + line);
  ASSERT_EQ(m.size(), 3u) << Describe(m);
  for (const SecretMatch& x : m) {
    EXPECT_EQ(x.line, 2u);
    EXPECT_FALSE(LeaksSecret(x, a)) << Describe({x});
    EXPECT_FALSE(LeaksSecret(x, g)) << Describe({x});
    EXPECT_FALSE(LeaksSecret(x, a.substr(4))) << Describe({x});
  }
  EXPECT_EQ(m[0].column, 7u);
  EXPECT_EQ(m[0].masked_line,
            "creds AKIA**** and ghp_****" + g.substr(g.size() - 2) + " again AKIA****");
}

TEST(FileScannerTest, LongLinesAndUnitBoundaries) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  // One 200 KiB line; tokens just before, across and after the 64 KiB piece boundaries.
  std::string line(200 * 1024, 'q');
  for (size_t i = 0; i < line.size(); i += 3) line[i] = ' ';
  std::vector<std::pair<size_t, std::string>> planted;
  for (size_t at : {size_t{100}, size_t{65536 - 20}, size_t{65536 + 30}, size_t{131072 - 45},
                    size_t{131072 - 2}, size_t{200 * 1024 - 60}}) {
    const std::string t = "ghp_" + rnd.Secret(kAlnum, 36);
    line.replace(at - 1, 1, " ");
    line.replace(at, t.size(), t);
    line[at + t.size()] = ' ';
    planted.emplace_back(at, t);
  }
  const std::string file = "head\n" + line + "\ntail\n";
  const auto whole = Scan(BuiltinEngine(), file);
  ASSERT_EQ(whole.size(), planted.size()) << Describe(whole);
  for (size_t i = 0; i < planted.size(); ++i) {
    EXPECT_EQ(whole[i].offset, 5 + planted[i].first);
    EXPECT_EQ(whole[i].line, 2u);
    EXPECT_EQ(whole[i].column, planted[i].first + 1);
    EXPECT_FALSE(LeaksSecret(whole[i], planted[i].second));
  }
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4096}, size_t{65536}}) {
    SCOPED_TRACE(chunk);
    EXPECT_EQ(Describe(Scan(BuiltinEngine(), file, chunk)), Describe(whole));
  }
}

TEST(FileScannerTest, TenMiBLineFinishesQuickly) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  // Minified-code-like: keyword hits everywhere, no newline, 10 MiB.
  std::string line;
  line.reserve(10u << 20);
  while (line.size() < (10u << 20)) {
    // Every piece is a vectorscan hit that RE2 or the checks then reject.
    line += "var token=aaaaaaaaaa;x.password=y(z);secret:'";
    line += rnd.Token("ab", 12);
    line += "';api_key=process.env.KEY_";
    line += rnd.Token(kAlnum, 6);
    line += ";";
  }
  const std::string secret = "ghp_" + rnd.Secret(kAlnum, 36);
  line.replace(line.size() / 2, secret.size() + 2, " " + secret + " ");
  const auto start = std::chrono::steady_clock::now();
  const auto m = Scan(BuiltinEngine(), line, 1 << 20);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "10 MiB single line: " << seconds << " s, " << m.size() << " matches\n";
  ASSERT_EQ(m.size(), 1u) << Describe(m);
  EXPECT_EQ(m[0].rule_id, "github-pat");
  EXPECT_EQ(m[0].line, 1u);
  EXPECT_LT(seconds, 20.0);  // Sanitizer build; a release build takes well under a second.
}

TEST(FileScannerTest, BinaryFilesAreSkipped) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  const std::string key = "ghp_" + rnd.Secret(kAlnum, 36);
  auto scratch = BuiltinEngine().NewScratch();
  ASSERT_TRUE(scratch.ok());
  {
    auto scanner = FileScanner::Start(scratch->get(), "zeros.bin");
    ASSERT_TRUE(scanner.ok());
    const std::string zeros(64 * 1024, '\0');
    EXPECT_TRUE(scanner->Feed(zeros).ok());
    EXPECT_TRUE(scanner->skipped_binary());
    EXPECT_FALSE(scanner->wants_more());
    EXPECT_TRUE(scanner->Feed("GH=" + key + "\n").ok());  // Ignored.
    std::vector<SecretMatch> out;
    EXPECT_TRUE(scanner->Finish(&out).ok());
    EXPECT_TRUE(out.empty());
  }
  // A NUL in the first 8 KiB makes the file binary; the option scans it anyway.
  const std::string file = std::string(
                               "\x7f"
                               "ELF\0\0",
                               6) +
                           "GH=" + key + "\n";
  EXPECT_TRUE(Scan(BuiltinEngine(), file).empty());
  ScanOptions all;
  all.scan_binary = true;
  EXPECT_EQ(Scan(BuiltinEngine(), file, 3, "a.out", all).size(), 1u);
  // Mostly invalid UTF-8 (compressed data) is binary too; short files are sniffed at Finish.
  std::string noise;
  for (int i = 0; i < 4000; ++i) noise += static_cast<char>(0x80 + rnd.Uniform(0, 127));
  EXPECT_TRUE(LooksBinary(noise));
  EXPECT_TRUE(Scan(BuiltinEngine(), noise + "GH=" + key + "\n").empty());
}

TEST(FileScannerTest, InvalidUtf8DoesNotCrashAndIsSanitized) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  const std::string key = "ghp_" + rnd.Secret(kAlnum, 36);
  std::string file;
  for (int i = 0; i < 200; ++i) {
    file += rnd.Token(kAlnum, 20);
    file += static_cast<char>(0xC0 + rnd.Uniform(0, 63));  // A lead byte without tail.
    file += "\xff\xfe\x01\x1b[31m";
    if (i % 50 == 0) file += " \xe2\x82 GH=" + key + " \xed\xa0\x80\n";
  }
  ScanOptions all;
  all.scan_binary = true;
  for (size_t chunk : {size_t{1}, size_t{13}, SIZE_MAX}) {
    const auto m = Scan(BuiltinEngine(), file, chunk, "x", all);
    ASSERT_EQ(m.size(), 4u) << Describe(m);
    for (const SecretMatch& x : m) {
      EXPECT_EQ(SanitizeForReport(x.masked_line), x.masked_line);
      EXPECT_FALSE(LeaksSecret(x, key));
    }
  }
}

TEST(FileScannerTest, SizeLimit) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  const std::string k1 = "ghp_" + rnd.Secret(kAlnum, 36);
  const std::string k2 = "ghp_" + rnd.Secret(kAlnum, 36);
  const std::string file = "GH=" + k1 + "\n" + std::string(20000, 'a') + "\nGH=" + k2 + "\n";
  ScanOptions opts;
  opts.max_file_bytes = 10000;
  Status status;
  const auto m = Scan(BuiltinEngine(), file, 1000, "big.txt", opts, &status);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted) << status.ToString();
  EXPECT_NE(status.ToString().find("big.txt"), std::string::npos);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].line, 1u);
  opts.max_file_bytes = 0;
  EXPECT_EQ(Scan(BuiltinEngine(), file, 1000, "big.txt", opts).size(), 2u);
}

TEST(FileScannerTest, TooManyMatchesIsReported) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  std::string file;
  for (int i = 0; i < 10050; ++i) file += "GH=ghp_" + rnd.Token(kAlnum, 36) + "\n";
  Status status;
  const auto m = Scan(BuiltinEngine(), file, 1 << 16, "many.txt", {}, &status);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted) << status.ToString();
  EXPECT_EQ(m.size(), 10000u);
}

TEST(FileScannerTest, ScratchIsExclusiveAndReusable) {
  auto scratch = BuiltinEngine().NewScratch();
  ASSERT_TRUE(scratch.ok());
  {
    auto first = FileScanner::Start(scratch->get(), "a");
    ASSERT_TRUE(first.ok());
    auto second = FileScanner::Start(scratch->get(), "b");
    EXPECT_EQ(second.status().code(), StatusCode::kInvalidArgument);
    FileScanner moved = std::move(first).value();
    std::vector<SecretMatch> out;
    EXPECT_TRUE(moved.Finish(&out).ok());
    EXPECT_EQ(moved.Finish(&out).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(moved.Feed("x").code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(FileScanner::Start(nullptr, "a").status().code(), StatusCode::kInvalidArgument);
  // Freed by the destructor, even without Finish; the next file starts clean.
  {
    auto abandoned = FileScanner::Start(scratch->get(), "c");
    ASSERT_TRUE(abandoned.ok());
    (void)abandoned->Feed("GH=ghp_");
  }
  std::vector<SecretMatch> out;
  ASSERT_TRUE(ScanText(scratch->get(), "nothing here", "config:Env", &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(FileScannerTest, ScanTextForImageConfig) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  auto scratch = BuiltinEngine().NewScratch();
  ASSERT_TRUE(scratch.ok());
  const std::string pw = rnd.Secret(kAlnum, 20);
  std::vector<SecretMatch> out;
  ASSERT_TRUE(ScanText(scratch->get(), "POSTGRES_PASSWORD=" + pw, "config:Env[3]", &out).ok());
  ASSERT_EQ(out.size(), 1u) << Describe(out);
  EXPECT_EQ(out[0].rule_id, "generic-api-key");
  EXPECT_EQ(out[0].column, 19u);
  // Binary-looking strings are still scanned: ScanText never sniffs.
  out.clear();
  ASSERT_TRUE(ScanText(scratch->get(), std::string("\0\0", 2) + "GH=ghp_" + rnd.Secret(kAlnum, 36),
                       "label", &out)
                  .ok());
  EXPECT_EQ(out.size(), 1u);
}

TEST(FileScannerTest, ThreadsShareOneEngine) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  std::string file;
  for (int i = 0; i < 200; ++i)
    file += "line " + std::to_string(i) + " GH=ghp_" + rnd.Secret(kAlnum, 36) + "\n";
  const std::string expected = Describe(Scan(BuiltinEngine(), file));
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < 5; ++r) got[t] = Describe(Scan(BuiltinEngine(), file, 100 + t * 37));
    });
  }
  for (auto& th : threads) th.join();
  for (const std::string& g : got) EXPECT_EQ(g, expected);
}

}  // namespace
}  // namespace bulkhead::secret
