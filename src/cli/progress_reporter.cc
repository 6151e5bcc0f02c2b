#include "cli/progress_reporter.h"

#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/size.h"

namespace sluice::cli {

namespace {

constexpr int kBarWidth = 30;

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

void ProgressReporter::draw_bar(const ExportProgress& progress) {
  int filled = static_cast<int>(progress.percent_complete / 100.0 * kBarWidth);
  std::string bar(static_cast<size_t>(filled), '=');
  if (filled < kBarWidth) bar += '>';
  bar.resize(kBarWidth, ' ');

  std::string eta = progress.estimated_seconds_remaining
                        ? "ETA " + FormatDuration(*progress.estimated_seconds_remaining)
                        : "ETA --:--";
  std::fprintf(stderr, "\r[%s] %5.1f%%  %llu/%s%llu rows  chunk %llu/%llu  %s  %s\x1b[K",
               bar.c_str(), progress.percent_complete,
               static_cast<unsigned long long>(progress.records_exported),
               progress.total_records_exact ? "" : "~",
               static_cast<unsigned long long>(progress.total_records),
               static_cast<unsigned long long>(progress.current_chunk),
               static_cast<unsigned long long>(progress.total_chunks),
               FormatSize(progress.bytes_written).c_str(), eta.c_str());
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
