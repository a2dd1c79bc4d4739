#include "bulkhead/image/source.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bulkhead/archive/tar_reader.h"
#include "bulkhead/core/sha256.h"
#include "tests/testing/test_util.h"

namespace bulkhead::image {
namespace {

using ::bulkhead::testing::ReadFileOrDie;
using ::bulkhead::testing::TempDir;

// ---- the synthetic fixtures ----
//
// scripts/fixtures/make_images.py takes several seconds and ctest runs every test in a
// process of its own, so the fixtures are generated once into a directory named after
// the script's hash ($TMPDIR/bulkhead-fixtures-<uid>-<hash>) and reused by later runs.
// BULKHEAD_FIXTURES_DIR points at an already generated directory instead.

std::string TmpBase() {
  const char* tmp = getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

std::string GenerateFixtures(std::string* error) {
  if (const char* dir = getenv("BULKHEAD_FIXTURES_DIR"); dir && *dir) return dir;
  const std::string script = BULKHEAD_TESTDATA "/../scripts/fixtures/make_images.py";
  std::string hash;
  try {
    hash = Sha256Digest(ReadFileOrDie(script)).substr(7, 16);
  } catch (const std::exception& e) {
    *error = e.what();
    return "";
  }
  const std::string final_dir =
      TmpBase() + "/bulkhead-fixtures-" + std::to_string(getuid()) + "-" + hash;
  struct stat st;
  if (stat((final_dir + "/FIXTURES.md").c_str(), &st) == 0) return final_dir;

  std::string tmpl = TmpBase() + "/bulkhead-fixtures-tmp-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    *error = "mkdtemp failed";
    return "";
  }
  const std::string cmd = "python3 '" + script + "' '" + tmpl + "' > '" + tmpl + ".log' 2>&1";
  int rc = std::system(cmd.c_str());
  if (rc != 0) {
    *error = "make_images.py failed (" + std::to_string(rc) + "); see " + tmpl + ".log";
    return "";
  }
  std::error_code ec;
  std::filesystem::remove(tmpl + ".log", ec);
  // Another test process may have won the race; its copy is identical.
  if (rename(tmpl.c_str(), final_dir.c_str()) != 0) std::filesystem::remove_all(tmpl, ec);
  if (stat((final_dir + "/FIXTURES.md").c_str(), &st) != 0) {
    *error = "fixtures missing from " + final_dir;
    return "";
  }
  return final_dir;
}

const std::string& Fixtures() {
  static std::string error;
  static const std::string dir = GenerateFixtures(&error);
  if (dir.empty()) ADD_FAILURE() << "cannot generate the image fixtures: " << error;
  return dir;
}

#define REQUIRE_FIXTURES()                                 \
  do {                                                     \
    if (Fixtures().empty()) GTEST_FAIL() << "no fixtures"; \
  } while (0)

constexpr const char* kTinyConfig =
    "sha256:c911f1af690c54cd15cce5160c3fd530f2c3fe4d6687b559d772106a901144be";
constexpr const char* kTinyManifest =
    "sha256:32b39d512e81d955ea9e6218151e9472192649c4f508fe0a2f149589e47d4c8e";
constexpr const char* kDockerOciManifest =
    "sha256:e1def392edf8e075e5c991c31375b40cd4443b77e3ffd9801d89d00adc2dcfa5";
const std::vector<std::string> kTinyDiffIds = {
    "sha256:9b69cb0696c1f0faf28db34600f1bedfbe62a5e6aaac5c3dd7cf948f58f533bd",
    "sha256:5ed9ee7e79ecbc3420628bad69b306487bce153e32e94ade645faeacc8870d89",
    "sha256:c364474ce485d467d47615338bae2d48e4c004a9acff3b6c4730174a6909070f",
};
constexpr const char* kLayer1Digest =
    "sha256:165a8959475ccf40acdc52c5311ee30ed03099258ef1ba5696586cf9c97018bb";

Result<std::unique_ptr<Image>> Open(const std::string& text,
                                    const SourceOptions& options = SourceOptions()) {
  BULKHEAD_ASSIGN_OR_RETURN(SourceSpec spec, ParseSourceSpec(text));
  return OpenImage(spec, options);
}

SourceOptions ForPlatform(const char* platform) {
  SourceOptions o;
  o.platform = Platform::Parse(platform).value();
  return o;
}

// Reads layer `i` to its very end (where the digests are checked), keeping at most
// `keep` bytes in `*out`.
Status DrainLayer(const Image& image, size_t i,
                  const archive::DecompressOptions& options = archive::DecompressOptions(),
                  std::string* out = nullptr) {
  BULKHEAD_ASSIGN_OR_RETURN(auto src, image.OpenLayer(i, options));
  std::vector<uint8_t> buf(256 * 1024);
  for (;;) {
    BULKHEAD_ASSIGN_OR_RETURN(size_t n, src->Read(buf.data(), buf.size()));
    if (n == 0) return Status::OK();
    if (out && out->size() < (64u << 20)) out->append(reinterpret_cast<char*>(buf.data()), n);
  }
}

Status DrainAllLayers(const Image& image) {
  for (size_t i = 0; i < image.layers().size(); ++i) {
    BULKHEAD_RETURN_IF_ERROR(DrainLayer(image, i).WithContext("layer " + std::to_string(i)));
  }
  return Status::OK();
}

// The content of `path` in layer `i`, read through the tar reader.
Result<std::string> FileInLayer(const Image& image, size_t i, const std::string& path) {
  BULKHEAD_ASSIGN_OR_RETURN(auto src, image.OpenLayer(i, archive::DecompressOptions()));
  BULKHEAD_ASSIGN_OR_RETURN(auto reader,
                            archive::TarReader::Open(std::move(src), archive::TarLimits()));
  archive::TarEntry e;
  std::string found;
  bool seen = false;
  for (;;) {
    BULKHEAD_ASSIGN_OR_RETURN(bool more, reader->Next(&e));
    if (!more) break;
    if (e.path != path) continue;
    seen = true;
    uint8_t buf[4096];
    for (;;) {
      BULKHEAD_ASSIGN_OR_RETURN(size_t n, reader->ReadData(buf, sizeof(buf)));
      if (n == 0) break;
      found.append(reinterpret_cast<char*>(buf), n);
    }
  }
  if (!seen) return Status::NotFound(path + " not in layer " + std::to_string(i));
  return found;
}

void ExpectMentions(const Status& s, const std::string& what) {
  EXPECT_NE(s.message().find(what), std::string::npos)
      << "error does not mention '" << what << "': " << s.ToString();
}

// ---- tiny, in every form ----

class TinyFormsTest : public ::testing::TestWithParam<const char*> {};

INSTANTIATE_TEST_SUITE_P(
    Forms, TinyFormsTest,
    ::testing::Values(
        "oci:{}/tiny", "{}/tiny", "oci:{}/tiny:v1", "{}/tiny:v1",
        "oci-archive:{}/tiny.oci-archive.tar", "{}/tiny.oci-archive.tar",
        "docker-archive:{}/tiny.docker-archive.tar", "{}/tiny.docker-archive.tar",
        "docker-archive:{}/tiny.docker-archive.tar:tiny:v1", "{}/tiny.docker-archive-symlinks.tar",
        "docker-archive:{}/tiny.docker-archive-symlinks.tar:v1",
        "{}/tiny.docker-archive-symlinked-manifest.tar", "{}/tiny.docker-archive.tar.gz",
        "docker-archive:{}/tiny.docker-archive.tar.gz", "docker-archive:{}/tiny.docker-oci.tar",
        "{}/tiny.docker-oci.tar", "oci-archive:{}/tiny.docker-oci.tar"));

std::string Expand(std::string pattern) {
  size_t at = pattern.find("{}");
  return pattern.replace(at, 2, Fixtures());
}

TEST_P(TinyFormsTest, SameImage) {
  REQUIRE_FIXTURES();
  const std::string text = Expand(GetParam());
  Result<std::unique_ptr<Image>> image = Open(text);
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  const Image& img = **image;
  EXPECT_EQ(img.target().config_digest, kTinyConfig);
  EXPECT_EQ(img.target().name, text);
  EXPECT_EQ(img.target().kind, "image");
  EXPECT_EQ(img.target().architecture, "amd64");
  EXPECT_EQ(img.target().os_name, "linux");
  EXPECT_EQ(img.config().user, "nobody");
  EXPECT_EQ(img.config().diff_ids, kTinyDiffIds);
  ASSERT_EQ(img.layers().size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(img.layers()[i].diff_id, kTinyDiffIds[i]) << i;
    EXPECT_TRUE(IsSha256Digest(img.layers()[i].digest)) << img.layers()[i].digest;
  }
  // History has two empty_layer entries; the created_by strings line up with the layers.
  EXPECT_NE(img.layers()[0].created_by.find("ADD alpine-minirootfs"), std::string::npos);
  EXPECT_NE(img.layers()[1].created_by.find("apk add"), std::string::npos);
  EXPECT_NE(img.layers()[2].created_by.find("rm /usr/bin/new-tool"), std::string::npos);
  // Every layer streams to its end with all digests checked.
  Status s = DrainAllLayers(img);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(TinyTest, ManifestDigestsAndTags) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> oci = Open("oci:" + Fixtures() + "/tiny");
  ASSERT_TRUE(oci.ok()) << oci.error().ToString();
  EXPECT_EQ((*oci)->target().digest, kTinyManifest);
  EXPECT_EQ((*oci)->target().repo_tags, std::vector<std::string>{"v1"});
  EXPECT_EQ((*oci)->layers()[0].media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ((*oci)->layers()[1].media_type, "application/vnd.oci.image.layer.v1.tar+zstd");

  Result<std::unique_ptr<Image>> docker_oci = Open(Fixtures() + "/tiny.docker-oci.tar");
  ASSERT_TRUE(docker_oci.ok()) << docker_oci.error().ToString();
  EXPECT_EQ((*docker_oci)->target().config_digest, kTinyConfig);

  Result<std::unique_ptr<Image>> oci_view =
      Open("oci-archive:" + Fixtures() + "/tiny.docker-oci.tar");
  ASSERT_TRUE(oci_view.ok()) << oci_view.error().ToString();
  EXPECT_EQ((*oci_view)->target().digest, kDockerOciManifest);

  Result<std::unique_ptr<Image>> docker = Open(Fixtures() + "/tiny.docker-archive.tar");
  ASSERT_TRUE(docker.ok()) << docker.error().ToString();
  EXPECT_EQ((*docker)->target().repo_tags, std::vector<std::string>{"tiny:v1"});
}

TEST(TinyTest, ByDigest) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image =
      Open("oci:" + Fixtures() + "/tiny:" + std::string(kTinyManifest));
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  EXPECT_EQ((*image)->target().digest, kTinyManifest);
}

TEST(TinyTest, UnknownTag) {
  REQUIRE_FIXTURES();
  for (const std::string& text : {"oci:" + Fixtures() + "/tiny:v2",
                                  "docker-archive:" + Fixtures() + "/tiny.docker-archive.tar:v2"}) {
    SCOPED_TRACE(text);
    Result<std::unique_ptr<Image>> image = Open(text);
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error().code(), StatusCode::kNotFound) << image.error().ToString();
    ExpectMentions(image.error(), "v2");
    ExpectMentions(image.error(), Fixtures() + "/tiny");
  }
}

TEST(TinyTest, BothGzipEnginesReadTheLayers) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open(Fixtures() + "/tiny");
  ASSERT_TRUE(image.ok());
  for (archive::GzipEngine engine : {archive::GzipEngine::kDefault, archive::GzipEngine::kZlib}) {
    archive::DecompressOptions options;
    options.gzip_engine = engine;
    std::string tar;
    Status s = DrainLayer(**image, 0, options, &tar);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(Sha256Digest(tar), kTinyDiffIds[0]);
  }
  Result<std::string> os_release = FileInLayer(**image, 0, "etc/os-release");
  ASSERT_TRUE(os_release.ok()) << os_release.error().ToString();
  EXPECT_NE(os_release->find("3.19.1"), std::string::npos);
}

TEST(TinyTest, LayerIndexOutOfRange) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open(Fixtures() + "/tiny");
  ASSERT_TRUE(image.ok());
  auto layer = (*image)->OpenLayer(3, archive::DecompressOptions());
  ASSERT_FALSE(layer.ok());
}

// ---- platforms and tags ----

TEST(MultiarchTest, PicksThePlatform) {
  REQUIRE_FIXTURES();
  struct Case {
    const char* platform;
    const char* arch;
    const char* etc_arch;
  };
  for (const Case& c :
       {Case{"linux/arm/v7", "arm", "arm/v7"}, Case{"linux/arm64", "arm64", "arm64/v8"},
        Case{"linux/arm64/v8", "arm64", "arm64/v8"}, Case{"linux/amd64", "amd64", "amd64"}}) {
    SCOPED_TRACE(c.platform);
    Result<std::unique_ptr<Image>> image =
        Open("oci:" + Fixtures() + "/multiarch", ForPlatform(c.platform));
    ASSERT_TRUE(image.ok()) << image.error().ToString();
    EXPECT_EQ((*image)->target().architecture, c.arch);
    EXPECT_EQ((*image)->target().repo_tags, std::vector<std::string>{"latest"});
    ASSERT_EQ((*image)->layers().size(), 1u);
    Result<std::string> arch = FileInLayer(**image, 0, "etc/arch");
    ASSERT_TRUE(arch.ok()) << arch.error().ToString();
    EXPECT_EQ(arch->substr(0, arch->find('\n')), c.etc_arch);
  }
}

TEST(MultiarchTest, DefaultIsTheHostPlatform) {
  REQUIRE_FIXTURES();
  Platform host = Platform::Host();
  Result<std::unique_ptr<Image>> image = Open(Fixtures() + "/multiarch");
  if (host.ToString() != "linux/amd64" && host.architecture != "arm64" &&
      host.ToString() != "linux/arm/v7") {
    ASSERT_FALSE(image.ok());
    return;
  }
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  EXPECT_EQ((*image)->target().architecture, host.architecture);
}

TEST(MultiarchTest, MissingPlatformListsThePresentOnes) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image =
      Open("oci:" + Fixtures() + "/multiarch", ForPlatform("linux/s390x"));
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kNotFound) << image.error().ToString();
  ExpectMentions(image.error(), "linux/s390x");
  ExpectMentions(image.error(), "linux/amd64");
  ExpectMentions(image.error(), "linux/arm64/v8");
  ExpectMentions(image.error(), "linux/arm/v7");
  ExpectMentions(image.error(), Fixtures() + "/multiarch");

  image = Open("oci:" + Fixtures() + "/multiarch", ForPlatform("linux/arm/v6"));
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kNotFound);
}

TEST(TwoTagsTest, NeedsATag) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/two-tags");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kInvalidArgument) << image.error().ToString();
  ExpectMentions(image.error(), "a, b");
  ExpectMentions(image.error(), Fixtures() + "/two-tags");
}

TEST(TwoTagsTest, PicksTheTag) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> a = Open("oci:" + Fixtures() + "/two-tags:a");
  Result<std::unique_ptr<Image>> b = Open("oci:" + Fixtures() + "/two-tags:b");
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ((*b)->target().repo_tags, std::vector<std::string>{"b"});
  EXPECT_NE((*a)->target().digest, (*b)->target().digest);
  Result<std::string> os = FileInLayer(**b, 0, "etc/os-release");
  ASSERT_TRUE(os.ok()) << os.error().ToString();
  EXPECT_NE(os->find("debian"), std::string::npos) << *os;
  EXPECT_TRUE(DrainAllLayers(**a).ok());

  // The bare path with a tag works as well.
  Result<std::unique_ptr<Image>> bare = Open(Fixtures() + "/two-tags:b");
  ASSERT_TRUE(bare.ok()) << bare.error().ToString();
  EXPECT_EQ((*bare)->target().digest, (*b)->target().digest);

  Result<std::unique_ptr<Image>> none = Open("oci:" + Fixtures() + "/two-tags:c");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), StatusCode::kNotFound);
  ExpectMentions(none.error(), "a, b");
}

// ---- hostile inputs ----

TEST(HostileTest, BadDigest) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/bad-digest:bad");
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  EXPECT_TRUE(DrainLayer(**image, 0).ok());
  // The flipped bit breaks the gzip stream before the end of the blob, where its digest
  // is checked; either way the error is Corruption naming the blob.
  Status s = DrainLayer(**image, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  ExpectMentions(s, std::string(kLayer1Digest).substr(7));
  ExpectMentions(s, Fixtures() + "/bad-digest");
}

TEST(HostileTest, TruncatedGzip) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/truncated-gzip");
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  for (archive::GzipEngine engine : {archive::GzipEngine::kDefault, archive::GzipEngine::kZlib}) {
    archive::DecompressOptions options;
    options.gzip_engine = engine;
    Status s = DrainLayer(**image, 0, options);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
    ExpectMentions(s, "truncated");
    ExpectMentions(s, Fixtures() + "/truncated-gzip");
  }
}

TEST(HostileTest, MissingBlob) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/missing-blob");
  Status s = image.ok() ? DrainAllLayers(**image) : image.error();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  ExpectMentions(s, kLayer1Digest);
  ExpectMentions(s, "missing");
  ExpectMentions(s, Fixtures() + "/missing-blob");
}

TEST(HostileTest, BadDiffId) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/bad-diffid");
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  EXPECT_TRUE(DrainLayer(**image, 0).ok());
  Status s = DrainLayer(**image, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  ExpectMentions(s, "sha256:8068f6c7c08e6dfde48eaee28e37e48f4b4997e38a5409230e0d4840f7df4eda");
  ExpectMentions(s, "sha256:87b106799eca83c5c58a4674a82a3c4f7079882bb15b913db8516d7ac734c85d");
  ExpectMentions(s, Fixtures() + "/bad-diffid");
}

TEST(HostileTest, NotJson) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/not-json");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kCorruption) << image.error().ToString();
  ExpectMentions(image.error(), Fixtures() + "/not-json");
  ExpectMentions(image.error(), "index.json");
}

TEST(HostileTest, DeepJson) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/deep-json");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kCorruption) << image.error().ToString();
  ExpectMentions(image.error(), "deeper");
  ExpectMentions(image.error(), Fixtures() + "/deep-json");
}

TEST(HostileTest, NotAnImageTar) {
  REQUIRE_FIXTURES();
  const std::string path = Fixtures() + "/not-an-image.tar";
  for (const std::string& text : {path, "oci-archive:" + path, "docker-archive:" + path}) {
    SCOPED_TRACE(text);
    Result<std::unique_ptr<Image>> image = Open(text);
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error().code(), StatusCode::kInvalidArgument) << image.error().ToString();
    ExpectMentions(image.error(), path);
  }
}

TEST(HostileTest, EmptyFile) {
  REQUIRE_FIXTURES();
  const std::string path = Fixtures() + "/empty-file";
  Result<std::unique_ptr<Image>> bare = Open(path);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().code(), StatusCode::kInvalidArgument) << bare.error().ToString();
  ExpectMentions(bare.error(), path);
  for (const std::string& text : {"oci-archive:" + path, "docker-archive:" + path}) {
    SCOPED_TRACE(text);
    Result<std::unique_ptr<Image>> image = Open(text);
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error().code(), StatusCode::kInvalidArgument) << image.error().ToString();
    ExpectMentions(image.error(), path);
  }
}

TEST(HostileTest, MissingPaths) {
  REQUIRE_FIXTURES();
  const std::string path = Fixtures() + "/no-such-image";
  Result<std::unique_ptr<Image>> bare = Open(path);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().code(), StatusCode::kNotFound);
  for (const std::string& text :
       {"oci:" + path, "oci-archive:" + path + ".tar", "docker-archive:" + path + ".tar"}) {
    SCOPED_TRACE(text);
    Result<std::unique_ptr<Image>> image = Open(text);
    ASSERT_FALSE(image.ok());
    ExpectMentions(image.error(), path);
  }
}

TEST(HostileTest, Bomb) {
  REQUIRE_FIXTURES();
  Result<std::unique_ptr<Image>> image = Open("oci:" + Fixtures() + "/bomb");
  ASSERT_TRUE(image.ok()) << image.error().ToString();
  archive::DecompressOptions options;
  options.max_output_bytes = uint64_t{64} << 20;
  Status s;
  for (size_t i = 0; i < (*image)->layers().size() && s.ok(); ++i) {
    s = DrainLayer(**image, i, options);
  }
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  ExpectMentions(s, Fixtures() + "/bomb");
}

TEST(HostileTest, ArchiveWithWrongForm) {
  REQUIRE_FIXTURES();
  // A classic docker-archive has no index.json.
  Result<std::unique_ptr<Image>> image =
      Open("oci-archive:" + Fixtures() + "/tiny.docker-archive.tar");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kInvalidArgument) << image.error().ToString();
  ExpectMentions(image.error(), "index.json");
  // An oci-archive has no manifest.json but is read as OCI when asked for docker-archive.
  Result<std::unique_ptr<Image>> oci =
      Open("docker-archive:" + Fixtures() + "/tiny.oci-archive.tar");
  ASSERT_TRUE(oci.ok()) << oci.error().ToString();
  EXPECT_EQ((*oci)->target().config_digest, kTinyConfig);
}

// ---- hand-made layouts ----

// Writes a small OCI layout blob by blob.
class LayoutBuilder {
 public:
  explicit LayoutBuilder(const TempDir& dir) : dir_(dir) {}

  /// Stores `content` as a blob; returns its descriptor, with `extra` JSON members.
  std::string Blob(std::string_view media_type, const std::string& content,
                   const std::string& extra = "", int64_t size = -1) {
    std::string digest = Sha256Digest(content);
    dir_.WriteFile("blobs/sha256/" + digest.substr(7), content);
    return R"({"mediaType":")" + std::string(media_type) + R"(","digest":")" + digest +
           R"(","size":)" + std::to_string(size >= 0 ? size : int64_t(content.size())) + extra +
           "}";
  }
  /// A one-layer image whose etc/arch says `arch`; returns the manifest descriptor.
  std::string Image(const std::string& arch, const std::string& extra = "",
                    int extra_diff_ids = 0) {
    std::string tar = ::bulkhead::testing::MakeTar({{"etc/arch", arch}});
    std::string layer =
        Blob("application/vnd.oci.image.layer.v1.tar+gzip", ::bulkhead::testing::Gzip(tar));
    std::string diff_ids = "\"" + Sha256Digest(tar) + "\"";
    for (int i = 0; i < extra_diff_ids; ++i) diff_ids += ",\"" + Sha256Digest("x") + "\"";
    std::string config = Blob("application/vnd.oci.image.config.v1+json",
                              R"({"architecture":")" + arch + R"(","os":"linux","rootfs":)" +
                                  R"({"type":"layers","diff_ids":[)" + diff_ids + "]}}");
    return Blob(kOciManifestType,
                R"({"schemaVersion":2,"mediaType":")" + std::string(kOciManifestType) +
                    R"(","config":)" + config + R"(,"layers":[)" + layer + "]}",
                extra);
  }
  static std::string IndexJson(const std::vector<std::string>& descriptors) {
    std::string out =
        R"({"schemaVersion":2,"mediaType":")" + std::string(kOciIndexType) + R"(","manifests":[)";
    for (size_t i = 0; i < descriptors.size(); ++i) out += (i ? "," : "") + descriptors[i];
    return out + "]}";
  }
  std::string NestedIndex(const std::vector<std::string>& descriptors,
                          const std::string& extra = "") {
    return Blob(kOciIndexType, IndexJson(descriptors), extra);
  }
  void Top(const std::vector<std::string>& descriptors) {
    dir_.WriteFile("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    dir_.WriteFile("index.json", IndexJson(descriptors));
  }

 private:
  const TempDir& dir_;
};

std::string PlatformJson(const char* os, const char* arch, const char* variant = "") {
  std::string out =
      std::string(R"(,"platform":{"os":")") + os + R"(","architecture":")" + arch + "\"";
  if (*variant) out += std::string(R"(,"variant":")") + variant + "\"";
  return out + "}";
}

std::string RefJson(const char* ref) {
  return std::string(R"(,"annotations":{"org.opencontainers.image.ref.name":")") + ref + "\"}";
}

std::string EtcArch(const Image& image) {
  Result<std::string> arch = FileInLayer(image, 0, "etc/arch");
  return arch.ok() ? *arch : "<" + arch.error().ToString() + ">";
}

TEST(LayoutTest, PlatformVariantsStraightInIndexJson) {
  TempDir dir;
  LayoutBuilder b(dir);
  b.Top({b.Image("amd64", PlatformJson("linux", "amd64")),
         b.Image("arm64", PlatformJson("linux", "arm64", "v8")),
         b.Image("s390x", PlatformJson("linux", "s390x"))});
  Result<std::unique_ptr<Image>> arm = Open("oci:" + dir.path(), ForPlatform("linux/arm64"));
  ASSERT_TRUE(arm.ok()) << arm.error().ToString();
  EXPECT_EQ(EtcArch(**arm), "arm64");
  Result<std::unique_ptr<Image>> s390 = Open(dir.path(), ForPlatform("linux/s390x"));
  ASSERT_TRUE(s390.ok()) << s390.error().ToString();
  EXPECT_EQ(EtcArch(**s390), "s390x");

  Result<std::unique_ptr<Image>> none = Open(dir.path(), ForPlatform("linux/riscv64"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), StatusCode::kNotFound);
  ExpectMentions(none.error(), "linux/amd64, linux/arm64/v8, linux/s390x");
}

TEST(LayoutTest, PlatformVariantsSharingATag) {
  TempDir dir;
  LayoutBuilder b(dir);
  b.Top({b.Image("amd64", PlatformJson("linux", "amd64") + RefJson("v1")),
         b.Image("arm", PlatformJson("linux", "arm", "v7") + RefJson("v1")),
         b.Image("other", RefJson("v2"))});
  Result<std::unique_ptr<Image>> arm = Open(dir.path() + ":v1", ForPlatform("linux/arm/v7"));
  ASSERT_TRUE(arm.ok()) << arm.error().ToString();
  EXPECT_EQ(EtcArch(**arm), "arm");
  EXPECT_EQ((*arm)->target().repo_tags, std::vector<std::string>{"v1"});
  Result<std::unique_ptr<Image>> v2 = Open(dir.path() + ":v2", ForPlatform("linux/arm/v7"));
  ASSERT_TRUE(v2.ok()) << v2.error().ToString();
  EXPECT_EQ(EtcArch(**v2), "other");
  // Without a tag these are several images.
  Result<std::unique_ptr<Image>> untagged = Open(dir.path(), ForPlatform("linux/arm/v7"));
  ASSERT_FALSE(untagged.ok());
  EXPECT_EQ(untagged.error().code(), StatusCode::kInvalidArgument);
}

TEST(LayoutTest, AttestationsAreNotPlatforms) {
  TempDir dir;
  LayoutBuilder b(dir);
  b.Top({b.NestedIndex({b.Image("amd64", PlatformJson("linux", "amd64")),
                        b.Image("attestation", PlatformJson("unknown", "unknown"))},
                       RefJson("latest"))});
  Result<std::unique_ptr<Image>> amd = Open(dir.path(), ForPlatform("linux/amd64"));
  ASSERT_TRUE(amd.ok()) << amd.error().ToString();
  EXPECT_EQ(EtcArch(**amd), "amd64");
  Result<std::unique_ptr<Image>> arm = Open(dir.path(), ForPlatform("linux/arm64"));
  ASSERT_FALSE(arm.ok());
  EXPECT_EQ(arm.error().message().find("unknown"), std::string::npos) << arm.error().ToString();
}

TEST(LayoutTest, IndexNestingIsBounded) {
  for (int levels : {4, 6}) {
    SCOPED_TRACE(levels);
    TempDir dir;
    LayoutBuilder b(dir);
    std::string desc = b.Image("amd64", PlatformJson("linux", "amd64"));
    for (int i = 0; i < levels; ++i) desc = b.NestedIndex({desc}, PlatformJson("linux", "amd64"));
    b.Top({desc});
    Result<std::unique_ptr<Image>> image = Open(dir.path(), ForPlatform("linux/amd64"));
    if (levels == 4) {
      ASSERT_TRUE(image.ok()) << image.error().ToString();
    } else {
      ASSERT_FALSE(image.ok());
      EXPECT_EQ(image.error().code(), StatusCode::kResourceExhausted) << image.error().ToString();
    }
  }
}

TEST(LayoutTest, LayerCountMismatch) {
  TempDir dir;
  LayoutBuilder b(dir);
  b.Top({b.Image("amd64", "", /*extra_diff_ids=*/1)});
  Result<std::unique_ptr<Image>> image = Open(dir.path());
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kCorruption) << image.error().ToString();
  ExpectMentions(image.error(), dir.path());
}

TEST(LayoutTest, DescriptorSizeMismatch) {
  TempDir dir;
  LayoutBuilder b(dir);
  std::string manifest = b.Image("amd64");
  // Same blob, a descriptor that lies about its size.
  std::string lying = manifest;
  size_t at = lying.find("\"size\":");
  lying = lying.substr(0, at) + "\"size\":3}";
  b.Top({lying});
  Result<std::unique_ptr<Image>> image = Open(dir.path());
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kCorruption) << image.error().ToString();
}

TEST(LayoutTest, NoIndexJson) {
  TempDir dir;
  dir.WriteFile("oci-layout", "{}");
  Result<std::unique_ptr<Image>> image = Open(dir.path());
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kInvalidArgument) << image.error().ToString();
  ExpectMentions(image.error(), dir.path());
  ExpectMentions(image.error(), "index.json");
}

TEST(LayoutTest, EmptyIndex) {
  TempDir dir;
  LayoutBuilder b(dir);
  b.Top({});
  Result<std::unique_ptr<Image>> image = Open(dir.path());
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kCorruption) << image.error().ToString();
}

// ---- stores ----

TEST(DirectoryStoreTest, StaysInsideTheDirectory) {
  TempDir outer;
  outer.WriteFile("secret", "outside");
  outer.WriteFile("img/inside", "inside");
  const std::string dir = outer.path() + "/img";
  ASSERT_EQ(symlink((outer.path() + "/secret").c_str(), (dir + "/abs-out").c_str()), 0);
  ASSERT_EQ(symlink("../secret", (dir + "/rel-out").c_str()), 0);
  ASSERT_EQ(symlink("inside", (dir + "/rel-in").c_str()), 0);
  std::shared_ptr<BlobStore> store = OpenDirectoryStore(dir);
  EXPECT_EQ(store->name(), dir);

  Result<std::string> in = store->Read("inside", 1000);
  ASSERT_TRUE(in.ok()) << in.error().ToString();
  EXPECT_EQ(*in, "inside");
  Result<std::string> link_in = store->Read("rel-in", 1000);
  ASSERT_TRUE(link_in.ok());
  EXPECT_EQ(*link_in, "inside");

  for (const char* path : {"abs-out", "rel-out"}) {
    SCOPED_TRACE(path);
    auto src = store->Open(path);
    ASSERT_FALSE(src.ok());
    EXPECT_EQ(src.error().code(), StatusCode::kCorruption) << src.error().ToString();
    EXPECT_FALSE(store->Exists(path));
  }
  // ".." is taken inside the directory: "../secret" names <dir>/secret, which is absent.
  auto up = store->Open("../secret");
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().code(), StatusCode::kNotFound) << up.error().ToString();
  EXPECT_TRUE(store->Exists("inside"));
  EXPECT_FALSE(store->Exists("nope"));

  Result<std::string> limited = store->Read("inside", 3);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code(), StatusCode::kResourceExhausted);
}

TEST(ArchiveStoreTest, OpenErrors) {
  TempDir dir;
  auto missing = OpenArchiveStore(dir.path() + "/none.tar", archive::TarIndexLimits());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);

  std::string junk = dir.WriteFile("junk.tar", std::string(4096, 'j'));
  auto not_tar = OpenArchiveStore(junk, archive::TarIndexLimits());
  ASSERT_FALSE(not_tar.ok());
  EXPECT_EQ(not_tar.error().code(), StatusCode::kInvalidArgument);
  ExpectMentions(not_tar.error(), junk);
}

TEST(OpenImageTest, RootfsIsNotAnImage) {
  SourceSpec spec;
  spec.kind = SourceKind::kRootfs;
  spec.path = "/";
  auto image = OpenImage(spec, SourceOptions());
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace bulkhead::image
