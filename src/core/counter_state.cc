#include "core/counter_state.h"

#include <charconv>

#include "core/error.h"

namespace sluice {

uint64_t ParseStateCounter(const std::string& state, const std::string& key, const std::string& what) {
  size_t start = 0;
  while (start <= state.size()) {
    size_t end = state.find(';', start);
    if (end == std::string::npos) end = state.size();
    size_t equals = state.find('=', start);
    if (equals < end && state.compare(start, equals - start, key) == 0) {
      uint64_t value = 0;
      const char* first = state.data() + equals + 1;
      const char* last = state.data() + end;
      auto [stop, error] = std::from_chars(first, last, value);
      if (error == std::errc() && stop == last && first != last) return value;
      break;
    }
    start = end + 1;
  }
  throw InvalidInput("invalid " + what + " '" + state + "': missing or invalid '" + key +
                     "'; the job store may be damaged, so start the export again");
}

}  // namespace sluice
