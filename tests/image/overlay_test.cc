#include "bulkhead/image/overlay.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "tests/testing/test_util.h"

namespace bulkhead::image {
namespace {

// Builds layers tersely: F(path) file, D(path) dir, L(path, target) symlink,
// H(path, target) hardlink; W(path) whiteout; O(dir) opaque directory.
class LayerBuilder {
 public:
  LayerBuilder& F(const std::string& path, uint64_t size = 1, uint32_t mode = 0644) {
    return Add(path, EntryType::kFile, "", size, mode);
  }
  LayerBuilder& D(const std::string& path, uint32_t mode = 0755) {
    return Add(path, EntryType::kDirectory, "", 0, mode);
  }
  LayerBuilder& L(const std::string& path, const std::string& target) {
    return Add(path, EntryType::kSymlink, target, 0, 0777);
  }
  LayerBuilder& H(const std::string& path, const std::string& target) {
    return Add(path, EntryType::kHardlink, target, 0, 0644);
  }
  LayerBuilder& W(const std::string& path) {
    files_.whiteouts.push_back(path);
    return *this;
  }
  LayerBuilder& O(const std::string& dir) {
    files_.opaque_dirs.push_back(dir);
    return *this;
  }
  const LayerFiles& files() const { return files_; }

 private:
  LayerBuilder& Add(const std::string& path, EntryType type, const std::string& target,
                    uint64_t size, uint32_t mode) {
    FileMeta meta;
    meta.type = type;
    meta.link_target = target;
    meta.size = size;
    meta.mode = mode;
    files_.entries.push_back({path, meta});
    return *this;
  }
  LayerFiles files_;
};

Overlay Squash(const std::vector<LayerBuilder>& layers) {
  std::vector<const LayerFiles*> ptrs;
  for (const LayerBuilder& l : layers) ptrs.push_back(&l.files());
  return Overlay::Build(ptrs);
}

std::vector<std::string> Paths(const Overlay& o) {
  std::vector<std::string> out;
  for (const auto& [path, file] : o.files()) out.push_back(path);
  return out;
}

std::string ResolveOrError(const Overlay& o, std::string_view path) {
  Result<std::string> r = o.Resolve(path);
  return r.ok() ? *r : "<" + std::string(StatusCodeName(r.error().code())) + ">";
}

TEST(OverlayTest, EmptyImage) {
  Overlay o = Squash({});
  EXPECT_TRUE(o.files().empty());
  EXPECT_EQ(o.Find("/etc"), nullptr);
  EXPECT_EQ(ResolveOrError(o, "/"), "/");
  EXPECT_EQ(ResolveOrError(o, "/etc"), "<not found>");
}

TEST(OverlayTest, FilesComeFromTheirLayer) {
  Overlay o = Squash({
      LayerBuilder().D("/etc").F("/etc/os-release", 30).F("/etc/passwd"),
      LayerBuilder().F("/etc/passwd", 99, 0600).F("/usr/bin/tool"),
  });
  EXPECT_EQ(Paths(o),
            (std::vector<std::string>{"/etc", "/etc/os-release", "/etc/passwd", "/usr/bin/tool"}));
  ASSERT_NE(o.Find("/etc/os-release"), nullptr);
  EXPECT_EQ(o.Find("/etc/os-release")->layer, 0u);
  EXPECT_EQ(o.Find("/etc/os-release")->meta.size, 30u);
  const Overlay::File* passwd = o.Find("/etc/passwd");
  ASSERT_NE(passwd, nullptr);
  EXPECT_EQ(passwd->layer, 1u);
  EXPECT_EQ(passwd->meta.size, 99u);
  EXPECT_EQ(passwd->meta.mode, 0600u);
  // The lower version was replaced by layer 1; the upper one is still there.
  EXPECT_EQ(o.DeletedIn(0, "/etc/passwd"), 1u);
  EXPECT_EQ(o.DeletedIn(1, "/etc/passwd"), std::nullopt);
  EXPECT_EQ(o.DeletedIn(0, "/etc/os-release"), std::nullopt);
  EXPECT_EQ(o.DeletedIn(1, "/etc/os-release"), std::nullopt);  // layer 1 never added it
  EXPECT_EQ(o.DeletedIn(0, "/nothing"), std::nullopt);
}

TEST(OverlayTest, WhiteoutDeletesAFile) {
  Overlay o = Squash({
      LayerBuilder().D("/usr").D("/usr/bin").F("/usr/bin/new-tool").F("/usr/bin/keep"),
      LayerBuilder().W("/usr/bin/new-tool"),
  });
  EXPECT_EQ(o.Find("/usr/bin/new-tool"), nullptr);
  EXPECT_NE(o.Find("/usr/bin/keep"), nullptr);
  EXPECT_EQ(o.DeletedIn(0, "/usr/bin/new-tool"), 1u);
  EXPECT_EQ(o.DeletedIn(0, "/usr/bin/keep"), std::nullopt);
}

TEST(OverlayTest, WhiteoutOfADirectoryDeletesItsTreeButNotSiblings) {
  Overlay o = Squash({
      LayerBuilder().D("/d").F("/d/x").D("/d/y").F("/d/y/z").F("/dx").D("/d-other").F("/d-other/f"),
      LayerBuilder().F("/unrelated"),
      LayerBuilder().W("/d"),
  });
  EXPECT_EQ(Paths(o), (std::vector<std::string>{"/d-other", "/d-other/f", "/dx", "/unrelated"}));
  for (const char* p : {"/d", "/d/x", "/d/y", "/d/y/z"}) {
    EXPECT_EQ(o.DeletedIn(0, p), 2u) << p;
  }
}

TEST(OverlayTest, WhiteoutOfSomethingAbsentIsHarmless) {
  Overlay o = Squash({LayerBuilder().F("/a"), LayerBuilder().W("/b").W("/a/c")});
  EXPECT_EQ(Paths(o), std::vector<std::string>{"/a"});
}

TEST(OverlayTest, WhiteoutThenRecreateInTheSameLayer) {
  Overlay o = Squash({
      LayerBuilder().D("/app").F("/app/old"),
      LayerBuilder().W("/app").D("/app").F("/app/new"),
  });
  EXPECT_EQ(Paths(o), (std::vector<std::string>{"/app", "/app/new"}));
  EXPECT_EQ(o.Find("/app")->layer, 1u);
  EXPECT_EQ(o.DeletedIn(0, "/app/old"), 1u);
  EXPECT_EQ(o.DeletedIn(0, "/app"), 1u);
}

TEST(OverlayTest, OpaqueDirectoryHidesOnlyLowerContents) {
  Overlay o = Squash({
      LayerBuilder()
          .D("/var")
          .D("/var/cache")
          .F("/var/cache/stale")
          .D("/var/cache/sub")
          .F("/var/cache/sub/deep")
          .F("/var/cachefile"),
      // The layer's own entries may come before or after the marker in the tar.
      LayerBuilder().F("/var/cache/before").O("/var/cache").F("/var/cache/fresh.txt"),
  });
  EXPECT_EQ(Paths(o), (std::vector<std::string>{"/var", "/var/cache", "/var/cache/before",
                                                "/var/cache/fresh.txt", "/var/cachefile"}));
  EXPECT_EQ(o.DeletedIn(0, "/var/cache/stale"), 1u);
  EXPECT_EQ(o.DeletedIn(0, "/var/cache/sub/deep"), 1u);
  EXPECT_EQ(o.DeletedIn(0, "/var/cache"), std::nullopt);  // the directory itself stays
  EXPECT_EQ(o.Find("/var/cache/fresh.txt")->layer, 1u);
}

TEST(OverlayTest, TinyFixtureSquash) {
  // The shape of the tiny fixture: layer 2 deletes new-tool and empties var/cache.
  Overlay o = Squash({
      LayerBuilder()
          .D("/var")
          .D("/var/cache")
          .D("/var/cache/misc")
          .F("/var/cache/misc/stale.cache"),
      LayerBuilder().D("/usr").D("/usr/bin").F("/usr/bin/new-tool"),
      LayerBuilder().W("/usr/bin/new-tool").O("/var/cache").F("/var/cache/fresh.txt"),
  });
  EXPECT_EQ(o.Find("/usr/bin/new-tool"), nullptr);
  EXPECT_EQ(o.DeletedIn(1, "/usr/bin/new-tool"), 2u);
  EXPECT_EQ(o.Find("/var/cache/misc"), nullptr);
  EXPECT_EQ(o.DeletedIn(0, "/var/cache/misc/stale.cache"), 2u);
  EXPECT_NE(o.Find("/var/cache/fresh.txt"), nullptr);
}

TEST(OverlayTest, FileReplacesADirectory) {
  Overlay o = Squash({
      LayerBuilder().D("/opt").D("/opt/tool").F("/opt/tool/bin").F("/optional"),
      LayerBuilder().F("/opt", 5),
  });
  EXPECT_EQ(Paths(o), (std::vector<std::string>{"/opt", "/optional"}));
  EXPECT_EQ(o.Find("/opt")->meta.type, EntryType::kFile);
  EXPECT_EQ(o.Find("/opt")->layer, 1u);
  EXPECT_EQ(o.DeletedIn(0, "/opt"), 1u);
  EXPECT_EQ(o.DeletedIn(0, "/opt/tool"), 1u);
  EXPECT_EQ(o.DeletedIn(0, "/opt/tool/bin"), 1u);
}

TEST(OverlayTest, SymlinkReplacesADirectory) {
  Overlay o = Squash({
      LayerBuilder().D("/lib").F("/lib/libc.so"),
      LayerBuilder().L("/lib", "usr/lib").D("/usr").D("/usr/lib").F("/usr/lib/libc.so"),
  });
  EXPECT_EQ(o.Find("/lib")->meta.type, EntryType::kSymlink);
  EXPECT_EQ(o.Find("/lib/libc.so"), nullptr);
  EXPECT_EQ(o.DeletedIn(0, "/lib/libc.so"), 1u);
  EXPECT_EQ(ResolveOrError(o, "/lib/libc.so"), "/usr/lib/libc.so");
}

TEST(OverlayTest, DirectoryReplacesAFile) {
  Overlay o = Squash({
      LayerBuilder().F("/opt"),
      LayerBuilder().D("/opt").F("/opt/x"),
  });
  EXPECT_EQ(o.Find("/opt")->meta.type, EntryType::kDirectory);
  EXPECT_EQ(o.Find("/opt")->layer, 1u);
  EXPECT_EQ(o.DeletedIn(0, "/opt"), 1u);
}

TEST(OverlayTest, DirectoryOverDirectoryKeepsContents) {
  Overlay o = Squash({
      LayerBuilder().D("/etc", 0755).F("/etc/hosts"),
      LayerBuilder().D("/etc", 0700).F("/etc/new"),
  });
  EXPECT_EQ(Paths(o), (std::vector<std::string>{"/etc", "/etc/hosts", "/etc/new"}));
  EXPECT_EQ(o.Find("/etc")->meta.mode, 0700u);
  EXPECT_EQ(o.Find("/etc/hosts")->layer, 0u);
  EXPECT_EQ(o.DeletedIn(0, "/etc"), std::nullopt);
  EXPECT_EQ(o.DeletedIn(0, "/etc/hosts"), std::nullopt);
}

TEST(OverlayTest, LaterDuplicateInALayerWins) {
  Overlay o = Squash({LayerBuilder().F("/f", 1).F("/f", 2)});
  EXPECT_EQ(o.Find("/f")->meta.size, 2u);
  EXPECT_EQ(o.DeletedIn(0, "/f"), std::nullopt);
}

TEST(OverlayTest, DeletedAgainAfterReAdding) {
  Overlay o = Squash({
      LayerBuilder().F("/f"),
      LayerBuilder().W("/f"),
      LayerBuilder().F("/f"),
      LayerBuilder().W("/f"),
  });
  EXPECT_EQ(o.Find("/f"), nullptr);
  EXPECT_EQ(o.DeletedIn(0, "/f"), 1u);
  EXPECT_EQ(o.DeletedIn(2, "/f"), 3u);
}

// ---- Resolve ----

Overlay LinkImage() {
  return Squash({
      LayerBuilder()
          .D("/bin")
          .F("/bin/busybox")
          .L("/bin/sh", "/bin/busybox")
          .D("/usr")
          .D("/usr/lib")
          .F("/usr/lib/os-release")
          .D("/etc")
          .L("/etc/os-release", "../usr/lib/os-release")
          .L("/lib", "usr/lib")
          .L("/abs-lib", "/usr/lib")
          .L("/x", "../../../../outside")
          .L("/etc/passwd-link", "/../../etc/passwd")
          .H("/usr/lib/os-release.hard", "/usr/lib/os-release")
          .L("/dangling", "/nowhere")
          .L("/loop1", "loop2")
          .L("/loop2", "loop1")
          .L("/self", "self")
          .L("/a", "b/c")
          .L("/b", "a")
          .L("/dot", ".")
          .L("/usr/lib/up", "../../etc"),
  });
}

TEST(OverlayResolveTest, Links) {
  Overlay o = LinkImage();
  EXPECT_EQ(ResolveOrError(o, "/bin/sh"), "/bin/busybox");                 // absolute
  EXPECT_EQ(ResolveOrError(o, "/etc/os-release"), "/usr/lib/os-release");  // relative
  EXPECT_EQ(ResolveOrError(o, "/usr/lib/os-release.hard"), "/usr/lib/os-release");
  EXPECT_EQ(ResolveOrError(o, "/bin/busybox"), "/bin/busybox");  // not a link
  EXPECT_EQ(ResolveOrError(o, "/usr/lib"), "/usr/lib");          // a directory
  EXPECT_EQ(ResolveOrError(o, "/"), "/");
  EXPECT_EQ(ResolveOrError(o, "bin//./sh"), "/bin/busybox");  // any path form
}

TEST(OverlayResolveTest, LinksInParentDirectories) {
  Overlay o = LinkImage();
  EXPECT_EQ(ResolveOrError(o, "/lib/os-release"), "/usr/lib/os-release");
  EXPECT_EQ(ResolveOrError(o, "/abs-lib/os-release"), "/usr/lib/os-release");
  EXPECT_EQ(ResolveOrError(o, "/dot/bin/sh"), "/bin/busybox");
  EXPECT_EQ(ResolveOrError(o, "/lib/up/os-release"), "/usr/lib/os-release");
  EXPECT_EQ(ResolveOrError(o, "/abs-lib/up/passwd-link"), "<not found>");
}

TEST(OverlayResolveTest, DotDotStopsAtTheRoot) {
  Overlay o = LinkImage();
  EXPECT_EQ(ResolveOrError(o, "/x"), "<not found>");  // /outside does not exist
  EXPECT_EQ(ResolveOrError(o, "/etc/passwd-link"), "<not found>");

  Overlay with = Squash({LayerBuilder(), LayerBuilder()
                                             .L("/x", "../../../../outside")
                                             .F("/outside")
                                             .D("/etc")
                                             .F("/etc/passwd")
                                             .L("/etc/passwd-link", "/../../etc/passwd")});
  EXPECT_EQ(ResolveOrError(with, "/x"), "/outside");
  EXPECT_EQ(ResolveOrError(with, "/etc/passwd-link"), "/etc/passwd");
  EXPECT_EQ(ResolveOrError(with, "/../../../x"), "/outside");
}

TEST(OverlayResolveTest, MissingAndDangling) {
  Overlay o = LinkImage();
  EXPECT_EQ(ResolveOrError(o, "/dangling"), "<not found>");
  EXPECT_EQ(ResolveOrError(o, "/no/such/file"), "<not found>");
  EXPECT_EQ(ResolveOrError(o, "/lib/missing"), "<not found>");
  Result<std::string> r = o.Resolve("/dangling");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("/dangling"), std::string::npos);
}

TEST(OverlayResolveTest, LoopsAreCorruption) {
  Overlay o = LinkImage();
  for (const char* p : {"/loop1", "/loop2", "/self", "/a", "/a/x", "/b/c/d", "/loop1/x"}) {
    SCOPED_TRACE(p);
    Result<std::string> r = o.Resolve(p);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), StatusCode::kCorruption) << r.error().ToString();
    EXPECT_NE(r.error().message().find(p), std::string::npos);
  }
}

TEST(OverlayResolveTest, HopLimit) {
  LayerBuilder layer;
  layer.F("/target");
  std::string prev = "/target";
  for (int i = 0; i < kMaxLinkHops; ++i) {
    std::string name = "/l" + std::to_string(i);
    layer.L(name, prev);
    prev = name;
  }
  layer.L("/one-too-many", prev);
  Overlay o = Squash({layer});
  EXPECT_EQ(ResolveOrError(o, "/l" + std::to_string(kMaxLinkHops - 1)), "/target");
  EXPECT_EQ(ResolveOrError(o, "/one-too-many"), "<corruption>");
}

TEST(OverlayResolveTest, FollowsTheFinalImage) {
  Overlay o = Squash({
      LayerBuilder()
          .F("/real")
          .L("/link", "real")
          .L("/lib", "usr/lib")
          .D("/usr")
          .D("/usr/lib")
          .F("/usr/lib/x"),
      LayerBuilder().W("/real").D("/lib").F("/lib/y"),
  });
  EXPECT_EQ(ResolveOrError(o, "/link"), "<not found>");  // its target was deleted
  EXPECT_EQ(ResolveOrError(o, "/lib/y"), "/lib/y");      // /lib is a directory now
  EXPECT_EQ(ResolveOrError(o, "/lib/x"), "<not found>");
}

// ---- from tar layers, through WalkLayer ----

using ::bulkhead::testing::MakeTar;
using ::bulkhead::testing::TarSpec;

class RecordingVisitor final : public EntryVisitor {
 public:
  Status OnEntry(const std::string& path, const FileMeta&, ContentReader&) override {
    paths.push_back(path);
    return Status::OK();
  }
  std::vector<std::string> paths;
};

LayerFiles Walk(const std::vector<TarSpec>& specs, std::vector<std::string>* visited = nullptr) {
  LayerFiles out;
  RecordingVisitor visitor;
  Status s =
      WalkLayer(archive::OpenMemory(MakeTar(specs), "layer"), archive::TarLimits(), visitor, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (visited) *visited = visitor.paths;
  return out;
}

TEST(OverlayFromTarTest, WhiteoutsAndOpaqueDirectories) {
  LayerFiles base =
      Walk({{"./", "", TarSpec::kDir},
            {"usr/bin/new-tool", "x"},
            {"usr/bin/keep", "k"},
            {"var/cache/misc/stale.cache", "s"},
            {"usr/share/doc/README", "r"},
            {"usr/share/doc/README.hardlink", "./usr/share/doc/README", TarSpec::kHardlink}});
  std::vector<std::string> visited;
  LayerFiles top = Walk({{"usr/bin/.wh.new-tool", ""},
                         {"var/cache/.wh..wh..opq", ""},
                         {"var/cache/fresh.txt", "f"},
                         {"etc/.wh..wh.aufs", ""}},
                        &visited);
  EXPECT_EQ(top.whiteouts, std::vector<std::string>{"/usr/bin/new-tool"});
  EXPECT_EQ(top.opaque_dirs, std::vector<std::string>{"/var/cache"});
  // Whiteout markers are not entries and are not visited.
  for (const std::string& p : visited) {
    EXPECT_EQ(p.find("/.wh."), std::string::npos) << p;
  }
  EXPECT_EQ(base.entries.back().meta.link_target, "/usr/share/doc/README");
  for (const LayerFiles::Entry& e : base.entries) EXPECT_NE(e.path, "/");

  const LayerFiles* layers[] = {&base, &top};
  Overlay o = Overlay::Build(layers);
  EXPECT_EQ(o.Find("/usr/bin/new-tool"), nullptr);
  EXPECT_NE(o.Find("/usr/bin/keep"), nullptr);
  EXPECT_EQ(o.Find("/var/cache/misc/stale.cache"), nullptr);
  EXPECT_NE(o.Find("/var/cache/fresh.txt"), nullptr);
  EXPECT_EQ(ResolveOrError(o, "/usr/share/doc/README.hardlink"), "/usr/share/doc/README");
}

TEST(OverlayFromTarTest, WhiteoutsThatNameNoFileAreIgnored) {
  LayerFiles base = Walk({{"etc/passwd", "root"}, {"a/b/c", "c"}, {"top", "t"}});
  LayerFiles hostile =
      Walk({{".wh...", ""}, {"a/b/.wh..", ""}, {"a/b/.wh.", ""}, {"etc/.wh...", ""}});
  EXPECT_TRUE(hostile.whiteouts.empty());
  EXPECT_EQ(hostile.diagnostics.size(), 4u);
  const LayerFiles* layers[] = {&base, &hostile};
  Overlay o = Overlay::Build(layers);
  EXPECT_NE(o.Find("/etc/passwd"), nullptr);
  EXPECT_NE(o.Find("/a/b/c"), nullptr);
  EXPECT_NE(o.Find("/top"), nullptr);
}

TEST(OverlayFromTarTest, EscapingEntriesAreClampedWithADiagnostic) {
  LayerFiles layer = Walk({{"../../etc/evil", "e"}, {"/abs/file", "a"}, {"ok", "o"}});
  ASSERT_EQ(layer.entries.size(), 3u);
  EXPECT_EQ(layer.entries[0].path, "/etc/evil");
  EXPECT_EQ(layer.entries[1].path, "/abs/file");
  EXPECT_EQ(layer.diagnostics.size(), 1u);
}

}  // namespace
}  // namespace bulkhead::image
