// Shows export progress on standard error: a redrawn bar on a terminal, or
// one JSON object per update for scripts.
#pragma once

#include <string>

#include "sluice/sluice.h"

namespace sluice::cli {

enum class ProgressMode { kAuto, kBar, kJson, kNone };

// Parses "auto", "bar", "json" or "none"; throws InvalidOption otherwise.
ProgressMode ParseProgressMode(const std::string& text);

class ProgressReporter {
 public:
  explicit ProgressReporter(ProgressMode mode);

  void report(const ExportProgress& progress);
  // Ends the bar's line so later messages start on a fresh one.
  void close();

 private:
  void draw_bar(const ExportProgress& progress);

  ProgressMode mode_;
  bool bar_drawn_ = false;
};

// The progress bar's text for a terminal `columns` wide: at most columns - 1
// characters, dropping the chunk count and then the byte count on narrow
// terminals, and the bar itself when even that does not fit.
std::string ProgressBarLine(const ExportProgress& progress, int columns);

// One line of JSON with the ExportProgress fields in camelCase.
std::string ProgressJson(const ExportProgress& progress);

}  // namespace sluice::cli
