#include "sinks/stdout_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "sluice/error.h"

namespace sluice {
namespace {

// A temporary file standing in for standard output.
class StdoutSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sluice-stdout-sink-XXXXXX";
    fd_ = ::mkstemp(pattern);
    ASSERT_GE(fd_, 0);
    path_ = pattern;
  }

  void TearDown() override {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  std::string Contents() const {
    std::string out;
    char buffer[65536];
    ssize_t length;
    off_t offset = 0;
    while ((length = ::pread(fd_, buffer, sizeof buffer, offset)) > 0) {
      out.append(buffer, static_cast<size_t>(length));
      offset += length;
    }
    return out;
  }

  int fd_ = -1;
  std::string path_;
};

TEST_F(StdoutSinkTest, BuffersUntilCommit) {
  StdoutSink sink(fd_);
  sink.write("hello ");
  sink.write("world\n");
  EXPECT_EQ(Contents(), "");
  EXPECT_EQ(sink.bytes_written(), 12u);
  sink.commit();
  EXPECT_EQ(Contents(), "hello world\n");
  EXPECT_THROW(sink.write("more"), Error);
}

TEST_F(StdoutSinkTest, LargeWritesKeepOrder) {
  StdoutSink sink(fd_);
  std::string expected = "head";
  sink.write("head");
  std::string big(3 << 20, 'z');
  sink.write(big);
  expected += big;
  sink.write("tail");
  sink.commit();
  EXPECT_TRUE(Contents() == expected + "tail");
}

TEST_F(StdoutSinkTest, AbortDropsBufferedBytes) {
  StdoutSink sink(fd_);
  sink.write("buffered");
  sink.abort();
  EXPECT_EQ(Contents(), "");
}

TEST_F(StdoutSinkTest, DestructorDropsBufferedBytes) {
  {
    StdoutSink sink(fd_);
    sink.write("buffered");
  }
  EXPECT_EQ(Contents(), "");
}

TEST(StdoutSinkErrors, DeviceFull) {
  int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "/dev/full is not available";
  StdoutSink sink(fd);
  sink.write("data");
  try {
    sink.commit();
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_STREQ(error.what(),
                 "cannot write to standard output: No space left on device; free space or "
                 "choose another destination");
  }
  ::close(fd);
}

}  // namespace
}  // namespace sluice
