import ConvexCore
import FEEL
import Foundation

/// Round-by-round channel dynamics (`feel rounds`): independent Rayleigh fading in every
/// round, the problem re-solved each round (the paper's remark after Theorem 1 that
/// "the batchsize of each device varies across different communication rounds because
/// of the channel dynamics").
///
/// Model. Device k has a mean SNR γ̄_k per direction. In round r it draws independent
/// unit-mean exponential power gains X^U_{k,r}, X^D_{k,r} (`SplitMix64/exponential()`)
/// and its instantaneous rates are R = W·log2(1 + γ̄·X) (eqs. 5–6 without the
/// expectation). P1/P7 is then solved at those rates (`FEELSolver/optimize()`).
/// - Devices given by distance: γ̄ = P·10^(−PL/10)/(N0·W) from the scenario's channel.
///   Rayleigh fading is drawn whatever the channel's `fading` says.
/// - Devices given by rates: γ̄ is inferred from the average rate R̄ and the channel's
///   bandwidth W as the root of W·E[log2(1 + γ̄X)] = R̄ (exact Rayleigh average,
///   `SpecialFunctions/expE1(_:)`), so the instantaneous rates average to R̄.
/// Gains are clamped below at 1e-12 (a draw that small has probability about 1e-12) so
/// that every rate stays positive.
///
/// Reproducibility: the gains are drawn in one sequence from `SplitMix64(seed:)`, round
/// by round, device by device, uplink before downlink; the solves then run on every
/// core. The same scenario, seed and round count give the same output.
public struct FadingRounds: Sendable {
  /// One round's draw and its optimum.
  public struct Round: Sendable, Equatable {
    /// Round index, from 0.
    public internal(set) var index: Int
    /// Instantaneous uplink rates R^U_k in this round, bit/s.
    public internal(set) var uplinkRates: [Double]
    /// Instantaneous downlink rates R^D_k, bit/s.
    public internal(set) var downlinkRates: [Double]
    /// The optimum at these rates.
    public internal(set) var solution: Solution
  }

  /// The base scenario.
  public let scenario: Scenario
  /// γ̄^U_k, the mean uplink SNR of each device.
  package let uplinkSNR: [Double]
  /// γ̄^D_k, the mean downlink SNR of each device.
  package let downlinkSNR: [Double]

  /// Prepares the mean SNRs of every device.
  /// - Throws: `ScenarioError` naming `devices[k].uplinkBps` (or `downlinkBps`) when a
  ///   given rate needs a mean SNR beyond 10^300 at the channel's bandwidth.
  public init(_ scenario: Scenario) throws {
    self.scenario = scenario
    let ch = scenario.channel
    var up: [Double] = []
    var down: [Double] = []
    up.reserveCapacity(scenario.deviceCount)
    down.reserveCapacity(scenario.deviceCount)
    for (k, d) in scenario.devices.enumerated() {
      switch d.link {
      case .distance(let m):
        up.append(ch.meanSNR(distanceMeters: m, powerDbm: ch.uplinkPowerDbm))
        down.append(ch.meanSNR(distanceMeters: m, powerDbm: ch.downlinkPowerDbm))
      case .rates(let u, let v):
        up.append(
          try Self.meanSNR(rate: u, bandwidth: ch.bandwidthHz, field: "devices[\(k)].uplinkBps"))
        down.append(
          try Self.meanSNR(rate: v, bandwidth: ch.bandwidthHz, field: "devices[\(k)].downlinkBps"))
      }
    }
    uplinkSNR = up
    downlinkSNR = down
  }

  /// The mean SNR γ̄ with W·e^{1/γ̄}E1(1/γ̄)/ln 2 = `rate`: ConvexCore's ``Bisection`` on
  /// log10 γ̄ in [−300, 300] down to adjacent doubles (the average spectral efficiency is
  /// increasing in γ̄), about 60 evaluations.
  package static func meanSNR(rate: Double, bandwidth: Double, field: String) throws -> Double {
    let target = rate / bandwidth
    func excess(_ logGamma: Double) -> Double {
      SpecialFunctions.expE1(Foundation.pow(10, -logGamma)) / M_LN2 - target
    }
    guard target.isFinite, target > 0, excess(300) >= 0 else {
      throw ScenarioError(
        field: field,
        reason: "rate \(rate) bit/s needs more than 10^300 mean SNR at bandwidth \(bandwidth) Hz")
    }
    if excess(-300) >= 0 { return Foundation.pow(10, -300) }
    let root = Bisection.solve(in: -300...300, xTolerance: 0) { excess($0) }
    guard root.status == .converged else {
      throw ScenarioError(
        field: field,
        reason:
          "no mean SNR found for rate \(rate) bit/s at bandwidth \(bandwidth) Hz (\(root.status))")
    }
    return Foundation.pow(10, root.root)
  }

  /// Draws `rounds` rounds from `seed` and solves each.
  ///
  /// - Throws: `InfeasibleRequest` (field `rounds`) for a count outside 1...1_000_000;
  ///   `ScenarioError` (with the round in its reason) if a drawn rate makes an invalid
  ///   scenario.
  /// - Complexity: `rounds` solves of O(K log K) each, on every core.
  public func run(
    rounds: Int, seed: UInt64, progress: (@Sendable (Int) -> Void)? = nil
  ) throws
    -> [Round]
  {
    guard (1...1_000_000).contains(rounds) else {
      throw InfeasibleRequest(field: "rounds", reason: "must be in 1...1000000 (got \(rounds))")
    }
    let K = scenario.deviceCount
    let W = scenario.channel.bandwidthHz
    var rng = SplitMix64(seed: seed)
    var upRates = [[Double]](repeating: [], count: rounds)
    var downRates = [[Double]](repeating: [], count: rounds)
    for r in 0..<rounds {
      var u = [Double](repeating: 0, count: K)
      var v = [Double](repeating: 0, count: K)
      for k in 0..<K {
        let xu = Swift.max(rng.exponential(), 1e-12)
        let xd = Swift.max(rng.exponential(), 1e-12)
        u[k] = W * Foundation.log1p(uplinkSNR[k] * xu) / M_LN2
        v[k] = W * Foundation.log1p(downlinkSNR[k] * xd) / M_LN2
      }
      upRates[r] = u
      downRates[r] = v
    }
    let base = scenario
    let ups = upRates
    let downs = downRates
    let results = ParallelMap.run(count: rounds, progress: progress) { r in
      let scenario = try base.with { s in
        s.devices = (0..<K).map {
          Device(
            compute: base.devices[$0].compute,
            link: .rates(uplinkBps: ups[r][$0], downlinkBps: downs[r][$0]))
        }
      }
      let solution = try FEELSolver(scenario).optimize()
      return Round(index: r, uplinkRates: ups[r], downlinkRates: downs[r], solution: solution)
    }
    return try results.enumerated().map { r, result in
      do { return try result.get() } catch let e as ScenarioError {
        throw ScenarioError(field: e.field, reason: e.reason + " (in round \(r))")
      }
    }
  }
}
