#include "bulkhead/secret/internal/validators.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "bulkhead/secret/text.h"

namespace bulkhead::secret::internal {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

bool IsUpperAscii(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAscii(char c) { return c >= 'a' && c <= 'z'; }

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

// `needle` is lower-case; `haystack` any case.
bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (LowerAscii(haystack[i]) != needle[0]) continue;
    size_t k = 1;
    while (k < needle.size() && LowerAscii(haystack[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

bool EqualsNoCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != lower[i]) return false;
  }
  return true;
}

bool EndsWithNoCase(std::string_view s, std::string_view lower_suffix) {
  return s.size() >= lower_suffix.size() &&
         EqualsNoCase(s.substr(s.size() - lower_suffix.size()), lower_suffix);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// "a.b.c" style references to code: process.env.X, self.settings.token, config.password.
bool IsDottedIdentifier(std::string_view v) {
  if (v.empty() || std::isdigit(static_cast<unsigned char>(v[0]))) return false;
  bool dot = false;
  bool part_empty = true;
  for (char c : v) {
    if (c == '.') {
      if (part_empty) return false;
      dot = true;
      part_empty = true;
    } else if (IsIdentChar(c)) {
      part_empty = false;
    } else {
      return false;
    }
  }
  return dot && !part_empty;
}

size_t DistinctBytes(std::string_view v) {
  std::array<bool, 256> seen{};
  size_t n = 0;
  for (char c : v) {
    auto& s = seen[static_cast<unsigned char>(c)];
    if (!s) s = true, ++n;
  }
  return n;
}

// Words that are a placeholder when they are the whole value.
constexpr std::string_view kPlaceholderWords[] = {
    "password", "passwd",    "pass",       "pwd",      "secret",    "token",     "apikey",
    "api_key",  "api-key",   "key",        "value",    "string",    "text",      "default",
    "empty",    "required",  "optional",   "true",     "false",     "null",      "none",
    "nil",      "undefined", "test",       "testing",  "admin",     "root",      "user",
    "username", "changeme",  "changeit",   "qwerty",   "letmein",   "example",   "sample",
    "dummy",    "redacted",  "hidden",     "masked",   "secret123", "password1", "password123",
    "12345678", "123456789", "1234567890", "abcdefgh", "abc123",    "p@ssw0rd",  "passw0rd",
};

// Substrings that mark a placeholder, a template or an environment lookup anywhere in the
// (lower-cased) value.
constexpr std::string_view kPlaceholderMarks[] = {
    "example",     "sample",     "dummy",   "placeholder", "changeme",     "change_me",
    "change-me",   "changeit",   "your_",   "your-",       "yourpass",     "yourtoken",
    "yourkey",     "yoursecret", "yourapi", "redacted",    "replace_me",   "replaceme",
    "replace-me",  "insert_",    "insert-", "xxxx",        "****",         "....",
    "fake",        "todo",       "fixme",   "notasecret",  "not_a_secret", "not-a-secret",
    "process.env", "os.environ", "getenv",  "environ[",    "environ.get",  "env[",
    "env.",        "secrets.",   "vault:",  "arn:aws:",    "ssm:",         "/run/secrets",
    "file:",       "lorem",      "ipsum",   "foobar",      "://",
};

// A template or interpolation somewhere in the value: ${VAR}, $(command), #{expr},
// @{var}, {{ .Values.x }}, %(name)s, <your-token>. Whole constructs only: a generated
// password may well hold "<" or "$(" (Django's key alphabet has both), and one stray
// symbol must not make a real secret look like a template. Nor may a whole construct
// that random text forms by chance: about 3% of Django's keys hold one ("$(c3q)",
// "%(5p2v13)a"), so the text around the constructs must not be a secret itself.
bool HasTemplate(std::string_view v) {
  const auto ident_start = [](char c) { return IsUpperAscii(c) || IsLowerAscii(c) || c == '_'; };
  const auto ident = [&](char c) { return ident_start(c) || (c >= '0' && c <= '9'); };
  const auto expr = [&](char c) {
    return ident(c) || (c != '\0' && std::strchr(" .:/'\"[]-=|", c) != nullptr);
  };
  // The end (one past) of the construct that starts at v[i], or 0.
  const auto construct_end = [&](size_t i) -> size_t {
    const char c = v[i], next = v[i + 1];
    if ((c == '$' || c == '#' || c == '@') && (next == '{' || next == '(')) {
      const char close = next == '{' ? '}' : ')';
      size_t j = i + 2;
      if (j >= v.size() || !ident_start(v[j])) return 0;
      while (j < v.size() && j - i < 200 && expr(v[j])) ++j;
      return j < v.size() && v[j] == close ? j + 1 : 0;
    }
    if (c == '{' && next == '{') {
      const size_t close = v.find("}}", i + 2);
      return close == std::string_view::npos ? 0 : close + 2;
    }
    if (c == '%' && next == '(') {
      size_t j = i + 2;
      while (j < v.size() && ident(v[j])) ++j;
      return j > i + 2 && j + 1 < v.size() && v[j] == ')' && IsLowerAscii(v[j + 1]) ? j + 2 : 0;
    }
    if (c == '<' && ident_start(next)) {
      size_t j = i + 1;
      while (j < v.size() && j - i < 64 &&
             (ident(v[j]) || v[j] == '-' || v[j] == ' ' || v[j] == '.')) {
        ++j;
      }
      return j < v.size() && v[j] == '>' ? j + 1 : 0;
    }
    return 0;
  };
  bool found = false;
  std::string rest;  // the value without its constructs
  size_t copied = 0;
  for (size_t i = 0; i + 1 < v.size(); ++i) {
    const size_t end = construct_end(i);
    if (end == 0) continue;
    found = true;
    rest.append(v.substr(copied, i - copied));
    copied = end;
    i = end - 1;
  }
  if (!found) return false;
  rest.append(v.substr(std::min(copied, v.size())));
  // 16 characters at 4 bits each: random text, not "Bearer " or "django-insecure-".
  return rest.size() < 16 || ShannonEntropy(rest) < 4.0;
}

// File names given as values: "key.pem", "token.txt".
constexpr std::string_view kFileSuffixes[] = {
    ".txt", ".pem", ".key", ".json", ".yaml", ".yml", ".crt", ".cer",
    ".env", ".p12", ".pfx", ".jks",  ".conf", ".cfg", ".ini", ".properties"};

// Tokens of a key name that say the value is metadata about the secret, not the secret.
constexpr std::string_view kNonSecretKeyTokens[] = {
    "file",     "files",      "path",        "dir",       "directory",    "url",        "uri",
    "endpoint", "length",     "len",         "size",      "name",         "names",      "type",
    "policy",   "hash",       "hashed",      "hashes",    "format",       "regex",      "regexp",
    "pattern",  "header",     "prefix",      "suffix",    "enabled",      "enable",     "required",
    "expiry",   "expires",    "expiration",  "ttl",       "timeout",      "count",      "version",
    "mode",     "label",      "description", "desc",      "method",       "algorithm",  "alg",
    "field",    "id",         "ids",         "ref",       "env",          "var",        "variable",
    "store",    "manager",    "provider",    "input",     "placeholder",  "template",   "hint",
    "rotation", "reset",      "forgot",      "confirm",   "confirmation", "validation", "min",
    "max",      "location",   "source",      "generator", "strength",     "changed",    "updated",
    "created",  "encryption", "encrypted",   "cipher",    "digest",       "scheme",     "class",
    "kind",     "scope",      "scopes",      "lifetime",  "command",      "cmd",        "script",
    "query",    "param",      "params",      "arn",       "keyid",        "less",       "izer",
    "izers",    "ization",    "able",        "public",    "csrf",         "xsrf",       "secretref",
};

// Calls `fn` with each token of a key name, split at '_', '.', '-', spaces and camelCase
// boundaries ("secretKeyRef" -> secret, Key, Ref); stops when `fn` returns true.
bool IsAlnumAscii(char c) { return IsUpperAscii(c) || IsLowerAscii(c) || (c >= '0' && c <= '9'); }

template <typename Fn>
bool AnyKeyToken(std::string_view key, Fn fn) {
  size_t begin = 0;
  for (size_t i = 0; i <= key.size(); ++i) {
    bool cut = i == key.size() || !IsAlnumAscii(key[i]);
    const bool boundary =
        !cut && i > begin && IsUpperAscii(key[i]) &&
        (IsLowerAscii(key[i - 1]) || (i + 1 < key.size() && IsLowerAscii(key[i + 1])));
    if (cut || boundary) {
      if (i > begin && fn(key.substr(begin, i - begin))) return true;
      begin = cut ? i + 1 : i;
    }
  }
  return false;
}

// Random letters ("jxWMpZsdplRcMrfj", "ovnjxcmzkmapxdzc"), unlike words and identifiers
// ("myAppSecretKey"): long, and either the case flips between many neighbours or six
// consonants of one case follow each other, which words do not do.
bool LooksRandomLetters(std::string_view s) {
  if (s.size() < 16) return false;
  size_t pairs = 0;
  size_t flips = 0;
  size_t run = 0;
  size_t longest_run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const bool consonant = std::isalpha(b) && !std::strchr("aeiouyAEIOUY", b);
    const bool same_case =
        i > 0 && std::isalpha(static_cast<unsigned char>(s[i - 1])) &&
        (std::isupper(static_cast<unsigned char>(s[i - 1])) != 0) == (std::isupper(b) != 0);
    run = consonant ? (same_case ? run + 1 : 1) : 0;
    longest_run = std::max(longest_run, run);
    if (i == 0) continue;
    const auto a = static_cast<unsigned char>(s[i - 1]);
    if (!std::isalpha(a) || !std::isalpha(b)) continue;
    ++pairs;
    flips += (std::isupper(a) != 0) != (std::isupper(b) != 0);
  }
  // CamelCase words flip case twice per word too, but nearly every capital starts a
  // word (two lower-case letters follow it); in random letters about a quarter do.
  size_t capitals = 0;
  size_t word_starts = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsUpperAscii(s[i])) continue;
    ++capitals;
    word_starts += i + 2 < s.size() && IsLowerAscii(s[i + 1]) && IsLowerAscii(s[i + 2]);
  }
  const bool camel_case = capitals >= 2 && word_starts * 10 >= capitals * 8;
  return (pairs > 0 && flips * 10 >= pairs * 3 && !camel_case) || longest_run >= 6;
}

// The assignment's key (the identifier right before the separator in the match) starts
// the value: "fLastTokenStr:=fLastTokenStr+c".
bool SelfReference(const Candidate& c) {
  const size_t sep = c.match.find_first_of("=:");
  if (sep == std::string_view::npos) return false;
  size_t end = sep;
  while (end > 0 && !IsIdentChar(c.match[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && IsIdentChar(c.match[begin - 1])) --begin;
  // The key may start before the match (the keyword is in its middle).
  std::string_view key = c.match.substr(begin, end - begin);
  if (begin == 0) {
    size_t b = c.before.size();
    while (b > 0 && IsIdentChar(c.before[b - 1])) --b;
    const char* start = c.before.data() + b;
    key = std::string_view(start, static_cast<size_t>(c.match.data() + end - start));
  }
  return key.size() >= 4 && c.secret.substr(0, key.size()) == key;
}

bool IsTokenPlaceholder(std::string_view secret) {
  static constexpr std::string_view kMarks[] = {"example", "xxxxxx", "****", "<", "${", "{{"};
  for (std::string_view mark : kMarks) {
    if (ContainsNoCase(secret, mark)) return true;
  }
  return DistinctBytes(secret) <= 3;
}

bool JwtSegmentIsObject(std::string_view segment, bool need_alg) {
  std::string json;
  if (!DecodeBase64(segment, &json)) return false;
  size_t b = json.find_first_not_of(" \t\r\n");
  size_t e = json.find_last_not_of(" \t\r\n");
  if (b == std::string::npos || json[b] != '{' || json[e] != '}') return false;
  return !need_alg || Contains(json, "\"alg\"");
}

bool IsJwt(std::string_view token) {
  const size_t d1 = token.find('.');
  if (d1 == std::string_view::npos) return false;
  size_t d2 = token.find('.', d1 + 1);
  if (d2 == std::string_view::npos) d2 = token.size();
  return JwtSegmentIsObject(token.substr(0, d1), /*need_alg=*/true) &&
         JwtSegmentIsObject(token.substr(d1 + 1, d2 - d1 - 1), /*need_alg=*/false);
}

// The base64 characters of a PEM body, without line breaks (real or escaped "\n").
std::string PemBase64(std::string_view body, size_t max_chars) {
  std::string out;
  for (size_t i = 0; i < body.size() && out.size() < max_chars; ++i) {
    const char c = body[i];
    if (c == '\\' && i + 1 < body.size() && (body[i + 1] == 'n' || body[i + 1] == 'r')) {
      ++i;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=') {
      out += c;
    }
  }
  return out;
}

// An OpenSSH private key ("openssh-key-v1") whose cipher is not "none".
bool IsEncryptedOpenSsh(std::string_view body) {
  std::string b64 = PemBase64(body, 96);
  b64.resize(b64.size() / 4 * 4);
  std::string raw;
  if (!DecodeBase64(b64, &raw)) return false;
  constexpr std::string_view kMagic("openssh-key-v1\0", 15);
  if (raw.size() < kMagic.size() + 4 || std::string_view(raw).substr(0, 15) != kMagic) {
    return false;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data()) + kMagic.size();
  const uint32_t len =
      (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
  const std::string_view cipher = std::string_view(raw).substr(kMagic.size() + 4, len);
  return cipher != "none";
}

bool IsEncryptedPem(const Candidate& c) {
  const size_t header_end = c.match.find("PRIVATE KEY");
  if (Contains(c.match.substr(0, header_end), "ENCRYPTED")) return true;
  const std::string_view head = c.secret.substr(0, 200);
  if (Contains(head, "Proc-Type: 4,ENCRYPTED") || Contains(head, "Proc-Type:4,ENCRYPTED")) {
    return true;
  }
  return Contains(c.match.substr(0, header_end), "OPENSSH") && IsEncryptedOpenSsh(c.secret);
}

bool IsPemPlaceholder(std::string_view body) {
  return Contains(body, "...") || Contains(body, "xxxx") || Contains(body, "XXXX") ||
         Contains(body, "<") || PemBase64(body, 64).size() < 40;
}

}  // namespace

bool DecodeBase64(std::string_view in, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      v = 62;
    } else if (c == '/' || c == '_') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      return false;
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

// A value that starts with '$' and is a reference, not text: a variable ($DB_PASSWORD,
// "$TOKEN $ID", $this->key, $cfg['db'], $ENV{X}, $1), an interpolation (a whole ${X} or
// $(cmd), $$) or a crypt hash ($2b$12$..., $6$...). Generated passwords start with '$'
// too (2% of Django's keys), and there a symbol follows a short run of letters:
// "$k2j^x9...", "$(@)ju9...".
bool IsDollarReference(std::string_view v) {
  if (v.size() < 2) return true;
  const char next = v[1];
  if (next == '$') return true;
  if (next == '{' || next == '(') return HasTemplate(v);  // a whole ${...} or $(...)
  // Crypt: $<id>$ with a short id of lower case letters and digits, then only the
  // characters of salts, parameters and hashes.
  size_t j = 1;
  while (j < v.size() && j <= 9 && (IsLowerAscii(v[j]) || (v[j] >= '0' && v[j] <= '9'))) ++j;
  if (j > 1 && j < v.size() && v[j] == '$' &&
      std::all_of(v.begin() + static_cast<std::ptrdiff_t>(j), v.end(), [](char c) {
        return IsAlnumAscii(c) || (c != '\0' && std::strchr("./$=,+", c) != nullptr);
      })) {
    return true;
  }
  size_t i = 1;
  if (next >= '0' && next <= '9') {
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    return i == v.size();  // $1
  }
  if (!(IsUpperAscii(next) || IsLowerAscii(next) || next == '_')) return false;
  while (i < v.size() && IsIdentChar(v[i])) ++i;
  return i == v.size() || v[i] == '\0' || std::strchr("!@#%^&*=+~?()", v[i]) == nullptr;
}

bool IsPlaceholderValue(std::string_view value, bool literal) {
  if (value.empty()) return true;
  std::string_view word = value;  // "passwd\" in "user:passwd\@host" is still a word.
  while (!word.empty() && word.back() == '\\') word.remove_suffix(1);
  for (std::string_view w : kPlaceholderWords) {
    if (EqualsNoCase(word, w)) return true;
  }
  for (std::string_view m : kPlaceholderMarks) {
    if (ContainsNoCase(value, m)) return true;
  }
  if (HasTemplate(value)) return true;
  for (std::string_view s : kFileSuffixes) {
    if (EndsWithNoCase(value, s)) return true;
  }
  // Prose ("Password used to generate key") and format strings ("at pos %s").
  if (std::count(value.begin(), value.end(), ' ') >= 2 &&
      std::all_of(value.begin(), value.end(), [](char ch) {
        return IsUpperAscii(ch) || IsLowerAscii(ch) || ch == ' ' || ch == ',' || ch == '.';
      })) {
    return true;
  }
  if (Contains(value, " + ")) return true;  // Concatenation: "pos=" + pos + ", token=" + t.
  // Code between two string literals: Perl/PHP concatenation ("' . $token . '") and member
  // calls or hash pairs ("\", $t->dump, \"").
  if (Contains(value, " . ") || Contains(value, "->") || Contains(value, "=>")) return true;
  // A message with a printf verb (%s %d %v %q) that ends a word.
  const bool has_space = value.find(' ') != std::string_view::npos;
  for (size_t p = has_space ? value.find('%') : std::string_view::npos; p != std::string_view::npos;
       p = value.find('%', p + 1)) {
    if (p + 1 < value.size() && std::strchr("sdvq", value[p + 1]) != nullptr &&
        (p + 2 == value.size() || !IsAlnumAscii(value[p + 2]))) {
      return true;
    }
  }
  const char first = value[0];
  // $VAR, ${VAR}, crypt hashes ($2b$...), {template}, <tag>, %WINDOWS_VAR%.
  if ((first == '$' && IsDollarReference(value)) || first == '{' || first == '<') return true;
  if (first == '%' && value.back() == '%') return true;
  if (!literal) {
    if (first == '&' || first == '*' || first == '!' || first == '@' || first == '#' ||
        first == '[' || first == '^' || first == '=') {
      return true;
    }
    if (value.find_first_of("()[]{}") != std::string_view::npos) return true;
    // Code, not a value: a Ruby symbol (:name), C++/Rust paths (a::b), members (a->b).
    if (first == ':' || Contains(value, "::") || Contains(value, "->") || Contains(value, "=>")) {
      return true;
    }
  }
  if (StartsWith(value, "/") || StartsWith(value, "./") || StartsWith(value, "../") ||
      StartsWith(value, "~/")) {
    return true;
  }
  if (value.size() > 2 && std::isalpha(static_cast<unsigned char>(first)) && value[1] == ':' &&
      value[2] == '\\') {
    return true;  // C:\path
  }
  if (IsDottedIdentifier(value)) return true;
  // An environment variable's name: YOUR_API_KEY, DB_PASSWORD_2.
  if (value.find('_') != std::string_view::npos &&
      std::all_of(value.begin(), value.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '_';
      })) {
    return true;
  }
  return DistinctBytes(value) <= 3;
}

bool IsNonSecretKeyName(std::string_view key) {
  static constexpr std::string_view kDenySubstrings[] = {"passwordless", "tokenizer",
                                                         "secretsmanager", "keystore"};
  for (std::string_view word : kDenySubstrings) {
    if (ContainsNoCase(key, word)) return true;
  }
  static const std::unordered_set<std::string_view> deny(std::begin(kNonSecretKeyTokens),
                                                         std::end(kNonSecretKeyTokens));
  return AnyKeyToken(key, [](std::string_view token) {
    char lower[32];
    if (token.size() > sizeof lower) return false;  // Longer than any denied token.
    for (size_t i = 0; i < token.size(); ++i) lower[i] = LowerAscii(token[i]);
    return deny.count(std::string_view(lower, token.size())) > 0;
  });
}

bool PassesMatchPrecheck(Validator validator, const Candidate& c) {
  if (validator != Validator::kAssignment) return true;
  // The key name: the identifier characters just before the match, then the match up
  // to its separator ("DB_" + "PASSWORD_FILE"). `before` ends where `match` starts.
  size_t key_begin = c.before.size();
  while (key_begin > 0 && (IsIdentChar(c.before[key_begin - 1]) || c.before[key_begin - 1] == '.' ||
                           c.before[key_begin - 1] == '-')) {
    --key_begin;
  }
  const size_t sep = std::min(c.match.find_first_of("=:"), c.match.size());
  const char* key_start = c.before.data() + key_begin;
  const std::string_view key(key_start, static_cast<size_t>(c.match.data() + sep - key_start));
  return !IsNonSecretKeyName(key);
}

bool PassesValidator(Validator validator, const Candidate& c) {
  switch (validator) {
    case Validator::kNone:
      return true;
    case Validator::kToken:
      return !IsTokenPlaceholder(c.secret);
    case Validator::kCredential: {
      // Documentation URLs: user:pass@example.com, user:pass@host:port.
      static constexpr std::string_view kDocHosts[] = {"@example.", "@host:", "@host/", "@hostname",
                                                       "@your"};
      for (std::string_view h : kDocHosts) {
        if (ContainsNoCase(c.match, h)) return false;
      }
      return !IsPlaceholderValue(c.secret, /*literal=*/true) &&
             c.secret.find_first_of("[]") == std::string_view::npos;
    }
    case Validator::kAssignment: {
      // Groups 1-3 of the built-in assignment rule are quoted values, 4 a bare one.
      const bool quoted = c.group >= 1 && c.group <= 3;
      if (IsPlaceholderValue(c.secret, quoted)) return false;
      // Words and identifiers (no digit, only letters and _.-) are names, not secrets;
      // so are plain numbers.
      const bool has_digit = std::any_of(c.secret.begin(), c.secret.end(), [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch));
      });
      const bool wordish = std::all_of(c.secret.begin(), c.secret.end(),
                                       [](char ch) {
                                         return std::isalpha(static_cast<unsigned char>(ch)) ||
                                                ch == '_' || ch == '.' || ch == '-' || ch == ':' ||
                                                ch == '/';
                                       }) &&
                           !LooksRandomLetters(c.secret);
      // A bare value that starts with the key's own name is an expression on it
      // (total:=total+x).
      if (!quoted && SelfReference(c)) return false;
      const bool numeric = std::all_of(c.secret.begin(), c.secret.end(), [](char ch) {
        return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.';
      });
      return !(wordish && !has_digit) && !numeric;
    }
    case Validator::kJwt:
      return IsJwt(c.secret);
    case Validator::kDiscordToken: {
      // A bot token is base64(the bot's user id).timestamp.hmac; the id is a snowflake of
      // 17 to 20 digits. That check lets the rule run without a "discord" keyword nearby
      // (detect-secrets' examples are bare) at no cost in false positives.
      std::string id;
      const std::string_view first = c.secret.substr(0, c.secret.find('.'));
      if (!DecodeBase64(first, &id) || id.size() < 17 || id.size() > 20) return false;
      return std::all_of(id.begin(), id.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
             !IsTokenPlaceholder(c.secret);
    }
    case Validator::kPemPlain:
      return !IsPemPlaceholder(c.secret) && !IsEncryptedPem(c);
    case Validator::kPemEncrypted:
      return !IsPemPlaceholder(c.secret) && IsEncryptedPem(c);
  }
  return false;
}

}  // namespace bulkhead::secret::internal
