import FEEL
import FEELStudies
import Foundation

/// The simulated wall clock of a training run: the sum of the latency model's round times
/// (eqs. 15 / 29), never the host's time.
///
/// After rounds with plans P_1, …, P_n, ``seconds`` = Σ_r T(P_r) where T is
/// ``EvaluatedPolicy/roundSeconds`` (summed in round order in double precision).
public struct SimulatedClock: Sendable, Equatable {
  /// Σ T so far, seconds.
  public private(set) var seconds = 0.0
  /// Rounds so far.
  public private(set) var rounds = 0

  /// A clock at zero.
  public init() {}

  /// A clock after `rounds` rounds of total `seconds` (a restored checkpoint).
  init(seconds: Double, rounds: Int) {
    self.seconds = seconds
    self.rounds = rounds
  }

  /// Advances by one round of `plan`.
  public mutating func advance(by plan: RoundPlan) {
    advance(bySeconds: plan.roundSeconds)
  }

  /// Advances by one round of `roundSeconds` seconds.
  public mutating func advance(bySeconds roundSeconds: Double) {
    seconds += roundSeconds
    rounds += 1
  }
}

/// The latency model round by round: the scenario itself in every round, or (with fading)
/// a new draw of independent Rayleigh power gains per device, direction and round, with the
/// instantaneous rates R = W·log2(1 + γ̄X) of ``FadingRounds`` (its mean SNRs γ̄, unit-mean
/// exponential X). The gains come from one ``TrainingRandom`` sequence seeded by `seed`,
/// round by round, device by device, uplink before downlink; X = −ln(1 − u) with u the
/// generator's 53-bit uniform, clamped below at 1e-12 as in ``FadingRounds``. Every scheme
/// of a seed sees the same sequence of channels.
public struct LatencyEnvironment: Sendable {
  /// The base scenario.
  public let scenario: Scenario
  private let base: FEELSolver
  private let fading: FadingRounds?
  var random: TrainingRandom
  var rounds = 0

  /// Prepares the environment.
  ///
  /// - Throws: ``ScenarioError`` from the solver or the fading model.
  public init(scenario: Scenario, fading: Bool, seed: UInt64) throws {
    self.scenario = scenario
    self.base = try FEELSolver(scenario)
    self.fading = fading ? try FadingRounds(scenario) : nil
    self.random = TrainingRandom(seed: seed)
  }

  /// The solver of the scenario without fading.
  public var baseSolver: FEELSolver { base }

  /// The solver of the next round and whether it differs from the previous round's.
  ///
  /// - Throws: ``ScenarioError`` when a drawn rate makes an invalid scenario.
  public mutating func nextRound() throws -> (solver: FEELSolver, changed: Bool) {
    defer { rounds += 1 }
    guard let fading else { return (base, rounds == 0) }
    let K = scenario.deviceCount
    let W = scenario.channel.bandwidthHz
    var devices: [Device] = []
    devices.reserveCapacity(K)
    for k in 0..<K {
      let xu = Swift.max(-Foundation.log1p(-random.unit()), 1e-12)
      let xd = Swift.max(-Foundation.log1p(-random.unit()), 1e-12)
      let up = W * Foundation.log1p(fading.uplinkSNR[k] * xu) / M_LN2
      let down = W * Foundation.log1p(fading.downlinkSNR[k] * xd) / M_LN2
      devices.append(
        Device(
          compute: scenario.devices[k].compute, link: .rates(uplinkBps: up, downlinkBps: down)))
    }
    do {
      return (try FEELSolver(scenario.with { $0.devices = devices }), true)
    } catch let e as ScenarioError {
      throw ScenarioError(field: e.field, reason: e.reason + " (fading, round \(rounds))")
    }
  }
}
