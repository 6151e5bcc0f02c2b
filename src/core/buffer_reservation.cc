#include "core/buffer_reservation.h"

namespace sluice {

void BufferReservation::set_governor(MemoryGovernor* memory, uint64_t bytes) {
  reservation_.release();
  reservation_ = MemoryReservation();
  memory_ = memory;
  cover(bytes);
}

void BufferReservation::resize(uint64_t bytes) {
  if (reservation_.bytes() == 0) {
    reservation_ = memory_->reserve(bytes, purpose_);
  } else {
    reservation_.resize(bytes);
  }
}

}  // namespace sluice
