// Problem data, solutions and errors shared by the reference solvers.
//
// Independence: nothing here uses the FEEL or ConvexCore modules. The reference solvers work
// on raw arrays only, so that an agreement with the fast solver is evidence, not an echo.

/// Why a reference solver refused an instance or could not finish.
public enum ReferenceError: Error, Equatable, Sendable {
  /// The instance has no devices.
  case empty
  /// Two per-device arrays have different lengths (field name, expected count, actual count).
  case mismatchedLengths(String, expected: Int, actual: Int)
  /// A value is NaN or infinite (field name, device index).
  case nonFinite(String, index: Int)
  /// A value that must be positive (or non-negative) is not (field name, device index).
  case nonPositive(String, index: Int)
  /// A device's lower batch bound exceeds its upper bound (device index).
  case emptyBox(index: Int)
  /// The global batch lies outside `[Σ lower, Σ upper]` (or no integer allocation exists).
  case infeasibleTotal
  /// The method needs something the instance does not have (explanation).
  case unsupported(String)
  /// The underlying library reported a failure (routine, return or status code).
  case solverFailed(String, code: Int)
}

/// One affine piece `alpha + beta·B` of a device's compute latency (seconds).
///
/// A device's latency is the maximum of its pieces: a CPU has one piece `(0, β)`, a GPU
/// has the flat piece `(t_ℓ, 0)` and the sloped piece `(t_ℓ − c·th, c)`.
public struct LatencyPiece: Sendable, Hashable {
  /// Intercept in seconds.
  public var alpha: Double
  /// Slope in seconds per sample (must be non-negative).
  public var beta: Double

  /// Creates the piece `alpha + beta·B`.
  public init(alpha: Double, beta: Double) {
    self.alpha = alpha
    self.beta = beta
  }
}

/// The uplink problem at a fixed global batch (the paper's P4 / P6 / P7), in slot fractions:
///
///     minimize T  over T, B_k, x_k
///     s.t.  t_k(B_k) + a_k / x_k ≤ T  (all k),   Σ x_k ≤ 1,  x_k > 0,
///           Σ B_k = total,   lower_k ≤ B_k ≤ upper_k,
///
/// with `t_k(B) = max_j (alpha_kj + beta_kj·B)`. The problem is convex.
///
/// The validating initializer guarantees: at least one device, equal lengths, all values
/// finite, `a_k > 0`, every device has at least one piece, `beta_kj ≥ 0`,
/// `lower_k ≤ upper_k`, and `Σ lower ≤ total ≤ Σ upper` (to a relative 1e-12).
public struct UplinkInstance: Sendable {
  /// Upload time of device k at the full frame (seconds), `a_k > 0`.
  public let a: [Double]
  /// The affine pieces of device k's compute latency (at least one each).
  public let pieces: [[LatencyPiece]]
  /// Lower batch bound of device k.
  public let lower: [Double]
  /// Upper batch bound of device k.
  public let upper: [Double]
  /// The global batch `Σ B_k`.
  public let total: Double

  /// Validates and stores an instance; O(Σ pieces).
  ///
  /// - Throws: `ReferenceError` for empty, mismatched, non-finite or non-positive data, an
  ///   empty box, or a global batch outside `[Σ lower, Σ upper]`.
  public init(
    a: [Double], pieces: [[LatencyPiece]], lower: [Double], upper: [Double], total: Double
  ) throws(ReferenceError) {
    let count = a.count
    guard count > 0 else { throw .empty }
    for (name, n) in [("pieces", pieces.count), ("lower", lower.count), ("upper", upper.count)]
    where n != count {
      throw .mismatchedLengths(name, expected: count, actual: n)
    }
    for k in 0..<count {
      guard a[k].isFinite else { throw .nonFinite("a", index: k) }
      guard a[k] > 0 else { throw .nonPositive("a", index: k) }
      guard !pieces[k].isEmpty else { throw .unsupported("device \(k) has no latency piece") }
      for piece in pieces[k] {
        guard piece.alpha.isFinite else { throw .nonFinite("alpha", index: k) }
        guard piece.beta.isFinite else { throw .nonFinite("beta", index: k) }
        guard piece.beta >= 0 else { throw .nonPositive("beta", index: k) }
      }
      guard lower[k].isFinite else { throw .nonFinite("lower", index: k) }
      guard upper[k].isFinite else { throw .nonFinite("upper", index: k) }
      guard lower[k] <= upper[k] else { throw .emptyBox(index: k) }
    }
    guard total.isFinite else { throw .nonFinite("total", index: 0) }
    let low = lower.reduce(0, +)
    let high = upper.reduce(0, +)
    let slack = 1e-12 * max(1, abs(low), abs(high), abs(total))
    guard total >= low - slack, total <= high + slack else { throw .infeasibleTotal }
    self.a = a
    self.pieces = pieces
    self.lower = lower
    self.upper = upper
    self.total = total
  }

  /// Validates an instance whose latencies are affine, `t_k(B) = alpha_k + beta_k·B`.
  public init(
    a: [Double], alpha: [Double], beta: [Double], lower: [Double], upper: [Double],
    total: Double
  ) throws(ReferenceError) {
    guard alpha.count == a.count else {
      throw .mismatchedLengths("alpha", expected: a.count, actual: alpha.count)
    }
    guard beta.count == a.count else {
      throw .mismatchedLengths("beta", expected: a.count, actual: beta.count)
    }
    let pieces = (0..<a.count).map { [LatencyPiece(alpha: alpha[$0], beta: beta[$0])] }
    try self.init(a: a, pieces: pieces, lower: lower, upper: upper, total: total)
  }

  /// Number of devices.
  public var count: Int { a.count }

  /// Device k's compute latency `max_j (alpha_kj + beta_kj·B)`.
  public func latency(_ k: Int, _ batch: Double) -> Double {
    var t = -Double.infinity
    for piece in pieces[k] { t = max(t, piece.alpha + piece.beta * batch) }
    return t
  }

  /// The exact round length of a batch allocation (`batches.count == count`) with its
  /// optimal slots: the root `T` of
  /// `Σ a_k / (T − t_k(B_k)) = 1`, found by bisection to the last bit (about 60 steps, O(K)
  /// each). The returned `T` is on the feasible side, and so are the slots
  /// `x_k = a_k / (T − t_k(B_k))`, whose sum is at most 1.
  public func roundLength(batches: [Double]) -> (roundLength: Double, slots: [Double]) {
    let offsets = (0..<count).map { latency($0, batches[$0]) }
    let t = RootOfSum.solve(numerators: a, offsets: offsets)
    return (t, (0..<count).map { a[$0] / (t - offsets[$0]) })
  }
}

/// The downlink problem (the paper's P5), in slot fractions:
///
///     minimize T  s.t.  m_k + d_k / y_k ≤ T,  Σ y_k ≤ 1,  y_k > 0.
///
/// Its optimum is the unique root `T > max m_k` of `Σ d_k / (T − m_k) = 1`.
/// The validating initializer guarantees at least one device, equal lengths, finite values,
/// `d_k > 0` and `m_k ≥ 0`.
public struct DownlinkInstance: Sendable {
  /// Download time of device k at the full frame (seconds), `d_k > 0`.
  public let d: [Double]
  /// Model-update latency of device k (seconds), `m_k ≥ 0`.
  public let m: [Double]

  /// Validates and stores an instance; O(K).
  ///
  /// - Throws: `ReferenceError` for empty, mismatched, non-finite or out-of-sign data.
  public init(d: [Double], m: [Double]) throws(ReferenceError) {
    guard !d.isEmpty else { throw .empty }
    guard m.count == d.count else {
      throw .mismatchedLengths("m", expected: d.count, actual: m.count)
    }
    for k in 0..<d.count {
      guard d[k].isFinite else { throw .nonFinite("d", index: k) }
      guard d[k] > 0 else { throw .nonPositive("d", index: k) }
      guard m[k].isFinite else { throw .nonFinite("m", index: k) }
      guard m[k] >= 0 else { throw .nonPositive("m", index: k) }
    }
    self.d = d
    self.m = m
  }

  /// The downlink as an uplink instance with flat latencies `m_k` and no batch (all bounds 0).
  var asUplink: UplinkInstance {
    // Valid by construction: d > 0, m finite, zero boxes and total 0.
    try! UplinkInstance(
      a: d, pieces: m.map { [LatencyPiece(alpha: $0, beta: 0)] },
      lower: Array(repeating: 0, count: d.count), upper: Array(repeating: 0, count: d.count),
      total: 0)
  }

  /// The exact optimum by bisection on `Σ d_k / (T − m_k) = 1` to the last bit, with the
  /// optimal slots; O(60·K).
  public func bisectionRoundLength() -> (roundLength: Double, slots: [Double]) {
    let t = RootOfSum.solve(numerators: d, offsets: m)
    return (t, (0..<d.count).map { d[$0] / (t - m[$0]) })
  }
}

/// What a reference solver returns.
public struct ReferenceSolution: Sendable {
  /// The round length of the best feasible allocation found (an upper bound on the optimum),
  /// evaluated exactly for `batches` with their optimal `slots`.
  public var roundLength: Double
  /// A lower bound on the optimum (cutting-plane LP value, or barrier duality bound).
  public var lowerBound: Double
  /// The batch allocation `B_k` (empty for a downlink problem).
  public var batches: [Double]
  /// The slot fractions `x_k` (sum at most 1).
  public var slots: [Double]
  /// Iterations of the method (LP/MIP solves, Newton steps, or allocations enumerated).
  public var iterations: Int

  /// `(roundLength − lowerBound) / roundLength`.
  public var relativeGap: Double { (roundLength - lowerBound) / roundLength }

  /// Stores a solution (no checks).
  public init(
    roundLength: Double, lowerBound: Double, batches: [Double], slots: [Double],
    iterations: Int
  ) {
    self.roundLength = roundLength
    self.lowerBound = lowerBound
    self.batches = batches
    self.slots = slots
    self.iterations = iterations
  }
}

/// The root `T > max c_k` of `Σ n_k / (T − c_k) = 1` (n_k > 0) by bisection.
enum RootOfSum {
  static func value(_ numerators: [Double], _ offsets: [Double], _ t: Double) -> Double {
    var sum = 0.0
    for k in 0..<numerators.count { sum += numerators[k] / (t - offsets[k]) }
    return sum
  }

  /// Bisection to adjacent doubles; returns the upper end, where the sum is at most 1.
  static func solve(numerators: [Double], offsets: [Double]) -> Double {
    let cmax = offsets.max()!
    var lo = cmax
    var width = numerators.reduce(0, +)
    var hi = cmax + width
    // Mathematically the sum is ≤ 1 at cmax + Σ n_k; guard against rounding.
    while value(numerators, offsets, hi) > 1 {
      width *= 2
      hi = cmax + width
    }
    for _ in 0..<4000 {
      let mid = lo + (hi - lo) / 2
      if mid <= lo || mid >= hi { break }
      if value(numerators, offsets, mid) > 1 { lo = mid } else { hi = mid }
    }
    return hi
  }
}
