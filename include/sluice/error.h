// Errors are typed exceptions: the layer that failed picks the kind, and the
// message names the value and the fix. The CLI maps each kind to an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace sluice {

enum class ErrorKind {
  kInvalidOption,  // an option value that cannot work, found before any row is read
  kInvalidInput,   // malformed source data, or data that does not fit the schema
  kIO,             // a file, device or network operation failed
  kSource,         // the source system (database) returned an error
  kCancelled,      // the export was cancelled by its caller
  kMemoryLimit,    // the memory governor's circuit breaker tripped
  kInternal,       // a bug: an invariant did not hold
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

inline Error InvalidOption(const std::string& message) {
  return Error(ErrorKind::kInvalidOption, message);
}
inline Error InvalidInput(const std::string& message) {
  return Error(ErrorKind::kInvalidInput, message);
}
inline Error IOError(const std::string& message) {
  return Error(ErrorKind::kIO, message);
}
inline Error SourceError(const std::string& message) {
  return Error(ErrorKind::kSource, message);
}

}  // namespace sluice
