#include "sinks/cloud/gcs_credentials.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <nlohmann/json.hpp>

#include "sinks/cloud/cloud_crypto.h"

namespace sluice {
namespace {

std::string Base64UrlDecode(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text.push_back('=');
  return Base64Decode(text, "test");
}

TEST(GcsCredentials, JwtVerifiesWithPublicKey) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  ASSERT_NE(key, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* pem_data = nullptr;
  long pem_length = BIO_get_mem_data(bio, &pem_data);
  ServiceAccountKey account{"svc@project.iam.gserviceaccount.com", "kid-1",
                            std::string(pem_data, static_cast<size_t>(pem_length)),
                            "https://oauth2.googleapis.com/token"};
  BIO_free(bio);

  std::string jwt = MakeServiceAccountJwt(account, 1700000000);
  size_t first = jwt.find('.');
  size_t second = jwt.find('.', first + 1);
  nlohmann::json header = nlohmann::json::parse(Base64UrlDecode(jwt.substr(0, first)));
  nlohmann::json claims = nlohmann::json::parse(Base64UrlDecode(jwt.substr(first + 1, second - first - 1)));
  EXPECT_EQ(header["alg"], "RS256");
  EXPECT_EQ(header["kid"], "kid-1");
  EXPECT_EQ(claims["iss"], account.client_email);
  EXPECT_EQ(claims["aud"], account.token_uri);
  EXPECT_EQ(claims["exp"].get<int64_t>() - claims["iat"].get<int64_t>(), 3600);
  EXPECT_EQ(claims["scope"], "https://www.googleapis.com/auth/devstorage.read_write");

  std::string signature = Base64UrlDecode(jwt.substr(second + 1));
  std::string input = jwt.substr(0, second);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                             reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
}

}  // namespace
}  // namespace sluice
