/// Integer batch sizes: B_k ∈ {1, …, B^max} integers with Σ B_k = B.
///
/// At a round length T, the integer uplink problem min Σ_k a_k/(T − t_k(B_k)) subject to
/// Σ B_k = B is a separable convex resource allocation over integers (each term is a
/// convex increasing function of the convex latency t_k). For such problems an
/// allocation is optimal if and only if no single exchange improves it:
/// max_i [f_i(B_i) − f_i(B_i − 1)] ≤ min_j [f_j(B_j + 1) − f_j(B_j)] (Gross 1956; Ibaraki
/// and Katoh, "Resource Allocation Problems", 1988, Thm. 4.1.1), so it is found exactly by
/// starting from the rounded continuous optimum and applying improving exchanges.
///
/// The round length is then found by the Dinkelbach-type iteration
/// T_{n+1} = root(B(T_n)), where root(b) solves Σ a_k/(T − t_k(b_k)) = 1 and B(T) is the
/// exchange-optimal allocation at T. It starts from the continuous optimum (a lower bound),
/// is nonincreasing after its first step and stops at the integer optimum, when the
/// allocation no longer changes: for every other allocation b', root(b') ≥ T.
///
/// With B free, the continuous efficiency E(B) bounds the integer one at every B and is
/// quasi-concave, so integer global batches are examined outward from the continuous
/// optimum until E(B) falls below the best integer efficiency found: the result is the
/// exact integer optimum, with its gap to the continuous optimum.
public enum IntegerBatches {
  /// An integer solution and how it compares with the continuous one.
  public struct Result: Sendable {
    /// The integer allocation (batches integral) with optimal slots for them.
    public internal(set) var solution: Solution
    /// The continuous optimum at the same request (the upper bound on efficiency).
    public internal(set) var continuousEfficiency: Double
    /// (continuous − integer)/continuous ≥ 0.
    public internal(set) var relativeGap: Double
    /// Largest improvement a single exchange of one sample could make at the final round
    /// length, relative to Σ f_k (≤ 0 up to rounding: exchange optimality).
    public internal(set) var exchangeResidual: Double
    /// Global batches examined.
    public internal(set) var batchesExamined: Int
  }

  /// Solves with integer batches, at the fixed integer global batch `globalBatch` or over
  /// every integer global batch when it is `nil`.
  /// - Throws: ``InfeasibleRequest`` when `globalBatch` is not an integer in K ... K·B^max.
  public static func solve(_ solver: FEELSolver, globalBatch: Double?) throws -> Result {
    let data = solver.data
    if let B = globalBatch {
      try solver.checkBatch(B)
      guard B == B.rounded() else {
        throw InfeasibleRequest(
          field: "globalBatch", reason: "must be an integer for integer batches (got \(B))")
      }
      let continuous = try solver.solve(globalBatch: B)
      var (sol, residual) = integerSolution(solver, globalBatch: B, continuous: continuous)
      sol.status = status(
        of: sol, data: data, bound: continuous,
        gap: gap(continuous.learningEfficiency, sol.learningEfficiency), settings: solver.settings)
      return Result(
        solution: sol, continuousEfficiency: continuous.learningEfficiency,
        relativeGap: gap(continuous.learningEfficiency, sol.learningEfficiency),
        exchangeResidual: residual,
        batchesExamined: 1)
    }
    let best = solver.optimize()
    let lo = data.minimumGlobalBatch
    let hi = data.maximumGlobalBatch
    var bestSolution: Solution?
    var bestResidual = 0.0
    var examined = 0
    var work = best.evaluations
    func consider(_ B: Double) -> Double {
      // Returns the continuous efficiency at B (the bound), updating the incumbent.
      guard let c = try? solver.solve(globalBatch: B) else { return -.infinity }
      work += c.evaluations
      if let inc = bestSolution, c.learningEfficiency <= inc.learningEfficiency {
        return c.learningEfficiency
      }
      let (s, r) = integerSolution(solver, globalBatch: B, continuous: c)
      examined += 1
      if bestSolution == nil || s.learningEfficiency > bestSolution!.learningEfficiency {
        bestSolution = s
        bestResidual = r
      }
      return c.learningEfficiency
    }
    let start = Swift.min(Swift.max(best.globalBatch.rounded(.down), lo), hi)
    var down = start
    var up = start + 1
    var downOpen = true
    var upOpen = up <= hi
    while downOpen || upOpen {
      if downOpen {
        let bound = consider(down)
        down -= 1
        if down < lo || bound <= (bestSolution?.learningEfficiency ?? -.infinity) {
          downOpen = false
        }
      }
      if upOpen {
        let bound = consider(up)
        up += 1
        if up > hi || bound <= (bestSolution?.learningEfficiency ?? -.infinity) { upOpen = false }
      }
    }
    var sol = bestSolution ?? best
    sol.evaluations = work
    sol.status = status(
      of: sol, data: data, bound: best, gap: gap(best.learningEfficiency, sol.learningEfficiency),
      settings: solver.settings)
    return Result(
      solution: sol, continuousEfficiency: best.learningEfficiency,
      relativeGap: gap(best.learningEfficiency, sol.learningEfficiency),
      exchangeResidual: bestResidual,
      batchesExamined: examined)
  }

  /// The status of an integer answer: its own certificate (``certify(_:data:tolerance:)``)
  /// must verify, and so must the continuous solution that bounds it; the relative gap to
  /// that bound is then reported as ``SolutionStatus/certifiedWithinGap(_:)`` (or
  /// ``SolutionStatus/certified`` when it is within ``FEELSolver/Settings/certificateTolerance``).
  static func status(
    of solution: Solution, data: SystemData, bound: Solution, gap: Double,
    settings: FEELSolver.Settings
  )
    -> SolutionStatus
  {
    let certificate =
      solution.integerCertificate
      ?? certify(solution, data: data, tolerance: settings.certificateTolerance)
    guard certificate.passed else {
      return .notCertified(reason: "integer certificate: \(certificate)")
    }
    guard bound.status.isCertified else {
      return .notCertified(reason: "the continuous bound is not certified (\(bound.status))")
    }
    guard gap.isFinite else { return .numericalTrouble("gap to the continuous bound \(gap)") }
    return gap <= settings.certificateTolerance ? .certified : .certifiedWithinGap(gap)
  }

  static func gap(_ continuous: Double, _ integer: Double) -> Double {
    Swift.max(0, (continuous - integer) / continuous)
  }

  /// f_k(b) = a_k/(T − t_k(b)), +∞ where the device cannot finish.
  @inline(__always)
  static func cost(_ data: SystemData, _ k: Int, _ b: Double, _ T: Double) -> Double {
    let room = T - data.trueLatency(of: k, batch: b)
    return room > 0 ? data.uplinkWork[k] / room : .infinity
  }

  /// The exchange-optimal integer batches at round length T, starting from `b`.
  static func exchange(
    _ data: SystemData, _ b: inout [Double], _ T: Double, settings: FEELSolver.Settings
  ) -> Double {
    let K = data.count
    var rounds = 0
    while rounds < settings.exchangeRoundsPerDevice * K + settings.exchangeRoundsBase {
      rounds += 1
      var give = -1
      var giveSaving = -Double.infinity
      var take = -1
      var takeCost = Double.infinity
      for k in 0..<K {
        let here = cost(data, k, b[k], T)
        if b[k] > 1 {
          let saving = here - cost(data, k, b[k] - 1, T)
          if saving > giveSaving {
            giveSaving = saving
            give = k
          }
        }
        if b[k] < data.upper[k] {
          let c = cost(data, k, b[k] + 1, T) - here
          if c < takeCost {
            takeCost = c
            take = k
          }
        }
      }
      guard give >= 0, take >= 0, give != take,
        takeCost < giveSaving * (1 - settings.exchangeImprovement)
      else {
        var total = 0.0
        for k in 0..<K { total += cost(data, k, b[k], T) }
        return give >= 0 && take >= 0 && give != take ? (giveSaving - takeCost) / total : 0
      }
      b[give] -= 1
      b[take] += 1
    }
    return .nan
  }

  static func integerSolution(
    _ solver: FEELSolver, globalBatch B: Double, continuous: Solution
  )
    -> (Solution, Double)
  {
    let data = solver.data
    let K = data.count
    // Round the continuous batches down, then hand out the remainder by largest fraction.
    var b = (0..<K).map {
      Swift.min(Swift.max(continuous.batches[$0].rounded(.down), 1), data.upper[$0])
    }
    var remainder = Int((B - b.reduce(0, +)).rounded())
    let order = (0..<K).sorted {
      (continuous.batches[$0] - b[$0]) > (continuous.batches[$1] - b[$1])
    }
    var i = 0
    while remainder != 0, i < 4 * K + 4 {
      let k = order[i % K]
      if remainder > 0, b[k] < data.upper[k] {
        b[k] += 1
        remainder -= 1
      }
      if remainder < 0, b[k] > 1 {
        b[k] -= 1
        remainder += 1
      }
      i += 1
    }
    var T = continuous.uplinkSeconds
    var residual = exchange(data, &b, T, settings: solver.settings)
    var (x, roundLength) = solver.slotsFor(batches: b)
    for _ in 0..<solver.settings.integerRefinements {
      var next = b
      let r = exchange(data, &next, roundLength, settings: solver.settings)
      if next == b {
        residual = r
        break
      }
      let (nx, nT) = solver.slotsFor(batches: next)
      if nT >= roundLength {
        residual = r
        break
      }
      b = next
      x = nx
      roundLength = nT
      T = nT
      residual = r
    }
    _ = T
    let down = solver.downlink()
    let allocation = data.allocation(
      batches: b, uplinkFractions: x, downlinkFractions: down.fractions)
    let lat = data.latency(allocation)
    let total = b.reduce(0, +)
    var sol = Solution(
      allocation: allocation, latency: lat, uplinkRates: data.rates.map(\.uplink),
      downlinkRates: data.rates.map(\.downlink), globalBatch: total,
      learningEfficiency: data.efficiency(globalBatch: total, roundSeconds: lat.roundSeconds),
      roundSeconds: lat.roundSeconds, uplinkSeconds: lat.uplinkSeconds,
      downlinkSeconds: lat.downlinkSeconds, uplinkCertificate: continuous.uplinkCertificate,
      downlinkCertificate: down.certificate, globalCertificate: nil, integerCertificate: nil,
      evaluations: continuous.evaluations, lossDecay: data.lossDecay,
      lossDecrease: data.lossDecrease(globalBatch: total),
      status: .notCertified(reason: "the integer certificate is not checked yet"))
    sol.integerCertificate = certify(
      sol, data: data, tolerance: solver.settings.certificateTolerance)
    return (sol, residual)
  }
}
