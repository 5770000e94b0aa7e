/// The loss-decay model of a scenario: ΔL(B), the decrease of the training loss in one
/// round as a function of the global batch B (the scenario key `lossDecay`).
///
/// Every model is positive, nondecreasing and concave in B, so every solver of this
/// module maximizes E = ΔL(B)/T exactly under it (Proofs/LossDecay.md). The scale (ξ or
/// L∞) only scales E; the exponent or the shape moves the policy.
///
/// Build one from fitted parameters with the cases, e.g.
/// `LossDecay.power(coefficient: 0.9, exponent: 0.62)` or
/// `LossDecay.saturating(maxDecrease: 0.8, noiseBatch: 300)`; `jsonValue` is exactly
/// the scenario's `lossDecay` value. Values are checked when a ``Scenario`` is built
/// (`validate(field:)`).
public enum LossDecay: Sendable, Equatable, LossDecayFunction, CustomStringConvertible {
  /// ΔL = ξ√B, the paper's eq. (8).
  case sqrt(coefficient: Double)
  /// ΔL = ξ·B^α, 0 < α ≤ 1.
  case power(coefficient: Double, exponent: Double)
  /// ΔL = L∞·B/(B + B_n), L∞ > 0, B_n ≥ 0.
  case saturating(maxDecrease: Double, noiseBatch: Double)

  /// The paper's model with ξ = 1 (the default of a scenario).
  public static let paper = LossDecay.sqrt(coefficient: 1)

  /// The model's name in the scenario file: `sqrt`, `power` or `saturating`.
  package var model: String {
    switch self {
    case .sqrt: "sqrt"
    case .power: "power"
    case .saturating: "saturating"
    }
  }

  /// The factor that scales ΔL without changing the policy: ξ (sqrt, power) or L∞
  /// (saturating).
  public var scale: Double {
    switch self {
    case .sqrt(let c), .power(let c, _): c
    case .saturating(let l, _): l
    }
  }

  /// The same model with its scale (ξ or L∞) replaced by `scale`.
  package func withScale(_ scale: Double) -> LossDecay {
    switch self {
    case .sqrt: .sqrt(coefficient: scale)
    case .power(_, let a): .power(coefficient: scale, exponent: a)
    case .saturating(_, let n): .saturating(maxDecrease: scale, noiseBatch: n)
    }
  }

  /// Checks the parameters; errors name the field as `\(field).exponent` and so on.
  ///
  /// - Throws: ``ScenarioError`` when ξ or L∞ is not finite and > 0, α is not in (0, 1],
  ///   or B_n is not finite and ≥ 0.
  package func validate(field: String = "lossDecay") throws {
    switch self {
    case .sqrt(let c):
      _ = try Check.positive(c, "\(field).coefficient")
    case .power(let c, let a):
      _ = try Check.positive(c, "\(field).coefficient")
      guard a.isFinite, a > 0, a <= 1 else {
        throw ScenarioError(
          field: "\(field).exponent",
          reason: "must be a finite number in (0, 1] (got \(Check.format(a)))")
      }
    case .saturating(let l, let n):
      _ = try Check.positive(l, "\(field).maxDecrease")
      _ = try Check.nonNegative(n, "\(field).noiseBatch")
    }
  }

  /// The model as its concrete function type (power(α = 1/2) as `SqrtLossDecay`,
  /// which makes it the sqrt model bit for bit). The solvers switch on the model once and
  /// run generic code specialized for the concrete type; this existential serves the
  /// O(1) evaluations outside their loops.
  package var function: any LossDecayFunction {
    switch self {
    case .sqrt(let c): SqrtLossDecay(coefficient: c)
    case .power(let c, let a) where a == 0.5: SqrtLossDecay(coefficient: c)
    case .power(let c, let a): PowerLossDecay(coefficient: c, exponent: a)
    case .saturating(let l, let n): SaturatingLossDecay(maxDecrease: l, noiseBatch: n)
    }
  }

  /// g(B).
  public func value(_ B: Double) -> Double {
    switch self {
    case .sqrt(let c): SqrtLossDecay(coefficient: c).value(B)
    case .power(let c, let a): PowerLossDecay(coefficient: c, exponent: a).value(B)
    case .saturating(let l, let n): SaturatingLossDecay(maxDecrease: l, noiseBatch: n).value(B)
    }
  }
  /// g'(B).
  package func derivative(_ B: Double) -> Double { function.derivative(B) }
  /// g''(B).
  package func secondDerivative(_ B: Double) -> Double { function.secondDerivative(B) }
  /// B·g'(B)/g(B).
  package func elasticity(_ B: Double) -> Double { function.elasticity(B) }
  /// N' and N'' of N(T) = g(B(T)).
  package func composedDerivatives(
    batch B: Double, slope: Double, curvature: Double
  ) -> (
    first: Double, second: Double
  ) {
    function.composedDerivatives(batch: B, slope: slope, curvature: curvature)
  }
  /// The maximizer of g(B)/(c + γB) over `range` (see `LossDecayFunction`).
  package func ratioPeak(
    intercept c: Double, slope gamma: Double, in range: ClosedRange<Double>
  )
    -> Double
  {
    function.ratioPeak(intercept: c, slope: gamma, in: range)
  }

  /// The formula with its parameters, e.g. `ΔL = 1.0·B^0.7 (power)`.
  public var description: String {
    switch self {
    case .sqrt(let c): "ΔL = \(c)·√B (sqrt, eq. 8)"
    case .power(let c, let a): "ΔL = \(c)·B^\(a) (power)"
    case .saturating(let l, let n): "ΔL = \(l)·B/(B + \(n)) (saturating)"
    }
  }
}
