import ConvexCore

/// The exact solver of the paper's problems for CPU, GPU and mixed fleets.
///
/// - ``optimize()`` solves P1 (CPU, eq. 17) and P7 (GPU, eq. 31) — one problem in the
///   unified affine compute model — over the global batch B as well.
/// - ``solve(globalBatch:)`` solves P2 + P3 at a fixed B: the uplink problem P4
///   (Theorem 1; P6 when B is below Σ B_k^th and GPUs sit in their data-bound region)
///   and the downlink problem P5 (Theorem 2).
///
/// Every answer carries certificates (``UplinkCertificate``, ``DownlinkCertificate``,
/// ``GlobalCertificate``) checkable by ``Verifier`` without this solver.
///
/// Method: the uplink problem is solved in its inverse form B(T), the
/// largest global batch for a round length T, by an exact breakpoint water-filling
/// (`UplinkEngine`); T^U(B) is the root of B(T) = B by safeguarded Newton (B(T) is
/// concave increasing, so Newton from the left never overshoots). The global batch
/// maximizes the quasi-concave ratio ΔL(B(T))/(T + T^D) over T (ΔL = ξ√B in the paper; any
/// concave nondecreasing `LossDecayFunction`) by parametric Dinkelbach,
/// each parametric problem solved by safeguarded Newton on its first-order condition
/// with the exact derivatives B'(T), B''(T).
/// - Complexity: O(K log K) per evaluation; O(log log 1/ε) Newton steps per root.
public struct FEELSolver: Sendable {
  /// The scenario solved.
  public let scenario: Scenario
  /// Its compiled per-device data.
  public let data: SystemData
  /// Every tolerance and iteration cap of the solve.
  public let settings: Settings

  /// The same problem in units of 2^e seconds when the scenario's times are far from 1 s
  /// (``optimize()`` and ``solve(globalBatch:)`` solve it there and convert back).
  let scaled: ScaledProblem?

  /// Prepares a solver for `scenario` (already validated when it was built) with
  /// `settings` (already validated when they were built; ``Settings/default`` keeps
  /// the solver's documented tolerances and caps).
  ///
  /// - Throws: ``ScenarioError`` when the scenario cannot be compiled (not for a
  ///   scenario built by ``Scenario``'s initializers, which compile it once already).
  public init(_ scenario: Scenario, settings: Settings = .default) throws {
    try self.init(scenario, settings: settings, scaling: true)
  }

  init(_ scenario: Scenario, settings: Settings, scaling: Bool) throws {
    self.scenario = scenario
    let data = try SystemData(scenario)
    self.data = data
    self.settings = settings
    self.scaled =
      scaling ? FEELSolver.scaledProblem(scenario, data: data, settings: settings) : nil
  }

  /// The range of global batches this scenario admits, K ... K·B^max.
  public var globalBatchRange: ClosedRange<Double> {
    data.minimumGlobalBatch...data.maximumGlobalBatch
  }

  // MARK: Downlink (P5, Theorem 2)

  /// Solves P5 (Theorem 2): y_k = d_k/(T^D − m_k) with T^D the root of
  /// Σ_k d_k/(T − m_k) = 1 (eq. 26 with ΔL·E^D = T^D).
  ///
  /// - Returns: the fractions y_k, their certificate, the Newton steps of the root, and
  ///   how that root search stopped (ConvexCore's `SolverStatus`).
  public func downlink() -> Downlink {
    let d = data.downlinkWork
    let m = data.updateSeconds
    let root = HarmonicRoot.solve(weights: d, poles: m, settings: settings)
    let y = HarmonicRoot.fractions(weights: d, poles: m, root: root.root)
    let T = (0..<data.count).map { m[$0] + d[$0] / y[$0] }.max() ?? .nan
    let cert = Certifier.downlink(data: data, fractions: y, roundLength: T)
    return Downlink(
      fractions: y, certificate: cert, iterations: root.iterations, status: root.status)
  }

  /// The downlink allocation (P5).
  public struct Downlink: Sendable, Equatable {
    /// y_k = τ_k^D/T_f^D.
    public let fractions: [Double]
    /// KKT multipliers and the dual bound.
    public let certificate: DownlinkCertificate
    /// Newton steps of the harmonic root.
    public let iterations: Int
    /// How the harmonic root search stopped.
    public let status: SolverStatus
  }

  // MARK: Uplink at a fixed global batch (P4 / P6 / P7, Theorem 1)

  /// The uplink allocation at a fixed global batch.
  public struct Uplink: Sendable, Equatable {
    /// B_k.
    public let batches: [Double]
    /// x_k = τ_k^U/T_f^U.
    public let fractions: [Double]
    /// max_k t_k(B_k) + a_k/x_k, recomputed from the allocation.
    public let roundLength: Double
    /// KKT multipliers and the dual bound.
    public let certificate: UplinkCertificate
    /// Evaluations of B(T) (Newton steps on B(T) = B).
    public let iterations: Int
    /// How its searches stopped: the first of the root of B(T) = B and the harmonic root
    /// of the slots that did not converge (`converged` when both did).
    public let status: SolverStatus
  }

  /// Solves the uplink problem P4 (P6 for GPUs) at global batch `B`.
  ///
  /// - Throws: ``InfeasibleRequest`` (field `globalBatch`) when B is not finite or
  ///   outside K ... K·B^max.
  public func uplink(globalBatch B: Double) throws -> Uplink {
    try checkBatch(B)
    let engine = UplinkEngine(data, settings: settings)
    return uplink(globalBatch: B, engine: engine, start: nil)
  }

  func checkBatch(_ B: Double) throws {
    let range = globalBatchRange
    let slack = settings.globalBatchSlack * range.upperBound
    guard B.isFinite, B >= range.lowerBound - slack, B <= range.upperBound + slack else {
      throw InfeasibleRequest(
        field: "globalBatch",
        reason: "must be a number in \(range.lowerBound)...\(range.upperBound) "
          + "(K devices with batches 1...maxBatch), got \(Check.format(B))")
    }
  }

  func uplink(globalBatch target: Double, engine: UplinkEngine, start: Double?) -> Uplink {
    let B = Swift.min(Swift.max(target, data.minimumGlobalBatch), data.maximumGlobalBatch)
    let lowAffine = data.affineMinimumBatch
    let evaluationsBefore = engine.evaluations
    var search = SolverStatus.converged
    var batches: [Double]
    var level: Double
    if B <= lowAffine {
      // Below Σ ℓ_k only GPUs can give way, inside their data-bound region, where their
      // latency is flat (P6): the round length is that of every device at ℓ_k.
      _ = engine.evaluate(engine.minimumRound)
      level = 0
      batches = dataBoundBatches(B)
    } else {
      let p: UplinkEngine.Point
      if B >= data.maximumGlobalBatch {
        p = engine.evaluate(engine.maximumRound)
      } else {
        let lo = engine.minimumRound
        let hi = engine.maximumRound
        let r = SafeguardedNewton.solve(
          in: lo...hi, start: start ?? lo, xTolerance: settings.rootTolerance,
          maxIterations: settings.newtonMaxIterations
        ) { t in
          let e = engine.evaluate(t)
          return (e.batchSum - B, e.slope)
        }
        search = r.status
        p = engine.evaluate(r.root)
        let miss = abs(p.batchSum - B)
        if miss > settings.batchMatchTolerance * B, r.bracket.lowerBound < r.bracket.upperBound {
          // B(T) is so steep here that no double T gives B(T) = B (a device saturates
          // within an ulp of T, e.g. next to the slowest pole): combine the allocations at
          // the two ends of the final bracket. The feasible set of P4 is convex, so the
          // combination is feasible with a round length between the two ends, which are
          // a few ulps apart.
          let pa = engine.evaluate(r.bracket.lowerBound)
          let ba = engine.batches(at: pa, target: pa.batchSum)
          let pb = engine.evaluate(r.bracket.upperBound)
          let bb = engine.batches(at: pb, target: pb.batchSum)
          let span = pb.batchSum - pa.batchSum
          if span > 0 {
            let theta = Swift.min(Swift.max((B - pa.batchSum) / span, 0), 1)
            batches = (0..<data.count).map { (1 - theta) * ba[$0] + theta * bb[$0] }
            // Rounding in the level can leave a residual here (the slots of devices with
            // tiny shares are known only to the rounding of the large ones): give it to
            // the devices whose batch moves across the bracket, the cheapest ones.
            let moving = (0..<data.count).filter { ba[$0] != bb[$0] }
            UplinkEngine.spread(
              &batches, target: B, preferred: moving, lower: data.lower, upper: data.upper)
            let (x, roundLength, slotStatus) = slots(for: batches)
            let cert = Certifier.uplink(
              data: data, globalBatch: B, batches: batches, fractions: x, roundLength: roundLength,
              level: theta < 0.5 ? pa.level : pb.level, settings: settings)
            return Uplink(
              batches: batches, fractions: x, roundLength: roundLength, certificate: cert,
              iterations: engine.evaluations - evaluationsBefore,
              status: FEELSolver.firstFailure([search, slotStatus]))
          }
        }
      }
      level = p.level
      batches = engine.batches(at: p, target: B)
    }
    let (x, roundLength, slotStatus) = slots(for: batches)
    let cert = Certifier.uplink(
      data: data, globalBatch: B, batches: batches, fractions: x, roundLength: roundLength,
      level: B <= lowAffine ? 0 : level, settings: settings)
    return Uplink(
      batches: batches, fractions: x, roundLength: roundLength, certificate: cert,
      iterations: engine.evaluations - evaluationsBefore,
      status: FEELSolver.firstFailure([search, slotStatus]))
  }

  /// Batches at B ≤ Σ ℓ_k: CPUs at 1, GPUs share the rest inside [1, B_k^th].
  private func dataBoundBatches(_ B: Double) -> [Double] {
    var b = [Double](repeating: 1, count: data.count)
    var room = 0.0
    for k in 0..<data.count where data.isGPU[k] { room += data.lower[k] - 1 }
    let extra = B - data.minimumGlobalBatch
    let theta = room > 0 ? Swift.min(Swift.max(extra / room, 0), 1) : 0
    for k in 0..<data.count where data.isGPU[k] { b[k] = 1 + (data.lower[k] - 1) * theta }
    return b
  }

  /// The optimal uplink slots for fixed batches (P2 with the B_k held fixed).
  ///
  /// Problem: minimize max_k t_k(B_k) + a_k/x_k over Σ x_k ≤ 1, x_k > 0, with t_k the
  /// true local latency (eq. 9, or the two-piece eq. 27 for GPUs). At the optimum every
  /// device finishes together (the structure of Theorem 1 with the batches fixed): x_k =
  /// a_k/(T − t_k(B_k)) with T the root of Σ_k a_k/(T − t_k(B_k)) = 1, found by
  /// safeguarded Newton from the largest pole.
  ///
  /// - Parameter batches: B_k, one per device, each in 1 ... B^max (not checked; a
  ///   batch outside the range is evaluated with the latency formula as given).
  /// - Returns: the fractions x_k = τ_k^U/T_f^U with Σ x_k = 1 (to rounding; the most
  ///   sensitive device takes the remainder, see `HarmonicRoot.fractions`), and the round
  ///   length max_k t_k(B_k) + a_k/x_k recomputed from them.
  /// - Complexity: O(K) per Newton step, typically 5–8 steps.
  public func slotsFor(batches: [Double]) -> (fractions: [Double], roundLength: Double) {
    let s = slots(for: batches)
    return (s.fractions, s.roundLength)
  }

  /// ``slotsFor(batches:)`` with the outcome of its harmonic root.
  func slots(
    for batches: [Double]
  ) -> (
    fractions: [Double], roundLength: Double, status: SolverStatus
  ) {
    let a = data.uplinkWork
    let c = (0..<data.count).map { data.trueLatency(of: $0, batch: batches[$0]) }
    // Slots are reported in seconds: keep every x_k·T_f a normal double.
    return HarmonicRoot.slots(
      weights: a, poles: c, minimum: Double.leastNormalMagnitude / data.uplinkFrameSeconds,
      settings: settings)
  }

  /// The first status of `statuses` that is not `converged` (`converged` when all are).
  static func firstFailure(_ statuses: [SolverStatus]) -> SolverStatus {
    statuses.first { !$0.isConverged } ?? .converged
  }

  // MARK: Fixed global batch (P2 + P3)

  /// Solves P2 and P3 at a fixed global batch B (`feel solve --global-batch B`).
  ///
  /// - Throws: ``InfeasibleRequest`` when B is outside K ... K·B^max or not finite.
  public func solve(globalBatch B: Double) throws -> Solution {
    try checkBatch(B)
    if let inner = scaled {
      return inSeconds(try inner.solver.solve(globalBatch: B), inner)
    }
    let engine = UplinkEngine(data, settings: settings)
    let up = reinforced(uplink(globalBatch: B, engine: engine, start: nil), globalBatch: B)
    return assemble(
      up: up, down: downlink(), global: nil, evaluations: engine.evaluations,
      searches: [engine.rootStatus])
  }

  // MARK: Global batch (P1 / P7)

  /// Solves P1 (P7 with GPUs): the global batch, every B_k and both slot allocations
  /// that maximize the learning efficiency ΔL(B)/(T^U(B) + T^D), with ΔL the scenario's
  /// ``LossDecay`` (ξ√B in the paper).
  ///
  /// The ratio N(T)/D(T) = ΔL(B(T)) / (T + T^D) is maximized over the uplink round length
  /// T ∈ [T_min, T_max] (B(T) concave increasing, so N is concave and the ratio
  /// quasi-concave). Each iteration is a Dinkelbach step with one Newton step for its
  /// parametric problem: λ = N(T)/D(T), then T ← T − (N'(T) − λ)/N''(T), the Newton step on
  /// the first-order condition N'(T) = λ of max N − λD. Its fixed point is the maximizer
  /// (N'·D = N), the iteration converges quadratically (the step differs from Newton's on
  /// G = N' − N/D by a factor 1 + O(G)), and `SafeguardedNewton` keeps it inside the
  /// bracket given by the sign of G (positive left of the optimum, negative right of it).
  /// ``optimizeByDinkelbach()`` runs the textbook method with exact parametric solves; both
  /// reach the same optimum (tested).
  /// - Complexity: O(K) per evaluation of B(T) (warm-started water-filling), about 6–10
  ///   evaluations.
  public func optimize() -> Solution {
    if let inner = scaled {
      return inSeconds(inner.solver.optimize(), inner)
    }
    switch data.lossDecay.function {
    case let g as SqrtLossDecay: return optimize(g)
    case let g as PowerLossDecay: return optimize(g)
    case let g as SaturatingLossDecay: return optimize(g)
    case let g: return optimize(g)
    }
  }

  /// ``optimize()`` for the loss-decay function `g`, the concrete type of the scenario's
  /// model (so the loop is specialized per model, with no dynamic dispatch).
  ///
  /// The ratio N(T)/D(T) = g(B(T))/(T + T^D) is maximized over the uplink round length T
  /// (N is concave: g concave nondecreasing composed with the concave B(T); Proofs/LossDecay.md).
  /// - Precondition: `g` is `data.lossDecay` (the efficiency and certificate use it).
  func optimize<G: LossDecayFunction>(_ g: G) -> Solution {
    let engine = UplinkEngine(data, settings: settings)
    let down = downlink()
    let TD = down.certificate.roundLength
    let lo = engine.minimumRound
    let hi = engine.maximumRound
    var best = lo
    var search = SolverStatus.converged
    if hi > lo {
      // G(T) = N'(T) − N(T)/D(T) with N = g(B(T)), D = T + T^D; "derivative" N''(T).
      let r = SafeguardedNewton.solve(
        in: lo...hi, xTolerance: settings.optimumTolerance,
        maxIterations: settings.newtonMaxIterations
      ) { t in
        let p = engine.evaluate(t)
        let (n1, n2) = g.composedDerivatives(
          batch: p.batchSum, slope: p.slope, curvature: p.curvature)
        return (n1 - g.value(p.batchSum) / (p.roundLength + TD), n2)
      }
      best = r.root
      search = r.status
      // At an end with no sign change the ratio is monotone: the end with the larger ratio wins.
      if r.stopReason == .noSignChange {
        search = .converged
        let a = engine.evaluate(lo)
        let b = engine.evaluate(hi)
        best = g.value(a.batchSum) / (lo + TD) >= g.value(b.batchSum) / (hi + TD) ? lo : hi
      }
    }
    let solution = finish(engine: engine, roundLength: best, down: down, searches: [search])
    return searchOverBatchIfUncertified(solution)
  }

  /// Solves P1 / P7 by the textbook parametric method of Dinkelbach (ConvexCore's
  /// `Dinkelbach`), each parametric problem max_T g(B(T)) − λ(T + T^D) solved exactly by
  /// safeguarded Newton on its first-order condition g'(B(T))·B'(T) = λ (ξB'(T)/(2√B(T)) = λ
  /// for the paper's g = ξ√B). Slower than ``optimize()`` (several Newton solves instead of
  /// one) and kept as its cross-check.
  public func optimizeByDinkelbach() -> (solution: Solution, trace: [DinkelbachStep]) {
    switch data.lossDecay.function {
    case let g as SqrtLossDecay: optimizeByDinkelbach(g)
    case let g as PowerLossDecay: optimizeByDinkelbach(g)
    case let g as SaturatingLossDecay: optimizeByDinkelbach(g)
    case let g: optimizeByDinkelbach(g)
    }
  }

  func optimizeByDinkelbach<G: LossDecayFunction>(
    _ g: G
  ) -> (
    solution: Solution, trace: [DinkelbachStep]
  ) {
    let engine = UplinkEngine(data, settings: settings)
    let down = downlink()
    let TD = down.certificate.roundLength
    let lo = engine.minimumRound
    let hi = engine.maximumRound
    var last = lo
    var parametric = SolverStatus.converged
    let result = Dinkelbach.maximize(
      start: 0.5 * (lo + hi), tolerance: settings.dinkelbachTolerance,
      maxIterations: settings.dinkelbachMaxIterations,
      ratio: { (t: Double) -> (numerator: Double, denominator: Double) in
        let p = engine.evaluate(t)
        return (g.value(p.batchSum), p.roundLength + TD)
      },
      parametric: { (lambda: Double) -> Double in
        guard hi > lo else { return lo }
        let r = SafeguardedNewton.solve(
          in: lo...hi, start: Swift.min(Swift.max(last, lo), hi),
          xTolerance: settings.optimumTolerance, maxIterations: settings.newtonMaxIterations
        ) { t in
          let p = engine.evaluate(t)
          let (n1, n2) = g.composedDerivatives(
            batch: p.batchSum, slope: p.slope, curvature: p.curvature)
          return (n1 - lambda, n2)
        }
        // Without a sign change the parametric objective is monotone on the bracket.
        let t = r.stopReason == .noSignChange ? (r.value > 0 ? hi : lo) : r.root
        if r.stopReason != .noSignChange, !r.status.isConverged, parametric.isConverged {
          parametric = r.status
        }
        last = t
        return t
      })
    let solution = finish(
      engine: engine, roundLength: result.maximizer, down: down,
      searches: [result.status, parametric])
    return (solution, result.trace)
  }

  /// The full solution at the uplink round length T: the allocation at that point of the
  /// engine, the slots, and the certificates, with its status (`searches`: the outcomes of
  /// the searches that chose T).
  private func finish(
    engine: UplinkEngine, roundLength T: Double, down: Downlink, searches: [SolverStatus]
  ) -> Solution {
    let point = engine.evaluate(T)
    let B = point.batchSum
    let batches = engine.batches(at: point, target: B)
    let (x, roundLength, slotStatus) = slots(for: batches)
    let cert = Certifier.uplink(
      data: data, globalBatch: B, batches: batches, fractions: x, roundLength: roundLength,
      level: point.level, settings: settings)
    let up = Uplink(
      batches: batches, fractions: x, roundLength: roundLength, certificate: cert,
      iterations: 0, status: slotStatus)
    let TD = down.certificate.roundLength
    let global = Certifier.global(
      data: data, uplink: cert, batches: batches, downlink: down.certificate,
      uplinkFloor: engine.minimumRoundFloor,
      efficiency: data.efficiency(globalBatch: B, roundSeconds: roundLength + TD),
      settings: settings)
    return assemble(
      up: up, down: down, global: global, evaluations: engine.evaluations,
      searches: searches + [engine.rootStatus])
  }

  /// The solution of an uplink and a downlink allocation, with its certificates and its
  /// ``Solution/status``: the verification of the certificate (``Verifier``, tolerance
  /// ``Settings/certificateTolerance``; the uplink certificate is the global one's when B
  /// was optimized) and the outcomes of every search (`searches`, and those of `up` and
  /// `down`).
  func assemble(
    up: Uplink, down: Downlink, global: GlobalCertificate?, evaluations: Int,
    searches: [SolverStatus]
  ) -> Solution {
    let allocation = data.allocation(
      batches: up.batches, uplinkFractions: up.fractions, downlinkFractions: down.fractions)
    let lat = data.latency(allocation)
    let B = up.batches.reduce(0, +)
    let uplinkCertificate = global?.uplink ?? up.certificate
    let report = Verifier.verify(
      allocation, globalBatch: B, uplink: uplinkCertificate, downlink: down.certificate,
      global: global, data: data, tolerance: settings.certificateTolerance)
    return Solution(
      allocation: allocation, latency: lat, uplinkRates: data.rates.map(\.uplink),
      downlinkRates: data.rates.map(\.downlink), globalBatch: B,
      learningEfficiency: data.efficiency(globalBatch: B, roundSeconds: lat.roundSeconds),
      roundSeconds: lat.roundSeconds, uplinkSeconds: lat.uplinkSeconds,
      downlinkSeconds: lat.downlinkSeconds, uplinkCertificate: uplinkCertificate,
      downlinkCertificate: down.certificate, globalCertificate: global, integerCertificate: nil,
      evaluations: evaluations, lossDecay: data.lossDecay,
      lossDecrease: data.lossDecrease(globalBatch: B),
      status: SolutionStatus(
        verification: report, searches: searches + [up.status, down.status]))
  }
}
