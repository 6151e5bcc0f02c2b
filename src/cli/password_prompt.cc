#include "cli/password_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "core/error.h"
#include "transforms/encryption/password_file.h"

namespace sluice::cli {

namespace {

// Turns terminal echo off for its lifetime, restoring the previous mode even
// when reading throws.
class EchoOff {
 public:
  EchoOff() {
    active_ = tcgetattr(STDIN_FILENO, &saved_) == 0;
    if (active_) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet);  // TCSANOW keeps type-ahead input
    }
  }
  ~EchoOff() {
    if (active_) {
      tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
    }
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string ReadHidden(const char* prompt) {
  std::fprintf(stderr, "%s", prompt);
  std::fflush(stderr);
  std::string line;
  {
    EchoOff echo_off;
    if (!std::getline(std::cin, line)) {
      std::fprintf(stderr, "\n");
      throw InvalidOption("no password was entered; the prompt reached end of input");
    }
  }
  std::fprintf(stderr, "\n");
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

}  // namespace

std::string ResolvePassword(const std::string& password_file, bool confirm) {
  if (!password_file.empty()) {
    return ReadPasswordFile(password_file);
  }
  if (const char* from_environment = std::getenv("SLUICE_PASSWORD")) {
    if (*from_environment == '\0') {
      throw InvalidOption("SLUICE_PASSWORD is set but empty; set it to the password or unset it");
    }
    return from_environment;
  }
  if (!isatty(STDIN_FILENO)) {
    throw InvalidOption(
        "a password is needed but standard input is not a terminal to prompt on: use --password-file FILE or set SLUICE_PASSWORD");
  }

  std::string password = ReadHidden("Password: ");
  if (password.empty()) {
    throw InvalidOption("the password is empty; enter a non-empty password");
  }
  if (confirm && ReadHidden("Repeat password: ") != password) {
    throw InvalidOption("the two passwords differ; run the command again and type the same password twice");
  }
  return password;
}

}  // namespace sluice::cli
