// The content pool under load: many files from several layers at once, a tiny in-flight
// budget so that Submit() blocks, and results that land in the right layer.
#include "bulkhead/scan/internal/content_pool.h"

#include <gtest/gtest.h>

#include <thread>

#include "bulkhead/malware/engine.h"
#include "bulkhead/secret/builtin_rules.h"

namespace bulkhead::scan::internal {
namespace {

constexpr char kEicar[] = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

TEST(ContentPool, ScansEveryFileIntoItsLayer) {
  auto secrets = secret::Engine::Compile(secret::BuiltinRules(), nullptr);
  ASSERT_TRUE(secrets.ok()) << secrets.error().ToString();
  auto malware = malware::Engine::Load({});
  ASSERT_TRUE(malware.ok()) << malware.error().ToString();
  auto pool = ContentPool::Create(secrets->get(), secret::ScanOptions{}, malware->get(), 3,
                                  /*max_bytes_in_flight=*/1024);
  ASSERT_TRUE(pool.ok()) << pool.error().ToString();
  constexpr int kLayers = 4, kFiles = 150;
  std::vector<LayerContent> layers(kLayers);
  std::vector<std::thread> submitters;
  for (int l = 0; l < kLayers; ++l) {
    submitters.emplace_back([&, l] {
      for (int i = 0; i < kFiles; ++i) {
        ContentJob job;
        job.layer = &layers[l];
        job.path = "/layer" + std::to_string(l) + "/f" + std::to_string(i);
        if (i % 3 == 0) {
          job.data = kEicar;
          job.malware = true;
          job.malware_bytes = job.data.size();
        } else if (i % 3 == 1) {
          job.data = "aws_access_key_id = AKIAZ7Q3RT5XW2N4PL6M\n";
          job.secrets = true;
        } else {
          job.data = std::string(4000, 'x');  // bigger than the budget: goes alone
          job.secrets = true;
          job.malware = true;
          job.malware_bytes = job.data.size();
        }
        (*pool)->Submit(std::move(job));
      }
    });
  }
  for (std::thread& t : submitters) t.join();
  for (int l = 0; l < kLayers; ++l) {
    ASSERT_TRUE(layers[l].Wait().ok());
    EXPECT_EQ(layers[l].malware().size(), 50u) << "layer " << l;
    EXPECT_EQ(layers[l].secrets().size(), 50u) << "layer " << l;
    for (const auto& [path, m] : layers[l].malware()) {
      EXPECT_EQ(path.rfind("/layer" + std::to_string(l) + "/", 0), 0u) << path;
    }
  }
}

TEST(ContentPool, DestroyingThePoolFinishesQueuedWork) {
  auto malware = malware::Engine::Load({});
  ASSERT_TRUE(malware.ok());
  LayerContent layer;
  {
    auto pool = ContentPool::Create(nullptr, secret::ScanOptions{}, malware->get(), 1, 1 << 20);
    ASSERT_TRUE(pool.ok());
    for (int i = 0; i < 20; ++i) {
      ContentJob job;
      job.layer = &layer;
      job.path = "/f" + std::to_string(i);
      job.data = kEicar;
      job.malware = true;
      job.malware_bytes = job.data.size();
      (*pool)->Submit(std::move(job));
    }
  }
  ASSERT_TRUE(layer.Wait().ok());
  EXPECT_EQ(layer.malware().size(), 20u);
}

}  // namespace
}  // namespace bulkhead::scan::internal
