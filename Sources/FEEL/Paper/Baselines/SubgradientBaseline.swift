import ConvexCore

// Numerical priorities: (1) every reported allocation is feasible (a projected iterate)
// and its reported round length is recomputed from it with the true latency, (2) the gap
// is measured against a certified lower bound (the exact solver's dual bound), never
// against another estimate, (3) then speed, which is the point of comparison.

/// The projected subgradient method for P6 at a fixed global batch: the "traditional
/// solution" of Section V-B, kept as a baseline for the exact solver.
///
/// **Problem.** At a fixed global batch B, the uplink part of P6 (eq. 30 with the true
/// two-piece GPU latency of eq. 27, or eq. 9 for CPUs):
///
///     minimize  T(B_1..B_K, x_1..x_K) = max_k t_k(B_k) + a_k/x_k
///     s.t.      Σ_k B_k = B,  1 ≤ B_k ≤ B^max,  Σ_k x_k = 1,  x_k ≥ ε_k,
///
/// with x_k = τ_k^U/T_f^U and a_k = s/R_k^U. T is convex (a maximum of convex functions:
/// t_k is convex piecewise affine, a_k/x_k convex for x_k > 0), so the method converges
/// to the optimum T^U(B) of ``FEELSolver/uplink(globalBatch:)``. The downlink part (P5)
/// does not depend on B or the batches and is taken from ``FEELSolver/downlink()``.
///
/// **Method.** Variables are scaled to u_k = B_k/B^max so both blocks live in [0, 1]. From
/// equal batches and equal slots (Corollary 1, case A), step along minus a subgradient of
/// the active device k* (∂/∂u_k* = B^max·t'_k*(B_k*), with t' = 0 in the data-bound region
/// and at B_k^th, ∂/∂x_k* = −a_k*/x_k*²) with `ProjectedSubgradient`, then project each
/// block exactly: onto {Σ u_k = B/B^max, 1/B^max ≤ u_k ≤ 1} and onto
/// {Σ x_k = 1, ε_k ≤ x_k ≤ 1}, each a Euclidean projection u_k = clamp(z_k − w, lo_k, hi_k)
/// whose level w is found exactly by `BreakpointWaterFilling` (Brucker's O(K log K)
/// breakpoint search). The floor ε_k = a_k/T_0, with T_0 the round length of the start,
/// cuts off no optimal slot (x_k* ≥ a_k/T* ≥ a_k/T_0) and keeps T bounded.
///
/// **Guarantee.** Every iterate is feasible and `bestRoundLength` is its true round
/// length, so it never falls below the certified bound `exactDualBound`; with the
/// diminishing step it converges to T^U(B), at the subgradient rate O(1/√n) — slowly,
/// which is why the exact solver exists. With ``Step/oraclePolyak`` the step uses the
/// known optimum (Polyak's step with the exact dual bound as target): the best case of the
/// method, not a practical algorithm.
///
/// **Complexity.** O(K log K) per iteration (two projections), `maxIterations` at most.
///
/// **Reference.** Section V-B of the paper ("traditional solution is the sub-gradient
/// algorithm"); Polyak, *Introduction to Optimization* (1987), ch. 5.3.
public enum SubgradientBaseline {
  /// The step-size rule.
  public enum Step: Sendable, Equatable {
    /// α_n = scale/(√(n+1)·|g_n|): a step of length scale/√(n+1) in the scaled
    /// coordinates (u, x) ∈ [0, 1]^{2K}.
    case diminishing(scale: Double)
    /// Polyak's step towards the exact solver's dual bound (knows the optimum).
    case oraclePolyak
  }

  /// Settings of a run.
  public struct Options: Sendable, Equatable {
    /// Iterations allowed (one subgradient and two projections each).
    public let maxIterations: Int
    /// The step rule (default: diminishing, scale 0.1).
    public let step: Step
    /// Relative gaps (best − bound)/bound whose first attainment is reported; the run
    /// stops when the smallest one is reached.
    public let gapTargets: [Double]

    /// Creates settings; the defaults run 10 000 iterations with a diminishing step of
    /// scale 0.1 and report the gaps 1e-2 and 1e-3.
    public init(
      maxIterations: Int = 10_000, step: Step = .diminishing(scale: 0.1),
      gapTargets: [Double] = [1e-2, 1e-3]
    ) {
      self.maxIterations = maxIterations
      self.step = step
      self.gapTargets = gapTargets
    }
  }

  /// When a relative gap was first reached.
  public struct Milestone: Sendable, Equatable {
    /// The relative gap (best − bound)/bound asked for.
    public let relativeGap: Double
    /// Iterations (objective evaluations) needed, `nil` when not reached.
    public let iterations: Int?
    /// Wall time from the start of the run to that evaluation, seconds, `nil` when not reached.
    public let seconds: Double?
  }

  /// The outcome of a run.
  public struct Result: Sendable {
    /// B.
    public let globalBatch: Double
    /// The best iterate's batches B_k.
    public let batches: [Double]
    /// The best iterate's uplink fractions x_k.
    public let fractions: [Double]
    /// max_k t_k(B_k) + a_k/x_k at the best iterate (true latency).
    public let bestRoundLength: Double
    /// The best round length after each iteration (nonincreasing).
    package internal(set) var history: [Double]
    /// Iterations run.
    public let iterations: Int
    /// `SolverStatus.converged` when the smallest gap target was reached.
    public let status: SolverStatus
    /// T^U(B) from the exact solver.
    package internal(set) var exactRoundLength: Double
    /// The exact solver's certified lower bound on T^U(B).
    package internal(set) var exactDualBound: Double
    /// Each requested gap target and when it was reached.
    public let milestones: [Milestone]
    /// Wall time of the whole run, seconds.
    public let seconds: Double
    /// The best iterate completed with the optimal downlink slots, evaluated like every
    /// other policy (named `subgradient`, slots `optimal`).
    public let policy: EvaluatedPolicy

    /// (best − dual bound)/dual bound.
    public var relativeGap: Double { (bestRoundLength - exactDualBound) / exactDualBound }
  }

  /// Runs the projected subgradient method on P6 at global batch `B`.
  ///
  /// - Throws: ``InfeasibleRequest`` when B is not finite or outside K ... K·B^max
  ///   (field `globalBatch`), or the options are invalid (field `subgradient`).
  /// - Complexity: O(maxIterations · K log K).
  public static func run(
    _ solver: FEELSolver, globalBatch B: Double, options: Options = Options()
  ) throws -> Result {
    guard options.maxIterations >= 1 else {
      throw InfeasibleRequest(field: "subgradient", reason: "maxIterations must be >= 1")
    }
    if case .diminishing(let scale) = options.step, !(scale.isFinite && scale > 0) {
      throw InfeasibleRequest(
        field: "subgradient", reason: "the step scale must be finite and > 0 (got \(scale))")
    }
    for g in options.gapTargets where !(g.isFinite && g >= 0) {
      throw InfeasibleRequest(
        field: "subgradient", reason: "gap targets must be finite and >= 0 (got \(g))")
    }
    let exact = try solver.uplink(globalBatch: B)
    let data = solver.data
    let K = data.count
    let top = data.maxBatch
    let a = data.uplinkWork

    // Start: equal batches, equal slots (Corollary 1, case A).
    let share = Swift.min(Swift.max(B / Double(K), 1), top)
    let startBatches = [Double](repeating: share, count: K)
    let startSlots = [Double](repeating: 1 / Double(K), count: K)
    let T0 =
      (0..<K).map { data.trueLatency(of: $0, batch: startBatches[$0]) + a[$0] * Double(K) }
      .max() ?? .nan
    let slotFloor = a.map { $0 / T0 }
    let batchLow = [Double](repeating: 1 / top, count: K)
    let ones = [Double](repeating: 1, count: K)
    let batchTotal = B / top

    var filling = BreakpointWaterFilling(capacity: K)
    func project(_ z: inout [Double]) {
      let u = Array(z[0..<K])
      let x = Array(z[K..<(2 * K)])
      let wu = filling.solve(p: u, q: ones, lo: batchLow, hi: ones, total: batchTotal).level
      let wx = filling.solve(p: x, q: ones, lo: slotFloor, hi: ones, total: 1).level
      for k in 0..<K {
        z[k] = Swift.min(Swift.max(u[k] - wu, batchLow[k]), 1)
        z[K + k] = Swift.min(Swift.max(x[k] - wx, slotFloor[k]), 1)
      }
    }

    let clock = ContinuousClock()
    let started = clock.now
    var times: [Double] = []
    times.reserveCapacity(Swift.min(options.maxIterations, 100_000))
    let bound = exact.certificate.dualBound
    let smallest = options.gapTargets.min()
    let step: SubgradientStep
    switch options.step {
    case .diminishing(let scale): step = .diminishing(scale: scale)
    case .oraclePolyak: step = .polyak(target: bound)
    }
    let run = ProjectedSubgradient.minimize(
      start: startBatches.map { $0 / top } + startSlots, step: step,
      maxIterations: options.maxIterations,
      lowerBound: smallest.map { _ in bound },
      gapTolerance: (smallest ?? 0) * Swift.abs(bound),
      objective: { z in
        var worst = -Double.infinity
        var active = 0
        for k in 0..<K {
          let value = data.trueLatency(of: k, batch: z[k] * top) + a[k] / z[K + k]
          if value > worst || value.isNaN {
            worst = value
            active = k
          }
        }
        var g = [Double](repeating: 0, count: 2 * K)
        let b = z[active] * top
        let inDataBound = data.isGPU[active] && b <= data.lower[active]
        g[active] = inDataBound ? 0 : top * data.beta[active]
        g[K + active] = -a[active] / (z[K + active] * z[K + active])
        times.append(seconds(clock.now - started))
        return (worst, g)
      },
      project: project)
    let total = seconds(clock.now - started)

    let best = run.best
    let batches = (0..<K).map { best[$0] * top }
    let fractions = Array(best[K..<(2 * K)])
    let milestones = options.gapTargets.map { target -> Milestone in
      let n = run.history.firstIndex { ($0 - bound) <= target * Swift.abs(bound) }
      return Milestone(
        relativeGap: target, iterations: n.map { $0 + 1 }, seconds: n.map { times[$0] })
    }
    let policy = EvaluatedPolicy(
      data: data, name: "subgradient", slots: .optimal, batches: batches,
      uplinkFractions: fractions, downlinkFractions: solver.downlink().fractions)
    return Result(
      globalBatch: B, batches: batches, fractions: fractions, bestRoundLength: run.bestValue,
      history: run.history, iterations: run.evaluations, status: run.status,
      exactRoundLength: exact.roundLength, exactDualBound: bound, milestones: milestones,
      seconds: total, policy: policy)
  }

  private static func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
  }
}
