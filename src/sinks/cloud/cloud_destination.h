// CloudDestination: an object-storage URL given as an export's destination.
//
//   s3://BUCKET/KEY
//   azure://ACCOUNT/CONTAINER/BLOB
//   https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB
//   gs://BUCKET/OBJECT
#pragma once

#include <string>

namespace sluice {

enum class CloudProvider { kS3, kAzure, kGcs };

struct CloudDestination {
  CloudProvider provider = CloudProvider::kS3;
  std::string account;  // Azure storage account; empty otherwise
  std::string bucket;   // S3 or GCS bucket, Azure container
  std::string key;      // object key or blob name, not URL-encoded
  std::string url;      // the destination as given, for messages
};

// True for the URL forms above, judged by scheme (and host for https).
bool IsCloudDestination(const std::string& destination);

// Splits `destination` into its parts. Throws InvalidOption naming the URL
// when a part is missing or the URL carries a query string (a SAS token
// there would end up in logs; AZURE_STORAGE_SAS_TOKEN takes it instead).
CloudDestination ParseCloudDestination(const std::string& destination);

// "S3", "Azure Blob Storage" or "GCS", for messages.
const char* ProviderName(CloudProvider provider);

}  // namespace sluice
