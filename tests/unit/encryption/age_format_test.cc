#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "sluice/error.h"
#include "support/string_sink.h"
#include "transforms/encryption/age_reader.h"
#include "transforms/encryption/age_writer.h"
#include "transforms/encryption/base64_unpadded.h"
#include "transforms/encryption/bech32.h"

namespace sluice {
namespace {

using testing::SinkRecord;
using testing::StringSink;

// The example key pair of the age specification (c2sp.org/age).
constexpr const char* kIdentity =
    "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
constexpr const char* kRecipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";

std::string Encrypt(const AgeRecipients& recipients, const std::string& plaintext,
                    uint64_t seed = 1) {
  SinkRecord ciphertext;
  RandomSource random(seed);
  AgeWriter writer(std::make_unique<StringSink>(&ciphertext), recipients, random);
  writer.write(plaintext);
  writer.commit();
  return ciphertext.bytes;
}

AgeRecipients Passphrase(const std::string& passphrase) {
  AgeRecipients recipients;
  recipients.passphrase = passphrase;
  recipients.scrypt_log_n = 10;  // tests only: cheap on purpose
  return recipients;
}

std::string DecryptWithPassphrase(const std::string& ciphertext, const std::string& passphrase) {
  std::istringstream in(ciphertext);
  AgeReader reader(in, "test.age");
  reader.unlock_with_passphrase(passphrase);
  StringSink out;
  reader.decrypt_to(out);
  return out.bytes();
}

std::string DecryptWithIdentity(const std::string& ciphertext, const X25519Key& identity) {
  std::istringstream in(ciphertext);
  AgeReader reader(in, "test.age");
  reader.unlock_with_identities({identity});
  StringSink out;
  reader.decrypt_to(out);
  return out.bytes();
}

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(AgeKeys, SpecificationKeyPair) {
  X25519Key identity = ParseAgeIdentity(kIdentity);
  EXPECT_EQ(FormatAgeRecipient(X25519PublicKey(identity)), kRecipient);
  EXPECT_EQ(FormatAgeIdentity(identity), kIdentity);
  EXPECT_EQ(ParseAgeRecipient(kRecipient), X25519PublicKey(identity));
}

TEST(AgeKeys, InvalidRecipientsRejected) {
  std::string bad_checksum = kRecipient;
  bad_checksum.back() = bad_checksum.back() == 'j' ? 'q' : 'j';
  EXPECT_THROW(ParseAgeRecipient(bad_checksum), Error);
  EXPECT_THROW(ParseAgeRecipient("age1"), Error);
  EXPECT_THROW(ParseAgeRecipient(kIdentity), Error);  // wrong human-readable part
  std::string mixed_case = kRecipient;
  mixed_case[5] = 'V';
  EXPECT_THROW(ParseAgeRecipient(mixed_case), Error);
}

TEST(Bech32, RoundTrip) {
  std::vector<uint8_t> bytes = {0, 1, 2, 250, 255, 7};
  std::string text = EncodeBech32("test", bytes);
  auto decoded = DecodeBech32(text);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->hrp, "test");
  EXPECT_EQ(decoded->bytes, bytes);
}

TEST(Base64Unpadded, CanonicalOnly) {
  std::vector<uint8_t> bytes = {0xff, 0xee};
  EXPECT_EQ(EncodeBase64Unpadded(bytes), "/+4");
  EXPECT_EQ(DecodeBase64Unpadded("/+4"), bytes);
  EXPECT_FALSE(DecodeBase64Unpadded("/+5").has_value());  // non-zero unused bits
  EXPECT_FALSE(DecodeBase64Unpadded("/+4=").has_value());
  EXPECT_FALSE(DecodeBase64Unpadded("A").has_value());
}

TEST(AgeFormat, PassphraseRoundTrip) {
  for (size_t size : {size_t{0}, size_t{5}, kAgeChunkBytes, kAgeChunkBytes + 1, 3 * kAgeChunkBytes}) {
    std::string plaintext(size, 'x');
    std::string ciphertext = Encrypt(Passphrase("pw"), plaintext);
    EXPECT_EQ(ciphertext.rfind("age-encryption.org/v1\n-> scrypt ", 0), 0u);
    EXPECT_EQ(DecryptWithPassphrase(ciphertext, "pw"), plaintext) << size;
  }
}

TEST(AgeFormat, X25519RoundTripWithTwoRecipients) {
  X25519Key identity = ParseAgeIdentity(kIdentity);
  X25519Key other_identity{};
  other_identity.fill(7);
  AgeRecipients recipients;
  recipients.x25519 = {X25519PublicKey(other_identity), X25519PublicKey(identity)};

  std::string ciphertext = Encrypt(recipients, "hello");
  EXPECT_EQ(DecryptWithIdentity(ciphertext, identity), "hello");
  EXPECT_EQ(DecryptWithIdentity(ciphertext, other_identity), "hello");

  X25519Key stranger{};
  stranger.fill(9);
  std::string message = ErrorOf([&] { DecryptWithIdentity(ciphertext, stranger); });
  EXPECT_NE(message.find("no identity matches"), std::string::npos) << message;
}

TEST(AgeFormat, WrongPassphraseNamed) {
  std::string ciphertext = Encrypt(Passphrase("pw"), "hello");
  std::string message = ErrorOf([&] { DecryptWithPassphrase(ciphertext, "nope"); });
  EXPECT_NE(message.find("wrong password"), std::string::npos) << message;
}

TEST(AgeFormat, ModifiedHeaderFailsMac) {
  X25519Key identity = ParseAgeIdentity(kIdentity);
  AgeRecipients recipients;
  recipients.x25519 = {X25519PublicKey(identity)};
  std::string ciphertext = Encrypt(recipients, "hello");
  ciphertext.insert(ciphertext.find("\n---"), "\n-> grease extra\n");
  std::string message = ErrorOf([&] { DecryptWithIdentity(ciphertext, identity); });
  EXPECT_NE(message.find("MAC"), std::string::npos) << message;
}

TEST(AgeFormat, ModifiedChunkNamed) {
  std::string ciphertext = Encrypt(Passphrase("pw"), std::string(2 * kAgeChunkBytes, 'y'));
  ciphertext[ciphertext.size() - 10] ^= 1;
  std::string message = ErrorOf([&] { DecryptWithPassphrase(ciphertext, "pw"); });
  EXPECT_NE(message.find("segment 1 "), std::string::npos) << message;
}

TEST(AgeFormat, TruncationDetected) {
  std::string plaintext(2 * kAgeChunkBytes + 3, 'z');
  std::string ciphertext = Encrypt(Passphrase("pw"), plaintext);
  ciphertext.resize(ciphertext.size() - 3 - 16);
  std::string message = ErrorOf([&] { DecryptWithPassphrase(ciphertext, "pw"); });
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST(AgeFormat, ScryptMixedWithOtherStanzaRejected) {
  std::string ciphertext = Encrypt(Passphrase("pw"), "hello");
  ciphertext.insert(ciphertext.find("\n---"), "\n-> X25519 AAAA\n");
  std::istringstream in(ciphertext);
  std::string message = ErrorOf([&] { AgeReader reader(in, "test.age"); });
  EXPECT_NE(message.find("mixes an age scrypt stanza"), std::string::npos) << message;
}

TEST(AgeFormat, ExcessiveWorkFactorRejected) {
  std::string ciphertext = Encrypt(Passphrase("pw"), "hello");
  size_t position = ciphertext.find(" 10\n");
  ciphertext.replace(position, 4, " 30\n");
  std::string message = ErrorOf([&] { DecryptWithPassphrase(ciphertext, "pw"); });
  EXPECT_NE(message.find("1 GiB"), std::string::npos) << message;
}

}  // namespace
}  // namespace sluice
