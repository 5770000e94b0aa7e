/// The paper's Algorithm 1 (two-dimensional search for P2/P4 at a fixed global batch B),
/// implemented faithfully as a named baseline for ``FEELSolver/uplink(globalBatch:)``.
///
/// Problem (P4, eq. 21, at fixed B): minimize E^U over B_k, τ_k^U such that
/// B_k/V_k + s·T_f^U/(τ_k^U R_k^U) ≤ ΔL·E^U, Σ τ_k^U ≤ T_f^U, Σ B_k = B, 1 ≤ B_k ≤ B^max.
///
/// Method, as printed (Section IV-B):
/// 1. E_ℓ, E_h from Corollary 1 (eq. 23; ``Corollaries/uplinkBounds(data:globalBatch:)``).
/// 2. For a trial E the inner one-dimensional search finds μ with Σ_k B_k(E, μ) = B, where
///    B_k(E, μ) = [(ΔL E − √(ΔL s T_f μ/(ρ_k R_k)))·V_k]_1^{B^max} is eq. (22); then
///    τ_k(E, μ) = [s/R_k (ΔL E − B_k/V_k)^(−1)]^+·T_f (eq. 22).
/// 3. Bisection on E: E_m = (E_ℓ + E_h)/2; if Σ τ_k(E_m) ≥ T_f then E_ℓ = E_m, else
///    E_h = E_m (lines 5–11), until |Σ τ_{k,ℓ} − T_f| ≤ ε and |Σ τ_{k,h} − T_f| ≤ ε (line 4).
///
/// For a trial E the inner search computes exactly the minimizer of F(T) = min Σ τ_k/T_f
/// over the batches at round length T = ΔL·E (its KKT conditions are (22) with the same
/// scalar μ), and F is decreasing in T, so the test of line 7 moves E the right way.
///
/// Where the printed algorithm is ambiguous or wrong, this implementation follows its
/// evident intent (``Reading/intended``, the default); ``Reading/literal`` keeps the
/// printed text for comparison. Every interpretation (Proofs/Algorithm1.md):
/// - **ε**: one tolerance for both searches, as the paper says. The outer test of line 4
///   is applied relative to the frame, |Σ τ_k/T_f − 1| ≤ ε (the printed test subtracts
///   seconds from seconds, so an absolute ε would depend on the unit of time); the inner
///   search stops when its μ-bracket is within a relative ε (the slots scale like
///   μ^(−1/2), so Σ τ is then known to a relative ε/2) and Σ B_k is within a relative ε of
///   B (a μ-tolerance alone leaves Σ B_k − B up to ε·T·Σ V_k, large when computation
///   dominates), or when the bracket cannot be halved in floating point.
/// - **The inner bracket** is Corollary 2 (eq. 24) evaluated at the trial E. Its lower end
///   is wrong when some device cannot reach B^max (ΔL V_k E < B^max: the square of a
///   negative base); the intended reading uses the corrected bound with [·]_+ inside the
///   square (``Corollaries/correctedMultiplierBounds(data:globalBatch:uplinkReciprocal:)``),
///   which is 0 in that case.
/// - **No μ gives Σ B_k = B** when even μ = 0 leaves Σ_k [ΔL E V_k]_1^{B^max} < B: no
///   allocation finishes B samples by ΔL·E, so E is infeasible and the slot sum is taken
///   as +∞ (line 7 then raises E_ℓ). The literal reading bisects anyway.
/// - **[·]^+ in τ_k**: when ΔL E ≤ B_k/V_k (possible for a device clipped at B_k = 1), the
///   printed positive part gives τ_k = 0, a device that never uploads, and can make an
///   infeasible E look feasible. The intended reading takes τ_k = +∞.
/// - **Line 12** ("update τ_ℓ, τ_h") keeps the slot sums of the two ends of the bracket.
/// - **Termination**: the loop also stops when the bracket cannot be halved in floating
///   point or after `maxOuterIterations` (reported in ``Result/status``).
/// - **Output**: the batches and slots of (22) at the final E_h (the end whose slot sum is
///   ≤ T_f), unrepaired: Σ B_k = B and Σ τ_k = T_f hold to the tolerance, and the residuals
///   are reported.
///
/// ΔL is the scenario's ``LossDecay`` at B (ξ√B in the paper): at a fixed B it only rescales
/// E^U = T/ΔL, so the algorithm is the same for every loss-decay model.
///
/// GPU and mixed fleets use the unified affine model of ``SystemData`` (P7: B_k on
/// [ℓ_k, u_k], ΔL·E − α_k in place of ΔL·E), so B must be at least Σ ℓ_k.
///
/// - Complexity: O(K) per evaluation of Σ B_k(E, μ); O(log 1/ε) outer and O(log 1/ε)
///   inner iterations, O(K (log 1/ε)²) in all (the paper states O((K log 1/ε)²)).
public struct Algorithm1: Sendable {
  /// How to read the printed algorithm where it is ambiguous or wrong: each of its two
  /// defects can be kept as printed or repaired, to see what each one costs.
  public struct Reading: Sendable, Equatable {
    /// Bracket the inner search by Corollary 2 as printed (eq. 24), and bisect even when
    /// no μ in it gives Σ B_k = B; otherwise the corrected bracket, and E is infeasible
    /// (slot sum +∞) when no μ ≥ 0 gives Σ B_k = B.
    public let printedMultiplierBracket: Bool
    /// τ_k = [a_k T_f/(ΔL E − t_k(B_k))]^+ as printed (0 when the room is negative);
    /// otherwise +∞ there.
    public let printedPositivePart: Bool
    /// Chooses each reading.
    public init(printedMultiplierBracket: Bool, printedPositivePart: Bool) {
      self.printedMultiplierBracket = printedMultiplierBracket
      self.printedPositivePart = printedPositivePart
    }
    /// The evident intent (see the type's documentation).
    public static let intended = Reading(
      printedMultiplierBracket: false, printedPositivePart: false)
    /// The text as printed: Corollary 2's bracket for μ, and [·]^+ in τ_k.
    public static let literal = Reading(printedMultiplierBracket: true, printedPositivePart: true)
  }

  /// Why the outer loop stopped.
  public enum Status: Sendable, Equatable {
    /// Line 4: both ends of the bracket meet the slot budget within ε.
    case converged
    /// The bracket [E_ℓ, E_h] could not be halved any more in floating point.
    case bracketCollapsed
    /// `maxOuterIterations` reached.
    case iterationLimit
  }

  /// The output of Algorithm 1 and what it cost.
  public struct Result: Sendable, Equatable {
    /// E^U = E_h at termination (the reciprocal uplink efficiency of P4).
    package let uplinkReciprocal: Double
    /// T^U = ΔL·E^U, seconds.
    public let roundLength: Double
    /// The μ of the final inner search at E_h.
    public let mu: Double
    /// B_k from (22) at (E_h, μ).
    public let batches: [Double]
    /// τ_k^U from (22) at (E_h, μ), seconds.
    public let slotSeconds: [Double]
    /// The final bracket [E_ℓ, E_h].
    package let bracket: ClosedRange<Double>
    /// Σ B_k − B.
    package let batchResidual: Double
    /// Σ τ_k/T_f − 1.
    package let slotResidual: Double
    /// Midpoints tried by the outer bisection (lines 5–11).
    public let outerIterations: Int
    /// Inner bisection steps, summed over every trial E (including the two ends).
    package let innerIterations: Int
    /// The most inner steps spent on one trial E.
    package let maxInnerIterations: Int
    /// Evaluations of Σ_k B_k(E, μ), each O(K).
    package let evaluations: Int
    /// Why the loop stopped.
    public let status: Status
  }

  /// The system.
  package let data: SystemData
  /// ε, the tolerance of both searches (relative; see the type's documentation).
  package var tolerance: Double
  /// Cap on the outer iterations.
  package var maxOuterIterations: Int
  /// Cap on the inner iterations per trial E.
  package var maxInnerIterations: Int
  /// How to read the printed algorithm.
  package var reading: Reading

  /// Prepares Algorithm 1 for `data` with tolerance ε = `tolerance`.
  public init(
    data: SystemData, tolerance: Double = 1e-10, reading: Reading = .intended,
    maxOuterIterations: Int = 2000, maxInnerIterations: Int = 2000
  ) {
    self.data = data
    self.tolerance = tolerance
    self.reading = reading
    self.maxOuterIterations = maxOuterIterations
    self.maxInnerIterations = maxInnerIterations
  }

  /// One trial E: the μ of the inner search and what (22) gives there.
  struct Trial {
    var mu: Double
    var batchSum: Double
    /// Σ τ_k/T_f (+∞ when E is infeasible under the intended reading).
    var slotSum: Double
    var steps: Int
  }

  /// Runs Algorithm 1 at global batch `B`.
  ///
  /// - Throws: ``InfeasibleRequest`` (field `globalBatch`) when B is not finite or outside
  ///   Σ ℓ_k ... Σ u_k, or when ε is not in (0, 1).
  public func solve(globalBatch B: Double) throws -> Result {
    let lo = data.affineMinimumBatch
    let hi = data.maximumGlobalBatch
    guard B.isFinite, B >= lo * (1 - 1e-15), B <= hi * (1 + 1e-15) else {
      throw InfeasibleRequest(
        field: "globalBatch", reason: "must be a number in \(lo)...\(hi), got \(Check.format(B))")
    }
    guard tolerance > 0, tolerance < 1 else {
      throw InfeasibleRequest(
        field: "tolerance", reason: "must be in (0, 1), got \(Check.format(tolerance))")
    }
    let B = Swift.min(Swift.max(B, lo), hi)
    let dL = data.lossDecrease(globalBatch: B)
    let kappa = Corollaries.muScale(data: data, globalBatch: B)
    var evaluations = 0
    var inner = 0
    var maxInner = 0

    func trial(_ E: Double) -> Trial {
      let t = run(E: E, B: B, dL: dL, kappa: kappa, evaluations: &evaluations)
      inner += t.steps
      maxInner = Swift.max(maxInner, t.steps)
      return t
    }

    let bounds = Corollaries.uplinkBounds(data: data, globalBatch: B)
    var El = bounds.lower
    var Eh = Swift.max(bounds.upper, bounds.lower)
    var low = trial(El)
    var high = trial(Eh)
    var outer = 0
    var status = Status.converged
    let eps = tolerance
    while !(abs(low.slotSum - 1) <= eps) || !(abs(high.slotSum - 1) <= eps) {
      if outer >= maxOuterIterations {
        status = .iterationLimit
        break
      }
      let Em = 0.5 * (El + Eh)
      guard Em > El, Em < Eh else {
        status = .bracketCollapsed
        break
      }
      outer += 1
      let mid = trial(Em)
      if mid.slotSum >= 1 || mid.slotSum.isNaN {
        El = Em
        low = mid
      } else {
        Eh = Em
        high = mid
      }
    }
    let T = dL * Eh
    let batches = batchesAt(T: T, mu: high.mu, kappa: kappa)
    let slots = (0..<data.count).map { k in
      slotFraction(k, T: T, batch: batches[k]) * data.uplinkFrameSeconds
    }
    return Result(
      uplinkReciprocal: Eh, roundLength: T, mu: high.mu, batches: batches, slotSeconds: slots,
      bracket: El...Eh, batchResidual: batches.reduce(0, +) - B,
      slotResidual: slots.reduce(0, +) / data.uplinkFrameSeconds - 1, outerIterations: outer,
      innerIterations: inner, maxInnerIterations: maxInner, evaluations: evaluations,
      status: status)
  }

  /// B_k(E, μ) of eq. (22) at T = ΔL·E: [(T − α_k − √(μ/κ_k))·V_k]_{ℓ_k}^{u_k}.
  func batchesAt(T: Double, mu: Double, kappa: [Double]) -> [Double] {
    (0..<data.count).map { k in batch(k, T: T, mu: mu, kappa: kappa[k]) }
  }

  @inline(__always)
  func batch(_ k: Int, T: Double, mu: Double, kappa: Double) -> Double {
    let raw = (T - data.alpha[k] - (mu / kappa).squareRoot()) / data.beta[k]
    return Swift.min(Swift.max(raw, data.lower[k]), data.upper[k])
  }

  /// τ_k/T_f of eq. (22): a_k/(T − t_k(B_k)); non-positive room is +∞ (intended) or 0
  /// (literal [·]^+).
  @inline(__always)
  func slotFraction(_ k: Int, T: Double, batch b: Double) -> Double {
    let room = T - data.alpha[k] - data.beta[k] * b
    if reading.printedPositivePart { return Swift.max(data.uplinkWork[k] / room, 0) }
    return room > 0 ? data.uplinkWork[k] / room : .infinity
  }

  /// The inner one-dimensional search at E: bisection on μ over Corollary 2's bracket
  /// (corrected under the intended reading) for Σ_k B_k(E, μ) = B, then Σ τ_k/T_f.
  func run(E: Double, B: Double, dL: Double, kappa: [Double], evaluations: inout Int) -> Trial {
    let T = dL * E
    let bracket =
      reading.printedMultiplierBracket
      ? Corollaries.multiplierBounds(data: data, globalBatch: B, uplinkReciprocal: E)
      : Corollaries.correctedMultiplierBounds(data: data, globalBatch: B, uplinkReciprocal: E)
    var lo = bracket.lower
    var hi = bracket.upper
    guard lo.isFinite, hi.isFinite else {
      return Trial(mu: .nan, batchSum: .nan, slotSum: .nan, steps: 0)
    }
    if hi < lo { swap(&lo, &hi) }
    func batchSum(_ mu: Double) -> Double {
      evaluations += 1
      var sum = 0.0
      for k in 0..<data.count { sum += batch(k, T: T, mu: mu, kappa: kappa[k]) }
      return sum
    }
    if !reading.printedMultiplierBracket, batchSum(lo) < B {
      // Even the smallest μ cannot fit B samples by T: E is infeasible.
      return Trial(mu: lo, batchSum: .nan, slotSum: .infinity, steps: 0)
    }
    var steps = 0
    var mu = 0.5 * (lo + hi)
    var sum = batchSum(mu)
    while sum != B, steps < maxInnerIterations,
      hi - lo > tolerance * hi || abs(sum - B) > tolerance * B
    {
      steps += 1
      if sum > B { lo = mu } else { hi = mu }
      let next = 0.5 * (lo + hi)
      if next == mu { break }
      mu = next
      sum = batchSum(mu)
    }
    var slots = 0.0
    for k in 0..<data.count {
      slots += slotFraction(k, T: T, batch: batch(k, T: T, mu: mu, kappa: kappa[k]))
    }
    return Trial(mu: mu, batchSum: sum, slotSum: slots, steps: steps)
  }
}
