#include "sinks/cloud/azure_sink.h"

#include <cstdio>
#include <ctime>
#include <random>

#include "core/error.h"
#include "sinks/cloud/cloud_crypto.h"
#include "sinks/cloud/cloud_error.h"

namespace sluice {

namespace {

constexpr const char* kProvider = "Azure Blob Storage";
constexpr const char* kServiceVersion = "2021-08-06";

PartLimits AzureLimits() {
  PartLimits limits;
  limits.max_part_bytes = 4000 * kMiB;
  limits.max_parts = 50000;
  limits.parts_per_step = 5000;
  return limits;
}

std::string HttpDate() {
  std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[utc.tm_wday],
                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

// The path part of an endpoint such as http://127.0.0.1:10000/devstoreaccount1.
std::string EndpointPath(const std::string& endpoint) {
  size_t scheme = endpoint.find("://");
  size_t slash = endpoint.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "" : endpoint.substr(slash);
}

// The text of the first <name> element in `xml`, or "" without one.
std::string XmlText(const std::string& xml, const std::string& name) {
  size_t begin = xml.find("<" + name + ">");
  if (begin == std::string::npos) return "";
  begin += name.size() + 2;
  size_t end = xml.find("</" + name + ">", begin);
  return end == std::string::npos ? "" : xml.substr(begin, end - begin);
}

}  // namespace

AzureSink::AzureSink(const CloudDestination& destination, const CloudOptions& options,
                     uint64_t max_object_bytes)
    : MultipartSink(kProvider, destination.url, options, max_object_bytes, AzureLimits()),
      destination_(destination),
      credentials_(LoadAzureCredentials(destination.account)) {
  set_key(destination_.key);
}

AzureSink::~AzureSink() { abort(); }

void AzureSink::set_key(const std::string& key) {
  destination_.key = key;
  std::string relative = "/" + UriEncode(destination_.bucket, false) + "/" + UriEncode(destination_.key, true);
  blob_path_ = EndpointPath(credentials_.blob_endpoint) + relative;
  blob_url_ = credentials_.blob_endpoint + relative;
}

std::string AzureSink::BlockId(const std::string& prefix, uint64_t number) {
  char text[24];
  std::snprintf(text, sizeof text, "%s%010llu", prefix.empty() ? "block-" : prefix.c_str(),
                static_cast<unsigned long long>(number));
  return Base64Encode(text);
}

void AzureSink::start_upload() {
  std::random_device random;
  std::uniform_int_distribution<int> digit(0, 35);
  block_prefix_.clear();
  for (int i = 0; i < 6; ++i) block_prefix_.push_back("0123456789abcdefghijklmnopqrstuvwxyz"[digit(random)]);
}

void AzureSink::describe_upload(CloudUploadState& state) const {
  state.provider = "azure";
  state.block_prefix = block_prefix_;
}

uint64_t AzureSink::restore_upload(const CloudUploadState& state, uint64_t recorded_bytes) {
  block_prefix_ = state.block_prefix;
  return recorded_bytes;
}

bool AzureSink::upload_completed(const CloudUploadState& state) {
  Pairs query = {{"comp", "blocklist"}, {"blocklisttype", "committed"}};
  try {
    HttpResponse response = SendWithRetry(client(), [&] { return make_request("GET", query, "", {}); },
                                          retry_policy(), nullptr);
    return response.status == 200 && CommittedBlocksMatch(response.body, state.parts);
  } catch (const HttpTransportError&) {
    return false;
  }
}

bool AzureSink::CommittedBlocksMatch(const std::string& block_list_xml, const std::vector<UploadedPart>& parts) {
  // <BlockList><CommittedBlocks><Block><Name>ID</Name><Size>N</Size></Block>...
  std::vector<std::pair<std::string, std::string>> committed;
  const std::string& xml = block_list_xml;
  for (size_t begin = xml.find("<Block>"); begin != std::string::npos; begin = xml.find("<Block>", begin + 1)) {
    size_t end = xml.find("</Block>", begin);
    if (end == std::string::npos) return false;
    std::string block = xml.substr(begin, end - begin);
    committed.emplace_back(XmlText(block, "Name"), XmlText(block, "Size"));
  }
  if (committed.size() != parts.size()) return false;
  for (size_t i = 0; i < committed.size(); ++i) {
    if (committed[i].first != parts[i].tag || committed[i].second != std::to_string(parts[i].size)) return false;
  }
  return true;
}

HttpRequest AzureSink::make_request(const std::string& method, const Pairs& query,
                                    std::string_view body, const Pairs& headers) const {
  AzureSignedRequest signed_request;
  signed_request.method = method;
  signed_request.path = blob_path_;
  signed_request.query = query;
  signed_request.headers = headers;
  signed_request.headers.emplace_back("x-ms-date", HttpDate());
  signed_request.headers.emplace_back("x-ms-version", kServiceVersion);
  signed_request.headers.emplace_back("Content-Length", std::to_string(body.size()));

  HttpRequest request;
  request.method = method;
  request.body = body;
  request.url = blob_url_;
  std::string separator = "?";
  for (const auto& [name, value] : query) {
    request.url += separator + name + "=" + UriEncode(value, false);
    separator = "&";
  }
  if (!credentials_.sas_token.empty() && credentials_.account_key.empty()) {
    request.url += separator + credentials_.sas_token;
  }
  for (const auto& [name, value] : signed_request.headers) request.headers.push_back(name + ": " + value);
  if (!credentials_.account_key.empty()) {
    request.headers.push_back("Authorization: " +
                              AzureSharedKeyAuthorization(signed_request, credentials_.account,
                                                          credentials_.account_key));
  }
  return request;
}

void AzureSink::send(HttpClient& http, const std::string& operation, long expected_status,
                     const std::function<HttpRequest()>& make, const std::atomic<bool>* cancel) const {
  try {
    HttpResponse response = SendWithRetry(http, make, retry_policy(), cancel);
    if (response.status != expected_status) {
      throw IOError(DescribeHttpFailure(kProvider, operation, object(), response));
    }
  } catch (const HttpTransportError& error) {
    throw IOError(DescribeTransportFailure(kProvider, operation, object(), error,
                                           retry_policy().max_attempts));
  }
}

std::string AzureSink::upload_part(HttpClient& http, const UploadPart& part) {
  std::string block_id = BlockId(block_prefix_, part.number);
  std::string md5 = Md5Base64(part.data);
  Pairs query = {{"comp", "block"}, {"blockid", block_id}};
  Pairs headers = {{"Content-MD5", md5}, {"Content-Type", "application/octet-stream"}};
  send(http, "Put Block " + std::to_string(part.number), 201,
       [&] { return make_request("PUT", query, part.data, headers); }, cancel_flag());
  return block_id;
}

void AzureSink::complete_upload(const std::vector<std::string>& block_ids) {
  std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  for (const std::string& id : block_ids) body += "<Latest>" + id + "</Latest>";
  body += "</BlockList>";
  Pairs query = {{"comp", "blocklist"}};
  Pairs headers = {{"Content-Type", "application/xml"},
                   {"x-ms-blob-content-type", "application/octet-stream"}};
  send(client(), "Put Block List", 201, [&] { return make_request("PUT", query, body, headers); },
       nullptr);
}

void AzureSink::put_object(const std::string& data) {
  Pairs headers = {{"Content-MD5", Md5Base64(data)},
                   {"Content-Type", "application/octet-stream"},
                   {"x-ms-blob-type", "BlockBlob"}};
  send(client(), "Put Blob", 201, [&] { return make_request("PUT", {}, data, headers); }, nullptr);
}

}  // namespace sluice
