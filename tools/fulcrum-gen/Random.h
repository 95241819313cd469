// The generator's own random numbers: SplitMix64 for seeding and hashing, xoshiro256** for
// streams, and hand-written uniform, normal, log-normal and Poisson sampling, so the output
// depends on nothing implementation-defined (std:: distributions differ between libraries).
#pragma once

#include <cmath>
#include <cstdint>

namespace fulcrum::gen {

// One SplitMix64 step: a well-mixed 64-bit function of `x`.
inline uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A hash of (seed, stream, index): the seed of one independent block of the output.
inline uint64_t streamKey(uint64_t seed, uint64_t stream, uint64_t index) {
  return mix64(mix64(mix64(seed) ^ stream) ^ index);
}

// Purposes of the random streams; each block of each file draws from its own stream.
enum Stream : uint64_t {
  TeamStream = 1,
  RepStream,
  AccountStream,
  ActivityStream,
  NoiseStream,
  EventStream,
  RatingStream,
  QuotaStream,
  EventProfileStream, // an account's engagement and product-usage schedule (events.csv)
};

class Rng {
public:
  explicit Rng(uint64_t key) {
    for (uint64_t& word : state_) {
      key = mix64(key);
      word = key;
    }
  }
  Rng(uint64_t seed, uint64_t stream, uint64_t index) : Rng(streamKey(seed, stream, index)) {}

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [0, bound) (bound > 0), by the multiply-high method.
  uint64_t below(uint64_t bound) {
    __extension__ using Wide = unsigned __int128;
    return static_cast<uint64_t>((static_cast<Wide>(next()) * bound) >> 64);
  }
  // Uniform integer in [low, high].
  int64_t between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(below(static_cast<uint64_t>(high - low) + 1));
  }
  bool chance(double probability) { return uniform() < probability; }

  // Standard normal by Box-Muller (one of the pair; the other is discarded for simplicity).
  double normal() {
    const double u = 1.0 - uniform(); // (0, 1]: log(u) is finite
    const double v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
  double normal(double mean, double deviation) { return mean + deviation * normal(); }
  double logNormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

  // Poisson: Knuth's product method for small means, a rounded normal above 30.
  uint64_t poisson(double mean) {
    if (mean <= 0)
      return 0;
    if (mean > 30) {
      const double x = std::floor(normal(mean, std::sqrt(mean)) + 0.5);
      return x < 0 ? 0 : static_cast<uint64_t>(x);
    }
    const double limit = std::exp(-mean);
    uint64_t count = 0;
    for (double product = uniform(); product > limit; product *= uniform())
      ++count;
    return count;
  }

private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

} // namespace fulcrum::gen
