#include "bulkhead/vulndb/ecosystem.h"

#include <gtest/gtest.h>

namespace bulkhead::vulndb {
namespace {

std::string Key(std::string_view osv) {
  Result<EcosystemInfo> e = ResolveEcosystem(osv);
  return e.ok() ? e->key : "error";
}

std::string OsKey(std::string family, std::string version) {
  OsInfo os;
  os.family = std::move(family);
  os.version = std::move(version);
  std::optional<EcosystemInfo> e = OsEcosystem(os);
  return e ? e->key : "none";
}

TEST(Ecosystem, OsReleasesMapToOneKeyEach) {
  EXPECT_EQ(OsKey("debian", "12"), "Debian:12");
  EXPECT_EQ(OsKey("ubuntu", "22.04"), "Ubuntu:22.04");
  EXPECT_EQ(OsKey("alpine", "3.19.1"), "Alpine:v3.19");
  EXPECT_EQ(OsKey("almalinux", "9.3"), "AlmaLinux:9");
  EXPECT_EQ(OsKey("rocky", "9.3"), "Rocky Linux:9");
  EXPECT_EQ(OsKey("rhel", "9.2"), "Red Hat:9");
  EXPECT_EQ(OsKey("debian", ""), "none");
  EXPECT_EQ(OsKey("plan9", "4"), "none");
}

TEST(Ecosystem, FeedNamesMapToTheSameKeys) {
  EXPECT_EQ(Key("Debian:12"), "Debian:12");
  EXPECT_EQ(Key("Ubuntu:22.04:LTS"), "Ubuntu:22.04");
  EXPECT_EQ(Key("Ubuntu:Pro:22.04:LTS"), "Ubuntu:22.04");
  EXPECT_EQ(Key("Ubuntu:Pro:FIPS:22.04:LTS"), "Ubuntu:22.04");
  EXPECT_EQ(Key("Alpine:v3.19"), "Alpine:v3.19");
  EXPECT_EQ(Key("AlmaLinux:9"), "AlmaLinux:9");
  EXPECT_EQ(Key("Rocky Linux:9"), "Rocky Linux:9");
  EXPECT_EQ(Key("Red Hat:enterprise_linux:9::appstream"), "Red Hat:9");
  EXPECT_EQ(Key("Red Hat:rhel_eus:9.2::baseos"), "Red Hat:9");
  EXPECT_EQ(Key("npm"), "npm");
  EXPECT_EQ(Key("PyPI"), "PyPI");
  EXPECT_EQ(Key("Bitnami"), "Bitnami");
  EXPECT_EQ(Key("Nope"), "error");
  EXPECT_EQ(Key(""), "error");
  // A record for another release never shares a key.
  EXPECT_NE(Key("Debian:11"), OsKey("debian", "12"));
  EXPECT_NE(Key("Alpine:v3.18"), OsKey("alpine", "3.19.0"));
}

TEST(Ecosystem, LanguageTypesAndNames) {
  EXPECT_EQ(LanguageEcosystem("pypi")->key, "PyPI");
  EXPECT_EQ(LanguageEcosystem("golang")->key, "Go");
  EXPECT_EQ(LanguageEcosystem("cargo")->key, "crates.io");
  EXPECT_FALSE(LanguageEcosystem("deb").has_value());
  EXPECT_EQ(NormalizePackageName("PyPI", "Django_REST.framework"), "django-rest-framework");
  EXPECT_EQ(NormalizePackageName("PyPI", "a--_b"), "a-b");
  EXPECT_EQ(NormalizePackageName("NuGet", "Newtonsoft.Json"), "newtonsoft.json");
  EXPECT_EQ(NormalizePackageName("npm", "@Scope/X"), "@Scope/X");
}

}  // namespace
}  // namespace bulkhead::vulndb
