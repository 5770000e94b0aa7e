import FEEL
import FEELTestSupport
import Foundation
import Testing

/// Regression fixtures for ``FEELSolver`` found by the property suites.
@Suite struct SolverRegressionTests {
  /// Found by `permutingDevicesPermutesTheAnswer` (seed 0x9E1, instance 117): six CPUs
  /// with B^max = 6. At some round lengths every device sits at a bound (some at 1, some
  /// at B^max); there `UplinkEngine.evaluate` (the `Q == 0` branch) returned the point
  /// with every device at B^max (B = 36) instead of the mixed sum (B = 31), so Dinkelbach
  /// accepted a fictitious ratio and returned B = 36 with E = 3.81, while B = 31
  /// (a kink of T^U(B)) gives E ≈ 5.565 (grid below, each point solved at fixed B).
  @Test func optimizeBeatsEveryGlobalBatchWhenDevicesSitAtBothBounds() throws {
    let json = #"""
      {"gradientBits":680619691.1342506,"lossDecayCoefficient":0.4369491552945081,"maxBatch":6,
      "uplinkFrameSeconds":0.06659696453839575,"downlinkFrameSeconds":0.0032248851824061794,
      "cyclesPerSample":771268.627764223,"updateCycles":409520.60911702097,"devices":[
      {"cpuHz":134203246.65547192,"uplinkBps":8726780635.796522,"downlinkBps":9410940099.58062},
      {"cpuHz":11028323.257546062,"uplinkBps":66147994961.02148,"downlinkBps":15045365577.755463},
      {"cpuHz":150086873.00338808,"uplinkBps":96915105708.116,"downlinkBps":49855687893.29699},
      {"cpuHz":185479566.33160815,"uplinkBps":129480157512.04773,"downlinkBps":19344442570.177708},
      {"cpuHz":99776386.42504866,"uplinkBps":20704247348.185215,"downlinkBps":20273932342.444958},
      {"cpuHz":61087405.85087855,"uplinkBps":89819315485.81915,"downlinkBps":16047879095.521345}]}
      """#
    let solver = try FEELSolver(Scenario(json: Data(json.utf8)))
    let best = try Self.gridBest(solver, points: 600)
    let o = solver.optimize()
    #expect(
      o.learningEfficiency >= best.efficiency * (1 - 1e-12),
      "optimize: B \(o.globalBatch), E \(o.learningEfficiency); grid: \(best)")
    #expect(Verifier.verify(o, data: solver.data, tolerance: 1e-9).passed)
  }

  /// The best efficiency over an even grid of global batches, each solved at fixed B.
  static func gridBest(
    _ solver: FEELSolver, points: Int
  ) throws -> (batch: Double, efficiency: Double) {
    let data = solver.data
    let down = solver.downlink().certificate.roundLength
    var best = (batch: Double.nan, efficiency: -Double.infinity)
    for n in 0...points {
      let B =
        data.minimumGlobalBatch + (data.maximumGlobalBatch - data.minimumGlobalBatch) * Double(n)
        / Double(points)
      let e = data.efficiency(
        globalBatch: B, roundSeconds: try solver.uplink(globalBatch: B).roundLength + down)
      if e > best.efficiency { best = (B, e) }
    }
    return best
  }

  /// Found by `extremeScalesAreSolvedAndCertifiedAtFixedB` (seed 0xE1, instance 3): one
  /// device needs β = 14.27 s per sample, the others microseconds, and B = 8.4688 is just
  /// above K = 4. The allocation B = (B − 3, 1, 1, 1) with its optimal slots finishes in
  /// about 14.2747 s, but `uplink(globalBatch:)` returned equal batches 2.117 (the
  /// residual spread over every device after the level search failed next to the pole
  /// T_min) and a round of 30.2 s.
  @Test func uplinkIsOptimalWhenTheRootIsNextToTheSlowestPole() throws {
    let json = #"""
      {"gradientBits":14582.394502418141,"maxBatch":69,"cyclesPerSample":1000000,"devices":[
      {"cpuHz":111377461915.35776,"uplinkBps":28104226.8321399,"downlinkBps":4818797.510220217},
      {"cpuHz":23061957827839.26,"uplinkBps":17335.058881627872,"downlinkBps":189392.53993595132},
      {"cpuHz":70053.86503378459,"uplinkBps":4025296339.26285,"downlinkBps":95712967.97838798},
      {"cpuHz":119094607255.12814,"uplinkBps":528006.1473942207,"downlinkBps":3196662.1879083873}]}
      """#
    let solver = try FEELSolver(Scenario(json: Data(json.utf8)))
    let data = solver.data
    let B = 8.468781152947015
    let batches = [B - 3, 1, 1, 1]
    let t = (0..<4).map { data.beta[$0] * batches[$0] }
    let feasible = SolverExtremePropertiesTests.harmonicRoot(data.uplinkWork, t)
    #expect(feasible < 14.28)
    let up = try solver.uplink(globalBatch: B)
    #expect(
      up.roundLength <= feasible * (1 + 1e-12), "uplink: \(up.roundLength) with \(up.batches)")
  }
}
