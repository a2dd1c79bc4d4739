// Conformance with Dockle's manifest-assessor fixtures (shared data:
// dockle/pkg/assessor/manifest/testdata/*.json, Docker image configs). Each is parsed
// with image::ParseConfig and run through the config-only checks: no files, so the file
// checks (setuid, caches, accounts, ...) have nothing to look at.
//
// What Dockle reports for each fixture is worked out from the fixture and Dockle's
// rules (dockle/CHECKPOINT.md; the manifest assessor at the pinned commit):
//   CIS-DI-0001  config.User is "" or "root".
//   CIS-DI-0006  config.Healthcheck is absent.
//   CIS-DI-0009  a history entry is an ADD ("ADD ... in ..." or a BuildKit ADD), except
//                the earliest one, taken to be the base image's rootfs.
//   CIS-DI-0010  a history entry assigns a non-empty value to a variable whose name
//                contains PASS, SECRET, KEY, ACCESS or TOKEN (GPG_KEY(S) excepted).
//   DKL-DI-0003  apt/apt-get dist-upgrade in a history entry (not plain upgrade).
//   DKL-DI-0004  apk add without --no-cache.
//   DKL-DI-0005  apt-get update/install without rm -rf /var/lib/apt/lists after it.
// Of the checks the two tools share, five can be judged from a config alone. The four
// disagreements are deliberate differences, explained in kDisagreements and in
// docs/checks.md ("Dockle conformance").
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bulkhead/config/check_catalog.h"
#include "bulkhead/image/manifest.h"
#include "tests/config/check_fixture.h"
#include "tests/testing/test_util.h"

namespace bulkhead::testing {
namespace {

struct SharedCheck {
  std::string_view dockle;
  std::string_view bulkhead;
  bool config_only;  ///< Whether bulkhead can judge it from the image config alone.
};
constexpr SharedCheck kShared[] = {
    {"CIS-DI-0001", config::kRunsAsRoot, true},
    {"CIS-DI-0006", config::kNoHealthcheck, true},
    {"CIS-DI-0009", config::kRemoteAdd, true},
    {"CIS-DI-0010", config::kSecretEnvKey, true},
    {"DKL-DI-0003", config::kUpgradeInBuild, true},
    // bulkhead looks at the files and packages the build left behind, Dockle at the
    // commands that made them: not comparable on a config alone.
    {"DKL-DI-0001", config::kSudoInstalled, false},
    {"DKL-DI-0004", config::kPackageCache, false},
    {"DKL-DI-0005", config::kPackageCache, false},
};

struct Fixture {
  std::string_view file;
  std::set<std::string_view> dockle;    ///< Every code Dockle's manifest assessor reports.
  std::set<std::string_view> bulkhead;  ///< Every id bulkhead reports, config only.
};
const Fixture kFixtures[] = {
    // USER unset, no HEALTHCHECK; the only ADD is the base rootfs.
    {"root_default.json", {"CIS-DI-0001", "CIS-DI-0006"}, {"BH-IMG-001", "BH-IMG-002"}},
    // "apk add wget curl" (no --no-cache), then a second, local ADD of a file.
    {"apk_cache.json",
     {"CIS-DI-0001", "CIS-DI-0006", "CIS-DI-0009", "DKL-DI-0004"},
     {"BH-IMG-001", "BH-IMG-002"}},
    // "apt-get update -y && apt-get upgrade -y", lists never removed.
    {"apt_update_upgrade.json",
     {"CIS-DI-0001", "CIS-DI-0006", "DKL-DI-0005"},
     {"BH-IMG-001", "BH-IMG-002", "BH-IMG-010"}},
    // ARG and LABEL before the base ADD: it is still the first ADD.
    {"add_with_arg_statement.json", {"CIS-DI-0001", "CIS-DI-0006"}, {"BH-IMG-001", "BH-IMG-002"}},
    // Three local "ADD file:... in /"; Dockle reports all but the first.
    {"multi_add.json", {"CIS-DI-0001", "CIS-DI-0006", "CIS-DI-0009"}, {"BH-IMG-001", "BH-IMG-002"}},
    // The official nginx image: its RUN sets NGINX_GPGKEY=<fingerprint> in the shell.
    {"nginx.json", {"CIS-DI-0001", "CIS-DI-0006", "CIS-DI-0010"}, {"BH-IMG-001", "BH-IMG-002"}},
};

struct Disagreement {
  std::string_view file;
  std::string_view dockle;
  std::string_view reason;
};
const Disagreement kDisagreements[] = {
    {"apk_cache.json", "CIS-DI-0009",
     "Dockle flags every ADD after the first; BH-IMG-008 flags only ADD of a remote URL "
     "(a local ADD is as safe as COPY apart from tar auto-extraction)"},
    {"multi_add.json", "CIS-DI-0009", "as above: local ADD file:... is not reported"},
    {"apt_update_upgrade.json", "DKL-DI-0003",
     "DKL-DI-0003 is dist-upgrade only; BH-IMG-010 also reports apt-get upgrade, which has "
     "the same effect on reproducibility"},
    {"nginx.json", "CIS-DI-0010",
     "Dockle reads variable assignments in RUN commands and flags NGINX_GPGKEY, a public "
     "key fingerprint local to one shell; BH-IMG-007 reads the ENV the image keeps and "
     "exempts GPG/PGP/PUBLIC keys"},
};

std::string FixtureDir() { return SharedDataDir() + "/dockle/pkg/assessor/manifest/testdata"; }

std::vector<Finding> RunConfigOnly(const std::string& name) {
  std::string json = ReadFileOrDie(FixtureDir() + "/" + name);
  Result<image::ImageConfig> config = image::ParseConfig(json, name);
  EXPECT_TRUE(config.ok()) << name << ": " << config.error().ToString();
  if (!config.ok()) return {};
  CheckSetup s;
  s.config = *config;
  // Pinned and unknown-OS, so that tag and end-of-life checks stay out of the way.
  s.target.repo_tags = {"dockle/" + name.substr(0, name.find('.')) + ":1.0"};
  return s.Run();
}

TEST(DockleConformance, FixturesAreTheOnesAccountedFor) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  std::set<std::string> on_disk, known;
  for (const auto& e : std::filesystem::directory_iterator(FixtureDir())) {
    if (e.path().extension() == ".json") on_disk.insert(e.path().filename().string());
  }
  for (const Fixture& f : kFixtures) known.insert(std::string(f.file));
  EXPECT_EQ(on_disk, known) << "a new Dockle fixture needs its expectations written down";
}

TEST(DockleConformance, BulkheadFindingsPerFixture) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  for (const Fixture& f : kFixtures) {
    SCOPED_TRACE(std::string(f.file));
    std::vector<Finding> findings = RunConfigOnly(std::string(f.file));
    std::vector<std::string> want(f.bulkhead.begin(), f.bulkhead.end());
    EXPECT_EQ(Ids(findings), want);
    for (const Finding& x : findings) ExpectCatalogFields(x);
  }
}

TEST(DockleConformance, AgreementOnSharedChecks) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  int decisions = 0, agreed = 0, not_judged = 0;
  std::set<std::pair<std::string_view, std::string_view>> disagreed, documented;
  for (const Disagreement& d : kDisagreements) documented.insert({d.file, d.dockle});
  for (const Fixture& f : kFixtures) {
    std::vector<std::string> ids = Ids(RunConfigOnly(std::string(f.file)));
    for (const SharedCheck& c : kShared) {
      bool dockle = f.dockle.count(c.dockle) > 0;
      if (!c.config_only) {
        not_judged += dockle;
        continue;
      }
      bool ours = std::find(ids.begin(), ids.end(), c.bulkhead) != ids.end();
      ++decisions;
      if (dockle == ours) {
        ++agreed;
      } else {
        disagreed.insert({f.file, c.dockle});
      }
    }
  }
  EXPECT_EQ(disagreed, documented) << "an undocumented disagreement: a bulkhead bug, or "
                                      "kDisagreements and docs/checks.md need a line";
  // The numbers docs/checks.md quotes.
  EXPECT_EQ(decisions, 30);
  EXPECT_EQ(agreed, 26);
  // DKL-DI-0004 on apk_cache.json and DKL-DI-0005 on apt_update_upgrade.json: whether
  // the cache is still there takes the files.
  EXPECT_EQ(not_judged, 2);
  RecordProperty("decisions", decisions);
  RecordProperty("agreed", agreed);
}

TEST(DockleConformance, RootUserAndHealthcheckAgreeExactly) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  for (const Fixture& f : kFixtures) {
    SCOPED_TRACE(std::string(f.file));
    std::vector<std::string> ids = Ids(RunConfigOnly(std::string(f.file)));
    auto has = [&](std::string_view id) {
      return std::find(ids.begin(), ids.end(), id) != ids.end();
    };
    EXPECT_EQ(has(config::kRunsAsRoot), f.dockle.count("CIS-DI-0001") > 0);
    EXPECT_EQ(has(config::kNoHealthcheck), f.dockle.count("CIS-DI-0006") > 0);
  }
}

// The fixtures with their USER, HEALTHCHECK or ADD changed: both tools move together
// where they share a rule.
TEST(DockleConformance, VariantsOfRootDefault) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  std::string json = ReadFileOrDie(FixtureDir() + "/root_default.json");
  Result<image::ImageConfig> parsed = image::ParseConfig(json, "root_default.json");
  ASSERT_TRUE(parsed.ok());
  CheckSetup s;
  s.config = *parsed;
  s.config.user = "nobody";
  s.config.has_healthcheck = true;
  EXPECT_THAT(s.Run(), ::testing::IsEmpty());  // Dockle: nothing from these rules either
  s.AddHistory("ADD https://example.com/app.tgz /opt/ # buildkit");
  s.config.env.push_back("DB_PASSWORD=x");
  EXPECT_EQ(Ids(s.Run()), (std::vector<std::string>{"BH-IMG-007", "BH-IMG-008"}));
}

}  // namespace
}  // namespace bulkhead::testing
