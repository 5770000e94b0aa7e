import Foundation

/// An independent reference for the global batch of P1 / P7 under any loss-decay model:
/// golden-section search over B ∈ [K, K·B^max] of
///
///     E_ref(B) = g(B) / (T^U_ref(B) + T^D_ref),
///
/// with T^U_ref from ``GLPKReference/uplink(_:)`` (or LAPACK) on the true-latency instance
/// at B and T^D_ref from ``LAPACKReference/downlink(_:)``. Independence: the caller gives
/// g and the instances as raw numbers; no FEEL solver, optimizer or model is used here.
///
/// E_ref is quasi-concave (T^U convex nondecreasing, g concave nondecreasing;
/// Proofs/LossDecay.md), so the search brackets the maximizer; the ends are evaluated too.
public enum GlobalBatchReference {
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

  /// Golden-section search (`iterations` shrink steps, ends included) over `range` for the
  /// B that maximizes `lossDecrease(B) / (T^U(B) + T^D)`.
  ///
  /// - Parameters:
  ///   - range: the global batches `K ... K·B^max`.
  ///   - lossDecrease: g(B), positive, nondecreasing and concave.
  ///   - uplinkInstance: the uplink instance at a global batch B.
  ///   - downlink: the downlink instance.
  ///   - uplink: the reference uplink round length at B (default GLPK's cutting planes).
  /// - Throws: `ReferenceError` from an instance or a reference solve.
  /// - Complexity: `iterations + 4` reference uplink solves and one downlink solve.
  public static func optimize(
    over range: ClosedRange<Double>, lossDecrease: (Double) -> Double,
    uplinkInstance: (Double) throws(ReferenceError) -> UplinkInstance,
    downlink: DownlinkInstance, iterations: Int = 60,
    uplink: (UplinkInstance) throws(ReferenceError) -> ReferenceSolution = {
      try GLPKReference.uplink($0)
    }
  ) throws(ReferenceError) -> Optimum {
    let down = try LAPACKReference.downlink(downlink).roundLength
    var evaluations = 0
    func efficiency(_ B: Double) throws(ReferenceError) -> Double {
      evaluations += 1
      let up = try uplink(uplinkInstance(B)).roundLength
      return lossDecrease(B) / (up + down)
    }
    let lo = range.lowerBound
    let hi = range.upperBound
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
