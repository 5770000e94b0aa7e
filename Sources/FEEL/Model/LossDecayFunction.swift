import ConvexCore
import Foundation

// Numerical priorities: (1) the sqrt model computes exactly what the paper's ξ√B code
// computed before (bit for bit: the solver's answers for the default model do not move),
// and power(α = 1/2) is the sqrt model bit for bit; (2) then accuracy of g, g', g'';
// (3) then speed (no allocation, no dynamic dispatch: the solvers are generic over the
// concrete function type).

/// A loss-decay function g(B): the decrease of the training loss in one communication
/// round as a function of the global batch B (the paper's eq. 8 is g(B) = ξ√B).
///
/// **Requirements.** On B > 0, g is finite, positive, nondecreasing and concave, and
/// twice differentiable: g > 0, g' ≥ 0, g'' ≤ 0. Every solver of this module relies on
/// exactly these properties (Proofs/LossDecay.md): with them the learning efficiency
/// E(B) = g(B)/(T^U(B) + T^D) is quasi-concave, its maximizer satisfies
/// g(B)·T'(B) = g'(B)·T(B), and the tangent line of g bounds g from above (the global
/// certificate).
///
/// A new model is one type conforming to this protocol with ``value(_:)``,
/// ``derivative(_:)`` and ``secondDerivative(_:)``; the other requirements have default
/// implementations.
package protocol LossDecayFunction: Sendable {
  /// g(B), the loss decrease per round.
  func value(_ B: Double) -> Double
  /// g'(B) ≥ 0.
  func derivative(_ B: Double) -> Double
  /// g''(B) ≤ 0.
  func secondDerivative(_ B: Double) -> Double
  /// The elasticity B·g'(B)/g(B) ∈ [0, 1] (1/2 for ξ√B).
  func elasticity(_ B: Double) -> Double
  /// The first and second derivatives in T of N(T) = g(B(T)), given B = B(T), B'(T) and
  /// B''(T): N' = g'(B)·B', N'' = g''(B)·B'² + g'(B)·B''.
  func composedDerivatives(
    batch: Double, slope: Double, curvature: Double
  ) -> (
    first: Double, second: Double
  )
  /// A maximizer over `range` of g(B)/(c + γB), for γ > 0 and c + γB > 0 on `range`: the
  /// root of the nonincreasing φ(B) = g'(B)(c + γB) − γg(B), or an end of `range` when φ
  /// does not change sign on it.
  func ratioPeak(
    intercept c: Double, slope gamma: Double, in range: ClosedRange<Double>
  )
    -> Double
}

extension LossDecayFunction {
  /// B·g'(B)/g(B).
  package func elasticity(_ B: Double) -> Double { B * derivative(B) / value(B) }

  /// N' = g'(B)·B', N'' = g''(B)·B'² + g'(B)·B''.
  @inline(__always)
  package func composedDerivatives(
    batch B: Double, slope: Double, curvature: Double
  ) -> (
    first: Double, second: Double
  ) {
    let d1 = derivative(B)
    return (d1 * slope, secondDerivative(B) * slope * slope + d1 * curvature)
  }

  /// The root of φ(B) = g'(B)(c + γB) − γg(B) by safeguarded Newton (φ' = g''·(c + γB) ≤ 0,
  /// so φ is nonincreasing where c + γB > 0 and its root maximizes the quasi-concave ratio).
  /// - Complexity: O(log log 1/ε) evaluations of g, g', g'' for smooth g.
  package func ratioPeak(
    intercept c: Double, slope gamma: Double, in range: ClosedRange<Double>
  )
    -> Double
  {
    let phi = { (B: Double) -> Double in derivative(B) * (c + gamma * B) - gamma * value(B) }
    let lo = range.lowerBound
    let hi = range.upperBound
    guard hi > lo else { return lo }
    if !(phi(lo) > 0) { return lo }
    if !(phi(hi) < 0) { return hi }
    let r = SafeguardedNewton.solve(in: range, xTolerance: 4e-16, maxIterations: 200) { B in
      (phi(B), secondDerivative(B) * (c + gamma * B))
    }
    return Swift.min(Swift.max(r.root, lo), hi)
  }
}

/// ΔL = ξ√B, the paper's eq. (8).
package struct SqrtLossDecay: LossDecayFunction, Equatable {
  /// ξ > 0.
  package let coefficient: Double
  /// Creates ξ√B (values are checked when a ``Scenario`` is built).
  package init(coefficient: Double) { self.coefficient = coefficient }
  /// ξ√B.
  @inline(__always) public func value(_ B: Double) -> Double { coefficient * B.squareRoot() }
  /// ξ/(2√B).
  @inline(__always) public func derivative(_ B: Double) -> Double {
    coefficient / (2 * B.squareRoot())
  }
  /// −ξ/(4B√B).
  @inline(__always) public func secondDerivative(_ B: Double) -> Double {
    -coefficient / (4 * B * B.squareRoot())
  }
  /// 1/2.
  @inline(__always) public func elasticity(_ B: Double) -> Double { 0.5 }
  /// ξB'/(2√B) and ξ(B''/(2√B) − B'²/(4B√B)), in the form the solver has always used.
  @inline(__always)
  package func composedDerivatives(
    batch B: Double, slope: Double, curvature: Double
  ) -> (
    first: Double, second: Double
  ) {
    let sq = B.squareRoot()
    return (
      coefficient * slope / (2 * sq),
      coefficient * (curvature / (2 * sq) - slope * slope / (4 * sq * B))
    )
  }
  /// c/γ, clamped to `range` (φ = ξ(c − γB)/(2√B)).
  package func ratioPeak(
    intercept c: Double, slope gamma: Double, in range: ClosedRange<Double>
  )
    -> Double
  {
    Swift.min(Swift.max(c / gamma, range.lowerBound), range.upperBound)
  }
}

/// ΔL = ξ·B^α with 0 < α ≤ 1 (α = 1/2 is ``SqrtLossDecay`` bit for bit).
package struct PowerLossDecay: LossDecayFunction, Equatable {
  /// ξ > 0.
  package let coefficient: Double
  /// α ∈ (0, 1].
  package let exponent: Double
  /// Creates ξ·B^α (values are checked when a ``Scenario`` is built).
  package init(coefficient: Double, exponent: Double) {
    self.coefficient = coefficient
    self.exponent = exponent
  }
  @inline(__always) var sqrt: SqrtLossDecay? {
    exponent == 0.5 ? SqrtLossDecay(coefficient: coefficient) : nil
  }
  /// ξB^α.
  @inline(__always) public func value(_ B: Double) -> Double {
    if let s = sqrt { return s.value(B) }
    return coefficient * pow(B, exponent)
  }
  /// αξB^(α−1).
  @inline(__always) public func derivative(_ B: Double) -> Double {
    if let s = sqrt { return s.derivative(B) }
    return exponent * coefficient * pow(B, exponent - 1)
  }
  /// α(α−1)ξB^(α−2).
  @inline(__always) public func secondDerivative(_ B: Double) -> Double {
    if let s = sqrt { return s.secondDerivative(B) }
    return exponent * (exponent - 1) * coefficient * pow(B, exponent - 2)
  }
  /// α.
  @inline(__always) public func elasticity(_ B: Double) -> Double {
    if let s = sqrt { return s.elasticity(B) }
    return exponent
  }
  /// ξB^α·(α B'/B) and ξB^α·(α B''/B + α(α−1)B'²/B²).
  @inline(__always)
  package func composedDerivatives(
    batch B: Double, slope: Double, curvature: Double
  ) -> (
    first: Double, second: Double
  ) {
    if let s = sqrt { return s.composedDerivatives(batch: B, slope: slope, curvature: curvature) }
    let g = coefficient * pow(B, exponent)
    let r = slope / B
    return (g * exponent * r, g * exponent * (curvature / B + (exponent - 1) * r * r))
  }
  /// αc/((1 − α)γ) for α < 1 (φ = αξB^(α−1)(c − (1−α)γB/α)); for α = 1 the ratio is
  /// monotone with the sign of c. Clamped to `range`.
  package func ratioPeak(
    intercept c: Double, slope gamma: Double, in range: ClosedRange<Double>
  )
    -> Double
  {
    if let s = sqrt { return s.ratioPeak(intercept: c, slope: gamma, in: range) }
    let peak =
      exponent < 1 ? exponent * c / ((1 - exponent) * gamma) : (c > 0 ? range.upperBound : 0)
    return Swift.min(Swift.max(peak, range.lowerBound), range.upperBound)
  }
}

/// ΔL = L∞·B/(B + B_n) with L∞ > 0, B_n ≥ 0: per-round progress that grows linearly for
/// B ≪ B_n and saturates at L∞ beyond the gradient noise scale B_n (McCandlish et al.,
/// "An Empirical Model of Large-Batch Training", 2018).
package struct SaturatingLossDecay: LossDecayFunction, Equatable {
  /// L∞ > 0.
  package let maxDecrease: Double
  /// B_n ≥ 0.
  package let noiseBatch: Double
  /// Creates L∞·B/(B + B_n) (values are checked when a ``Scenario`` is built).
  package init(maxDecrease: Double, noiseBatch: Double) {
    self.maxDecrease = maxDecrease
    self.noiseBatch = noiseBatch
  }
  /// L∞B/(B + B_n).
  @inline(__always) public func value(_ B: Double) -> Double {
    maxDecrease * B / (B + noiseBatch)
  }
  /// L∞B_n/(B + B_n)².
  @inline(__always) public func derivative(_ B: Double) -> Double {
    let s = B + noiseBatch
    return maxDecrease * noiseBatch / (s * s)
  }
  /// −2L∞B_n/(B + B_n)³.
  @inline(__always) public func secondDerivative(_ B: Double) -> Double {
    let s = B + noiseBatch
    return -2 * maxDecrease * noiseBatch / (s * s * s)
  }
  /// B_n/(B + B_n).
  @inline(__always) public func elasticity(_ B: Double) -> Double { noiseBatch / (B + noiseBatch) }
  /// √(B_n c/γ) for c > 0 (φ ∝ B_n c − γB²), else the left end. Clamped to `range`.
  package func ratioPeak(
    intercept c: Double, slope gamma: Double, in range: ClosedRange<Double>
  )
    -> Double
  {
    let peak = c > 0 ? (noiseBatch * c / gamma).squareRoot() : range.lowerBound
    return Swift.min(Swift.max(peak, range.lowerBound), range.upperBound)
  }
}
