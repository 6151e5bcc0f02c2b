#include "sinks/fd_write_buffer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace sluice {
namespace {

class FdWriteBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "fd_write_buffer_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + "_" +
            std::to_string(::getpid());
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd_, 0);
  }
  void TearDown() override {
    if (fd_ >= 0) ::close(fd_);
    std::remove(path_.c_str());
  }
  std::string contents() const {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::string path_;
  int fd_ = -1;
};

TEST_F(FdWriteBufferTest, KeepsOrderAcrossManyBuffers) {
  std::string expected;
  {
    FdWriteBuffer buffer;
    // Writes of mixed sizes, some larger than one buffer, so full buffers
    // go to the background writer while later bytes are still arriving.
    for (int i = 0; i < 400; ++i) {
      std::string piece(static_cast<size_t>((i * 7919) % 40000 + (i % 50 == 0 ? 3 << 20 : 1)),
                        static_cast<char>('a' + i % 26));
      expected += piece;
      ASSERT_EQ(buffer.append(fd_, piece), 0);
    }
    ASSERT_EQ(buffer.flush(fd_), 0);
  }
  EXPECT_EQ(contents(), expected);
}

TEST_F(FdWriteBufferTest, SynchronousWritesOnCallerThread) {
  std::string expected;
  FdWriteBuffer buffer;
  buffer.set_synchronous(true);
  // Segment-sized pieces (64 KiB and a tag) and small ones.
  for (int i = 0; i < 40; ++i) {
    std::string piece(i % 3 == 0 ? 65552 : 100 + i, static_cast<char>('a' + i % 26));
    expected += piece;
    ASSERT_EQ(buffer.append(fd_, piece), 0);
  }
  // The last piece was segment-sized: it went out whole, with the small
  // pieces gathered before it.
  EXPECT_EQ(contents(), expected);
  // A small piece waits for more, or for flush().
  ASSERT_EQ(buffer.append(fd_, "tail"), 0);
  EXPECT_EQ(contents(), expected);
  ASSERT_EQ(buffer.flush(fd_), 0);
  EXPECT_EQ(contents(), expected + "tail");
}

TEST_F(FdWriteBufferTest, SynchronousFailureIsReturned) {
  int read_only = ::open(path_.c_str(), O_RDONLY);
  ASSERT_GE(read_only, 0);
  FdWriteBuffer buffer;
  buffer.set_synchronous(true);
  EXPECT_EQ(buffer.append(read_only, std::string(1 << 20, 'x')), EBADF);
  ::close(read_only);
}

TEST_F(FdWriteBufferTest, FlushWritesPartialBuffer) {
  FdWriteBuffer buffer;
  ASSERT_EQ(buffer.append(fd_, "header\n"), 0);
  EXPECT_EQ(contents(), "");
  ASSERT_EQ(buffer.flush(fd_), 0);
  EXPECT_EQ(contents(), "header\n");
}

TEST_F(FdWriteBufferTest, BackgroundFailureIsReported) {
  int read_only = ::open(path_.c_str(), O_RDONLY);
  ASSERT_GE(read_only, 0);
  FdWriteBuffer buffer;
  std::string big(3 << 20, 'x');
  int error = buffer.append(read_only, big);
  if (error == 0) error = buffer.flush(read_only);
  EXPECT_EQ(error, EBADF);
  // The buffer is usable again after reporting the failure.
  EXPECT_EQ(buffer.append(fd_, "ok"), 0);
  EXPECT_EQ(buffer.flush(fd_), 0);
  EXPECT_EQ(contents(), "ok");
  ::close(read_only);
}

TEST_F(FdWriteBufferTest, DiscardDropsBufferedBytes) {
  FdWriteBuffer buffer;
  ASSERT_EQ(buffer.append(fd_, std::string(1 << 20, 'a')), 0);
  ASSERT_EQ(buffer.append(fd_, "tail"), 0);
  buffer.discard();
  ASSERT_EQ(buffer.flush(fd_), 0);
  EXPECT_EQ(contents(), std::string(1 << 20, 'a'));
}

}  // namespace
}  // namespace sluice
