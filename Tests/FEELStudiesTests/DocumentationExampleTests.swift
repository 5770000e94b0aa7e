import FEEL
import FEELStudies
import Foundation
import Testing

// The Swift code of the FEELStudies DocC articles (DocC/FEELStudies.docc), compiled and
// run, with what the articles claim about it checked. `DocumentationCodeBlockTests` (in
// FEELTests) fails when an article's block is missing here, so keep each block verbatim
// (whitespace aside) and put the checks after it.

@Suite struct StudiesDocumentationExampleTests {
  // MARK: FittingTheGPUTrainingFunction.md

  @Test func gpuFitRecoversExactCoefficients() throws {
    let batches: [Double] = [1, 8, 16, 24, 32, 48, 64]
    let seconds = batches.map { 0.03 + 0.002 * max(0, $0 - 16) }
    let fit = try GPUFit.fit(batches: batches, seconds: seconds)
    let profile = fit.profile(flops: 1e13)  // f^G of eq. (28) is not measured by the fit
    #expect(fit.thresholdBatch == 16)
    #expect(abs(fit.baseSeconds - 0.03) <= 1e-15)
    #expect(abs(fit.secondsPerSample - 0.002) <= 1e-16)
    #expect(abs(fit.rSquared - 1) <= 1e-12)
    #expect(profile.thresholdBatch == 16 && profile.flops == 1e13)
    #expect(throws: GPUFitError.self) { try GPUFit.fit(batches: [1, 1, 2], seconds: [1, 1, 2]) }
  }

  // MARK: SweepsAndFadingRounds.md

  @Test func sweepShowsRemarkTwoAndRoundsAreReproducible() throws {
    let sweep = Sweep(base: .paperDefault, parameter: .uplink, device: 0)
    let factors = try Sweep.values(from: 0.5, to: 2, steps: 4, log: true)
    let points = try sweep.run(factors)
    let batchOfDevice0 = points.map { $0.solution.batches[0] }
    #expect(zip(batchOfDevice0, batchOfDevice0.dropFirst()).allSatisfy { $0 < $1 })
    for (i, point) in points.enumerated() {
      let solver = try FEELSolver(
        try SweepParameter.uplink.apply(factors[i], to: .paperDefault, device: 0))
      #expect(Verifier.verify(point.solution, data: solver.data).passed, "point \(i)")
    }

    let rounds = try FadingRounds(.paperDefault)
    let first = try rounds.run(rounds: 20, seed: 7)
    let again = try rounds.run(rounds: 20, seed: 7)
    let summary = RoundsSummary(first)
    #expect(first == again)
    let moving = summary.devices.indices.filter {
      summary.devices[$0].batch.standardDeviation > 0
    }
    #expect(moving.contains(0))
  }
}
