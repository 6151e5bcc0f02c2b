#include "transforms/encryption/stream_sealer.h"

#include <algorithm>

#include "sluice/error.h"

namespace sluice {

StreamSealer::StreamSealer(std::unique_ptr<AeadCipher> cipher, std::string aad,
                           SegmentNonceFunction nonce, size_t segment_bytes,
                           uint64_t max_segments, uint64_t first_counter)
    : cipher_(std::move(cipher)),
      aad_(std::move(aad)),
      nonce_(std::move(nonce)),
      segment_bytes_(segment_bytes),
      max_segments_(max_segments),
      counter_(first_counter) {
  pending_.reserve(segment_bytes_);
  sealed_.resize(segment_bytes_ + kAeadTagBytes);
}

void StreamSealer::write(std::string_view plaintext, ByteSink& out) {
  auto data = std::span(reinterpret_cast<const uint8_t*>(plaintext.data()), plaintext.size());
  while (!data.empty()) {
    if (pending_.size() == segment_bytes_) {
      seal(pending_, false, out);
      pending_.clear();
    }

    // Large writes skip the copy into pending_ for every segment that is
    // known not to be the final one.
    if (pending_.empty() && data.size() > segment_bytes_) {
      seal(data.first(segment_bytes_), false, out);
      data = data.subspan(segment_bytes_);
      continue;
    }

    size_t take = std::min(segment_bytes_ - pending_.size(), data.size());
    pending_.insert(pending_.end(), data.begin(), data.begin() + take);
    data = data.subspan(take);
  }
}

void StreamSealer::finish(ByteSink& out) {
  if (finished_) {
    return;
  }
  seal(pending_, true, out);
  pending_.clear();
  finished_ = true;
}

void StreamSealer::seal(std::span<const uint8_t> plaintext, bool last, ByteSink& out) {
  if (counter_ >= max_segments_) {
    throw InvalidInput("encrypted output exceeds " + std::to_string(max_segments_) +
                       " segments, the limit of its nonce counter; split the export with --max-file-size");
  }

  auto aad = std::span(reinterpret_cast<const uint8_t*>(aad_.data()), aad_.size());
  auto sealed = std::span(sealed_).first(plaintext.size() + kAeadTagBytes);
  cipher_->seal(nonce_(counter_, last), aad, plaintext, sealed);
  out.write(std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()));
  ++counter_;
}

}  // namespace sluice
