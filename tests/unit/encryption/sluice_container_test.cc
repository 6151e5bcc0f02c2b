#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "sluice/error.h"
#include "support/string_sink.h"
#include "transforms/encryption/sluice_container_reader.h"
#include "transforms/encryption/sluice_container_writer.h"

namespace sluice {
namespace {

using testing::SinkRecord;
using testing::StringSink;

constexpr size_t kSegment = kContainerSegmentBytes;
constexpr size_t kSealedSegment = kContainerSegmentBytes + 16;
const ScryptParams kFastScrypt{10, 8, 1};  // tests only: cheap on purpose

std::string Pattern(size_t size) {
  std::string text(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>((i * 131 + i / 7) & 0xFF);
  }
  return text;
}

std::string Encrypt(const std::string& plaintext, const std::string& password = "pw",
                    uint64_t seed = 1, size_t write_size = 1000) {
  SinkRecord ciphertext;
  RandomSource random(seed);
  SluiceContainerWriter writer(std::make_unique<StringSink>(&ciphertext), password, kFastScrypt,
                               random);
  for (size_t offset = 0; offset < plaintext.size(); offset += write_size) {
    writer.write(std::string_view(plaintext).substr(offset, write_size));
  }
  writer.commit();
  return ciphertext.bytes;
}

std::string Decrypt(const std::string& ciphertext, const std::string& password = "pw") {
  std::istringstream in(ciphertext);
  SluiceContainerReader reader(in, "test.enc");
  reader.unlock(password);
  StringSink out;
  uint64_t reported = reader.decrypt_to(out);
  EXPECT_EQ(reported, out.bytes().size());
  return out.bytes();
}

std::string DecryptError(const std::string& ciphertext, const std::string& password = "pw") {
  try {
    Decrypt(ciphertext, password);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    return error.what();
  }
  return "no error";
}

std::string ToHex(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

TEST(SluiceContainer, RoundTripsSegmentBoundarySizes) {
  for (size_t size : {size_t{0}, size_t{1}, kSegment - 1, kSegment, kSegment + 1, 3 * kSegment,
                      3 * kSegment + 17}) {
    std::string plaintext = Pattern(size);
    std::string ciphertext = Encrypt(plaintext);
    size_t segments = size == 0 ? 1 : (size + kSegment - 1) / kSegment;
    EXPECT_EQ(ciphertext.size(), kContainerHeaderBytes + size + 16 * segments) << size;
    EXPECT_EQ(Decrypt(ciphertext), plaintext) << size;
  }
}

TEST(SluiceContainer, OutputIndependentOfWriteSizes) {
  std::string plaintext = Pattern(2 * kSegment + 5);
  std::string expected = Encrypt(plaintext, "pw", 7, 1);
  EXPECT_EQ(Encrypt(plaintext, "pw", 7, 4096), expected);
  EXPECT_EQ(Encrypt(plaintext, "pw", 7, plaintext.size()), expected);
  EXPECT_EQ(Encrypt(plaintext, "pw", 7, kSegment), expected);
}

TEST(SluiceContainer, HeaderLayout) {
  std::string ciphertext = Encrypt("hello");
  EXPECT_EQ(ciphertext.substr(0, 8), "SLUICENC");
  EXPECT_EQ(ToHex(ciphertext.substr(8, 16)), "0101010a000000080000000100010000");
  EXPECT_EQ(ciphertext[47], '\0');
}

TEST(SluiceContainer, TestVectorFromSpecification) {
  // The vector in docs/encryption.md: password "sluice", scrypt N=2^10 r=8 p=1,
  // salt 00..0f, nonce prefix a0..a6, plaintext "hello, sluice\n".
  SluiceContainerState state;
  state.params.scrypt = kFastScrypt;
  for (uint8_t i = 0; i < 16; ++i) state.params.salt[i] = i;
  for (uint8_t i = 0; i < 7; ++i) state.params.nonce_prefix[i] = static_cast<uint8_t>(0xa0 + i);

  SinkRecord ciphertext;
  SluiceContainerWriter writer(std::make_unique<StringSink>(&ciphertext), "sluice", state);
  writer.write("hello, sluice\n");
  writer.commit();

  EXPECT_EQ(ToHex(ciphertext.bytes),
            "534c554943454e430101010a000000080000000100010000"
            "000102030405060708090a0b0c0d0e0fa0a1a2a3a4a5a600"
            "e682e6ef3ed5f41ae55e00cf26d3adc768a22c7796b4244ca7ec8adde0469e05"
            "af85f91fb9a4461e0cef249fbd5a37a9254a548b2e89"
            "42db411512fefe6a");
  EXPECT_EQ(Decrypt(ciphertext.bytes, "sluice"), "hello, sluice\n");
}

TEST(SluiceContainer, SeedMakesOutputDeterministic) {
  EXPECT_EQ(Encrypt("abc", "pw", 3), Encrypt("abc", "pw", 3));
  EXPECT_NE(Encrypt("abc", "pw", 3), Encrypt("abc", "pw", 4));
}

TEST(SluiceContainer, WrongPasswordNamed) {
  std::string message = DecryptError(Encrypt("secret"), "not-pw");
  EXPECT_NE(message.find("wrong password"), std::string::npos) << message;
}

TEST(SluiceContainer, FlippedBitNamesSegment) {
  std::string ciphertext = Encrypt(Pattern(3 * kSegment));
  ciphertext[kContainerHeaderBytes + kSealedSegment + 100] ^= 0x01;
  std::string message = DecryptError(ciphertext);
  EXPECT_NE(message.find("segment 1 "), std::string::npos) << message;
  EXPECT_NE(message.find("failed authentication"), std::string::npos) << message;
}

TEST(SluiceContainer, FlippedTagBitDetected) {
  std::string ciphertext = Encrypt(Pattern(10));
  ciphertext.back() ^= 0x80;
  EXPECT_NE(DecryptError(ciphertext).find("segment 0 "), std::string::npos);
}

TEST(SluiceContainer, FlippedHeaderBitDetected) {
  std::string ciphertext = Encrypt(Pattern(10));
  ciphertext[30] ^= 0x04;  // inside the salt
  EXPECT_NE(DecryptError(ciphertext).find("wrong password"), std::string::npos);
  ciphertext = Encrypt(Pattern(10));
  ciphertext[60] ^= 0x04;  // inside the header MAC
  EXPECT_NE(DecryptError(ciphertext).find("wrong password"), std::string::npos);
}

TEST(SluiceContainer, ReorderedSegmentsDetected) {
  std::string ciphertext = Encrypt(Pattern(3 * kSegment + 1));
  std::string first = ciphertext.substr(kContainerHeaderBytes, kSealedSegment);
  std::string second = ciphertext.substr(kContainerHeaderBytes + kSealedSegment, kSealedSegment);
  ciphertext.replace(kContainerHeaderBytes, kSealedSegment, second);
  ciphertext.replace(kContainerHeaderBytes + kSealedSegment, kSealedSegment, first);
  EXPECT_NE(DecryptError(ciphertext).find("segment 0 "), std::string::npos);
}

TEST(SluiceContainer, DroppedSegmentDetected) {
  std::string ciphertext = Encrypt(Pattern(3 * kSegment + 1));
  ciphertext.erase(kContainerHeaderBytes + kSealedSegment, kSealedSegment);
  EXPECT_NE(DecryptError(ciphertext).find("segment 1 "), std::string::npos);
}

TEST(SluiceContainer, DuplicatedSegmentDetected) {
  std::string ciphertext = Encrypt(Pattern(2 * kSegment + 1));
  ciphertext.insert(kContainerHeaderBytes + kSealedSegment,
                    ciphertext.substr(kContainerHeaderBytes, kSealedSegment));
  EXPECT_NE(DecryptError(ciphertext).find("segment 1 "), std::string::npos);
}

TEST(SluiceContainer, TruncationAtSegmentBoundaryNamed) {
  std::string ciphertext = Encrypt(Pattern(2 * kSegment + 1));
  ciphertext.resize(kContainerHeaderBytes + 2 * kSealedSegment);
  std::string message = DecryptError(ciphertext);
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
  EXPECT_NE(message.find("segment 1,"), std::string::npos) << message;
}

TEST(SluiceContainer, TruncationInsideSegmentDetected) {
  std::string ciphertext = Encrypt(Pattern(2 * kSegment));
  ciphertext.resize(ciphertext.size() - 5);
  EXPECT_NE(DecryptError(ciphertext).find("segment 1 "), std::string::npos);
  ciphertext.resize(kContainerHeaderBytes + kSealedSegment + 7);
  EXPECT_NE(DecryptError(ciphertext).find("truncated"), std::string::npos);
}

TEST(SluiceContainer, TruncatedHeaderAndMissingSegments) {
  std::string ciphertext = Encrypt("x");
  EXPECT_NE(DecryptError(ciphertext.substr(0, 40)).find("truncated"), std::string::npos);
  EXPECT_NE(DecryptError(ciphertext.substr(0, kContainerHeaderBytes)).find("truncated"),
            std::string::npos);
}

TEST(SluiceContainer, TrailingDataDetected) {
  std::string ciphertext = Encrypt(Pattern(kSegment));
  std::string message = DecryptError(ciphertext + "junk");
  EXPECT_NE(message.find("after its final segment 0"), std::string::npos) << message;

  // A short final segment followed by junk reads as one modified segment.
  ciphertext = Encrypt(Pattern(100));
  message = DecryptError(ciphertext + "junk");
  EXPECT_NE(message.find("segment 0 "), std::string::npos) << message;
}

TEST(SluiceContainer, NotEncryptedRejected) {
  std::string message = DecryptError("id,name\n1,a\n");
  EXPECT_NE(message.find("not a Sluice encrypted file"), std::string::npos) << message;
}

TEST(SluiceContainer, AbsurdScryptCostRejected) {
  std::string ciphertext = Encrypt("x");
  ciphertext[11] = 40;  // N = 2^40
  EXPECT_NE(DecryptError(ciphertext).find("scrypt"), std::string::npos);
  ciphertext[11] = 22;  // N = 2^22 with r = 8: 4 GiB
  EXPECT_NE(DecryptError(ciphertext).find("1 GiB"), std::string::npos);
}

TEST(SluiceContainer, UnknownVersionRejected) {
  std::string ciphertext = Encrypt("x");
  ciphertext[8] = 2;
  EXPECT_NE(DecryptError(ciphertext).find("version 2"), std::string::npos);
}

TEST(SluiceContainer, EmptyPasswordRejected) {
  SinkRecord ciphertext;
  RandomSource random(1);
  EXPECT_THROW(SluiceContainerWriter(std::make_unique<StringSink>(&ciphertext), "", kFastScrypt,
                                     random),
               Error);
}

TEST(SluiceContainer, RestoredWriterContinuesFile) {
  std::string plaintext = Pattern(3 * kSegment + 99);
  std::string expected = Encrypt(plaintext, "pw", 9);

  SinkRecord first_part;
  RandomSource random(9);
  auto writer = std::make_unique<SluiceContainerWriter>(std::make_unique<StringSink>(&first_part),
                                                        "pw", kFastScrypt, random);
  writer->write(plaintext.substr(0, 2 * kSegment + 10));
  SluiceContainerState state = writer->state();
  EXPECT_EQ(state.segments_sealed, 2u);
  EXPECT_EQ(writer->pending_bytes(), 10u);
  writer->abort();

  SinkRecord second_part;
  SluiceContainerWriter resumed(std::make_unique<StringSink>(&second_part), "pw", state);
  resumed.write(plaintext.substr(state.segments_sealed * kSegment));
  resumed.commit();
  EXPECT_EQ(first_part.bytes + second_part.bytes, expected);
}

TEST(SluiceContainer, ResumeChecksStoredHeaderPassword) {
  std::string plaintext = Pattern(2 * kSegment + 10);
  SinkRecord first_part;
  RandomSource random(3);
  auto writer = std::make_unique<SluiceContainerWriter>(std::make_unique<StringSink>(&first_part), "pw",
                                                        kFastScrypt, random);
  writer->write(plaintext);
  SluiceContainerState state = writer->state();
  writer->abort();
  std::string stored_header = first_part.bytes.substr(0, kContainerHeaderBytes);

  SinkRecord output;
  try {
    SluiceContainerWriter resumed(std::make_unique<StringSink>(&output), "other", state, stored_header, "out.csv.enc");
    FAIL() << "expected a wrong-password error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(message.find("wrong password for out.csv.enc"), std::string::npos) << message;
  }
  EXPECT_TRUE(output.bytes.empty());

  SinkRecord continued;
  SluiceContainerWriter resumed(std::make_unique<StringSink>(&continued), "pw", state, stored_header, "out.csv.enc");
  resumed.write(plaintext.substr(state.segments_sealed * kSegment));
  resumed.commit();
  EXPECT_EQ(Decrypt(first_part.bytes.substr(0, kContainerHeaderBytes + 2 * kSealedSegment) + continued.bytes), plaintext);
}

TEST(SluiceContainer, StoredHeaderOfWrongSizeRejected) {
  std::string ciphertext = Encrypt(Pattern(10));
  SluiceContainerState state;
  state.params.scrypt = kFastScrypt;
  SinkRecord output;
  EXPECT_THROW(SluiceContainerWriter(std::make_unique<StringSink>(&output), "pw", state,
                                     ciphertext.substr(0, kContainerHeaderBytes - 1), "x"),
               Error);
}

}  // namespace
}  // namespace sluice
