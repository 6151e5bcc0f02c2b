#include "transforms/encryption/password_file.h"

#include <fstream>

#include "core/error.h"

namespace sluice {

std::string ReadPasswordFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IOError("cannot read password file " + path + "; check the path and its permissions");
  }
  std::string password;
  std::getline(in, password);
  if (in.bad()) {
    throw IOError("reading password file " + path + " failed");
  }
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  if (password.empty()) {
    throw InvalidOption("password file " + path + " is empty; write the password on its first line");
  }
  return password;
}

}  // namespace sluice
