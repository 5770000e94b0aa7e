import FEEL
import Foundation

/// An independent reference for the global batch of P1 / P7 under any loss-decay model:
/// golden-section search over B ∈ [K, K·B^max] of
///
///     E_ref(B) = g(B) / (T^U_ref(B) + T^D_ref),
///
/// with T^U_ref from ``GLPKReference/uplink(_:)`` (or LAPACK) on the true-latency instance
/// and T^D_ref from ``LAPACKReference/downlink(_:)``. Independence: g is evaluated here
/// from the model's parameters with its own formula (``lossDecrease(_:globalBatch:)``), and
/// no FEEL solver or optimizer is called.
///
/// E_ref is quasi-concave (T^U convex nondecreasing, g concave nondecreasing;
/// Proofs/LossDecay.md), so the search brackets the maximizer; the ends are evaluated too.
public enum GlobalBatchReference {
  /// ΔL(B) of `model`, from its formula: ξ√B, ξ·B^α (`Foundation.pow`), L∞·B/(B + B_n).
  public static func lossDecrease(_ model: LossDecay, globalBatch B: Double) -> Double {
    switch model {
    case .sqrt(let c): c * sqrt(B)
    case .power(let c, let a): c * pow(B, a)
    case .saturating(let l, let n): l * B / (B + n)
    }
  }

  /// The reference optimum: the best global batch found, its efficiency with the
  /// reference round lengths, and the number of uplink solves.
  public struct Optimum: Sendable {
    /// The best B found.
    public var globalBatch: Double
    /// E_ref at that B (an attainable efficiency: the reference allocations are feasible).
    public var efficiency: Double
    /// Reference uplink solves spent.
    public var evaluations: Int
  }

  /// Golden-section search (`iterations` shrink steps, ends included) for the B that
  /// maximizes E_ref.
  ///
  /// - Parameters:
  ///   - uplink: the reference uplink round length at B (default GLPK's cutting planes).
  /// - Throws: `ReferenceError` from a reference solve.
  /// - Complexity: `iterations + 4` reference uplink solves and one downlink solve.
  public static func optimize(
    _ data: SystemData, iterations: Int = 60,
    uplink: (UplinkInstance) throws(ReferenceError) -> ReferenceSolution = {
      try GLPKReference.uplink($0)
    }
  ) throws(ReferenceError) -> Optimum {
    let down = try LAPACKReference.downlink(DownlinkInstance(data)).roundLength
    var evaluations = 0
    func efficiency(_ B: Double) throws(ReferenceError) -> Double {
      evaluations += 1
      let up = try uplink(UplinkInstance(data, globalBatch: B)).roundLength
      return lossDecrease(data.lossDecay, globalBatch: B) / (up + down)
    }
    let lo = data.minimumGlobalBatch
    let hi = data.maximumGlobalBatch
    guard hi > lo else {
      return Optimum(globalBatch: lo, efficiency: try efficiency(lo), evaluations: 1)
    }
    let best = try goldenMaximum(lo...hi, iterations: iterations, relativeWidth: 1e-13, efficiency)
    return Optimum(globalBatch: best.x, efficiency: best.value, evaluations: evaluations)
  }

  /// Golden-section search for the maximum of a quasi-concave `f` on `range`, with the
  /// ends also evaluated: the best point seen and its value. Stops after `iterations`
  /// shrink steps or once the bracket [a, b] has b − a ≤ `relativeWidth`·b.
  ///
  /// - Complexity: at most `iterations + 4` evaluations of `f`.
  public static func goldenMaximum<E: Error>(
    _ range: ClosedRange<Double>, iterations: Int, relativeWidth: Double = 0,
    _ f: (Double) throws(E) -> Double
  ) throws(E) -> (x: Double, value: Double) {
    var best = (x: range.lowerBound, value: try f(range.lowerBound))
    let top = try f(range.upperBound)
    if top > best.value { best = (range.upperBound, top) }
    let ratio = (5.0.squareRoot() - 1) / 2
    var a = range.lowerBound
    var b = range.upperBound
    var c = b - ratio * (b - a)
    var d = a + ratio * (b - a)
    var fc = try f(c)
    var fd = try f(d)
    for _ in 0..<iterations where b - a > relativeWidth * b {
      if fc >= fd {
        b = d
        d = c
        fd = fc
        c = b - ratio * (b - a)
        fc = try f(c)
      } else {
        a = c
        c = d
        fc = fd
        d = a + ratio * (b - a)
        fd = try f(d)
      }
      if fc > best.value { best = (c, fc) }
      if fd > best.value { best = (d, fd) }
    }
    return best
  }
}
