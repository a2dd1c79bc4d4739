// Precision and recall of the built-in rules on detect-secrets' labelled lines
// (../shared/data/secrets/detect-secrets/labeled_lines.jsonl: one JSON object per line
// with "payload" or "line" and "should_flag"). Each line is scanned as a string on its
// own. The families detect-secrets has and bulkhead does not (public IPs, bare
// Artifactory and Discord tokens, "xxxx" Twilio examples) are counted as misses.
#include <gtest/gtest.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bulkhead/secret/file_scanner.h"
#include "tests/secret/secret_test_util.h"
#include "tests/testing/test_util.h"

namespace bulkhead::secret {
namespace {

// The value of the JSON string field `key` in `json` (a flat object), unescaped.
bool JsonString(const std::string& json, const std::string& key, std::string* out) {
  const size_t k = json.find("\"" + key + "\":");
  if (k == std::string::npos) return false;
  size_t i = json.find('"', k + key.size() + 3);
  if (i == std::string::npos) return false;
  out->clear();
  for (++i; i < json.size() && json[i] != '"'; ++i) {
    if (json[i] != '\\') {
      *out += json[i];
      continue;
    }
    const char e = json[++i];
    switch (e) {
      case 'n':
        *out += '\n';
        break;
      case 't':
        *out += '\t';
        break;
      case 'r':
        *out += '\r';
        break;
      case 'u': {
        const unsigned cp = std::stoul(json.substr(i + 1, 4), nullptr, 16);
        i += 4;
        if (cp < 0x80) {
          *out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          *out += static_cast<char>(0xC0 | (cp >> 6));
          *out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          *out += static_cast<char>(0xE0 | (cp >> 12));
          *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          *out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        break;
      }
      default:
        *out += e;
    }
  }
  return true;
}

struct Labelled {
  std::string text;
  std::string plugin;
  bool positive;
};

struct Counts {
  size_t tp = 0, fp = 0, fn = 0, tn = 0;
  double precision() const {
    return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
  }
  double recall() const { return static_cast<double>(tp) / static_cast<double>(tp + fn); }
  void Add(bool flagged, bool positive) {
    if (flagged && positive) ++tp;
    if (flagged && !positive) ++fp;
    if (!flagged && positive) ++fn;
    if (!flagged && !positive) ++tn;
  }
  std::string ToString() const {
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << "TP " << tp << " FP " << fp << " FN " << fn
       << " TN " << tn << ", precision " << precision() << ", recall " << recall();
    return os.str();
  }
};

TEST(DetectSecretsTest, PrecisionAndRecallOfBuiltinRules) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  std::ifstream in(::bulkhead::testing::SharedDataDir() +
                   "/secrets/detect-secrets/labeled_lines.jsonl");
  ASSERT_TRUE(in.good());
  std::vector<Labelled> lines;
  std::set<std::string> positive_anywhere;
  std::string json;
  while (std::getline(in, json)) {
    if (json.empty()) continue;
    Labelled l;
    ASSERT_TRUE(JsonString(json, "payload", &l.text) || JsonString(json, "line", &l.text)) << json;
    ASSERT_TRUE(JsonString(json, "plugin_test", &l.plugin)) << json;
    l.positive = json.find("\"should_flag\": true") != std::string::npos;
    if (l.positive) positive_anywhere.insert(l.text);
    lines.push_back(std::move(l));
  }
  ASSERT_EQ(lines.size(), 143u);

  auto scratch = testing::BuiltinEngine().NewScratch();
  ASSERT_TRUE(scratch.ok());
  // Raw: the labels as given. They are per detect-secrets plugin, so a GitHub token in the
  // GitLab plugin's test is a "negative". Consistent: a text labelled positive by any
  // plugin is positive everywhere.
  Counts raw, consistent;
  std::map<std::string, std::pair<size_t, size_t>> per_plugin;  // flagged / positives
  for (const Labelled& l : lines) {
    std::vector<SecretMatch> matches;
    Status s = ScanText(scratch->get(), l.text, "labeled_lines.jsonl", &matches);
    ASSERT_TRUE(s.ok()) << s.ToString();
    const bool flagged = !matches.empty();
    raw.Add(flagged, l.positive);
    consistent.Add(flagged, positive_anywhere.count(l.text) > 0);
    if (l.positive) {
      ++per_plugin[l.plugin].second;
      per_plugin[l.plugin].first += flagged;
    }
    if (flagged && !l.positive) {
      std::cout << "[flagged, labelled negative] " << l.plugin << ": " << l.text << "\n"
                << testing::Describe(matches);
    }
    if (!flagged && l.positive) std::cout << "[missed] " << l.plugin << ": " << l.text << "\n";
    for (const SecretMatch& m : matches) EXPECT_FALSE(testing::LeaksSecret(m, l.text));
  }
  std::cout << "detect-secrets labelled lines (" << lines.size()
            << "), raw labels: " << raw.ToString() << "\n";
  std::cout << "detect-secrets labelled lines, consistent labels: " << consistent.ToString()
            << "\n";
  for (const auto& [plugin, c] : per_plugin) {
    std::cout << "  " << plugin << ": " << c.first << "/" << c.second << " positives flagged\n";
  }
  EXPECT_GE(raw.precision(), 0.85);
  EXPECT_GE(raw.recall(), 0.45);
  EXPECT_GE(consistent.precision(), 0.88);
}

}  // namespace
}  // namespace bulkhead::secret
