// Names and manifest of a split export to object storage: part URLs derive
// from the destination URL as local part paths derive from the file path,
// and the manifest lists each part by the last segment of its URL.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "pipeline/manifest.h"

namespace sluice {
namespace {

TEST(CloudPartNames, NumberBeforeExtension) {
  EXPECT_EQ(PartPath("s3://bucket/dir/out.csv", 1), "s3://bucket/dir/out.part-00001.csv");
  EXPECT_EQ(PartPath("gs://bucket/out.parquet", 12), "gs://bucket/out.part-00012.parquet");
  EXPECT_EQ(PartPath("azure://account/container/a/b/out.ndjson", 3),
            "azure://account/container/a/b/out.part-00003.ndjson");
}

TEST(CloudPartNames, NumberBeforeCompressionExtension) {
  EXPECT_EQ(PartPath("s3://bucket/out.csv.gz", 2), "s3://bucket/out.part-00002.csv.gz");
  EXPECT_EQ(PartPath("gs://bucket/out.json.zst", 2), "gs://bucket/out.part-00002.json.zst");
}

TEST(CloudPartNames, KeyWithoutExtension) {
  EXPECT_EQ(PartPath("s3://bucket/out", 1), "s3://bucket/out.part-00001");
  // The dot in the bucket name is not an extension of the key.
  EXPECT_EQ(PartPath("s3://my.bucket/out", 1), "s3://my.bucket/out.part-00001");
  EXPECT_EQ(PartPath("s3://bucket/dir.v2/out", 4), "s3://bucket/dir.v2/out.part-00004");
}

TEST(CloudPartNames, AzureHttpsUrl) {
  EXPECT_EQ(PartPath("https://account.blob.core.windows.net/container/out.csv", 1),
            "https://account.blob.core.windows.net/container/out.part-00001.csv");
}

TEST(CloudPartNames, ManifestBesideDestination) {
  EXPECT_EQ(ManifestPath("s3://bucket/dir/out.csv"), "s3://bucket/dir/out.csv.manifest.json");
}

TEST(CloudManifest, ListsPartsByLastSegment) {
  std::vector<OutputFile> parts = {
      OutputFile{"s3://bucket/dir/out.part-00001.csv", 10, 100, "aa"},
      OutputFile{"s3://bucket/dir/out.part-00002.csv", 5, 60, "bb"},
  };
  nlohmann::json manifest = nlohmann::json::parse(ManifestJson("job-1", "csv", parts));
  EXPECT_EQ(manifest["exportId"], "job-1");
  EXPECT_EQ(manifest["format"], "csv");
  EXPECT_EQ(manifest["totalRows"], 15);
  EXPECT_EQ(manifest["totalBytes"], 160);
  ASSERT_EQ(manifest["parts"].size(), 2u);
  EXPECT_EQ(manifest["parts"][0]["path"], "out.part-00001.csv");
  EXPECT_EQ(manifest["parts"][1]["path"], "out.part-00002.csv");
  EXPECT_EQ(manifest["parts"][1]["rows"], 5);
  EXPECT_EQ(manifest["parts"][1]["bytes"], 60);
  EXPECT_EQ(manifest["parts"][1]["sha256"], "bb");
}

TEST(CloudManifest, SameTextAsLocalManifest) {
  std::vector<OutputFile> cloud = {OutputFile{"gs://bucket/out.part-00001.csv", 3, 30, "cc"},
                                   OutputFile{"gs://bucket/out.part-00002.csv", 1, 12, "dd"}};
  std::vector<OutputFile> local = {OutputFile{"/tmp/x/out.part-00001.csv", 3, 30, "cc"},
                                   OutputFile{"/tmp/x/out.part-00002.csv", 1, 12, "dd"}};
  EXPECT_EQ(ManifestJson("id", "csv", cloud), ManifestJson("id", "csv", local));
}

}  // namespace
}  // namespace sluice
