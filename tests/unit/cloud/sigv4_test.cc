// Checks Sluice's SigV4 implementation against AWS's published worked
// examples, then checks libcurl's CURLOPT_AWS_SIGV4 signatures (which the
// S3 sink sends) by capturing requests on a local socket and recomputing
// their signatures independently.
#include "sinks/cloud/sigv4.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>
#include <thread>

#include "sinks/cloud/cloud_crypto.h"
#include "sinks/cloud/http_client.h"

namespace sluice {
namespace {

constexpr const char* kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// "Example: GET Object" from the Amazon S3 API reference (Signature Version 4,
// authorization header): the first 10 bytes of examplebucket/test.txt.
TEST(SigV4, S3GetObjectExample) {
  SigV4Request request;
  request.method = "GET";
  request.path = "/test.txt";
  request.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                     {"Range", "bytes=0-9"},
                     {"x-amz-content-sha256", kEmptyHash},
                     {"x-amz-date", "20130524T000000Z"}};
  request.payload_hash = kEmptyHash;

  std::string canonical = CanonicalRequest(request);
  EXPECT_EQ(canonical,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string string_to_sign = SigV4StringToSign("20130524T000000Z", "us-east-1", "s3", canonical);
  EXPECT_EQ(string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(SigV4Signature("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524T000000Z", "us-east-1",
                           "s3", string_to_sign),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(SigV4Authorization(request, "AKIAIOSFODNN7EXAMPLE",
                               "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524T000000Z",
                               "us-east-1", "s3"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// "get-vanilla-query-order-value" from AWS's Signature Version 4 test suite
// (2011 edition): repeated parameters sort by value.
TEST(SigV4, TestSuiteQueryOrderValue) {
  SigV4Request request;
  request.method = "GET";
  request.path = "/";
  request.query = "foo=aha&foo=Zoo";
  request.headers = {{"Date", "Mon, 09 Sep 2011 23:36:00 GMT"}, {"Host", "host.foo.com"}};
  request.payload_hash = kEmptyHash;

  std::string canonical = CanonicalRequest(request);
  EXPECT_EQ(canonical,
            "GET\n/\nfoo=Zoo&foo=aha\ndate:Mon, 09 Sep 2011 23:36:00 GMT\nhost:host.foo.com\n\n"
            "date;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string string_to_sign = SigV4StringToSign("20110909T233600Z", "us-east-1", "host", canonical);
  EXPECT_EQ(string_to_sign,
            "AWS4-HMAC-SHA256\n20110909T233600Z\n20110909/us-east-1/host/aws4_request\n"
            "e25f777ba161a0f1baf778a87faf057187cf5987f17953320e3ca399feb5f00d");
  EXPECT_EQ(SigV4Signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20110909T233600Z",
                           "us-east-1", "host", string_to_sign),
            "be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09");
}

TEST(SigV4, CanonicalQueryAddsEquals) {
  EXPECT_EQ(CanonicalQueryString("uploads"), "uploads=");
  EXPECT_EQ(CanonicalQueryString("uploadId=x&partNumber=2"), "partNumber=2&uploadId=x");
  EXPECT_EQ(CanonicalQueryString(""), "");
}

TEST(SigV4, HeaderValuesTrimmed) {
  SigV4Request request;
  request.method = "GET";
  request.path = "/";
  request.headers = {{"X-Amz-Meta-A", "  two   spaces  "}};
  request.payload_hash = "UNSIGNED-PAYLOAD";
  EXPECT_NE(CanonicalRequest(request).find("x-amz-meta-a:two spaces\n"), std::string::npos);
}

// A one-shot HTTP server on 127.0.0.1 that records the first request.
class CaptureServer {
 public:
  CaptureServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 1);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CaptureServer() {
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }
  std::string request() {
    thread_.join();
    return request_;
  }

 private:
  void serve() {
    int connection = ::accept(listener_, nullptr, nullptr);
    char buffer[4096];
    size_t expected = std::string::npos;
    while (expected == std::string::npos || request_.size() < expected) {
      ssize_t got = ::read(connection, buffer, sizeof buffer);
      if (got <= 0) break;
      request_.append(buffer, static_cast<size_t>(got));
      size_t end = request_.find("\r\n\r\n");
      if (end != std::string::npos && expected == std::string::npos) {
        size_t length_at = request_.find("Content-Length: ");
        size_t body = length_at == std::string::npos || length_at > end
                          ? 0
                          : std::stoul(request_.substr(length_at + 16));
        expected = end + 4 + body;
      }
    }
    std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    ::write(connection, reply.data(), reply.size());
    ::close(connection);
  }

  int listener_;
  int port_;
  std::thread thread_;
  std::string request_;
};

struct CapturedRequest {
  std::string method;
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

CapturedRequest Parse(const std::string& text) {
  CapturedRequest parsed;
  size_t line_end = text.find("\r\n");
  std::string line = text.substr(0, line_end);
  size_t space = line.find(' ');
  parsed.method = line.substr(0, space);
  std::string target = line.substr(space + 1, line.rfind(' ') - space - 1);
  size_t question = target.find('?');
  parsed.path = target.substr(0, question);
  if (question != std::string::npos) parsed.query = target.substr(question + 1);
  size_t header_end = text.find("\r\n\r\n");
  size_t begin = line_end + 2;
  while (begin < header_end) {
    size_t end = text.find("\r\n", begin);
    std::string header = text.substr(begin, end - begin);
    size_t colon = header.find(':');
    std::string name = header.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = header.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    parsed.headers[name] = value;
    begin = end + 2;
  }
  parsed.body = text.substr(header_end + 4);
  return parsed;
}

std::string Field(const std::string& authorization, const std::string& name) {
  size_t begin = authorization.find(name + "=");
  if (begin == std::string::npos) return "";
  begin += name.size() + 1;
  size_t end = authorization.find_first_of(", ", begin);
  return authorization.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// Sends `request` through HttpClient with libcurl's SigV4 and checks the
// captured Authorization header against Sluice's own signer.
void ExpectCurlSignatureVerifies(const std::string& method, const std::string& path_and_query,
                                 const std::string& body, const std::string& content_type) {
  CaptureServer server;
  HttpRequest request;
  request.method = method;
  request.url = "http://127.0.0.1:" + std::to_string(server.port()) + path_and_query;
  request.body = body;
  request.headers = {"x-amz-content-sha256: " + Sha256Hex(body),
                     "x-amz-security-token: session-token-example"};
  if (!content_type.empty()) request.headers.push_back("Content-Type: " + content_type);
  request.aws_sigv4 = "aws:amz:eu-west-1:s3";
  request.aws_user_password = "AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  HttpClient client(10);
  EXPECT_EQ(client.send(request).status, 200);

  CapturedRequest captured = Parse(server.request());
  ASSERT_EQ(captured.body, body);
  ASSERT_EQ(captured.headers["x-amz-content-sha256"], Sha256Hex(body));
  std::string authorization = captured.headers["authorization"];
  std::string amz_date = captured.headers["x-amz-date"];
  ASSERT_EQ(amz_date.size(), 16u);
  EXPECT_EQ(Field(authorization, "Credential"),
            "AKIDEXAMPLE/" + amz_date.substr(0, 8) + "/eu-west-1/s3/aws4_request");
  std::string signed_headers = Field(authorization, "SignedHeaders");
  for (const char* name : {"host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"}) {
    EXPECT_NE((";" + signed_headers + ";").find(std::string(";") + name + ";"), std::string::npos)
        << name << " is not signed: " << signed_headers;
  }

  SigV4Request recomputed;
  recomputed.method = captured.method;
  recomputed.path = captured.path;
  recomputed.query = captured.query;
  recomputed.payload_hash = Sha256Hex(body);
  size_t begin = 0;
  while (begin <= signed_headers.size()) {
    size_t end = signed_headers.find(';', begin);
    if (end == std::string::npos) end = signed_headers.size();
    std::string name = signed_headers.substr(begin, end - begin);
    recomputed.headers.emplace_back(name, captured.headers[name]);
    begin = end + 1;
  }
  std::string expected = SigV4Authorization(recomputed, "AKIDEXAMPLE",
                                             "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", amz_date,
                                             "eu-west-1", "s3");
  EXPECT_EQ(Field(authorization, "Signature"), Field(expected, "Signature"))
      << "libcurl sent: " << authorization;
}

TEST(SigV4, CurlUploadPartVerifies) {
  ExpectCurlSignatureVerifies("PUT", "/bucket/dir/file%20name.csv?partNumber=3&uploadId=abc%2Bdef",
                              "part bytes", "application/octet-stream");
}

TEST(SigV4, CurlCreateMultipartVerifies) {
  ExpectCurlSignatureVerifies("POST", "/bucket/key.csv?uploads=", "", "application/octet-stream");
}

TEST(SigV4, CurlDeleteVerifies) {
  ExpectCurlSignatureVerifies("DELETE", "/bucket/key.csv?uploadId=xyz", "", "");
}

}  // namespace
}  // namespace sluice
