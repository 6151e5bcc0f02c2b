#include "sinks/special_file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "sluice/error.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class SpecialFileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-special-file-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// Reads everything from the FIFO at `path` until the writer closes it.
std::string ReadAll(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  std::string text;
  char buffer[4096];
  ssize_t count;
  while ((count = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(count));
  ::close(fd);
  return text;
}

TEST_F(SpecialFileSinkTest, IsSpecialFileByKind) {
  std::string fifo = Path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string regular = Path("file.csv");
  ::close(::open(regular.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  std::string link = Path("link");
  fs::create_symlink(fifo, link);

  EXPECT_TRUE(IsSpecialFile(fifo));
  EXPECT_TRUE(IsSpecialFile(link));
  EXPECT_FALSE(IsSpecialFile(regular));
  EXPECT_FALSE(IsSpecialFile(dir_.string()));
  EXPECT_FALSE(IsSpecialFile(Path("missing")));
  EXPECT_FALSE(IsSpecialFile(""));
}

TEST_F(SpecialFileSinkTest, WritesIntoFifo) {
  std::string fifo = Path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = ReadAll(fifo); });

  {
    SpecialFileSink sink(fifo);
    sink.write("a,b\n");
    sink.write("1,2\n");
    EXPECT_EQ(sink.bytes_written(), 8u);
    sink.commit();
  }
  reader.join();

  EXPECT_EQ(received, "a,b\n1,2\n");
  struct stat info;
  ASSERT_EQ(::lstat(fifo.c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(SpecialFileSinkTest, AbortDropsBufferedBytes) {
  std::string fifo = Path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received = "unset";
  std::thread reader([&] { received = ReadAll(fifo); });

  {
    SpecialFileSink sink(fifo);
    sink.write("buffered only");
    sink.abort();
  }
  reader.join();

  EXPECT_EQ(received, "");
}

TEST_F(SpecialFileSinkTest, WriteFailureNamesPath) {
  // A private copy of /dev/full (character device 1,7) fails every write
  // with ENOSPC. Creating a device node needs root.
  std::string full = Path("full");
  if (::mknod(full.c_str(), S_IFCHR | 0600, makedev(1, 7)) != 0) GTEST_SKIP() << "mknod needs root";

  SpecialFileSink sink(full);
  sink.write("data");
  try {
    sink.commit();
    FAIL() << "expected a write error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_NE(message.find("cannot write " + full), std::string::npos) << message;
    EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
  }
  struct stat info;
  ASSERT_EQ(::lstat(full.c_str(), &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode));
}

TEST_F(SpecialFileSinkTest, CancelStopsWaitForReader) {
  std::string fifo = Path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  CancellationToken token;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    token.cancel();
  });

  auto started = std::chrono::steady_clock::now();
  try {
    SpecialFileSink sink(fifo, &token);
    ADD_FAILURE() << "expected a cancellation";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kCancelled) << error.what();
    EXPECT_NE(std::string(error.what()).find(fifo), std::string::npos) << error.what();
  }
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST_F(SpecialFileSinkTest, WaitsForLateReader) {
  std::string fifo = Path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  CancellationToken token;
  std::string received;
  std::thread reader([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    received = ReadAll(fifo);
  });

  {
    SpecialFileSink sink(fifo, &token);
    // The descriptor is back in blocking mode: a write larger than the pipe
    // buffer (64 KiB on Linux) waits for the reader instead of failing with EAGAIN.
    sink.write(std::string(2 << 20, 'a'));
    sink.commit();
  }
  reader.join();
  EXPECT_EQ(received.size(), size_t{2} << 20);
}

TEST_F(SpecialFileSinkTest, MissingPathRejected) {
  EXPECT_THROW(SpecialFileSink(Path("missing")), Error);
  CancellationToken token;
  EXPECT_THROW(SpecialFileSink(Path("missing"), &token), Error);
}

}  // namespace
}  // namespace sluice
