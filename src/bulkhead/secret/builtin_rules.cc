// The built-in rules. Each regex is written from the token format its vendor documents
// (prefix, alphabet, length); the secret is capture group 1 unless said otherwise.
// Vectorscan needs a literal in each pattern to stay fast, so every rule has one (a
// token prefix or a key word); formats without a literal (bare Discord tokens, bare
// 32-hex auth tokens) are matched only in an assignment that names the service.
#include "bulkhead/secret/builtin_rules.h"

#include <initializer_list>
#include <string>
#include <utility>

namespace bulkhead::secret {
namespace {

struct Spec {
  const char* id;
  Severity severity;
  const char* title;
  const char* regex;
  std::initializer_list<const char*> keywords;
  double min_entropy;  ///< 0: none.
  Validator validator;
  bool multiline = false;
};

Rule MakeRule(const Spec& s) {
  Rule r;
  r.id = s.id;
  r.severity = s.severity;
  r.title = s.title;
  r.regex = s.regex;
  for (const char* k : s.keywords) r.keywords.emplace_back(k);
  if (s.min_entropy > 0) r.min_entropy = s.min_entropy;
  r.validator = s.validator;
  r.multiline = s.multiline;
  return r;
}

constexpr Severity kCritical = Severity::kCritical;
constexpr Severity kHigh = Severity::kHigh;
constexpr Severity kMedium = Severity::kMedium;
constexpr Severity kLow = Severity::kLow;

// "<key word>... = value" in code and config: the separator forms of shell, YAML, JSON,
// TOML, Go (:=), Ruby/PHP (=>) and Make (?=).
#define BULKHEAD_ASSIGN R"re(["'\x60]?\s{0,3}(?:=|:=|=>|:|\?=)\s{0,3})re"

const Spec kSpecs[] = {
    // AWS: access key ids are a 4-letter type prefix and 16 upper-case base32 characters.
    {"aws-access-token",
     kCritical,
     "AWS access key ID",
     R"re(\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b)re",
     {"akia", "asia", "abia", "acca"},
     3.0,
     Validator::kToken},
    // AWS secret access keys are 40 base64 characters with no marker of their own.
    {"aws-secret-access-key",
     kCritical,
     "AWS secret access key",
     R"re((?i)(?:aws[\w.-]{0,20}?secret[\w.-]{0,20}|secret[_.-]?access[_.-]?key))re" BULKHEAD_ASSIGN
     R"re(["'\x60]?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))re",
     {"secret"},
     4.0,
     Validator::kToken},
    // GCP service-account key files: JSON with "type": "service_account" and a PEM key.
    {"gcp-service-account",
     kCritical,
     "Google Cloud service account key",
     R"re("type"\s*:\s*"service_account"(?s:.*?)"private_key"\s*:\s*"(-----BEGIN[^"]{40,})")re",
     {"service_account"},
     0,
     Validator::kNone,
     true},
    // Google API keys: "AIza" and 35 URL-safe base64 characters.
    {"gcp-api-key",
     kHigh,
     "Google API key",
     R"re(\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$))re",
     {"aiza"},
     3.5,
     Validator::kToken},
    // Azure storage account keys (64 bytes, base64) and Service Bus / Event Hubs shared
    // access keys (32 bytes), as they appear in connection strings.
    {"azure-storage-key",
     kCritical,
     "Azure storage account or shared access key",
     R"re((?i)(?:AccountKey|SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{43}=))re",
     {"accountkey", "sharedaccesskey"},
     4.0,
     Validator::kToken},
    // GitHub tokens: a type prefix, '_' and at least 36 base62 characters.
    {"github-pat",
     kCritical,
     "GitHub personal access token",
     R"re(\b(ghp_[0-9A-Za-z]{36,251})\b)re",
     {"ghp_"},
     3.0,
     Validator::kToken},
    {"github-oauth",
     kCritical,
     "GitHub OAuth access token",
     R"re(\b(gho_[0-9A-Za-z]{36,251})\b)re",
     {"gho_"},
     3.0,
     Validator::kToken},
    {"github-app-token",
     kCritical,
     "GitHub App token",
     R"re(\b((?:ghu|ghs)_[0-9A-Za-z]{36,251})\b)re",
     {"ghu_", "ghs_"},
     3.0,
     Validator::kToken},
    {"github-refresh-token",
     kCritical,
     "GitHub refresh token",
     R"re(\b(ghr_[0-9A-Za-z]{36,251})\b)re",
     {"ghr_"},
     3.0,
     Validator::kToken},
    {"github-fine-grained-pat",
     kCritical,
     "GitHub fine-grained personal access token",
     R"re(\b(github_pat_[0-9A-Za-z_]{82,221})\b)re",
     {"github_pat_"},
     3.0,
     Validator::kToken},
    // GitLab tokens: "glpat-" and the other "gl<type>-" prefixes, runner registration
    // tokens "GR1348941". Fixed lengths where GitLab has them: incoming mail 25, pipeline
    // trigger 40, OAuth application secret 64.
    {"gitlab-pat",
     kCritical,
     "GitLab personal access token",
     R"re(\b(glpat-[0-9A-Za-z_-]{20,300})(?:[^0-9A-Za-z_-]|$))re",
     {"glpat-"},
     3.0,
     Validator::kToken},
    {"gitlab-token",
     kHigh,
     "GitLab token (deploy, runner, CI, feed, OAuth, SCIM, agent)",
     R"re(\b(gl(?:dt|rt|cbt|ft|soat|ffct|wt|cit)-[0-9A-Za-z_-]{20,50}|glagent-[0-9A-Za-z_-]{50,80}|glimt-[0-9A-Za-z_-]{25}|glptt-[0-9A-Za-z_-]{40}|gloas-[0-9A-Za-z_-]{64}|GR1348941[0-9A-Za-z_-]{20,50})(?:[^0-9A-Za-z_-]|$))re",
     {"gldt-", "glrt-", "glcbt-", "glft-", "glsoat-", "glagent-", "glffct-", "glwt-", "glcit-",
      "gloas-", "glimt-", "glptt-", "gr1348941"},
     3.0,
     Validator::kToken},
    // Slack: xox[baprse]- tokens are numeric ids and a base62 secret, joined by '-'.
    {"slack-token",
     kHigh,
     "Slack token",
     R"re(\b(xox[baprse]-(?:[0-9]{1,15}-){1,4}[0-9A-Za-z]{8,250})\b)re",
     {"xox"},
     3.0,
     Validator::kToken},
    {"slack-app-token",
     kHigh,
     "Slack app-level token",
     R"re(\b(xapp-[0-9]-[0-9A-Z]{6,16}-[0-9]{6,16}-[0-9a-z]{32,80})\b)re",
     {"xapp-"},
     3.0,
     Validator::kToken},
    {"slack-webhook-url",
     kHigh,
     "Slack incoming webhook URL",
     R"re(https://hooks\.slack\.com/(?:services|workflows|triggers)/(T[0-9A-Z]{6,12}/[0-9A-Za-z/_-]{20,160}))re",
     {"hooks.slack.com"},
     3.0,
     Validator::kToken},
    // Stripe live secret and restricted keys.
    {"stripe-access-token",
     kCritical,
     "Stripe live secret key",
     R"re(\b((?:sk|rk)_live_[0-9A-Za-z]{20,247})\b)re",
     {"sk_live_", "rk_live_"},
     3.0,
     Validator::kToken},
    // Twilio: API key SIDs are "SK" + 32 hex; account SIDs "AC" + 32 hex (an identifier,
    // reported low: it points at an auth token nearby).
    {"twilio-api-key",
     kHigh,
     "Twilio API key SID",
     R"re(\b(SK[0-9a-fA-F]{32})\b)re",
     {"sk"},
     3.0,
     Validator::kToken},
    {"twilio-account-sid",
     kLow,
     "Twilio account SID",
     R"re(\b(AC[0-9a-f]{32})\b)re",
     {"ac"},
     3.0,
     Validator::kToken},
    // SendGrid: "SG." + 22 + "." + 43 URL-safe base64 characters.
    {"sendgrid-api-token",
     kHigh,
     "SendGrid API key",
     R"re(\b(SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43})(?:[^0-9A-Za-z_-]|$))re",
     {"sg."},
     3.5,
     Validator::kToken},
    // npm: "npm_" + 36 base62; legacy tokens appear as _authToken in .npmrc.
    {"npm-access-token",
     kHigh,
     "npm access token",
     R"re(\b(npm_[0-9A-Za-z]{36})\b)re",
     {"npm_"},
     3.0,
     Validator::kToken},
    {"npmrc-auth-token",
     kHigh,
     "npm registry credential in .npmrc",
     R"re(//[^\s/"']{1,256}(?:/[^\s"']{0,256})?/:_auth(?:Token)?\s*=\s*["']?([^\s"'$]{8,512}))re",
     {"_auth"},
     0,
     Validator::kCredential},
    // PyPI upload tokens are macaroons: "pypi-" + base64 of a binary blob that starts
    // with the location ("pypi.org" or "test.pypi.org").
    {"pypi-upload-token",
     kHigh,
     "PyPI upload token",
     R"re(\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[0-9A-Za-z_-]{100,}))re",
     {"pypi-age"},
     0,
     Validator::kToken},
    // PEM private keys (PKCS#1 RSA, SEC1 EC, DSA, OpenSSH, PGP, PKCS#8, encrypted PKCS#8),
    // as real lines or inside a JSON string with "\n" escapes. The secret is the body.
    {"private-key",
     kHigh,
     "Private key",
     R"re(-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*([0-9A-Za-z+/=](?s:.){39,}?)(?:\s|\\[nr])*-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)re",
     {"private key"},
     0,
     Validator::kPemPlain,
     true},
    {"private-key-encrypted",
     kLow,
     "Encrypted private key (passphrase-protected)",
     R"re(-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*([0-9A-Za-z+/=](?s:.){39,}?)(?:\s|\\[nr])*-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)re",
     {"private key"},
     0,
     Validator::kPemEncrypted,
     true},
    // JSON Web Tokens: base64url(header).base64url(payload)[.signature] (unsigned tokens
    // are bearer tokens too); the validator decodes both and wants JSON objects, the
    // header with "alg".
    {"jwt",
     kMedium,
     "JSON Web Token",
     R"re(\b(ey[0-9A-Za-z_-]{10,}\.ey[0-9A-Za-z_-]{10,}(?:\.[0-9A-Za-z_-]{16,})?)(?:[^0-9A-Za-z_.-]|$))re",
     {"ey"},
     0,
     Validator::kJwt},
    // Passwords in database and message-broker URLs: scheme://user:password@host.
    {"database-url-password",
     kHigh,
     "Password in a database or broker URL",
     R"re((?i)\b(?:postgres(?:ql)?|mysqlx?|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse|couchdbs?|neo4j(?:\+s)?|jdbc:[a-z0-9]+)://[^\s:@/"'<>]{0,128}:([^\s@/"'<>]{1,256})@[^\s/"'<>]{1,256})re",
     {"://"},
     0,
     Validator::kCredential},
    {"url-credentials",
     kMedium,
     "Password in a URL",
     R"re((?i)\b(?:https?|ftps?|sftp|ssh|git|svn|ldaps?|smtps?|imaps?|socks5h?)://[^\s:@/"'<>]{1,128}:([^\s@/"'<>]{3,256})@[0-9A-Za-z.-]{2,255})re",
     {"://"},
     0,
     Validator::kCredential},
    // Generic assignments of passwords, secrets, API keys and tokens. Quoted values are
    // groups 1-3, a bare value group 4; entropy, the key name and placeholder checks gate
    // them (see internal/validators.h).
    {"generic-api-key",
     kMedium,
     "Hard-coded password, secret or API key",
     R"re((?i)(?:passw(?:or)?d|pwd|secret|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?token|access[_.-]?token|private[_.-]?key|client[_.-]?secret|token)[\w.-]{0,20})re" BULKHEAD_ASSIGN
     R"re((?:"([^"\r\n]{8,})"|'([^'\r\n]{8,})'|\x60([^\x60\r\n]{8,})\x60|([^\s"'\x60;,]{8,})))re",
     {"passw", "pwd", "secret", "key", "token"},
     3.0,
     Validator::kAssignment},
    // OpenAI keys carry "T3BlbkFJ" (base64 of "OpenAI") in the middle.
    {"openai-api-key",
     kHigh,
     "OpenAI API key",
     R"re(\b(sk-(?:proj-|svcacct-|admin-)?[0-9A-Za-z_-]{20,74}T3BlbkFJ[0-9A-Za-z_-]{20,74})(?:[^0-9A-Za-z_-]|$))re",
     {"t3blbkfj"},
     3.0,
     Validator::kToken},
    {"anthropic-api-key",
     kHigh,
     "Anthropic API key",
     R"re(\b(sk-ant-(?:api03|admin01)-[0-9A-Za-z_-]{80,120})(?:[^0-9A-Za-z_-]|$))re",
     {"sk-ant-"},
     3.0,
     Validator::kToken},
    // Telegram bot tokens: the bot's numeric id, ':', "AA" and 33 URL-safe characters.
    {"telegram-bot-api-token",
     kMedium,
     "Telegram bot token",
     R"re(\b([0-9]{8,10}:AA[0-9A-Za-z_-]{33})(?:[^0-9A-Za-z_-]|$))re",
     {":aa"},
     3.5,
     Validator::kToken},
    // Mailchimp API keys: 32 hex digits and the datacenter, "-us<N>".
    {"mailchimp-api-key",
     kMedium,
     "Mailchimp API key",
     R"re(\b([0-9a-f]{32}-us[0-9]{1,2})\b)re",
     {"-us"},
     3.0,
     Validator::kToken},
    {"discord-bot-token",
     kMedium,
     "Discord bot token",
     R"re((?:^|[^0-9A-Za-z_.-])([MNO][0-9A-Za-z_-]{23,25}\.[0-9A-Za-z_-]{6}\.[0-9A-Za-z_-]{27,38})(?:[^0-9A-Za-z_.-]|$))re",
     {},
     3.5,
     Validator::kDiscordToken},
    // JFrog Artifactory API keys ("AKCp" + 69) and reference tokens (base64 "reftkn:01:").
    {"artifactory-api-key",
     kHigh,
     "JFrog Artifactory API key",
     R"re(\b(AKCp[0-9A-Za-z]{69})\b)re",
     {"akcp"},
     3.5,
     Validator::kToken},
    {"artifactory-reference-token",
     kHigh,
     "JFrog Artifactory reference token",
     R"re(\b(cmVmdGtuOjAxOj[0-9A-Za-z]{40,90})\b)re",
     {"cmvmdgtuojaxoj"},
     3.5,
     Validator::kToken},
    {"shopify-token",
     kHigh,
     "Shopify access token or shared secret",
     R"re(\b(shp(?:at|ss|ca|pa)_[0-9a-fA-F]{32})\b)re",
     {"shpat_", "shpss_", "shpca_", "shppa_"},
     3.0,
     Validator::kToken},
    {"digitalocean-token",
     kHigh,
     "DigitalOcean token",
     R"re(\b(do[opr]_v1_[0-9a-f]{64})\b)re",
     {"dop_v1_", "doo_v1_", "dor_v1_"},
     3.0,
     Validator::kToken},
    {"huggingface-access-token",
     kHigh,
     "Hugging Face access token",
     R"re(\b(hf_[A-Za-z]{34})\b)re",
     {"hf_"},
     3.5,
     Validator::kToken},
    {"vault-service-token",
     kHigh,
     "HashiCorp Vault token",
     R"re(\b(hv[sb]\.[0-9A-Za-z_-]{90,120})(?:[^0-9A-Za-z_-]|$))re",
     {"hvs.", "hvb."},
     3.5,
     Validator::kToken},
    {"docker-hub-pat",
     kHigh,
     "Docker Hub personal access token",
     R"re(\b(dckr_pat_[0-9A-Za-z_-]{27})(?:[^0-9A-Za-z_-]|$))re",
     {"dckr_pat_"},
     3.0,
     Validator::kToken},
};

#undef BULKHEAD_ASSIGN

}  // namespace

RuleSet BuiltinRules() {
  RuleSet set;
  for (const Spec& s : kSpecs) set.rules.push_back(MakeRule(s));
  return set;
}

}  // namespace bulkhead::secret
