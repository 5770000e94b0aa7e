// Numerical priorities: (1) never report a level outside the true solution interval by
// more than rounding, and never call an infeasible total feasible, (2) then accuracy:
// every value of S is a direct sum, never an incremental update that drifts, and the
// affine piece is solved relative to its left breakpoint, (3) then speed: O(K log K)
// with no allocation once the workspace is large enough.

/// The level found by ``BreakpointWaterFilling``.
///
/// On `.converged`, `levelRange` is the set of all levels `w` with `S(w) = total`
/// (a closed interval; an end is `±∞` when `total` equals `Σhi` or `Σlo`), `level` is
/// its point of smallest `|w|`, and `sumAtLevel` is `S(level)`. On `.infeasible`,
/// `level` is `−∞` (total above `Σhi`) or `+∞` (total below `Σlo`), `levelRange` is
/// `level...level` and `sumAtLevel` is the attainable sum closest to `total`. On
/// `.invalidInput`, `level` and `sumAtLevel` are NaN and `levelRange` is `−∞...+∞`.
public struct WaterLevel: Sendable {
  /// The outcome; see the type's documentation.
  public var status: SolverStatus
  /// The solution of smallest magnitude (0 when 0 is a solution).
  public var level: Double
  /// All levels solving the equation.
  public var levelRange: ClosedRange<Double>
  /// `S(level)`, evaluated directly.
  public var sumAtLevel: Double

  /// Creates a result; the solver fills every field.
  public init(
    status: SolverStatus, level: Double, levelRange: ClosedRange<Double>, sumAtLevel: Double
  ) {
    self.status = status
    self.level = level
    self.levelRange = levelRange
    self.sumAtLevel = sumAtLevel
  }
}

/// Exact water-filling level of a sum of clamped affine functions.
///
/// **Problem.** Find every `w` with
/// `S(w) = Σ_k clamp(p_k − q_k·w, lo_k, hi_k) = total`. `S` is continuous, piecewise
/// affine and nonincreasing, from `Σhi` (as `w → −∞`) to `Σlo` (as `w → +∞`), with
/// breakpoints `(p_k − hi_k)/q_k` and `(p_k − lo_k)/q_k`.
///
/// **Method.** Sort the `2K` breakpoints (in-place heapsort on the workspace), binary
/// search them for the pieces where `S` crosses `total` (each `S(b)` a direct O(K) sum),
/// and solve the affine piece `S(w) = S(b_j) − Q_j·(w − b_j)`, `Q_j` the sum of `q_k` over
/// the terms that are not clamped on the piece. The lower and upper ends of the solution
/// interval are found separately, so flat stretches of `S` are reported in full.
///
/// **Preconditions.** All four buffers of equal length `K`; every entry finite;
/// `q_k > 0`; `lo_k <= hi_k`; the breakpoints finite (no overflow of `(p − lo)/q`);
/// `Σ(|lo| + |hi|)` finite; `total` finite. Otherwise `.invalidInput`.
///
/// **Guarantee.** `.infeasible` exactly when `total ∉ [Σlo, Σhi]` (a total within
/// `K·ε·Σ(|lo|+|hi|)` outside is treated as on the bound). On `.converged`, `levelRange`
/// is the solution interval up to rounding, `level` its point of smallest `|w|`, and
/// `|S(level) − total|` is a few ulps of `Σ(|lo| + |hi| + |p|)`.
///
/// **Complexity.** O(K log K) time; no allocation when `K <= capacity`.
///
/// **Reference.** M. Patriksson, "A survey on the continuous nonlinear resource
/// allocation problem", *European J. Oper. Res.* 185 (2008) 1–46 (breakpoint / ranking
/// methods); P. Brucker, "An O(n) algorithm for quadratic knapsack problems", *Oper. Res.
/// Lett.* 3 (1984).
public struct BreakpointWaterFilling: Sendable {
  private var workspace: [Double]

  /// Creates a solver whose workspace holds the breakpoints of `capacity` terms.
  ///
  /// A negative capacity counts as 0, and capacities above 2²⁰ terms are reserved only
  /// up to 2²⁰ (larger problems grow the workspace on their first solve).
  public init(capacity: Int) {
    workspace = [Double](repeating: 0, count: 2 * min(max(capacity, 0), 1 << 20))
  }

  /// The number of terms `solve` handles without allocating.
  public var capacity: Int { workspace.count / 2 }

  /// Solves `Σ_k clamp(p[k] − q[k]·w, lo[k], hi[k]) = total` for the level `w`.
  ///
  /// See ``BreakpointWaterFilling`` for the problem, preconditions and guarantee.
  /// - Complexity: O(K log K); allocation-free when `p.count <= capacity`.
  public mutating func solve(
    p: UnsafeBufferPointer<Double>, q: UnsafeBufferPointer<Double>,
    lo: UnsafeBufferPointer<Double>, hi: UnsafeBufferPointer<Double>, total: Double
  ) -> WaterLevel {
    let count = p.count
    if q.count != count || lo.count != count || hi.count != count {
      return Self.invalid(
        "lengths differ: p \(count), q \(q.count), lo \(lo.count), hi \(hi.count)")
    }
    if !total.isFinite { return Self.invalid("total \(total) is not finite") }
    var sumLo = 0.0
    var sumHi = 0.0
    var sumAbs = 0.0
    for k in 0..<count {
      if !(p[k].isFinite && q[k].isFinite && lo[k].isFinite && hi[k].isFinite) {
        return Self.invalid("term \(k) is not finite")
      }
      if !(q[k] > 0) { return Self.invalid("q[\(k)] = \(q[k]) must be > 0") }
      if !(lo[k] <= hi[k]) { return Self.invalid("lo[\(k)] > hi[\(k)]") }
      if !((p[k] - hi[k]) / q[k]).isFinite || !((p[k] - lo[k]) / q[k]).isFinite {
        return Self.invalid("breakpoint of term \(k) overflows")
      }
      sumLo += lo[k]
      sumHi += hi[k]
      sumAbs += abs(lo[k]) + abs(hi[k])
    }
    if !sumAbs.isFinite { return Self.invalid("the sums of the bounds overflow") }
    let slack = Double(count) * Double.ulpOfOne * sumAbs
    var target = total
    if target > sumHi {
      if target - sumHi > slack {
        return WaterLevel(
          status: .infeasible("total \(total) exceeds the sum of the upper bounds \(sumHi)"),
          level: -.infinity, levelRange: -Double.infinity...(-Double.infinity),
          sumAtLevel: sumHi)
      }
      target = sumHi
    }
    if target < sumLo {
      if sumLo - target > slack {
        return WaterLevel(
          status: .infeasible("total \(total) is below the sum of the lower bounds \(sumLo)"),
          level: .infinity, levelRange: Double.infinity...Double.infinity, sumAtLevel: sumLo)
      }
      target = sumLo
    }
    if count == 0 {
      return WaterLevel(
        status: .converged, level: 0, levelRange: -Double.infinity...Double.infinity,
        sumAtLevel: 0)
    }
    if workspace.count < 2 * count {
      workspace = [Double](repeating: 0, count: 2 * count)
    }
    let terms = Terms(p: p, q: q, lo: lo, hi: hi)
    return workspace.withUnsafeMutableBufferPointer { buffer in
      let n = 2 * count
      for k in 0..<count {
        buffer[2 * k] = terms.upperBreak(k)
        buffer[2 * k + 1] = terms.lowerBreak(k)
      }
      heapSort(buffer, n)
      let points = UnsafeBufferPointer(start: buffer.baseAddress, count: n)
      let lower = lowerEnd(terms, points, target)
      let upper = upperEnd(terms, points, target)
      let (from, to) = lower <= upper ? (lower, upper) : (upper, lower)
      let level = from > 0 ? from : (to < 0 ? to : 0)
      return WaterLevel(
        status: .converged, level: level, levelRange: from...to, sumAtLevel: terms.sum(level))
    }
  }

  /// Convenience overload taking arrays; same problem, guarantee and result as the
  /// `UnsafeBufferPointer` overload.
  ///
  /// - Complexity: O(K log K); allocation-free when `p.count <= capacity`.
  public mutating func solve(
    p: [Double], q: [Double], lo: [Double], hi: [Double], total: Double
  ) -> WaterLevel {
    p.withUnsafeBufferPointer { p in
      q.withUnsafeBufferPointer { q in
        lo.withUnsafeBufferPointer { lo in
          hi.withUnsafeBufferPointer { hi in
            solve(p: p, q: q, lo: lo, hi: hi, total: total)
          }
        }
      }
    }
  }

  private static func invalid(_ why: String) -> WaterLevel {
    WaterLevel(
      status: .invalidInput(why), level: .nan, levelRange: -Double.infinity...Double.infinity,
      sumAtLevel: .nan)
  }
}

/// The terms of S with breakpoints and evaluation classified consistently.
private struct Terms {
  let p: UnsafeBufferPointer<Double>
  let q: UnsafeBufferPointer<Double>
  let lo: UnsafeBufferPointer<Double>
  let hi: UnsafeBufferPointer<Double>

  /// Where term k leaves its upper bound: (p − hi)/q.
  @inline(__always) func upperBreak(_ k: Int) -> Double { (p[k] - hi[k]) / q[k] }
  /// Where term k reaches its lower bound: (p − lo)/q.
  @inline(__always) func lowerBreak(_ k: Int) -> Double { (p[k] - lo[k]) / q[k] }

  /// Term k at w, exactly hi (lo) at and beyond its computed breakpoints.
  @inline(__always) func term(_ k: Int, _ w: Double) -> Double {
    if w <= upperBreak(k) { return hi[k] }
    if w >= lowerBreak(k) { return lo[k] }
    return min(max(p[k] - q[k] * w, lo[k]), hi[k])
  }

  /// S(w), summed in index order.
  func sum(_ w: Double) -> Double {
    var s = 0.0
    for k in 0..<p.count { s += term(k, w) }
    return s
  }

  /// Σ q over the terms unclamped strictly inside (a, b).
  func slope(_ a: Double, _ b: Double) -> Double {
    let m = midpoint(a, b)
    var s = 0.0
    for k in 0..<p.count where upperBreak(k) < m && m < lowerBreak(k) { s += q[k] }
    return s
  }

  /// The solution of the affine piece [a, b] with S(a) = sa >= target, clamped to it.
  func solvePiece(_ a: Double, _ b: Double, _ sa: Double, _ target: Double) -> Double? {
    let slope = slope(a, b)
    if !(slope > 0) { return nil }
    return min(max(a + (sa - target) / slope, a), b)
  }
}

/// inf { w : S(w) <= target }.
private func lowerEnd(_ t: Terms, _ b: UnsafeBufferPointer<Double>, _ target: Double) -> Double {
  // Smallest j with S(b_j) <= target.
  var low = 0
  var high = b.count
  while low < high {
    let mid = (low + high) / 2
    if t.sum(b[mid]) <= target { high = mid } else { low = mid + 1 }
  }
  if low == 0 { return -.infinity }
  if low == b.count { return b[b.count - 1] }
  let a = b[low - 1]
  return t.solvePiece(a, b[low], t.sum(a), target) ?? b[low]
}

/// sup { w : S(w) >= target }.
private func upperEnd(_ t: Terms, _ b: UnsafeBufferPointer<Double>, _ target: Double) -> Double {
  // Largest j with S(b_j) >= target, found as (smallest j with S(b_j) < target) − 1.
  var low = 0
  var high = b.count
  while low < high {
    let mid = (low + high) / 2
    if t.sum(b[mid]) < target { high = mid } else { low = mid + 1 }
  }
  let j = low - 1
  if j == b.count - 1 { return .infinity }
  if j < 0 { return b[0] }
  let a = b[j]
  return t.solvePiece(a, b[j + 1], t.sum(a), target) ?? b[j + 1]
}

/// In-place ascending heapsort; no allocation.
private func heapSort(_ a: UnsafeMutableBufferPointer<Double>, _ n: Int) {
  func siftDown(_ start: Int, _ end: Int) {
    var root = start
    while 2 * root + 1 < end {
      var child = 2 * root + 1
      if child + 1 < end && a[child] < a[child + 1] { child += 1 }
      if a[root] < a[child] {
        a.swapAt(root, child)
        root = child
      } else {
        return
      }
    }
  }
  if n < 2 { return }
  var start = n / 2 - 1
  while start >= 0 {
    siftDown(start, n)
    start -= 1
  }
  var end = n - 1
  while end > 0 {
    a.swapAt(0, end)
    siftDown(0, end)
    end -= 1
  }
}
