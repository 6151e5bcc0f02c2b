#include "sinks/file_sink.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sluice/error.h"

namespace sluice {
namespace {

class FileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sluice-file-sink-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }

  void TearDown() override {
    for (const std::string& name : Entries()) ::unlink((dir_ + "/" + name).c_str());
    ::chmod(dir_.c_str(), 0700);
    ::rmdir(dir_.c_str());
  }

  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    DIR* directory = ::opendir(dir_.c_str());
    if (directory == nullptr) return names;
    while (dirent* entry = ::readdir(directory)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(directory);
    return names;
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream content;
    content << file.rdbuf();
    return content.str();
  }

  static bool Exists(const std::string& path) {
    struct stat info;
    return ::stat(path.c_str(), &info) == 0;
  }

  std::string dir_;
};

TEST_F(FileSinkTest, PublishesOnlyOnCommit) {
  std::string final_path = dir_ + "/out.csv";
  FileSink sink(final_path);
  sink.write("a,b\n");
  sink.write("1,2\n");

  EXPECT_FALSE(Exists(final_path));
  std::vector<std::string> entries = Entries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].rfind(".out.csv.sluice-tmp-", 0), 0u) << entries[0];
  EXPECT_EQ(sink.temp_path(), dir_ + "/" + entries[0]);

  sink.commit();
  EXPECT_EQ(ReadFile(final_path), "a,b\n1,2\n");
  EXPECT_EQ(Entries(), std::vector<std::string>{"out.csv"});
  EXPECT_EQ(sink.bytes_written(), 8u);
  EXPECT_EQ(sink.durable_bytes(), 8u);
}

TEST_F(FileSinkTest, TaggedTempFileIsReused) {
  std::string final_path = dir_ + "/out.csv";
  std::string temp_path = dir_ + "/.out.csv.sluice-tmp-0123abcd";
  std::ofstream(temp_path) << "left by a killed run";
  FileSink sink(final_path, "0123abcd");
  EXPECT_EQ(sink.temp_path(), temp_path);
  EXPECT_EQ(ReadFile(temp_path), "");  // truncated
  sink.write("a,b\n");
  sink.commit();
  EXPECT_EQ(ReadFile(final_path), "a,b\n");
  EXPECT_EQ(Entries(), std::vector<std::string>{"out.csv"});
}

TEST_F(FileSinkTest, TaggedTempFileRefusesSymlink) {
  std::string target = dir_ + "/target";
  std::ofstream(target) << "keep";
  ASSERT_EQ(::symlink(target.c_str(), (dir_ + "/.out.csv.sluice-tmp-0123abcd").c_str()), 0);
  EXPECT_THROW(FileSink(dir_ + "/out.csv", "0123abcd"), Error);
  EXPECT_EQ(ReadFile(target), "keep");
}

TEST_F(FileSinkTest, AbortLeavesNothing) {
  std::string final_path = dir_ + "/out.csv";
  FileSink sink(final_path);
  sink.write(std::string(3 << 20, 'x'));
  sink.abort();
  EXPECT_TRUE(Entries().empty());
  EXPECT_THROW(sink.write("more"), Error);
}

TEST_F(FileSinkTest, DestructorWithoutCommitLeavesNothing) {
  {
    FileSink sink(dir_ + "/out.csv");
    sink.write("partial");
  }
  EXPECT_TRUE(Entries().empty());
}

TEST_F(FileSinkTest, CommitReplacesExistingFile) {
  std::string final_path = dir_ + "/out.csv";
  std::ofstream(final_path) << "old content";
  FileSink sink(final_path);
  sink.write("new content");
  EXPECT_EQ(ReadFile(final_path), "old content");
  sink.commit();
  EXPECT_EQ(ReadFile(final_path), "new content");
}

TEST_F(FileSinkTest, AbortKeepsExistingFile) {
  std::string final_path = dir_ + "/out.csv";
  std::ofstream(final_path) << "old content";
  FileSink sink(final_path);
  sink.write("new content");
  sink.abort();
  EXPECT_EQ(ReadFile(final_path), "old content");
  EXPECT_EQ(Entries(), std::vector<std::string>{"out.csv"});
}

TEST_F(FileSinkTest, MixedWriteSizes) {
  std::string final_path = dir_ + "/out.bin";
  std::string expected;
  FileSink sink(final_path);
  for (size_t size : {10u, 1u << 20, 5u, (3u << 20) + 7, 1000u, (1u << 20) - 1, 2u}) {
    std::string piece(size, static_cast<char>('a' + expected.size() % 26));
    expected += piece;
    sink.write(piece);
  }
  EXPECT_EQ(sink.sync(), expected.size());
  sink.commit();
  EXPECT_EQ(ReadFile(final_path), expected);
}

TEST_F(FileSinkTest, RelativePathUsesCurrentDirectory) {
  char previous[4096];
  ASSERT_NE(::getcwd(previous, sizeof previous), nullptr);
  ASSERT_EQ(::chdir(dir_.c_str()), 0);
  {
    FileSink sink("relative.txt");
    sink.write("x");
    sink.commit();
  }
  ASSERT_EQ(::chdir(previous), 0);
  EXPECT_EQ(ReadFile(dir_ + "/relative.txt"), "x");
}

TEST_F(FileSinkTest, MissingDirectoryMessage) {
  std::string final_path = dir_ + "/missing/out.csv";
  try {
    FileSink sink(final_path);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_EQ(std::string(error.what()), "cannot write " + final_path + ": directory " + dir_ +
                                             "/missing does not exist; create it or choose "
                                             "another destination");
  }
}

TEST_F(FileSinkTest, DirectoryAsDestination) {
  try {
    FileSink sink(dir_);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_EQ(std::string(error.what()),
              "cannot write " + dir_ + ": it is a directory; give a file name as the destination");
  }
}

TEST_F(FileSinkTest, UnwritableDirectoryMessage) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write to any directory";
  ASSERT_EQ(::chmod(dir_.c_str(), 0500), 0);
  std::string final_path = dir_ + "/out.csv";
  try {
    FileSink sink(final_path);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_EQ(std::string(error.what()),
              "cannot write " + final_path +
                  ": Permission denied; check the directory's permissions or choose another "
                  "destination");
  }
}

TEST_F(FileSinkTest, NotADirectoryMessage) {
  std::string file_path = dir_ + "/plain";
  std::ofstream(file_path) << "x";
  std::string final_path = file_path + "/out.csv";
  try {
    FileSink sink(final_path);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()),
              "cannot write " + final_path +
                  ": Not a directory; create the directory or choose another destination");
  }
}

TEST_F(FileSinkTest, WriteErrorNamesErrorPath) {
  // A file size limit makes the flush fail with EFBIG, as a full disk fails
  // with ENOSPC. SIGXFSZ is ignored so the write returns the error.
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto previous = std::signal(SIGXFSZ, SIG_IGN);

  std::string message;
  {
    FileSink sink(dir_ + "/out.part-00001.csv");
    sink.set_error_path(dir_ + "/out.csv");
    sink.write(std::string(8192, 'x'));
    try {
      sink.commit();
    } catch (const Error& error) {
      message = error.what();
    }
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous);

  EXPECT_EQ(message, "cannot write " + dir_ + "/out.csv: File too large; free space or choose another destination");
  EXPECT_TRUE(Entries().empty());
}

TEST(FileSinkMessages, NoSpace) {
  EXPECT_EQ(WriteErrorMessage("/x/y.csv", ENOSPC),
            "cannot write /x/y.csv: No space left on device; free space or choose another "
            "destination");
}

TEST(FileSinkMessages, DirectoryOf) {
  EXPECT_EQ(DirectoryOf("out.csv"), ".");
  EXPECT_EQ(DirectoryOf("/out.csv"), "/");
  EXPECT_EQ(DirectoryOf("/a/b/out.csv"), "/a/b");
  EXPECT_EQ(DirectoryOf("a/out.csv"), "a");
}

}  // namespace
}  // namespace sluice
