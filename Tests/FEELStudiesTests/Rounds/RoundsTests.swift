import FEEL
import FEELStudies
import FEELTestSupport
import Foundation
import Testing

/// Round-by-round fading (`feel rounds`): determinism, the drawn rates, the inferred
/// mean SNR of rate-given devices, per-round optimality and the summary statistics.
@Suite struct RoundsTests {
  @Test func sameSeedGivesTheSameRoundsAndAnotherSeedDoesNot() throws {
    let model = try FadingRounds(.paperDefault)
    let a = try model.run(rounds: 20, seed: 42)
    let b = try model.run(rounds: 20, seed: 42)
    let c = try model.run(rounds: 20, seed: 43)
    #expect(a == b)
    #expect(a.map(\.uplinkRates) != c.map(\.uplinkRates))
    #expect(a.map(\.index) == Array(0..<20))
  }

  @Test func ratesAreShannonAtTheMeanSNRTimesTheDrawnGainsInSeedOrder() throws {
    // Replays the documented draw order: round by round, device by device, uplink first.
    let scenario = Scenario.paperDefault
    let model = try FadingRounds(scenario)
    let seed: UInt64 = 9
    let rounds = try model.run(rounds: 5, seed: seed)
    var g = SeededGenerator(seed: seed)
    let W = scenario.channel.bandwidthHz
    let ch = scenario.channel
    for r in rounds {
      for k in 0..<scenario.deviceCount {
        guard case .distance(let d) = scenario.devices[k].link else {
          Issue.record("default devices are placed by distance")
          return
        }
        let gu = ch.meanSNR(distanceMeters: d, powerDbm: ch.uplinkPowerDbm)
        let gd = ch.meanSNR(distanceMeters: d, powerDbm: ch.downlinkPowerDbm)
        #expect(model.uplinkSNR[k] == gu)
        let xu = max(g.exponential(), 1e-12)
        let xd = max(g.exponential(), 1e-12)
        #expect(
          r.uplinkRates[k] == W * log1p(gu * xu) / M_LN2,
          "seed \(seed) round \(r.index) device \(k)")
        #expect(
          r.downlinkRates[k] == W * log1p(gd * xd) / M_LN2,
          "seed \(seed) round \(r.index) device \(k)")
      }
    }
  }

  @Test func inferredMeanSNRReproducesTheGivenAverageRate() throws {
    forEachInstance(seed: 5, count: 300) { i, g in
      let W = g.logUniform(1e5...1e8)
      let rate = W * g.logUniform(1e-4...60)
      let gamma = try FadingRounds.meanSNR(rate: rate, bandwidth: W, field: "x")
      let back = W * SpecialFunctions.expE1(1 / gamma) / M_LN2
      #expect(abs(back - rate) <= 1e-12 * rate, "seed 5 instance \(i): \(back) vs \(rate)")
    }
    // Distance-based rates give back the channel's own mean SNR.
    let ch = Channel()
    for d in [15.0, 80, 199] {
      let gamma = try FadingRounds.meanSNR(
        rate: ch.uplinkRate(distanceMeters: d), bandwidth: ch.bandwidthHz, field: "x")
      let expected = ch.meanSNR(distanceMeters: d, powerDbm: ch.uplinkPowerDbm)
      #expect(abs(gamma / expected - 1) <= 1e-11, "d = \(d)")
    }
    #expect(throws: ScenarioError.self) {
      try FadingRounds.meanSNR(rate: 1e10, bandwidth: 1e6, field: "devices[0].uplinkBps")
    }
  }

  @Test func drawnRatesAverageToTheRayleighMean() throws {
    // A rate-given device: its instantaneous rates must average to the given rate.
    let scenario = try Scenario(
      gradientBits: 1e6, cyclesPerSample: 1e7,
      devices: [
        Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 5e7, downlinkBps: 2e7)),
        Device(compute: .cpu(hz: 2e9), link: .distance(meters: 120)),
      ])
    let seed: UInt64 = 11
    let rounds = try FadingRounds(scenario).run(rounds: 2000, seed: seed)
    for (k, target) in [(0, 5e7), (1, scenario.rates(of: 1).uplink)] {
      let stats = SampleStatistics(rounds.map { $0.uplinkRates[k] })
      let se = stats.standardDeviation / sqrt(2000)
      #expect(
        abs(stats.mean - target) <= 5 * se, "seed \(seed) device \(k): \(stats.mean) vs \(target)")
    }
    let down = SampleStatistics(rounds.map { $0.downlinkRates[0] })
    #expect(abs(down.mean - 2e7) <= 5 * down.standardDeviation / sqrt(2000))
  }

  @Test func everyRoundIsTheCertifiedOptimumAtItsRates() throws {
    let scenario = Scenario.paperDefault
    let rounds = try FadingRounds(scenario).run(rounds: 12, seed: 3)
    for r in rounds {
      let s = try scenario.with { s in
        s.devices = (0..<scenario.deviceCount).map {
          Device(
            compute: scenario.devices[$0].compute,
            link: .rates(uplinkBps: r.uplinkRates[$0], downlinkBps: r.downlinkRates[$0]))
        }
      }
      let data = try SystemData(s)
      #expect(Verifier.verify(r.solution, data: data).passed, "seed 3 round \(r.index)")
      #expect(r.solution == (try FEELSolver(s)).optimize(), "seed 3 round \(r.index)")
    }
    // The batches do move across rounds (the paper's remark after Theorem 1).
    let summary = RoundsSummary(rounds)
    #expect(summary.devices.contains { $0.batch.maximum > $0.batch.minimum + 1 })
    #expect(summary.devices.allSatisfy { $0.uplinkSlotSeconds.standardDeviation > 0 })
  }

  @Test func summaryStatisticsAreExactOnSmallSamples() {
    let s = SampleStatistics([2, 4, 4, 4, 5, 5, 7, 9])
    #expect(s.mean == 5)
    #expect(abs(s.standardDeviation - (32.0 / 7).squareRoot()) <= 1e-15)
    #expect(s.minimum == 2 && s.maximum == 9)
    let one = SampleStatistics([3])
    #expect(one.standardDeviation == 0 && one.mean == 3)
    #expect(SampleStatistics([]).mean.isNaN)
    #expect(SampleStatistics([1, .nan, 3]).maximum.isNaN)
  }

  @Test func roundCountOutOfRangeNamesTheOption() throws {
    let model = try FadingRounds(.paperDefault)
    for n in [0, -3, 1_000_001] {
      do {
        _ = try model.run(rounds: n, seed: 1)
        Issue.record("\(n) accepted")
      } catch let e as InfeasibleRequest {
        #expect(e.field == "rounds")
      }
    }
  }
}
