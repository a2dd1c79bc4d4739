// Every built-in rule family against freshly generated secrets (random bytes in the
// token's alphabet with the right prefix and length), and a list of placeholder and
// environment-lookup lines that must stay silent.
#include "bulkhead/secret/builtin_rules.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "bulkhead/secret/text.h"
#include "tests/secret/secret_test_util.h"

namespace bulkhead::secret {
namespace {

using testing::BuiltinEngine;
using testing::Describe;
using testing::kAlnum;
using testing::kBase32;
using testing::kBase64;
using testing::kBase64Url;
using testing::kDigits;
using testing::kHex;
using testing::kLower;
using testing::kUpper;
using testing::LeaksSecret;
using testing::Random;
using testing::Scan;

std::string Base64(std::string_view in, bool url) {
  const std::string_view abc = url ? kBase64Url : kBase64;
  std::string out;
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (uint32_t{static_cast<unsigned char>(in[i])} << 16) |
                       (uint32_t{static_cast<unsigned char>(in[i + 1])} << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += abc[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint32_t{static_cast<unsigned char>(in[i])} << 16;
    if (i + 1 < in.size()) v |= uint32_t{static_cast<unsigned char>(in[i + 1])} << 8;
    out += abc[(v >> 18) & 63];
    out += abc[(v >> 12) & 63];
    if (i + 1 < in.size()) out += abc[(v >> 6) & 63];
    if (!url) out.append(i + 1 < in.size() ? 1 : 2, '=');
  }
  return out;
}

std::string Wrap(std::string_view s, size_t width, std::string_view nl) {
  std::string out;
  for (size_t i = 0; i < s.size(); i += width) {
    if (i > 0) out += nl;
    out += s.substr(i, width);
  }
  return out;
}

std::string U32(uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xFF),
                     static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
}

// One generated secret: `text` (one or more lines) holds `secret`, which `rule` finds.
struct Case {
  std::string family;
  std::string rule;
  std::string text;
  std::string secret;
};

std::vector<Case> MakeCases(Random& rnd) {
  std::vector<Case> c;
  auto add = [&c](std::string family, std::string rule, std::string text, std::string secret) {
    c.push_back(Case{std::move(family), std::move(rule), std::move(text), std::move(secret)});
  };
  {
    const std::string s = "AKIA" + rnd.Secret(kBase32.substr(0, 26), 16);
    add("aws-id", "aws-access-token", "aws_access_key_id = " + s, s);
    const std::string t = "ASIA" + rnd.Secret(kBase32, 16);
    add("aws-id-sts", "aws-access-token", "  \"AccessKeyId\": \"" + t + "\",", t);
  }
  {
    const std::string s = rnd.Secret(kBase64, 40, 4.2);
    add("aws-secret", "aws-secret-access-key", "aws_secret_access_key = " + s, s);
    const std::string t = rnd.Secret(kBase64, 40, 4.2);
    add("aws-secret-json", "aws-secret-access-key", "    \"SecretAccessKey\": \"" + t + "\",", t);
  }
  {
    const std::string key = "-----BEGIN PRIVATE KEY-----\\n" +
                            Wrap(Base64(rnd.Token(kAlnum, 600), false), 64, "\\n") +
                            "\\n-----END PRIVATE KEY-----\\n";
    add("gcp-service-account", "gcp-service-account",
        "{\n  \"type\": \"service_account\",\n  \"project_id\": \"proj-" + rnd.Token(kLower, 6) +
            "\",\n  \"private_key_id\": \"" + rnd.Token(kHex, 40) + "\",\n  \"private_key\": \"" +
            key + "\",\n  \"client_email\": \"svc@proj.iam.gserviceaccount.com\"\n}",
        key);
  }
  {
    const std::string s = "AIza" + rnd.Secret(kBase64Url, 35);
    add("gcp-api-key", "gcp-api-key", "const apiKey = '" + s + "';", s);
  }
  {
    const std::string s = rnd.Secret(kBase64, 86, 4.5) + "==";
    add("azure-storage", "azure-storage-key",
        "DefaultEndpointsProtocol=https;AccountName=acct" + rnd.Token(kLower, 4) +
            ";AccountKey=" + s + ";EndpointSuffix=core.windows.net",
        s);
    const std::string t = rnd.Secret(kBase64, 43, 4.2) + "=";
    add("azure-servicebus", "azure-storage-key",
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=" + t,
        t);
  }
  for (const char* p : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}) {
    const std::string rule = std::string(p) == "ghp_"   ? "github-pat"
                             : std::string(p) == "gho_" ? "github-oauth"
                             : std::string(p) == "ghr_" ? "github-refresh-token"
                                                        : "github-app-token";
    const std::string s = p + rnd.Secret(kAlnum, 36);
    add(std::string("github-") + p, rule, "GITHUB_TOKEN=" + s, s);
  }
  {
    const std::string s = "github_pat_" + rnd.Secret(kAlnum, 22) + "_" + rnd.Secret(kAlnum, 59);
    add("github-fine-grained", "github-fine-grained-pat", "token: " + s, s);
  }
  {
    const std::string s = "glpat-" + rnd.Secret(std::string(kAlnum) + "_-", 20);
    add("gitlab-pat", "gitlab-pat", "export GITLAB_TOKEN=\"" + s + "\"", s);
    for (auto [prefix, n] : std::vector<std::pair<std::string, size_t>>{{"gldt-", 20},
                                                                        {"glrt-", 20},
                                                                        {"glcbt-", 20},
                                                                        {"glptt-", 40},
                                                                        {"gloas-", 64},
                                                                        {"GR1348941", 20}}) {
      const std::string t = prefix + rnd.Secret(kAlnum, n);
      add("gitlab-" + prefix, "gitlab-token", "runner_token = " + t, t);
    }
  }
  {
    const std::string s = "xoxb-" + rnd.Token(kDigits, 11) + "-" + rnd.Token(kDigits, 12) + "-" +
                          rnd.Secret(kAlnum, 24);
    add("slack-bot", "slack-token", "SLACK_BOT_TOKEN=" + s, s);
    const std::string t = "xoxp-" + rnd.Token(kDigits, 7) + "-" + rnd.Token(kDigits, 10) + "-" +
                          rnd.Token(kDigits, 10) + "-" + rnd.Secret(kHex, 32);
    add("slack-user", "slack-token", "slack: " + t, t);
    const std::string a = "xapp-1-A" + rnd.Token(std::string(kUpper) + std::string(kDigits), 10) +
                          "-" + rnd.Token(kDigits, 13) + "-" +
                          rnd.Secret(std::string(kLower) + std::string(kDigits), 64);
    add("slack-app", "slack-app-token", "app_token = '" + a + "'", a);
    const std::string w = "T" + rnd.Token(std::string(kUpper) + std::string(kDigits), 8) + "/B" +
                          rnd.Token(std::string(kUpper) + std::string(kDigits), 10) + "/" +
                          rnd.Secret(kAlnum, 24);
    add("slack-webhook", "slack-webhook-url", "webhook: https://hooks.slack.com/services/" + w, w);
  }
  {
    const std::string s = "sk_live_" + rnd.Secret(kAlnum, 24);
    add("stripe-sk", "stripe-access-token", "Stripe.api_key = \"" + s + "\"", s);
    const std::string r = "rk_live_" + rnd.Secret(kAlnum, 99);
    add("stripe-rk", "stripe-access-token", "STRIPE_KEY: " + r, r);
  }
  {
    const std::string s = "SK" + rnd.Secret(kHex, 32);
    add("twilio-key", "twilio-api-key", "TWILIO_API_KEY=" + s, s);
    const std::string a = "AC" + rnd.Secret(kHex, 32);
    add("twilio-sid", "twilio-account-sid", "account_sid = \"" + a + "\"", a);
  }
  {
    const std::string s = "SG." + rnd.Secret(kBase64Url, 22) + "." + rnd.Secret(kBase64Url, 43);
    add("sendgrid", "sendgrid-api-token", "SENDGRID_API_KEY='" + s + "'", s);
  }
  {
    const std::string s = "npm_" + rnd.Secret(kAlnum, 36);
    add("npm", "npm-access-token", "NPM_TOKEN=" + s, s);
    const std::string u = rnd.Secret(kHex, 8) + "-" + rnd.Token(kHex, 4) + "-" +
                          rnd.Token(kHex, 4) + "-" + rnd.Token(kHex, 4) + "-" + rnd.Token(kHex, 12);
    add("npmrc", "npmrc-auth-token", "//registry.npmjs.org/:_authToken=" + u, u);
  }
  {
    const std::string s = "pypi-AgEIcHlwaS5vcmc" + rnd.Secret(kBase64Url, 160, 4.5);
    add("pypi", "pypi-upload-token", "password = " + s, s);
  }
  {
    // PEM private keys, one per header kind; the secret is the body.
    for (const char* kind : {"RSA ", "EC ", "DSA ", "", "PGP "}) {
      const std::string body = Wrap(Base64(rnd.Token(kAlnum, 900), false), 64, "\n");
      const bool pgp = std::string(kind) == "PGP ";
      const std::string block = pgp ? " BLOCK" : "";
      add(std::string("pem-") + kind, "private-key",
          std::string("-----BEGIN ") + kind + "PRIVATE KEY" + block + "-----\n" +
              (pgp ? "\n" : "") + body + "\n-----END " + kind + "PRIVATE KEY" + block + "-----",
          body);
    }
    const std::string raw = std::string("openssh-key-v1\0", 15) + U32(4) + "none" + U32(4) +
                            "none" + U32(0) + U32(1) + rnd.Token(kAlnum, 300);
    const std::string body = Wrap(Base64(raw, false), 70, "\n");
    add("pem-openssh", "private-key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----",
        body);
  }
  {
    // Encrypted keys: legacy PEM headers, PKCS#8 "ENCRYPTED PRIVATE KEY", OpenSSH with a
    // cipher.
    const std::string body = Wrap(Base64(rnd.Token(kAlnum, 900), false), 64, "\n");
    const std::string legacy = "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC," +
                               rnd.Token("0123456789ABCDEF", 32) + "\n\n" + body;
    add("pem-encrypted-legacy", "private-key-encrypted",
        "-----BEGIN RSA PRIVATE KEY-----\n" + legacy + "\n-----END RSA PRIVATE KEY-----", legacy);
    const std::string b2 = Wrap(Base64(rnd.Token(kAlnum, 900), false), 64, "\n");
    add("pem-encrypted-pkcs8", "private-key-encrypted",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + b2 + "\n-----END ENCRYPTED PRIVATE KEY-----",
        b2);
    const std::string raw = std::string("openssh-key-v1\0", 15) + U32(10) + "aes256-ctr" + U32(6) +
                            "bcrypt" + U32(24) + rnd.Token(kAlnum, 300);
    const std::string b3 = Wrap(Base64(raw, false), 70, "\n");
    add("pem-encrypted-openssh", "private-key-encrypted",
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + b3 + "\n-----END OPENSSH PRIVATE KEY-----", b3);
  }
  {
    const std::string header = Base64(R"({"alg":"HS256","typ":"JWT"})", true);
    const std::string payload = Base64(
        R"({"sub":")" + rnd.Token(kAlnum, 12) + R"(","iat":)" + rnd.Token(kDigits, 10) + "}", true);
    const std::string s = header + "." + payload + "." + rnd.Secret(kBase64Url, 43);
    add("jwt", "jwt", "Authorization: Bearer " + s, s);
  }
  for (const char* scheme :
       {"postgres://app", "postgresql://app", "mysql://root", "mongodb+srv://svc", "redis://",
        "amqp://guest2", "jdbc:sqlserver://sa"}) {
    const std::string pw = rnd.Secret(kAlnum, 16);
    add(std::string("db-url-") + scheme, "database-url-password",
        std::string("DATABASE_URL=") + scheme + ":" + pw + "@db.internal:5432/app", pw);
  }
  {
    const std::string pw = rnd.Secret(kAlnum, 14);
    add("url-credentials", "url-credentials",
        "index-url = https://deploy:" + pw + "@pypi.corp.internal/simple", pw);
  }
  {
    const std::string p1 = rnd.Secret(std::string(kAlnum) + "!#%&*+-=?@^_~", 18);
    add("generic-password", "generic-api-key", "db_password = \"" + p1 + "\"", p1);
    const std::string p2 = rnd.Secret(kAlnum, 32);
    add("generic-env", "generic-api-key", "export API_KEY=" + p2, p2);
    const std::string p3 = rnd.Secret(kAlnum, 24);
    add("generic-yaml", "generic-api-key", "  client_secret: '" + p3 + "'", p3);
    const std::string p4 = rnd.Secret(kBase64Url, 40);
    add("generic-json", "generic-api-key", "  \"secret\": \"" + p4 + "\",", p4);
    const std::string p5 = rnd.Secret(kAlnum, 20);
    add("generic-go", "generic-api-key", "\tauthToken := \"" + p5 + "\"", p5);
  }
  {
    const std::string s =
        "sk-proj-" + rnd.Secret(kBase64Url, 40) + "T3BlbkFJ" + rnd.Secret(kBase64Url, 40);
    add("openai", "openai-api-key", "OPENAI_API_KEY=" + s, s);
    const std::string a = "sk-ant-api03-" + rnd.Secret(kBase64Url, 93) + "AA";
    add("anthropic", "anthropic-api-key", "ANTHROPIC_API_KEY=" + a, a);
  }
  {
    const std::string s =
        rnd.Token("123456789", 1) + rnd.Token(kDigits, 9) + ":AA" + rnd.Secret(kBase64Url, 33, 3.8);
    add("telegram", "telegram-bot-api-token", "bot = Bot('" + s + "')", s);
    const std::string m = rnd.Secret(kHex, 32) + "-us" + rnd.Token("123456789", 1);
    add("mailchimp", "mailchimp-api-key", "MAILCHIMP_KEY=" + m, m);
    // base64(a 18-digit user id) . timestamp . hmac; found with or without a keyword.
    const std::string d = Base64(rnd.Token("123456789", 1) + rnd.Token(kDigits, 17), true) + "." +
                          rnd.Secret(kBase64Url, 6, 2) + "." + rnd.Secret(kBase64Url, 27);
    add("discord", "discord-bot-token", "DISCORD_TOKEN = \"" + d + "\"", d);
    const std::string bare = Base64(rnd.Token("123456789", 1) + rnd.Token(kDigits, 18), true) +
                             "." + rnd.Secret(kBase64Url, 6, 2) + "." + rnd.Secret(kBase64Url, 38);
    add("discord", "discord-bot-token", "client.run('" + bare + "')", bare);
  }
  {
    const std::string a = "AKCp" + rnd.Secret(kAlnum, 69);
    add("artifactory", "artifactory-api-key", "X-JFrog-Art-Api: " + a, a);
    const std::string r = "cmVmdGtuOjAxOj" + rnd.Secret(kAlnum, 50);
    add("artifactory-ref", "artifactory-reference-token", "ARTIFACTORY_TOKEN=" + r, r);
    const std::string sh = "shpat_" + rnd.Secret(kHex, 32);
    add("shopify", "shopify-token", "SHOPIFY_ACCESS_TOKEN=" + sh, sh);
    const std::string d = "dop_v1_" + rnd.Secret(kHex, 64);
    add("digitalocean", "digitalocean-token", "DO_TOKEN=" + d, d);
    const std::string h = "hf_" + rnd.Secret(std::string(kUpper) + std::string(kLower), 34);
    add("huggingface", "huggingface-access-token", "HF_TOKEN=" + h, h);
    const std::string v = "hvs." + rnd.Secret(kBase64Url, 95);
    add("vault", "vault-service-token", "VAULT_TOKEN=" + v, v);
    const std::string k = "dckr_pat_" + rnd.Secret(kBase64Url, 27);
    add("dockerhub", "docker-hub-pat", "docker login -u me -p " + k, k);
  }
  return c;
}

constexpr std::string_view kFiller[] = {
    "# configuration for the service",
    "import os",
    "def main():",
    "    log.info(\"starting\")",
    "listen_port = 8080",
    "",
    "timeout: 30s",
};

// The case's text between random filler lines; the expected position of the secret.
struct Placed {
  std::string file;
  uint32_t line;
  uint32_t column;
  uint64_t offset;
};

Placed Place(const Case& c, Random& rnd) {
  Placed p;
  const size_t before = rnd.Uniform(0, 5);
  for (size_t i = 0; i < before; ++i) {
    p.file += kFiller[rnd.Uniform(0, std::size(kFiller) - 1)];
    p.file += '\n';
  }
  const size_t pos = c.text.find(c.secret);
  p.offset = p.file.size() + pos;
  const size_t line_start =
      c.text.rfind('\n', pos) == std::string::npos ? 0 : c.text.rfind('\n', pos) + 1;
  p.line =
      static_cast<uint32_t>(before + 1 + std::count(c.text.begin(), c.text.begin() + pos, '\n'));
  p.column = static_cast<uint32_t>(pos - line_start + 1);
  p.file += c.text;
  p.file += '\n';
  const size_t after = rnd.Uniform(0, 3);
  for (size_t i = 0; i < after; ++i) {
    p.file += kFiller[rnd.Uniform(0, std::size(kFiller) - 1)];
    p.file += '\n';
  }
  return p;
}

TEST(BuiltinRulesTest, CompileWithVectorscanOnly) {
  std::vector<std::string> warnings;
  auto engine = testing::CompileOrFail(BuiltinRules(), &warnings);
  ASSERT_NE(engine, nullptr);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_EQ(engine->stats().re2_fallback, 0u);
  EXPECT_EQ(engine->stats().hyperscan + engine->stats().hyperscan_prefilter, engine->stats().rules);
  std::set<std::string> ids;
  for (size_t i = 0; i < engine->rule_count(); ++i) {
    EXPECT_TRUE(ids.insert(engine->rule(i).id).second) << engine->rule(i).id;
    // Keywords make confirming cheap and keep loose patterns quiet. A rule without one
    // must be held by a structural validator (Discord's tokens start with base64 digits:
    // no literal to key on, but the id part must decode to a user id).
    const Rule& r = engine->rule(i);
    if (r.keywords.empty()) {
      EXPECT_TRUE(r.validator == Validator::kDiscordToken || r.validator == Validator::kJwt ||
                  r.validator == Validator::kPemPlain || r.validator == Validator::kPemEncrypted)
          << r.id << " has neither keywords nor a structural validator";
    }
  }
}

TEST(BuiltinRulesTest, EveryFamilyFindsFreshRandomSecrets) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  std::set<std::string> rules_covered;
  for (int round = 0; round < 5; ++round) {
    for (const Case& c : MakeCases(rnd)) {
      SCOPED_TRACE(c.family);
      const Placed p = Place(c, rnd);
      const auto matches = Scan(BuiltinEngine(), p.file);
      const SecretMatch* hit = nullptr;
      for (const SecretMatch& m : matches) {
        if (m.rule_id == c.rule && m.offset == p.offset) hit = &m;
      }
      ASSERT_NE(hit, nullptr) << "no " << c.rule << " at offset " << p.offset << " in:\n"
                              << p.file << "found:\n"
                              << Describe(matches);
      EXPECT_EQ(hit->line, p.line);
      EXPECT_EQ(hit->column, p.column);
      EXPECT_EQ(hit->length, c.secret.size());
      EXPECT_EQ(hit->masked_secret, MaskSecret(c.secret));
      EXPECT_NE(hit->masked_line.find(hit->masked_secret), std::string::npos) << hit->masked_line;
      EXPECT_FALSE(hit->title.empty());
      for (const SecretMatch& m : matches) {
        EXPECT_FALSE(LeaksSecret(m, c.secret)) << Describe({m});
      }
      rules_covered.insert(c.rule);
    }
  }
  // Every built-in rule has a family above.
  for (const Rule& r : BuiltinRules().rules) EXPECT_TRUE(rules_covered.count(r.id)) << r.id;
}

TEST(BuiltinRulesTest, EncryptedAndPlainKeysAreTold) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  for (const Case& c : MakeCases(rnd)) {
    if (c.family.rfind("pem-", 0) != 0) continue;
    SCOPED_TRACE(c.family);
    const auto matches = Scan(BuiltinEngine(), c.text);
    std::set<std::string> rules;
    for (const SecretMatch& m : matches) rules.insert(m.rule_id);
    EXPECT_EQ(rules, std::set<std::string>{c.rule}) << Describe(matches);
  }
  // Severity: an encrypted key is reported lower than a plain one.
  const RuleSet set = BuiltinRules();
  Severity plain = Severity::kUnknown;
  Severity encrypted = Severity::kUnknown;
  for (const Rule& r : set.rules) {
    if (r.id == "private-key") plain = r.severity;
    if (r.id == "private-key-encrypted") encrypted = r.severity;
  }
  EXPECT_LT(static_cast<int>(encrypted), static_cast<int>(plain));
}

TEST(BuiltinRulesTest, SecretsInOneFileInChunksOfAnySize) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  std::string file;
  size_t expected = 0;
  for (const Case& c : MakeCases(rnd)) {
    file += Place(c, rnd).file;
    ++expected;
  }
  const auto whole = Scan(BuiltinEngine(), file);
  EXPECT_GE(whole.size(), expected) << Describe(whole);
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{64 * 1024}}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    EXPECT_EQ(Describe(Scan(BuiltinEngine(), file, chunk)), Describe(whole));
  }
}

// Generated secrets that hold template-like symbols ("$(", "%(", "<", ">") are still
// secrets: only whole constructs (${VAR}, $(cmd), %(name)s, <word>) mark a template.
TEST(BuiltinRulesTest, SymbolsInRandomValuesAreNotTemplates) {
  for (const char* line : {
           "SECRET_KEY = 'k9#x$(w2!m@q8z^t5v&j3r*n6p=b1c-h4y+g7u(f0d)s2a%(e5o'",
           "DB_PASSWORD='Xq7vN2mK9pL4<rT8wZ3b'",
           "api_secret = \"Zt4>Qw8eR2yU6iO0pA3sD5fG7hJ9k\"",
           // Whole constructs that random keys form by chance (about 3% of Django's keys):
           // the random text around them is still a key.
           "SECRET_KEY = 'django-insecure-ji2k%z+t&cw^052@w2hu%(5p2v13)aa3t5s75ua5=(6w!x-b3)'",
           "SECRET_KEY = 'django-insecure-)w_@&l8x=j6h!vv$(_xv2blqqcskv-ff))5kerf03%d8^q3brb'",
           // A generated key that starts with '$' (2% of Django's) is not a variable.
           "SECRET_KEY = '$k2j^x9!m@q8z^t5v&j3r*n6p=b1c-h4y+g7u(f0d)s2a%e5o3w'",
           "password = '$4Fq!Lz9@Wm2#Rt7&Yp3'",
           "SECRET_KEY = '$(@)ju98#c27&eiaxq26sa5001w^*tk44ytj-vl2zu0%adxh5a'",
       }) {
    SCOPED_TRACE(line);
    const auto found = Scan(BuiltinEngine(), std::string(line) + "\n");
    ASSERT_EQ(found.size(), 1u) << Describe(found);
    EXPECT_EQ(found[0].rule_id, "generic-api-key");
  }
}

// Lines that look like secrets to a naive matcher but hold placeholders, templates,
// environment lookups or references to code.
constexpr std::string_view kSilentLines[] = {
    "api_key = \"YOUR_API_KEY\"",
    "API_KEY=YOUR_API_KEY_HERE",
    "password = \"changeme\"",
    "password: changeme123",
    "DB_PASSWORD=${DB_PASSWORD}",
    "token: ${TOKEN}",
    "secret: \"{{ .Values.secret }}\"",
    "password: {{ .Values.postgresql.password | quote }}",
    "password = \"<password>\"",
    "api_key: <your-api-key>",
    "token = os.environ[\"GITHUB_TOKEN\"]",
    "password = os.getenv(\"DB_PASSWORD\")",
    "const token = process.env.API_TOKEN;",
    "apiKey: process.env.STRIPE_SECRET_KEY,",
    "secret := os.Getenv(\"JWT_SECRET\")",
    "char *password = getenv(\"PGPASSWORD\");",
    "password = ENV['DATABASE_PASSWORD']",
    "api_key = \"xxxxxxxxxxxxxxxxxxxxxxxx\"",
    "password: \"********\"",
    "secret_key = \"*****************\"",
    "token = \"XXXXXXXXXXXXXXXXXXXX\"",
    "password = \"%(db_password)s\"",
    "password: $(cat /run/secrets/db_password)",
    "SECRET_KEY = 'django-insecure-$(SECRET_KEY_SUFFIX)'",
    "password: $DB_PASSWORD",
    "$password = $this->password;",
    "api_key = $config['stripe_api_key']",
    "my $secret = $ENV{APP_SECRET};",
    "password: '$2b$12$KIXQJQ1b0eBq5Hx5yJm2ZOb9nS3qv6c5m3uYp8Zr0xw4d2h6QeWvK'",
    "secret = $1",
    "token: \"Bearer ${GITHUB_TOKEN}\"",
    "password_file = /run/secrets/db_password",
    "token_url = \"https://oauth2.googleapis.com/token\"",
    "secretName: my-app-secret",
    "password = self.settings.database_password",
    "password = \"#{ENV['PASSWORD']}\"",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "postgres://user:password@localhost:5432/db",
    "mysql://root:${MYSQL_ROOT_PASSWORD}@db/app",
    "redis://:<password>@cache:6379",
    "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "password: true",
    "api_key: null",
    "password = \"\"",
    "secret_key_base = <%= ENV[\"SECRET_KEY_BASE\"] %>",
    "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
    "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
    "token_type = \"Bearer\"",
    "passwordless_login = enabled_for_all",
    "PASSWORD_MIN_LENGTH=12345678",
    "KeyVaultToStoreSecrets: kv-prod-secrets-01",
    "jwt = \"eyJhbGciOiJIUzI1NiJ9.notjson.c2lnbmF0dXJlc2lnbmF0dXJl\"",
    "bool parseToken(AsmToken::TokenKind T, const Twine &Msg);",
    "id = MZ1yGvKTjE0rY0cV8i47CjAa.uRHQPq.Xb1Mk2nEhe-4iUcrGOuegj57zMC",
    "      _M_token = _S_token_collsymbol;",
    "    token_type last_token = token_type::uninitialized;",
    "  secret: :production_secret_v2",
    "  token = self->next_token2;",
    "          fLastTokenStr:=fLastTokenStr+c;",
    "      PTOKEN_GROUPS = ^TOKEN_GROUPS;",
    "    let s:netrw_passwd= g:netrw_passwd",
    "#password_encryption = scram-sha-256\t# scram-sha-256 or md5",
    "<p><code>http://someusername:p4ssw0rd@example.com/cache/</code></p>",
    "{ password, as in http://user:passwd\\@host:port/ }",
    "redis://[[USERNAME:]PASSWORD@]HOST[:PORT][/DBNUMBER]",
    "Serpentine CSPRNG tokens: token_hex/token_urlsafe/randbelow",
    "const password = 'Password used to generate key';",
    "  SerrUnknownToken = 'Unknown token at position %s';",
    "  out << \"pos=\" + pos + \", last_token=\" + last_token_string + \"\\n\";",
    "    backend: \"Backend\", private_key: \"_EllipticCurvePrivateKey\", data: bytes",
    "      FToken:=tkSquaredBraceClose;",
};

TEST(BuiltinRulesTest, PlaceholdersAndLookupsStaySilent) {
  ASSERT_GE(std::size(kSilentLines), 30u);
  for (std::string_view line : kSilentLines) {
    const auto matches = Scan(BuiltinEngine(), std::string(line) + "\n");
    EXPECT_TRUE(matches.empty()) << line << "\n" << Describe(matches);
  }
}

TEST(BuiltinRulesTest, InlineAllowCommentSilencesTheLine) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  const std::string key = "ghp_" + rnd.Secret(kAlnum, 36);
  EXPECT_EQ(Scan(BuiltinEngine(), "GH=\"" + key + "\"\n").size(), 1u);
  EXPECT_TRUE(Scan(BuiltinEngine(), "GH=\"" + key + "\"  # bulkhead:allow\n").empty());
  EXPECT_TRUE(Scan(BuiltinEngine(), "GH=\"" + key + "\" // gitleaks:allow\n").empty());
  // Only the same line.
  EXPECT_EQ(Scan(BuiltinEngine(), "# bulkhead:allow\nGH=\"" + key + "\"\n").size(), 1u);
}

// The RE2 fallback path (one RE2::Set pass, keyword-gated) finds exactly what the
// vectorscan path finds: the two confirm on the same windows.
TEST(BuiltinRulesTest, Re2FallbackFindsTheSameAsVectorscan) {
  Random rnd;
  SCOPED_TRACE("BULKHEAD_TEST_SEED=" + std::to_string(rnd.seed()));
  CompileOptions force;
  force.force_re2 = true;
  std::vector<std::string> warnings;
  auto re2_only = testing::CompileOrFail(BuiltinRules(), &warnings, force);
  ASSERT_NE(re2_only, nullptr);
  EXPECT_EQ(re2_only->stats().re2_fallback, re2_only->stats().rules);
  std::string file;
  for (const Case& c : MakeCases(rnd)) file += Place(c, rnd).file;
  for (std::string_view line : kSilentLines) {
    file += line;
    file += '\n';
  }
  const std::string expected = Describe(Scan(BuiltinEngine(), file));
  EXPECT_EQ(Describe(Scan(*re2_only, file)), expected);
  EXPECT_EQ(Describe(Scan(*re2_only, file, 7)), expected);
}

}  // namespace
}  // namespace bulkhead::secret
