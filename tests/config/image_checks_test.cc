// The image configuration and trust checks, BH-IMG-001..014: for each, inputs that must
// fire it and inputs that must not, with the severity, NIST section, path and layer of
// what it reports.
#include "bulkhead/config/image_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bulkhead/config/check_catalog.h"
#include "tests/config/check_fixture.h"

namespace bulkhead::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using EntryType = image::EntryType;

// ---------------------------------------------------------------------------------------
// Defaults and the catalog fields every finding carries.

TEST(ImageChecks, DefaultSetupAndEmptyImagePassEveryCheck) {
  EXPECT_THAT(CheckSetup().Run(), IsEmpty());
}

TEST(ImageChecks, EveryFindingCarriesItsCatalogSeverityAndSection) {
  CheckSetup s;
  s.config.user = "";
  s.config.has_healthcheck = false;
  s.config.env = {"DB_PASSWORD=hunter2"};
  s.config.exposed_ports = {"22/tcp"};
  s.AddHistory("ADD https://example.com/a.tgz /opt/ # buildkit");
  s.AddHistory("/bin/sh -c apt-get update && apt-get upgrade -y");
  s.AddPackage("sudo");
  s.target.repo_tags = {"docker.io/library/app:latest"};
  s.target.os = {"debian", "10", ""};
  s.options.trusted_registries = {"registry.example.com"};
  FakeImage img;
  img.AddLayer()
      .File("/usr/bin/passwd", "elf", 04755)
      .File("/etc/app.conf", "x", 0777)
      .File("/var/lib/apt/lists/deb_Packages", "Package: a\n")
      .File("/etc/shadow", "root::19000:0:99999:7:::\n", 0640);
  pkg::FileSet files = WithCaptures(img, 1, {{0, {{"/etc/shadow", "root::19000:0:99999:7:::\n"}}}});
  std::vector<Finding> findings = s.Run(files);
  std::vector<std::string> all;
  for (const config::CheckInfo& c : config::CheckCatalog()) all.push_back(std::string(c.id));
  EXPECT_EQ(Ids(findings), all) << "this image should fail every check once";
  for (const Finding& f : findings) ExpectCatalogFields(f);
}

TEST(ImageChecks, ControlsPerCheck) {
  for (const config::CheckInfo& c : config::CheckCatalog()) {
    std::string_view want = c.id == config::kSecretEnvKey ? "4.1.4"
                            : c.id == config::kUnpinnedTag || c.id == config::kUntrustedRegistry
                                ? "4.1.5"
                                : "4.1.2";
    EXPECT_EQ(c.control, want) << c.id;
  }
}

TEST(ImageChecks, RootfsHasNoConfigChecks) {
  CheckSetup s;
  s.with_config = false;
  s.config.user = "root";
  s.config.has_healthcheck = false;
  s.config.env = {"API_TOKEN=abc"};
  s.AddHistory("ADD https://example.com/a.tgz /opt/ # buildkit");
  s.AddHistory("RUN /bin/sh -c apk upgrade # buildkit");
  s.target.repo_tags = {};
  s.options.trusted_registries = {"registry.example.com"};
  EXPECT_THAT(s.Run(), IsEmpty());
  // File checks still run on a rootfs.
  FakeImage img;
  img.AddLayer().File("/usr/bin/su", "elf", 04755);
  EXPECT_THAT(Ids(s.Run(img.Files())), ElementsAre("BH-IMG-003"));
}

// ---------------------------------------------------------------------------------------
// BH-IMG-001: runs as root.

TEST(RunsAsRoot, FiresForRootUsers) {
  for (std::string user : {"", "root", "0", "0:0", "root:root", "0:1000"}) {
    CheckSetup s;
    s.config.user = user;
    std::vector<Finding> f = WithId(s.Run(), config::kRunsAsRoot);
    ASSERT_EQ(f.size(), 1u) << "USER '" << user << "'";
    EXPECT_EQ(f[0].severity, Severity::kMedium);
    EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.2"});
    EXPECT_THAT(f[0].title, HasSubstr(user.empty() ? "no USER" : "USER " + user));
  }
}

TEST(RunsAsRoot, QuietForNonRootUsers) {
  for (std::string user : {"1000", "app", "1000:0", "10001:10001", "nobody", "rootless"}) {
    CheckSetup s;
    s.config.user = user;
    EXPECT_THAT(WithId(s.Run(), config::kRunsAsRoot), IsEmpty()) << "USER '" << user << "'";
  }
}

TEST(RunsAsRoot, NamedAccountWithUidZeroIsRoot) {
  const std::string passwd =
      "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n";
  FakeImage img;
  img.AddLayer().File("/etc/passwd", passwd);
  pkg::FileSet files = WithCaptures(img, 1, {{0, {{"/etc/passwd", passwd}}}});
  CheckSetup s;
  s.config.user = "toor";
  EXPECT_EQ(WithId(s.Run(files), config::kRunsAsRoot).size(), 1u);
  s.config.user = "app";
  EXPECT_THAT(WithId(s.Run(files), config::kRunsAsRoot), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-002: no HEALTHCHECK.

TEST(NoHealthcheck, FiresWithoutHealthcheck) {
  CheckSetup s;
  s.config.has_healthcheck = false;
  std::vector<Finding> f = s.Run();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].id, config::kNoHealthcheck);
  EXPECT_EQ(f[0].severity, Severity::kLow);
  EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.2"});
}

TEST(NoHealthcheck, QuietWithHealthcheck) {
  CheckSetup s;
  s.config.has_healthcheck = true;
  EXPECT_THAT(WithId(s.Run(), config::kNoHealthcheck), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-003: setuid/setgid files.

TEST(SetuidFile, ReportsEachBitWithPathAndLayer) {
  FakeImage img;
  img.AddLayer().File("/bin/sh", "elf", 0755);
  img.AddLayer()
      .File("/usr/bin/passwd", "elf", 04755)
      .File("/usr/bin/wall", "elf", 02755)
      .File("/usr/bin/both", "elf", 06755)
      .File("/usr/bin/plain", "elf", 0755);
  std::vector<Finding> f = WithId(CheckSetup().Run(img.Files()), config::kSetuidFile);
  ASSERT_EQ(f.size(), 3u);
  std::map<std::string, std::string> titles;
  for (const Finding& x : f) {
    ExpectCatalogFields(x);
    EXPECT_EQ(x.severity, Severity::kMedium);
    EXPECT_EQ(x.layer, FakeImage::LayerDigest(1)) << x.path;
    titles[x.path] = x.title;
  }
  EXPECT_EQ(titles["/usr/bin/passwd"], "setuid file /usr/bin/passwd");
  EXPECT_EQ(titles["/usr/bin/wall"], "setgid file /usr/bin/wall");
  EXPECT_EQ(titles["/usr/bin/both"], "setuid and setgid file /usr/bin/both");
  EXPECT_EQ(titles.count("/usr/bin/plain"), 0u);
}

TEST(SetuidFile, FinalImageOnly) {
  FakeImage img;
  img.AddLayer().File("/usr/bin/passwd", "elf", 04755).File("/usr/bin/gone", "elf", 04755);
  img.AddLayer().File("/usr/bin/passwd", "elf", 0755).Whiteout("/usr/bin/gone");
  EXPECT_THAT(WithId(CheckSetup().Run(img.Files()), config::kSetuidFile), IsEmpty());
}

TEST(SetuidFile, DirectoriesAndLinksDoNotCountHardLinksDo) {
  ModeTree tree;
  tree.Add("/var/mail", EntryType::kDirectory, 02775)
      .Add("/usr/local/bin/link", EntryType::kSymlink, 0777, "/usr/bin/passwd")
      .Add("/usr/bin/passwd", EntryType::kFile, 04755)
      .Add("/usr/bin/passwd2", EntryType::kHardlink, 04755, "/usr/bin/passwd");
  std::vector<Finding> f = WithId(CheckSetup().Run(tree.Files()), config::kSetuidFile);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].path, "/usr/bin/passwd");
  EXPECT_EQ(f[1].path, "/usr/bin/passwd2");
  EXPECT_EQ(f[1].layer, FakeImage::LayerDigest(0));
}

// ---------------------------------------------------------------------------------------
// BH-IMG-004: world-writable files outside /tmp.

TEST(WorldWritable, FileInEtcFires) {
  FakeImage img;
  img.AddLayer().File("/etc/hosts", "127.0.0.1 localhost\n", 0644);
  img.AddLayer().File("/etc/app.conf", "x", 0777);
  std::vector<Finding> f = WithId(CheckSetup().Run(img.Files()), config::kWorldWritable);
  ASSERT_EQ(f.size(), 1u);
  ExpectCatalogFields(f[0]);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  EXPECT_EQ(f[0].path, "/etc/app.conf");
  EXPECT_EQ(f[0].layer, FakeImage::LayerDigest(1));
  EXPECT_EQ(f[0].title, "World-writable file /etc/app.conf");
}

TEST(WorldWritable, TemporaryDirsStickyDirsAndLinksAreFine) {
  ModeTree tree;
  tree.Add("/tmp", EntryType::kDirectory, 01777)
      .Add("/tmp/scratch", EntryType::kFile, 0666)
      .Add("/var/tmp/x", EntryType::kFile, 0777)
      .Add("/dev/null", EntryType::kOther, 0666)
      .Add("/srv/shared", EntryType::kDirectory, 01777)
      .Add("/usr/bin/vi", EntryType::kSymlink, 0777, "vim")
      .Add("/etc/passwd", EntryType::kFile, 0644)
      .Add("/etc/group", EntryType::kFile, 0664);
  EXPECT_THAT(WithId(CheckSetup().Run(tree.Files()), config::kWorldWritable), IsEmpty());
}

TEST(WorldWritable, NonStickyDirectoryFires) {
  ModeTree tree;
  tree.Add("/srv/data", EntryType::kDirectory, 0777);
  std::vector<Finding> f = WithId(CheckSetup().Run(tree.Files()), config::kWorldWritable);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].title, "World-writable directory /srv/data");
  EXPECT_EQ(f[0].layer, FakeImage::LayerDigest(0));
}

// ---------------------------------------------------------------------------------------
// BH-IMG-005: sudo.

TEST(SudoInstalled, FiresForPackage) {
  CheckSetup s;
  s.AddPackage("sudo");
  std::vector<Finding> f = WithId(s.Run(), config::kSudoInstalled);
  ASSERT_EQ(f.size(), 1u);
  ExpectCatalogFields(f[0]);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
}

TEST(SudoInstalled, FiresForBinary) {
  FakeImage img;
  img.AddLayer().File("/usr/bin/sudo", "elf", 0755);
  EXPECT_EQ(WithId(CheckSetup().Run(img.Files()), config::kSudoInstalled).size(), 1u);
}

TEST(SudoInstalled, QuietWithoutSudo) {
  CheckSetup s;
  s.AddPackage("sudo-doc");
  s.AddPackage("libsudo");
  FakeImage img;
  img.AddLayer().File("/usr/bin/sudo", "elf", 0755).File("/usr/bin/su", "elf", 0755);
  img.AddLayer().Whiteout("/usr/bin/sudo");
  EXPECT_THAT(WithId(s.Run(img.Files()), config::kSudoInstalled), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-006: SSH server.

TEST(SshServer, FiresForPackage) {
  CheckSetup s;
  s.AddPackage("openssh-server");
  std::vector<Finding> f = WithId(s.Run(), config::kSshServer);
  ASSERT_EQ(f.size(), 1u);
  ExpectCatalogFields(f[0]);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.2"});
  EXPECT_THAT(f[0].title, HasSubstr("package"));
}

TEST(SshServer, FiresForDaemonBinary) {
  FakeImage img;
  img.AddLayer().File("/usr/sbin/sshd", "elf", 0755);
  std::vector<Finding> f = WithId(CheckSetup().Run(img.Files()), config::kSshServer);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].title, HasSubstr("/usr/sbin/sshd"));
}

TEST(SshServer, FiresForExposedPort22) {
  for (std::string port : {"22/tcp", "22"}) {
    CheckSetup s;
    s.config.exposed_ports = {"80/tcp", port};
    std::vector<Finding> f = WithId(s.Run(), config::kSshServer);
    ASSERT_EQ(f.size(), 1u) << port;
    EXPECT_THAT(f[0].title, HasSubstr("port 22"));
  }
}

TEST(SshServer, OneFindingNamesEveryReason) {
  CheckSetup s;
  s.AddPackage("openssh-server");
  s.config.exposed_ports = {"22/tcp", "22"};
  std::vector<Finding> f = WithId(s.Run(), config::kSshServer);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].title,
            "SSH server in the image: an SSH server package is installed; port 22 is exposed");
}

TEST(SshServer, QuietForClientsAndOtherPorts) {
  CheckSetup s;
  s.AddPackage("openssh-client");
  s.AddPackage("openssh-sftp-server");
  s.config.exposed_ports = {"2222/tcp", "22/udp", "8022/tcp"};
  FakeImage img;
  img.AddLayer().File("/usr/bin/ssh", "elf", 0755).File("/usr/sbin/sshd-keygen", "x", 0755);
  EXPECT_THAT(WithId(s.Run(img.Files()), config::kSshServer), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-007: secret-shaped ENV keys.

TEST(SecretEnvKey, FiresForSecretKeysAndNeverShowsTheValue) {
  CheckSetup s;
  s.config.env = {"PATH=/usr/bin",     "DB_PASSWORD=Sup3r-s3cret-v4lue",
                  "API_TOKEN=tok-123", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI",
                  "db_password=lower", "REDIS_PASS=x"};
  std::vector<Finding> f = WithId(s.Run(), config::kSecretEnvKey);
  ASSERT_EQ(f.size(), 5u);
  std::vector<std::string> titles;
  for (const Finding& x : f) {
    ExpectCatalogFields(x);
    EXPECT_EQ(x.severity, Severity::kHigh);
    EXPECT_EQ(x.controls, std::vector<std::string>{"4.1.4"});
    EXPECT_EQ(x.path, "config:Env");
    EXPECT_THAT(x.title, ::testing::Not(HasSubstr("Sup3r")));
    titles.push_back(x.title);
  }
  EXPECT_THAT(titles, ElementsAre("ENV DB_PASSWORD holds a secret-shaped value",
                                  "ENV API_TOKEN holds a secret-shaped value",
                                  "ENV AWS_SECRET_ACCESS_KEY holds a secret-shaped value",
                                  "ENV db_password holds a secret-shaped value",
                                  "ENV REDIS_PASS holds a secret-shaped value"));
}

TEST(SecretEnvKey, QuietForPublicKeysEmptyValuesAndOrdinaryVariables) {
  CheckSetup s;
  s.config.env = {"GPG_KEY=E3FF2839C048B25C084DEBE9B26995E310250568",
                  "PYTHON_GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
                  "NODE_PGP_KEY=abc",
                  "SSH_PUBLIC_KEY=ssh-ed25519 AAAA",
                  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "EMPTY_PASSWORD=",
                  "NO_VALUE_TOKEN",
                  "PASSWORD_FILE=/run/secrets/db",
                  "KEYRING=/etc/apt/keyrings",
                  "AWS_ACCESS_KEY_ID=AKIAEXAMPLE",
                  "PWD=/app"};
  EXPECT_THAT(WithId(s.Run(), config::kSecretEnvKey), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-008: ADD from a remote URL.

TEST(RemoteAdd, FiresForBuildkitAndClassicForms) {
  for (std::string created_by : {
           "ADD https://example.com/app.tgz /opt/ # buildkit",
           "ADD --chown=1000:1000 https://example.com/app.tgz /opt/ # buildkit",
           "ADD --chown=app:app --chmod=755 https://example.com/app.tgz /opt/ # buildkit",
           "ADD [\"https://example.com/app.tgz\", \"/opt/\"] # buildkit",
           "ADD local.txt http://example.com/b.txt /opt/ # buildkit",
           "add https://example.com/app.tgz /opt/ # buildkit",
           "/bin/sh -c #(nop) ADD https://example.com/app.tgz in /opt/ ",
           "/bin/sh -c #(nop)  ADD --chown=1000:1000 https://example.com/app.tgz in /opt/ ",
           "ADD git@github.com:moby/buildkit.git /src # buildkit",
       }) {
    CheckSetup s;
    s.AddHistory("/bin/sh -c #(nop) ADD file:abc in / ");
    s.AddHistory(created_by);
    std::vector<Finding> f = WithId(s.Run(), config::kRemoteAdd);
    ASSERT_EQ(f.size(), 1u) << created_by;
    ExpectCatalogFields(f[0]);
    EXPECT_EQ(f[0].severity, Severity::kMedium);
    EXPECT_EQ(f[0].path, "config:history");
  }
}

TEST(RemoteAdd, TitleNamesTheFirstUrlAndOneFindingPerImage) {
  CheckSetup s;
  s.AddHistory("ADD https://example.com/a.tgz /opt/ # buildkit");
  s.AddHistory("ADD https://example.com/b.tgz /opt/ # buildkit");
  std::vector<Finding> f = WithId(s.Run(), config::kRemoteAdd);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].title, "ADD from a remote URL: https://example.com/a.tgz");
}

TEST(RemoteAdd, QuietForLocalAddVerifiedAddAndOtherInstructions) {
  CheckSetup s;
  s.AddHistory("/bin/sh -c #(nop) ADD file:abc in / ");
  s.AddHistory("/bin/sh -c #(nop) ADD multi:0123 in /app/ ");
  s.AddHistory("ADD app.tgz /opt/ # buildkit");
  s.AddHistory(
      "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d "
      "https://example.com/app.tgz /opt/ # buildkit");
  s.AddHistory("COPY https-proxy.conf /etc/ # buildkit");
  s.AddHistory("RUN /bin/sh -c curl -fsSL https://example.com/x.sh | sh # buildkit");
  s.AddHistory("RUN /bin/sh -c apk add https://example.com/x.apk # buildkit");
  s.AddHistory("/bin/sh -c echo ADD https://example.com/x");
  s.AddHistory("RUN /bin/sh -c echo $IP_ADD https://example.com # buildkit");
  EXPECT_THAT(WithId(s.Run(), config::kRemoteAdd), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-009: package-manager caches.

TEST(PackageCache, AptListsAndApkCacheFire) {
  FakeImage img;
  img.AddLayer().File("/var/lib/apt/lists/lock", "", 0640).Dir("/var/lib/apt/lists/partial");
  img.AddLayer()
      .File(
          "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
          "data")
      .File("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "data");
  img.AddLayer().File("/var/cache/apk/APKINDEX.7a1b.tar.gz", "data");
  std::vector<Finding> f = WithId(CheckSetup().Run(img.Files()), config::kPackageCache);
  ASSERT_EQ(f.size(), 2u);
  for (const Finding& x : f) {
    ExpectCatalogFields(x);
    EXPECT_EQ(x.severity, Severity::kLow);
  }
  EXPECT_EQ(f[0].path, "/var/lib/apt/lists");
  EXPECT_EQ(f[0].title, "apt cache left in /var/lib/apt/lists (2 files)");
  EXPECT_EQ(f[0].layer, FakeImage::LayerDigest(1));
  EXPECT_EQ(f[1].path, "/var/cache/apk");
  EXPECT_EQ(f[1].layer, FakeImage::LayerDigest(2));
}

TEST(PackageCache, LockEmptyFilesAndCleanedCachesDoNotFire) {
  FakeImage img;
  img.AddLayer()
      .File("/var/lib/apt/lists/lock", "", 0640)
      .Dir("/var/lib/apt/lists/partial")
      .File("/var/cache/apt/archives/lock", "", 0640)
      .File("/var/cache/apk/empty", "")
      .File("/var/lib/apt/lists/deb_Packages", "data")
      .File("/var/cache/yum/x86_64/repomd.xml", "data");
  img.AddLayer().Whiteout("/var/lib/apt/lists/deb_Packages").Opaque("/var/cache/yum");
  EXPECT_THAT(WithId(CheckSetup().Run(img.Files()), config::kPackageCache), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-010: package upgrade in the build.

TEST(UpgradeInBuild, FiresForUpgrades) {
  for (std::string created_by : {
           "/bin/sh -c apt-get update && apt-get upgrade -y",
           "/bin/sh -c apt-get update && apt-get dist-upgrade -y",
           "RUN /bin/sh -c apt-get update && apt-get -y dist-upgrade # buildkit",
           "RUN /bin/sh -c apt-get -o Dpkg::Options::=--force-confold -qq upgrade # buildkit",
           "RUN /bin/sh -c apt update; apt full-upgrade -y # buildkit",
           "/bin/sh -c apk upgrade",
           "/bin/sh -c apk --no-cache upgrade",
           "RUN /bin/sh -c set -eux; apk update && apk upgrade --available # buildkit",
           "/bin/sh -c yum -y update && yum clean all",
           "/bin/sh -c dnf upgrade -y --refresh",
           "|1 DEBIAN_FRONTEND=noninteractive /bin/sh -c /usr/bin/apt-get upgrade -y",
       }) {
    CheckSetup s;
    s.AddHistory(created_by);
    std::vector<Finding> f = WithId(s.Run(), config::kUpgradeInBuild);
    ASSERT_EQ(f.size(), 1u) << created_by;
    ExpectCatalogFields(f[0]);
    EXPECT_EQ(f[0].severity, Severity::kLow);
    EXPECT_EQ(f[0].path, "config:history");
  }
}

TEST(UpgradeInBuild, QuietForIndexUpdatesAndInstalls) {
  CheckSetup s;
  s.AddHistory("/bin/sh -c apt-get update");
  s.AddHistory(
      "/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*");
  s.AddHistory("RUN /bin/sh -c apk update && apk add --no-cache curl # buildkit");
  s.AddHistory("RUN /bin/sh -c pip install --upgrade pip # buildkit");
  s.AddHistory("RUN /bin/sh -c apt-get install -y upgrade-system # buildkit");
  s.AddHistory("/bin/sh -c #(nop)  LABEL note=apt-get upgrade");
  s.AddHistory("LABEL note=\"apk upgrade\" # buildkit");
  s.AddHistory("/bin/sh -c echo apt-get is not run; echo upgrade later");
  EXPECT_THAT(WithId(s.Run(), config::kUpgradeInBuild), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-011: unpinned tag.

TEST(UnpinnedTag, FiresForLatestAndMissingTags) {
  struct Case {
    std::vector<std::string> repo_tags;
    std::string requested;
    std::string_view title;
  };
  const std::string_view latest = "Image is referenced by the tag 'latest'";
  const std::string_view none = "Image has no tag and is not referenced by digest";
  for (const Case& c : std::vector<Case>{
           {{"alpine:latest"}, "", latest},
           {{"latest"}, "", latest},         // an OCI layout ref name
           {{"app:1.0"}, "latest", latest},  // the tag the user named wins
           {{"app:1.0", "app:latest"}, "app:latest", latest},
           {{}, "", none},
           {{"ghcr.io/a/b"}, "", none},
           {{"localhost:5000/x"}, "", none},
       }) {
    CheckSetup s;
    s.target.repo_tags = c.repo_tags;
    s.requested_tag = c.requested;
    std::vector<Finding> f = WithId(s.Run(), config::kUnpinnedTag);
    ASSERT_EQ(f.size(), 1u) << ::testing::PrintToString(c.repo_tags) << " " << c.requested;
    ExpectCatalogFields(f[0]);
    EXPECT_EQ(f[0].severity, Severity::kLow);
    EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.5"});
    EXPECT_EQ(f[0].title, c.title);
  }
}

TEST(UnpinnedTag, QuietForVersionTagsAndDigests) {
  const std::string digest =
      "sha256:4b7ce07a8ee6d4a83f1ac1e1a4c7a8d3c7ed3b1c2e1a0f7b6c5d4e3f2a1b0c9d";
  for (const auto& [repo_tag, requested] : std::vector<std::pair<std::string, std::string>>{
           {"alpine:3.19", ""},
           {"3.19.1", ""},
           {"localhost:5000/x:v2", ""},
           {"ghcr.io/a/b@" + digest, ""},
           {"alpine:latest", digest},
           {"alpine:latest", "alpine:3.19"},
       }) {
    CheckSetup s;
    s.target.repo_tags = {repo_tag};
    s.requested_tag = requested;
    EXPECT_THAT(WithId(s.Run(), config::kUnpinnedTag), IsEmpty()) << repo_tag << " " << requested;
  }
}

// ---------------------------------------------------------------------------------------
// BH-IMG-012: end-of-life base OS.

std::vector<Finding> EolFindings(std::string family, std::string version, std::string today) {
  CheckSetup s;
  s.target.os = {std::move(family), std::move(version), ""};
  s.options.today = std::move(today);
  return WithId(s.Run(), config::kEndOfLifeOs);
}

TEST(EndOfLifeOs, DatesOnBothSidesOfTheTableDate) {
  struct Case {
    std::string family, version, eol;
    std::string before, after;
  };
  for (const Case& c : std::vector<Case>{
           {"debian", "11", "2026-08-31", "2026-08-31", "2026-09-01"},
           {"debian", "11.9", "2026-08-31", "2026-08-30", "2027-01-01"},
           {"ubuntu", "22.04", "2027-06-01", "2027-06-01", "2027-06-02"},
           {"alpine", "3.19.1", "2025-11-01", "2025-10-31", "2025-11-02"},
           {"rocky", "9.3", "2032-05-31", "2032-05-31", "2032-06-01"},
       }) {
    SCOPED_TRACE(c.family + " " + c.version);
    EXPECT_EQ(config::EndOfLife({c.family, c.version, ""}), c.eol);
    EXPECT_THAT(EolFindings(c.family, c.version, c.before), IsEmpty());
    std::vector<Finding> f = EolFindings(c.family, c.version, c.after);
    ASSERT_EQ(f.size(), 1u);
    ExpectCatalogFields(f[0]);
    EXPECT_EQ(f[0].severity, Severity::kHigh);
    EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.2"});
    EXPECT_EQ(f[0].title, c.family + " " + c.version + " reached its end of life on " + c.eol);
  }
}

TEST(EndOfLifeOs, UnknownOsHasNoFinding) {
  EXPECT_EQ(config::EndOfLife({"gentoo", "2.15", ""}), "");
  EXPECT_EQ(config::EndOfLife({"", "", ""}), "");
  EXPECT_EQ(config::EndOfLife({"debian", "", ""}), "");
  EXPECT_EQ(config::EndOfLife({"alpine", "3.99.0", ""}), "");
  EXPECT_EQ(config::EndOfLife({"ubuntu", "22", ""}), "");  // no major-only Ubuntu row
  EXPECT_THAT(EolFindings("gentoo", "2.15", "2099-01-01"), IsEmpty());
  EXPECT_THAT(EolFindings("", "", "2099-01-01"), IsEmpty());
}

TEST(EndOfLifeOs, AlpineMinorRowsAreNotPrefixes) {
  EXPECT_EQ(config::EndOfLife({"alpine", "3.1.4", ""}), "");  // not the 3.10..3.19 rows
  EXPECT_EQ(config::EndOfLife({"alpine", "3.10.9", ""}), "2021-05-01");
}

TEST(EndOfLifeOs, DetectedFromTheImage) {
  FakeImage img;
  img.AddLayer().File("/etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n");
  CheckSetup s;
  s.target.os = img.Os();
  s.options.today = "2026-01-15";
  EXPECT_EQ(WithId(s.Run(img.Files()), config::kEndOfLifeOs).size(), 1u);
}

// ---------------------------------------------------------------------------------------
// BH-IMG-013: registry outside the trusted list.

TEST(NormalizeRepository, AppliesDockerHubDefaultsAndDropsTagAndDigest) {
  EXPECT_EQ(config::NormalizeRepository("alpine:3.19"), "docker.io/library/alpine");
  EXPECT_EQ(config::NormalizeRepository("alpine"), "docker.io/library/alpine");
  EXPECT_EQ(config::NormalizeRepository("bitnami/redis:7"), "docker.io/bitnami/redis");
  EXPECT_EQ(config::NormalizeRepository("docker.io/alpine"), "docker.io/library/alpine");
  EXPECT_EQ(config::NormalizeRepository("index.docker.io/library/alpine:3"),
            "docker.io/library/alpine");
  EXPECT_EQ(config::NormalizeRepository("ghcr.io/a/b:1"), "ghcr.io/a/b");
  EXPECT_EQ(config::NormalizeRepository("ghcr.io/a/b"), "ghcr.io/a/b");
  EXPECT_EQ(config::NormalizeRepository("localhost:5000/x"), "localhost:5000/x");
  EXPECT_EQ(config::NormalizeRepository("localhost:5000/x:v1"), "localhost:5000/x");
  EXPECT_EQ(config::NormalizeRepository("localhost/x"), "localhost/x");
  EXPECT_EQ(config::NormalizeRepository(
                "a/b@sha256:4b7ce07a8ee6d4a83f1ac1e1a4c7a8d3c7ed3b1c2e1a0f7b6c5d4e3f2a1b0c9d"),
            "docker.io/a/b");
  EXPECT_EQ(config::NormalizeRepository("ghcr.io/a/b:1@sha256:4b7c"), "ghcr.io/a/b");
}

std::vector<Finding> TrustFindings(std::vector<std::string> trusted, std::string ref,
                                   std::string requested = "") {
  CheckSetup s;
  s.options.trusted_registries = std::move(trusted);
  s.target.repo_tags = {std::move(ref)};
  s.requested_tag = std::move(requested);
  return WithId(s.Run(), config::kUntrustedRegistry);
}

TEST(UntrustedRegistry, TrustedRegistriesAndRepositoryPrefixesPass) {
  EXPECT_THAT(TrustFindings({"registry.example.com"}, "registry.example.com/team/app:1"),
              IsEmpty());
  EXPECT_THAT(TrustFindings({"registry.example.com/team"}, "registry.example.com/team/app:1"),
              IsEmpty());
  EXPECT_THAT(TrustFindings({"registry.example.com/team/"}, "registry.example.com/team/app:1"),
              IsEmpty());
  EXPECT_THAT(TrustFindings({"docker.io/library"}, "alpine:3.19"), IsEmpty());
  EXPECT_THAT(TrustFindings({"docker.io"}, "bitnami/redis:7"), IsEmpty());
  EXPECT_THAT(TrustFindings({"localhost:5000"}, "localhost:5000/x:1"), IsEmpty());
  EXPECT_THAT(TrustFindings({"ghcr.io/a/b"}, "ghcr.io/a/b:1"), IsEmpty());
}

TEST(UntrustedRegistry, PrefixesMatchOnlyAtSlashes) {
  std::vector<Finding> f =
      TrustFindings({"registry.example.com/team"}, "registry.example.com/teamX/app:1");
  ASSERT_EQ(f.size(), 1u);
  ExpectCatalogFields(f[0]);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.5"});
  EXPECT_EQ(f[0].title, "Image registry.example.com/teamX/app is not from a trusted registry");
  EXPECT_EQ(TrustFindings({"registry.example.co"}, "registry.example.com/app:1").size(), 1u);
  EXPECT_EQ(TrustFindings({"docker.io/library"}, "bitnami/redis:7").size(), 1u);
  EXPECT_EQ(TrustFindings({"registry.example.com"}, "alpine:3.19").size(), 1u);
  EXPECT_EQ(TrustFindings({""}, "alpine:3.19").size(), 1u);  // an empty entry trusts nothing
}

TEST(UntrustedRegistry, ImageWithoutARegistryNameCannotBeTrusted) {
  for (std::string ref : {"v1.0", "latest"}) {
    std::vector<Finding> f = TrustFindings({"registry.example.com"}, ref);
    ASSERT_EQ(f.size(), 1u) << ref;
    EXPECT_THAT(f[0].title, HasSubstr("no registry name"));
  }
  // A reference without a tag still names its registry.
  EXPECT_THAT(TrustFindings({"ghcr.io"}, "ghcr.io/a/b"), IsEmpty());
}

TEST(UntrustedRegistry, TheReferenceTheUserNamedWins) {
  EXPECT_THAT(TrustFindings({"ghcr.io"}, "app:1", "ghcr.io/a/app:1"), IsEmpty());
  EXPECT_EQ(TrustFindings({"ghcr.io"}, "ghcr.io/a/app:1", "docker.io/a/app:1").size(), 1u);
  // A bare tag names no registry: the image's own name is judged.
  EXPECT_THAT(TrustFindings({"ghcr.io"}, "ghcr.io/a/app:1", "1"), IsEmpty());
}

TEST(UntrustedRegistry, NotRunWithoutATrustList) {
  EXPECT_THAT(TrustFindings({}, "evil.example.net/x:1"), IsEmpty());
}

// ---------------------------------------------------------------------------------------
// BH-IMG-014: empty passwords.

std::vector<Finding> AccountFindings(std::string_view path, std::string_view text) {
  FakeImage img;
  img.AddLayer().File("/etc/hostname", "box\n");
  img.AddLayer().File(path, text, 0640);
  pkg::FileSet files = WithCaptures(img, 2, {{1, {{std::string(path), std::string(text)}}}});
  return WithId(CheckSetup().Run(files), config::kEmptyPassword);
}

TEST(EmptyPassword, EmptyShadowFieldIsCritical) {
  std::vector<Finding> f = AccountFindings(
      "/etc/shadow", "root::0:::::\nbin:!:19000::::::\napp:$6$salt$hash:19000:0:99999:7:::\n");
  ASSERT_EQ(f.size(), 1u);
  ExpectCatalogFields(f[0]);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.2"});
  EXPECT_EQ(f[0].path, "/etc/shadow");
  EXPECT_EQ(f[0].layer, FakeImage::LayerDigest(1));
  EXPECT_EQ(f[0].title, "Account 'root' has an empty password");
}

TEST(EmptyPassword, LockedAndHashedAccountsAreFine) {
  EXPECT_THAT(AccountFindings("/etc/shadow",
                              "# comment\nroot:!:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
                              "nobody:!!:19000::::::\napp:$6$x$y:19000:0:99999:7:::\r\n\n"),
              IsEmpty());
}

TEST(EmptyPassword, EmptyPasswdFieldCounts) {
  std::vector<Finding> f = AccountFindings(
      "/etc/passwd", "root::0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "/etc/passwd");
  EXPECT_EQ(f[0].title, "Account 'root' has an empty password");
  EXPECT_THAT(AccountFindings("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n+::::::\n"),
              IsEmpty());
}

TEST(EmptyPassword, AccountFilesAnalyzerCapturesBothFiles) {
  config::AccountFilesAnalyzer a;
  pkg::FileMeta meta;
  EXPECT_TRUE(a.Required("/etc/shadow", meta));
  EXPECT_TRUE(a.Required("/etc/passwd", meta));
  EXPECT_FALSE(a.Required("/etc/group", meta));
  EXPECT_FALSE(a.Required("/usr/etc/shadow", meta));
  EXPECT_EQ(a.Type(), "accounts");
}

}  // namespace
}  // namespace bulkhead::testing
