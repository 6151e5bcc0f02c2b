#include "core/size.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sluice {
namespace {

TEST(ParseSize, BinaryUnits) {
  EXPECT_EQ(ParseSize("8KB"), 8u * 1024);
  EXPECT_EQ(ParseSize("1MB"), 1024u * 1024);
  EXPECT_EQ(ParseSize("500MB"), 500ull * 1024 * 1024);
  EXPECT_EQ(ParseSize("20GB"), 20ull * 1024 * 1024 * 1024);
  EXPECT_EQ(ParseSize("1TB"), 1ull << 40);
}

TEST(ParseSize, IecNamesAndCase) {
  EXPECT_EQ(ParseSize("8KiB"), 8192u);
  EXPECT_EQ(ParseSize("8kb"), 8192u);
  EXPECT_EQ(ParseSize("2 mib"), 2u * 1024 * 1024);
  EXPECT_EQ(ParseSize("1g"), 1ull << 30);
}

TEST(ParseSize, PlainBytesAndFractions) {
  EXPECT_EQ(ParseSize("65536"), 65536u);
  EXPECT_EQ(ParseSize("100B"), 100u);
  EXPECT_EQ(ParseSize("1.5GB"), 3ull << 29);
  EXPECT_EQ(ParseSize(" 4MB "), 4u * 1024 * 1024);
}

TEST(ParseSize, UnknownUnitListsAcceptedUnits) {
  try {
    ParseSize("8XB", "--chunk-size");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_NE(message.find("--chunk-size"), std::string::npos) << message;
    EXPECT_NE(message.find("'XB'"), std::string::npos) << message;
    EXPECT_NE(message.find("KB, MB, GB"), std::string::npos) << message;
  }
}

TEST(ParseSize, NegativeRejected) {
  try {
    ParseSize("-1MB", "--memory-limit");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("negative"), std::string::npos) << message;
    EXPECT_NE(message.find("KB, MB, GB"), std::string::npos) << message;
  }
}

TEST(ParseSize, MalformedRejected) {
  EXPECT_THROW(ParseSize(""), Error);
  EXPECT_THROW(ParseSize("MB"), Error);
  EXPECT_THROW(ParseSize("1..2MB"), Error);
  EXPECT_THROW(ParseSize("99999999999TB"), Error);
}

TEST(ParseSize, FractionalBytesRejected) {
  try {
    ParseSize("0.5B", "--chunk-size");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_NE(message.find("'0.5B'"), std::string::npos) << message;
    EXPECT_NE(message.find("whole number"), std::string::npos) << message;
  }
  EXPECT_THROW(ParseSize("10.5"), Error);
  EXPECT_EQ(ParseSize("2.0B"), 2u);
}

TEST(ParseSize, TooLargeNamesMaximum) {
  try {
    ParseSize("99999999TB", "--memory-limit");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("--memory-limit"), std::string::npos) << message;
    EXPECT_NE(message.find("8388607TB"), std::string::npos) << message;
  }
}

TEST(FormatSize, PicksLargestUnit) {
  EXPECT_EQ(FormatSize(100), "100B");
  EXPECT_EQ(FormatSize(8192), "8KB");
  EXPECT_EQ(FormatSize(1024 * 1024), "1MB");
  EXPECT_EQ(FormatSize(3ull << 29), "1.5GB");
}

}  // namespace
}  // namespace sluice
