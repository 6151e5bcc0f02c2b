// Flags of `sluice export` for uploads to S3, Azure Blob Storage and GCS.
// Credentials have no flags on purpose: they come from the environment and
// credential files, so they never show in a process list or shell history.
#include "cli/flag_values.h"
#include "cli/option_groups.h"
#include "sinks/cloud/cloud_destination.h"
#include "sluice/error.h"

namespace sluice::cli {

void AddCloudFlags(CLI::App& command, ExportOptions& options) {
  const std::string group = "Cloud upload (s3://, azure://, gs://)";
  CloudOptions& cloud = options.cloud;

  // Checks a cloud --to while parsing, before the export's start is logged
  // with the destination: a SAS token in its query string must not reach a log.
  if (CLI::Option* to = command.get_option_no_throw("--to")) {
    to->check(CLI::Validator(
        [](std::string& destination) -> std::string {
          if (!IsCloudDestination(destination)) return "";
          try {
            ParseCloudDestination(destination);
          } catch (const Error& error) {
            return error.what();
          }
          return "";
        },
        "", "cloud destination"));
  }
  command.add_option("--s3-endpoint", cloud.endpoint,
                     "S3-compatible endpoint URL, such as http://127.0.0.1:9000 "
                     "(default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS)")
      ->group(group);
  command.add_option("--s3-region", cloud.region,
                     "S3 region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, "
                     "else us-east-1)")
      ->group(group);
  command.add_flag("--s3-path-style", cloud.path_style,
                   "Address S3 objects as ENDPOINT/BUCKET/KEY instead of BUCKET.ENDPOINT/KEY "
                   "(automatic for IP-address and localhost endpoints)")
      ->group(group);
  command.add_option("--aws-profile", cloud.profile,
                     "Profile in the AWS shared credentials file (default: AWS_PROFILE, else the "
                     "environment's keys, else \"default\")")
      ->group(group);
  command.add_option_function<std::string>(
             "--cloud-part-size",
             [&cloud](const std::string& text) {
               cloud.part_bytes = ParseSizeFlag("--cloud-part-size", text);
             },
             "Size of the first upload part, block or chunk (default 8MB; S3 needs at least "
             "5MB, GCS a multiple of 256KB); very large uploads double it as they go")
      ->group(group);
  command.add_option("--cloud-concurrency", cloud.max_concurrency,
                     "Parts uploading at once (default 4); memory is about part size x (this + 1)")
      ->group(group);
  command.add_option("--cloud-retries", cloud.max_attempts,
                     "Attempts per upload request, the first included (default 5)")
      ->group(group);
  command.add_option("--cloud-stall-timeout", cloud.stall_timeout_seconds,
                     "Seconds without progress after which an upload request is retried (default 60)")
      ->group(group);
}

}  // namespace sluice::cli
