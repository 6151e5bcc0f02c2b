#include "sluice/memory_governor.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/size.h"

namespace sluice {

MemoryReservation::MemoryReservation(MemoryReservation&& other) noexcept
    : governor_(other.governor_), bytes_(other.bytes_), purpose_(std::move(other.purpose_)) {
  other.governor_ = nullptr;
  other.bytes_ = 0;
}

MemoryReservation& MemoryReservation::operator=(MemoryReservation&& other) noexcept {
  if (this != &other) {
    release();
    governor_ = other.governor_;
    bytes_ = other.bytes_;
    purpose_ = std::move(other.purpose_);
    other.governor_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

void MemoryReservation::resize(uint64_t bytes) {
  if (governor_ == nullptr) return;
  if (bytes > bytes_) {
    governor_->acquire(bytes - bytes_, purpose_, true, bytes);
  } else if (bytes < bytes_) {
    governor_->release(bytes_ - bytes, purpose_);
  }
  bytes_ = bytes;
}

bool MemoryReservation::try_resize(uint64_t bytes) {
  if (governor_ == nullptr) return true;
  if (bytes > bytes_) {
    try {
      governor_->acquire(bytes - bytes_, purpose_, false, bytes);
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::kMemoryLimit) throw;
      return false;
    }
  } else if (bytes < bytes_) {
    governor_->release(bytes_ - bytes, purpose_);
  }
  bytes_ = bytes;
  return true;
}

void MemoryReservation::release() {
  if (governor_ != nullptr && bytes_ > 0) governor_->release(bytes_, purpose_);
  bytes_ = 0;
}

MemoryGovernor::MemoryGovernor(uint64_t limit_bytes, std::chrono::milliseconds grace_period,
                               std::string setting, MemoryGovernor* parent)
    : limit_(limit_bytes), grace_period_(grace_period), setting_(std::move(setting)), parent_(parent) {}

MemoryReservation MemoryGovernor::reserve(uint64_t bytes, const std::string& purpose) {
  acquire(bytes, purpose, true, bytes);
  return MemoryReservation(this, bytes, purpose);
}

MemoryReservation MemoryGovernor::try_reserve(uint64_t bytes, const std::string& purpose) {
  try {
    acquire(bytes, purpose, false, bytes);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kMemoryLimit) throw;
    return MemoryReservation();
  }
  return MemoryReservation(this, bytes, purpose);
}

void MemoryGovernor::acquire(uint64_t bytes, const std::string& purpose, bool wait, uint64_t total) {
  acquire(bytes, purpose, wait, total, grace_period_);
}

void MemoryGovernor::acquire(uint64_t bytes, const std::string& purpose, bool wait, uint64_t total,
                             std::chrono::milliseconds grace) {
  if (bytes == 0) return;
  // A reservation that alone passes the limit can never be granted, so it
  // fails without waiting for others to release memory.
  if (total > limit_) {
    bool names_setting = purpose.find("(--") != std::string::npos;
    throw Error(ErrorKind::kMemoryLimit,
                "memory limit exceeded: " + purpose + " needs " + FormatSize(total) + " but " + setting_ +
                    " is " + FormatSize(limit_) + "; raise " + setting_ +
                    (names_setting ? " or make that buffer smaller with the setting in brackets" : ""));
  }

  std::unique_lock<std::mutex> lock(mutex_);
  uint64_t ticket = next_ticket_++;
  queue_.push_back(ticket);
  auto fits = [&] { return queue_.front() == ticket && reserved_ + bytes <= limit_; };
  bool granted = wait ? released_.wait_for(lock, grace, fits) : fits();
  queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
  if (!granted) {
    released_.notify_all();  // the next waiter may now be at the front
    uint64_t held = reserved_;
    std::string holders = largest_holders_locked();
    lock.unlock();
    throw Error(ErrorKind::kMemoryLimit,
                "memory limit exceeded: " + purpose + " needs " + FormatSize(bytes) + " more while " +
                    FormatSize(held) + " of the " + setting_ + " of " + FormatSize(limit_) + " is in use (" +
                    holders + ") and none was released within " +
                    std::to_string(grace.count()) + " ms; raise " + setting_ +
                    " or run fewer exports at once (the export can be resumed)");
  }
  reserved_ += bytes;
  held_by_purpose_[purpose] += bytes;
  peak_reserved_ = std::max(peak_reserved_, reserved_);
  released_.notify_all();
  lock.unlock();

  if (parent_ != nullptr) {
    try {
      bool granted = wait && take_from_parent_or_relieve(bytes, purpose, total);
      // The export's own grace period, not the parent's: an export that
      // gives up sooner must not hold its place in the parent's queue, where
      // every export behind it would wait for as long as the parent allows.
      if (!granted) parent_->acquire(bytes, purpose, wait, total, std::min(grace, parent_->grace_period_));
    } catch (...) {
      release_local(bytes, purpose);
      throw;
    }
  }
}

void MemoryGovernor::set_relief(const void* owner, std::function<void()> relief) {
  std::lock_guard<std::mutex> lock(mutex_);
  relief_ = std::move(relief);
  relief_owner_ = owner;
  relief_thread_ = std::this_thread::get_id();
}

void MemoryGovernor::clear_relief(const void* owner) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (relief_owner_ != owner) return;
  relief_ = nullptr;
  relief_owner_ = nullptr;
}

bool MemoryGovernor::take_from_parent_or_relieve(uint64_t bytes, const std::string& purpose, uint64_t total) {
  // The relief may itself reserve (a flushed row group goes down the sink
  // chain), and that reservation must not run it again.
  thread_local bool relieving = false;
  std::function<void()> relief;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (relieving || !relief_ || relief_thread_ != std::this_thread::get_id()) return false;
    relief = relief_;
  }
  try {
    parent_->acquire(bytes, purpose, false, total);
    return true;
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kMemoryLimit) throw;
  }
  relieving = true;
  try {
    relief();
  } catch (...) {
    relieving = false;
    throw;
  }
  relieving = false;
  return false;
}

void MemoryGovernor::release(uint64_t bytes, const std::string& purpose) {
  release_local(bytes, purpose);
  if (parent_ != nullptr) parent_->release(bytes, purpose);
}

void MemoryGovernor::release_local(uint64_t bytes, const std::string& purpose) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    reserved_ -= std::min(bytes, reserved_);
    auto held = held_by_purpose_.find(purpose);
    if (held != held_by_purpose_.end()) {
      held->second -= std::min(bytes, held->second);
      if (held->second == 0) held_by_purpose_.erase(held);
    }
  }
  released_.notify_all();
}

std::string MemoryGovernor::largest_holders_locked() const {
  std::vector<std::pair<uint64_t, std::string>> holders;
  for (const auto& [purpose, bytes] : held_by_purpose_) holders.emplace_back(bytes, purpose);
  std::sort(holders.rbegin(), holders.rend());
  std::string text;
  for (size_t i = 0; i < holders.size() && i < 3; ++i) {
    text += (i == 0 ? "" : ", ") + holders[i].second + " " + FormatSize(holders[i].first);
  }
  return text;
}

uint64_t MemoryGovernor::reserved() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reserved_;
}

uint64_t MemoryGovernor::peak_reserved() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peak_reserved_;
}

size_t MemoryGovernor::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

}  // namespace sluice
