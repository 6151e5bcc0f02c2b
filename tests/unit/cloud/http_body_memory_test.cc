// HttpClient reserves a response body from the memory budget before it
// buffers it. A one-response server on 127.0.0.1 sends the bodies.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "core/error.h"
#include "sinks/cloud/http_client.h"
#include "sluice/options.h"

namespace sluice {
namespace {

// Serves one connection a 200 response whose body is `body`.
class OneResponseServer {
 public:
  explicit OneResponseServer(std::string body) : body_(std::move(body)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~OneResponseServer() {
    thread_.join();
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/object"; }

 private:
  void serve() {
    int connection = ::accept(listener_, nullptr, nullptr);
    if (connection < 0) return;
    std::string request;
    char chunk[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t count = ::recv(connection, chunk, sizeof chunk, 0);
      if (count <= 0) break;
      request.append(chunk, static_cast<size_t>(count));
    }
    std::string response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body_.size()) +
                           "\r\nConnection: close\r\n\r\n" + body_;
    size_t sent = 0;
    while (sent < response.size()) {
      ssize_t count = ::send(connection, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (count <= 0) break;  // the client stopped reading
      sent += static_cast<size_t>(count);
    }
    ::close(connection);
  }

  std::string body_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  return request;
}

TEST(HttpBodyMemory, BodyReservedInStepsAndReleased) {
  MemoryGovernor governor(8 * kMiB, std::chrono::milliseconds(10));
  OneResponseServer server(std::string(200 * 1000, 'b'));
  HttpClient client(10);
  client.set_memory_governor(&governor);

  HttpResponse response = client.send(Get(server.url()));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body.size(), 200u * 1000);
  EXPECT_EQ(governor.peak_reserved(), 4 * 64 * kKiB);  // 200,000 bytes in 64 KiB steps
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST(HttpBodyMemory, BodyReservationCappedAtKeptBytes) {
  MemoryGovernor governor(8 * kMiB, std::chrono::milliseconds(10));
  OneResponseServer server(std::string(3 * kMiB, 'b'));
  HttpClient client(10);
  client.set_memory_governor(&governor);

  HttpResponse response = client.send(Get(server.url()));
  EXPECT_EQ(response.body.size(), 1 * kMiB);
  EXPECT_EQ(governor.peak_reserved(), 1 * kMiB);
}

TEST(HttpBodyMemory, BreakerStopsTransfer) {
  MemoryGovernor governor(1 * kMiB, std::chrono::milliseconds(20));
  MemoryReservation other = governor.reserve(1 * kMiB - 16 * kKiB, "upload part");
  OneResponseServer server(std::string(100 * 1000, 'b'));
  HttpClient client(10);
  client.set_memory_governor(&governor);

  try {
    client.send(Get(server.url()));
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("HTTP response body needs 64KB more"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(governor.reserved(), 1 * kMiB - 16 * kKiB);
}

TEST(HttpBodyMemory, WithoutGovernorKeepsFirstMebibyte) {
  OneResponseServer server(std::string(2 * kMiB, 'b'));
  HttpClient client(10);
  HttpResponse response = client.send(Get(server.url()));
  EXPECT_EQ(response.body.size(), 1 * kMiB);
}

}  // namespace
}  // namespace sluice
