// The bridge from a FEEL scenario to the reference solvers' raw instances (test support:
// used by FEELReferenceTests and `feel-verify`).
//
// Independence: the instance numbers are computed here from the scenario's raw fields with
// formulas written again (the channel's average rates of eqs. 5–6 with their own
// exponential integral, s/R, C/f, the GPU pieces of eq. 27, the update latencies of eqs. 12
// and 28), not through FEEL's compiled `SystemData`; no FEEL solver is called. A bug in
// FEEL's model compilation is therefore not shared by the reference, and an agreement
// between the fast solver and a reference built from these instances is evidence, not an
// echo.
import FEEL
import FEELReference
import Foundation

/// The per-device numbers of a scenario, computed independently of FEEL's `SystemData`.
public enum ReferenceBridge {
  /// The average rates (R^U_k, R^D_k) of device `k` in bit/s: the given rates, or those of
  /// eqs. (5)–(6) at the device's distance, `W·E[log₂(1 + γX)]` with
  /// `γ = P·10^(−PL/10)/(N₀·W)`, `PL = intercept + slope·log₁₀(d/km)`, and X unit-mean
  /// exponential (Rayleigh) or 1 (no fading).
  ///
  /// - Precondition: `k` is a device index of `scenario`.
  public static func rates(
    _ scenario: Scenario, device k: Int
  ) -> (
    uplink: Double, downlink: Double
  ) {
    switch scenario.devices[k].link {
    case .rates(let up, let down): return (up, down)
    case .distance(let meters):
      let c = scenario.channel
      return (
        averageRate(c, meters: meters, powerDbm: c.uplinkPowerDbm),
        averageRate(c, meters: meters, powerDbm: c.downlinkPowerDbm)
      )
    }
  }

  /// `W·E[log₂(1 + γX)]` for the channel `c` at `meters` and transmit power `powerDbm`.
  static func averageRate(_ c: Channel, meters: Double, powerDbm: Double) -> Double {
    // Powers in mW: received P/PL over the noise N₀·W.
    let pathLoss = pow(10, (c.pathLossInterceptDb + c.pathLossSlopeDb * log10(meters / 1000)) / 10)
    let received = pow(10, powerDbm / 10) / pathLoss
    let noise = pow(10, c.noiseDbmPerHz / 10) * c.bandwidthHz
    let snr = received / noise
    switch c.fading {
    case .none: return c.bandwidthHz * log1p(snr) / log(2)
    // E[ln(1 + γX)] = e^{1/γ}·E₁(1/γ) for X ~ Exp(1).
    case .rayleigh: return c.bandwidthHz * scaledE1(1 / snr) / log(2)
    }
  }

  /// e^x·E₁(x) for x > 0, by methods other than FEEL's: Ramanujan's series for x < 1 and
  /// the continued fraction `1/(x + 1 − 1²/(x + 3 − 2²/(x + 5 − …)))` evaluated from a
  /// fixed depth of 400 backwards for x ≥ 1 (relative error far below 1e-15 there).
  public static func scaledE1(_ x: Double) -> Double {
    guard x > 0 else { return x == 0 ? .infinity : .nan }
    guard x.isFinite else { return 0 }
    if x >= 1 {
      var tail = 0.0
      for n in stride(from: 400.0, through: 1, by: -1) {
        tail = n * n / (x + 2 * n + 1 - tail)
      }
      return 1 / (x + 1 - tail)
    }
    // E₁(x) = −Ei(−x) = −γ − ln x + e^{−x/2} Σ_{n≥1} xⁿ/(n!·2^{n−1}) Σ_{k=0}^{⌊(n−1)/2⌋} 1/(2k+1)
    // (Ramanujan's series for Ei; every term positive).
    let eulerGamma = 0.577_215_664_901_532_860_6
    var sum = 0.0
    var power = 1.0  // xⁿ/(n!·2ⁿ), built up term by term
    var inner = 0.0
    for n in 1...80 {
      power *= x / (2 * Double(n))
      if (n - 1) % 2 == 0 { inner += 1 / Double(n) }
      sum += 2 * power * inner
    }
    return exp(x) * (-eulerGamma - log(x) + exp(-x / 2) * sum)
  }

  /// The pieces of every device's true compute latency (eq. 9 or eq. 27): a CPU has the one
  /// piece `(0, C/f_k)`; a GPU the flat piece `(t_k^ℓ, 0)` and the sloped piece
  /// `(t_k^ℓ − c_k·B_k^th, c_k)`, whose maximum is the two-piece latency.
  public static func truePieces(_ scenario: Scenario) -> [[LatencyPiece]] {
    scenario.devices.map { device in
      switch device.compute {
      case .cpu(let hz):
        return [LatencyPiece(alpha: 0, beta: (scenario.cyclesPerSample ?? 0) / hz)]
      case .gpu(let g):
        return [
          LatencyPiece(alpha: g.baseSeconds, beta: 0),
          LatencyPiece(
            alpha: g.baseSeconds - g.secondsPerSample * Double(g.thresholdBatch),
            beta: g.secondsPerSample),
        ]
      }
    }
  }

  /// `a_k = s/R^U_k`, the upload time of one gradient with the whole uplink frame.
  public static func uplinkWork(_ scenario: Scenario) -> [Double] {
    scenario.devices.indices.map { scenario.gradientBits / rates(scenario, device: $0).uplink }
  }

  /// `d_k = s/R^D_k`, the download time of one gradient with the whole downlink frame.
  public static func downlinkWork(_ scenario: Scenario) -> [Double] {
    scenario.devices.indices.map { scenario.gradientBits / rates(scenario, device: $0).downlink }
  }

  /// `m_k`: `M^C/f_k` on a CPU (eq. 12), `M^G/f_k^G` on a GPU (eq. 28).
  public static func updateSeconds(_ scenario: Scenario) -> [Double] {
    scenario.devices.map { device in
      switch device.compute {
      case .cpu(let hz): scenario.updateCycles / hz
      case .gpu(let g): scenario.updateFlops / g.flops
      }
    }
  }

  /// `[K, K·B^max]`, the global batches of the true model.
  public static func globalBatchRange(_ scenario: Scenario) -> ClosedRange<Double> {
    let K = Double(scenario.devices.count)
    return K...(K * Double(scenario.maxBatch))
  }
}

extension UplinkInstance {
  /// The uplink problem of `scenario` at global batch `globalBatch`, in the TRUE latency
  /// model (problem P6, which is P4 for CPU fleets and P7 for GPUs above their thresholds):
  ///
  ///     minimize T  s.t.  t_k(B_k) + a_k/x_k ≤ T,  Σ x_k ≤ 1,  Σ B_k = B,  1 ≤ B_k ≤ B^max,
  ///
  /// with `a_k` and `t_k` from ``ReferenceBridge`` (computed from the scenario's fields).
  /// Every device's lower bound is 1 (not the affine model's `ℓ_k`), so the instance is the
  /// one `FEELSolver.uplink(globalBatch:)` solves at any B in `K ... K·B^max`.
  ///
  /// - Throws: `ReferenceError` when the numbers are not a valid instance (for example
  ///   `globalBatch` outside `K ... K·B^max`, or a rate of 0 at a huge distance).
  /// - Complexity: O(K).
  public init(_ scenario: Scenario, globalBatch: Double) throws(ReferenceError) {
    let K = scenario.devices.count
    try self.init(
      a: ReferenceBridge.uplinkWork(scenario), pieces: ReferenceBridge.truePieces(scenario),
      lower: [Double](repeating: 1, count: K),
      upper: [Double](repeating: Double(scenario.maxBatch), count: K), total: globalBatch)
  }
}

extension DownlinkInstance {
  /// The downlink problem P5 of `scenario`: minimize T s.t. `m_k + d_k/y_k ≤ T`,
  /// `Σ y_k ≤ 1`, with `d_k` and `m_k` from ``ReferenceBridge`` (Theorem 2).
  ///
  /// - Throws: `ReferenceError` when the numbers are not a valid instance.
  /// - Complexity: O(K).
  public init(_ scenario: Scenario) throws(ReferenceError) {
    try self.init(
      d: ReferenceBridge.downlinkWork(scenario), m: ReferenceBridge.updateSeconds(scenario))
  }
}

extension GlobalBatchReference {
  /// ΔL(B) of `model`, from its formula: ξ√B, ξ·B^α (`Foundation.pow`), L∞·B/(B + B_n).
  public static func lossDecrease(_ model: LossDecay, globalBatch B: Double) -> Double {
    switch model {
    case .sqrt(let c): c * sqrt(B)
    case .power(let c, let a): c * pow(B, a)
    case .saturating(let l, let n): l * B / (B + n)
    }
  }

  /// The reference optimum of `scenario` over `K ... K·B^max`
  /// (``optimize(over:lossDecrease:uplinkInstance:downlink:iterations:uplink:)`` with the
  /// bridge's instances and ``lossDecrease(_:globalBatch:)``).
  ///
  /// - Throws: `ReferenceError` from an instance or a reference solve.
  /// - Complexity: `iterations + 4` reference uplink solves and one downlink solve.
  public static func optimize(
    _ scenario: Scenario, iterations: Int = 60,
    uplink: (UplinkInstance) throws(ReferenceError) -> ReferenceSolution = {
      try GLPKReference.uplink($0)
    }
  ) throws(ReferenceError) -> Optimum {
    try optimize(
      over: ReferenceBridge.globalBatchRange(scenario),
      lossDecrease: { lossDecrease(scenario.lossDecay, globalBatch: $0) },
      uplinkInstance: { B throws(ReferenceError) in try UplinkInstance(scenario, globalBatch: B) },
      downlink: try DownlinkInstance(scenario), iterations: iterations, uplink: uplink)
  }
}
