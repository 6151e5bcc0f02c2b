#include "cli/progress_reporter.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/size.h"

namespace sluice::cli {

namespace {

constexpr int kBarWidth = 30;
constexpr int kMinBarWidth = 10;
constexpr int kDefaultColumns = 80;  // when standard error reports no size

// Returns the width of the terminal on standard error in columns, read again
// for every update so a resized window is followed.
int TerminalColumns() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return kDefaultColumns;
}

std::string Join(const std::vector<std::string>& fields) {
  std::string text;
  for (const std::string& field : fields) text += (text.empty() ? "" : "  ") + field;
  return text;
}

std::string FormatDuration(double seconds) {
  long total = static_cast<long>(seconds + 0.5);
  char buffer[32];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", total / 60, total % 60);
  }
  return buffer;
}

}  // namespace

ProgressMode ParseProgressMode(const std::string& text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "bar") return ProgressMode::kBar;
  if (text == "json") return ProgressMode::kJson;
  if (text == "none") return ProgressMode::kNone;
  throw InvalidOption("invalid progress mode '" + text + "': use auto, bar, json or none");
}

ProgressReporter::ProgressReporter(ProgressMode mode) : mode_(mode) {
  if (mode_ == ProgressMode::kAuto) {
    mode_ = isatty(STDERR_FILENO) ? ProgressMode::kBar : ProgressMode::kNone;
  }
}

std::string ProgressJson(const ExportProgress& progress) {
  nlohmann::ordered_json line;
  line["exportId"] = progress.export_id;
  line["percentComplete"] = static_cast<double>(static_cast<int64_t>(progress.percent_complete * 100)) / 100;
  line["recordsExported"] = progress.records_exported;
  line["totalRecords"] = progress.total_records;
  line["totalRecordsExact"] = progress.total_records_exact;
  if (progress.estimated_seconds_remaining) {
    line["estimatedTimeRemaining"] = static_cast<double>(static_cast<int64_t>(*progress.estimated_seconds_remaining * 10)) / 10;
  } else {
    line["estimatedTimeRemaining"] = nullptr;
  }
  line["currentChunk"] = progress.current_chunk;
  line["totalChunks"] = progress.total_chunks;
  line["bytesWritten"] = progress.bytes_written;
  return line.dump();
}

void ProgressReporter::report(const ExportProgress& progress) {
  if (mode_ == ProgressMode::kJson) {
    std::fprintf(stderr, "%s\n", ProgressJson(progress).c_str());
    std::fflush(stderr);
  } else if (mode_ == ProgressMode::kBar) {
    draw_bar(progress);
  }
}

std::string ProgressBarLine(const ExportProgress& progress, int columns) {
  char rows[64];
  std::snprintf(rows, sizeof rows, "%llu/%s%llu rows", static_cast<unsigned long long>(progress.records_exported),
                progress.total_records_exact ? "" : "~", static_cast<unsigned long long>(progress.total_records));
  char chunk[64];
  std::snprintf(chunk, sizeof chunk, "chunk %llu/%llu", static_cast<unsigned long long>(progress.current_chunk),
                static_cast<unsigned long long>(progress.total_chunks));
  char percent[16];
  std::snprintf(percent, sizeof percent, "%5.1f%%", progress.percent_complete);
  std::string eta = progress.estimated_seconds_remaining
                        ? "ETA " + FormatDuration(*progress.estimated_seconds_remaining)
                        : "ETA --:--";

  // The last column stays empty, because a character there makes some
  // terminals wrap, and then every update starts a new line. The least
  // useful fields are dropped until the text fits next to a bar of at least
  // kMinBarWidth. If it still does not fit, the bar goes and the text is cut.
  int usable = std::max(1, columns - 1);
  std::vector<std::string> fields = {percent, rows, chunk, FormatSize(progress.bytes_written), eta};
  for (size_t drop : {2u, 2u, 1u}) {
    if (static_cast<int>(Join(fields).size()) + kMinBarWidth + 3 <= usable) break;
    fields.erase(fields.begin() + static_cast<long>(drop));
  }
  std::string text = Join(fields);
  int bar_width = std::min(kBarWidth, usable - static_cast<int>(text.size()) - 3);
  if (bar_width < kMinBarWidth) return text.substr(0, static_cast<size_t>(usable));

  int filled = static_cast<int>(progress.percent_complete / 100.0 * bar_width);
  std::string bar(static_cast<size_t>(std::clamp(filled, 0, bar_width)), '=');
  if (filled < bar_width) bar += '>';
  bar.resize(static_cast<size_t>(bar_width), ' ');
  return "[" + bar + "] " + text;
}

void ProgressReporter::draw_bar(const ExportProgress& progress) {
  std::string line = ProgressBarLine(progress, TerminalColumns());
  std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
  std::fflush(stderr);
  bar_drawn_ = true;
}

void ProgressReporter::close() {
  if (bar_drawn_) {
    std::fputc('\n', stderr);
    bar_drawn_ = false;
  }
}

}  // namespace sluice::cli
