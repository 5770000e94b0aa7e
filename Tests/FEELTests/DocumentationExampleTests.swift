import FEEL
import Foundation
import Testing

// The Swift code of the FEEL DocC articles (DocC/FEEL.docc), compiled and run, with what
// the articles claim about it checked. `DocumentationCodeBlockTests` fails when an
// article's block is missing here, so keep each block verbatim (whitespace aside) and
// put the checks after it.

/// The package root, to read `Package.swift` and the example package.
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// The first capture group of every match of `pattern` in `text`.
private func captures(_ pattern: String, in text: String) -> [String] {
  guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
  let range = NSRange(text.startIndex..., in: text)
  return regex.matches(in: text, range: range).compactMap { match in
    Range(match.range(at: 1), in: text).map { String(text[$0]) }
  }
}

/// The three-device fleet of the getting-started article.
private func gettingStartedScenario() throws -> Scenario {
  let scenario = try Scenario(
    name: "three devices",
    gradientBits: 32 * 8_062_504,  // s = b·p: DenseNet121 at 32 bits per parameter
    maxBatch: 128,  // B^max
    cyclesPerSample: 3e8,  // C, cycles to backpropagate one sample
    updateCycles: 1.6e7,  // M^C, cycles of one model update
    devices: [
      Device(compute: .cpu(hz: 0.7e9), link: .distance(meters: 150)),
      Device(compute: .cpu(hz: 2.1e9), link: .distance(meters: 60)),
      Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: 1.2e8, downlinkBps: 1.5e8)),
    ]
  )
  return scenario
}

@Suite struct DocumentationExampleTests {
  // MARK: FEEL.md (landing page)

  @Test func landingPageSolvesAndVerifiesTheDefaultScenario() throws {
    let solver = try FEELSolver(.paperDefault)  // Table I, K = 12 CPU devices
    let best = solver.optimize()  // P1: B, B_k, τ_k^U, τ_k^D
    let report = Verifier.verify(best, data: solver.data)
    #expect(report.passed, "\(report)")
    #expect(report.tolerance == 1e-9)
    #expect(best.batches.count == 12)
  }

  // MARK: GettingStarted.md

  @Test func gettingStartedManifestNamesProductsThatExist() throws {
    let manifest = """
      // swift-tools-version:6.0
      import PackageDescription

      let package = Package(
        name: "MyStudy",
        dependencies: [
          .package(url: "https://github.com/<owner>/feel", branch: "main"),
        ],
        targets: [
          .executableTarget(
            name: "MyStudy",
            dependencies: [
              .product(name: "FEEL", package: "feel"),
            ]
          ),
        ]
      )
      """
    let pathDependency = """
      .package(path: "../feel"),
      """
    let root = try String(
      contentsOf: packageRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
    // Every product the article's manifest names is a library product of this package.
    let named = captures(#"\.product\(name: "([^"]+)""#, in: manifest)
    #expect(!named.isEmpty)
    for product in named {
      #expect(root.contains(".library(name: \"\(product)\""), "\(product)")
    }
    #expect(root.contains(#".library(name: "ConvexCore", targets: ["ConvexCore"])"#))
    #expect(root.contains(#".executable(name: "feel", targets: ["feel"])"#))
    // The package identity a product names is the last path component of the URL or path
    // dependency the article shows (SwiftPM's rule): they must agree, or the manifest fails.
    let identities = Set(captures(#"package: "([^"]+)""#, in: manifest))
    let url = captures(#"\.package\(url: "[^"]*/([^"/]+)""#, in: manifest)
    let path = captures(#"\.package\(path: "[^"]*/([^"/]+)""#, in: pathDependency)
    #expect(identities.count == 1 && Set(url) == identities && Set(path) == identities)
    // The example package that CI builds depends on this one by path, as shown.
    let example = try String(
      contentsOf: packageRoot.appendingPathComponent("Examples/QuickStart/Package.swift"),
      encoding: .utf8)
    #expect(example.contains(".package(path:"))
    #expect(example.contains(#".product(name: "FEEL""#))
  }

  @Test func gettingStartedFleetIsBuiltAndReadFromJSON() throws {
    let scenario = try Scenario(
      name: "three devices",
      gradientBits: 32 * 8_062_504,  // s = b·p: DenseNet121 at 32 bits per parameter
      maxBatch: 128,  // B^max
      cyclesPerSample: 3e8,  // C, cycles to backpropagate one sample
      updateCycles: 1.6e7,  // M^C, cycles of one model update
      devices: [
        Device(compute: .cpu(hz: 0.7e9), link: .distance(meters: 150)),
        Device(compute: .cpu(hz: 2.1e9), link: .distance(meters: 60)),
        Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: 1.2e8, downlinkBps: 1.5e8)),
      ]
    )
    #expect(scenario.deviceCount == 3)

    let text = """
      {
        "parameters": 8062504,
        "cyclesPerSample": 3e8,
        "updateCycles": 1.6e7,
        "devices": [
          {"cpuHz": 0.7e9, "distanceMeters": 150},
          {"cpuHz": 2.1e9, "distanceMeters": 60},
          {"cpuHz": 1.4e9, "uplinkBps": 1.2e8, "downlinkBps": 1.5e8}
        ]
      }
      """
    let fromJSON = try Scenario(json: Data(text.utf8))
    // "fromJSON describes the same system as scenario" (the name aside).
    let named = try fromJSON.with { $0.name = scenario.name }
    #expect(named == scenario)
    #expect(Scenario.paperDefault.deviceCount == 12)
  }

  @Test func gettingStartedBadValueNamesTheField() throws {
    do {
      _ = try Scenario(
        gradientBits: 2.6e8,
        cyclesPerSample: 3e8,
        devices: [Device(compute: .cpu(hz: -1), link: .distance(meters: 50))]
      )
    } catch let error as ScenarioError {
      print(error)  // devices[0].cpuHz: must be a finite number > 0 (got -1.0)
    }
    let caught = #expect(throws: ScenarioError.self) {
      try Scenario(
        gradientBits: 2.6e8, cyclesPerSample: 3e8,
        devices: [Device(compute: .cpu(hz: -1), link: .distance(meters: 50))])
    }
    #expect(caught?.description == "devices[0].cpuHz: must be a finite number > 0 (got -1.0)")
    #expect(caught?.field == "devices[0].cpuHz")
  }

  @Test func gettingStartedSolveReadAndVerify() throws {
    let scenario = try gettingStartedScenario()
    let solver = try FEELSolver(scenario)
    let solution = solver.optimize()

    let atTwoHundred = try solver.solve(globalBatch: 200)
    let integral = try IntegerBatches.solve(solver, globalBatch: nil)
    // Below the optimum at B = 200; the integer optimum is bounded by the continuous one.
    #expect(atTwoHundred.globalBatch == 200)
    #expect(atTwoHundred.learningEfficiency < solution.learningEfficiency)
    #expect(integral.solution.batches.allSatisfy { $0 == $0.rounded() })
    #expect(integral.relativeGap >= 0)
    #expect(
      integral.solution.learningEfficiency
        >= solution.learningEfficiency * (1 - integral.relativeGap) * (1 - 1e-12))
    #expect(throws: InfeasibleRequest.self) { try solver.solve(globalBatch: 2) }

    let B = solution.globalBatch  // Σ B_k
    let E = solution.learningEfficiency  // ξ√B / T, eq. (16)
    let T = solution.roundSeconds  // uplinkSeconds + downlinkSeconds, eq. (15)
    for k in solution.batches.indices {
      let batch = solution.batches[k]  // B_k, between 1 and B^max
      let up = solution.uplinkSlotSeconds[k]  // τ_k^U, seconds of each uplink frame
      let down = solution.downlinkSlotSeconds[k]  // τ_k^D, seconds of each downlink frame
      print("device \(k): B_k = \(batch), τ^U = \(up * 1e3) ms, τ^D = \(down * 1e3) ms")
    }
    let tolerance = 1e-12
    #expect(abs(B - solution.batches.reduce(0, +)) <= tolerance * B)
    #expect(abs(E - scenario.lossDecayCoefficient * B.squareRoot() / T) <= tolerance * E)
    #expect(abs(T - (solution.uplinkSeconds + solution.downlinkSeconds)) <= tolerance * T)
    #expect(solution.batches.allSatisfy { $0 >= 1 && $0 <= 128 })
    // The slots fill each frame.
    #expect(abs(solution.uplinkSlotSeconds.reduce(0, +) - 0.01) <= 1e-12)
    #expect(abs(solution.downlinkSlotSeconds.reduce(0, +) - 0.01) <= 1e-12)
    // Every device finishes its upload at the same moment (Theorem 1).
    let latency = solver.data.latency(
      batches: solution.batches, uplinkFractions: solution.uplinkSlotSeconds.map { $0 / 0.01 },
      downlinkFractions: solution.downlinkSlotSeconds.map { $0 / 0.01 })
    for k in solution.batches.indices {
      let finish = latency.compute[k] + latency.upload[k]
      #expect(abs(finish - solution.uplinkSeconds) <= 1e-9 * solution.uplinkSeconds, "\(k)")
    }
    // The faster CPU gets the larger batch.
    #expect(solution.batches[1] > solution.batches[0])

    let uplink = solution.uplinkCertificate
    let uplinkGap = uplink.dualityGap  // T^U of the allocation minus a proven lower bound
    let downlinkGap = solution.downlinkCertificate.dualityGap
    let batchPrice = uplink.batchPrice  // γ = dT^U/dB, seconds per sample
    if let global = solution.globalCertificate {
      let bound = global.efficiencyUpperBound  // no feasible policy is more efficient
      let gap = global.relativeGap  // (bound − E)/E
      print("E = \(global.efficiency) ≤ \(bound), relative gap \(gap)")
    }
    let global = try #require(solution.globalCertificate)
    #expect(global.efficiencyUpperBound >= E * (1 - 1e-15))
    #expect(abs(global.relativeGap) <= 1e-12)
    #expect(abs(uplinkGap) <= 1e-12 * solution.uplinkSeconds)
    #expect(abs(downlinkGap) <= 1e-12 * solution.downlinkSeconds)
    #expect(batchPrice > 0)

    let report = Verifier.verify(solution, data: solver.data)
    print(report.passed)  // true
    #expect(report.passed, "\(report)")
    // Change one slot or one batch and it fails.
    var batches = solution.allocation.batches
    batches[0] += 1
    let tampered = solution.allocation.replacing(batches: batches)
    #expect(!Verifier.verify(tampered, certificatesOf: solution, data: solver.data).passed)
    var slots = solution.allocation.uplinkFractions
    slots[0] *= 1.5
    let stolen = solution.allocation.replacing(uplinkFractions: slots)
    #expect(!Verifier.verify(stolen, certificatesOf: solution, data: solver.data).passed)
  }

  // MARK: P1-LearningEfficiency.md

  @Test func p1OptimumBeatsOtherGlobalBatchesAndIsBounded() throws {
    let solver = try FEELSolver(.paperDefault)
    let best = solver.optimize()
    let bound = best.globalCertificate?.efficiencyUpperBound
    let atHalf = try solver.solve(globalBatch: best.globalBatch / 2)
    let atDouble = try solver.solve(globalBatch: min(2 * best.globalBatch, 12 * 128))
    #expect(atHalf.learningEfficiency < best.learningEfficiency)
    #expect(atDouble.learningEfficiency < best.learningEfficiency)
    let upper = try #require(bound)
    #expect(upper >= best.learningEfficiency)
    #expect((upper - best.learningEfficiency) / best.learningEfficiency <= 1e-14)
    // The default scenario's numbers quoted in the article.
    #expect(abs(best.globalBatch - 1200.6) < 0.05)
    #expect(abs(best.learningEfficiency - 0.4695) < 5e-5)
    #expect(abs(best.roundSeconds - 73.8) < 0.05)
    let interior = best.batches.indices.filter { best.batches[$0] > 1 && best.batches[$0] < 128 }
    #expect(interior.count == 5)
    #expect([0, 1, 2, 3].allSatisfy(interior.contains))
    #expect(best.batches.filter { $0 == 128 }.count == 7)
    // The first-order condition quoted: T = 2B·dT^U/dB at the optimum.
    let gamma = best.uplinkCertificate.batchPrice
    #expect(abs(best.roundSeconds - 2 * best.globalBatch * gamma) <= 1e-6 * best.roundSeconds)
    // The textbook Dinkelbach iteration reaches the same optimum.
    let (textbook, _) = solver.optimizeByDinkelbach()
    #expect(
      abs(textbook.learningEfficiency - best.learningEfficiency)
        <= 1e-12 * best.learningEfficiency)
  }

  @Test func p1IntegerOptimumIsCertifiedAndCloseToTheContinuousOne() throws {
    let solver = try FEELSolver(.paperDefault)
    let integral = try IntegerBatches.solve(solver, globalBatch: nil)
    let check = IntegerBatches.certify(integral.solution, data: solver.data)
    #expect(integral.solution.batches.allSatisfy { $0 == $0.rounded() })
    #expect(check.passed, "\(check)")
    #expect(integral.relativeGap >= 0 && integral.relativeGap <= 1e-5)
  }

  // MARK: P2-UplinkSubperiod.md

  @Test func p2UplinkPhaseIsIncreasingConvexWithSlopeTheBatchPrice() throws {
    let solver = try FEELSolver(.paperDefault)
    let phases = try [600.0, 900.0, 1200.0].map { try solver.uplink(globalBatch: $0) }
    let lengths = phases.map(\.roundLength)  // T^U(600), T^U(900), T^U(1200)
    let slope = phases[1].certificate.batchPrice  // dT^U/dB at B = 900
    #expect(lengths[0] < lengths[1] && lengths[1] < lengths[2])
    #expect(lengths[1] <= (lengths[0] + lengths[2]) / 2)
    let h = 1e-3
    let quotient =
      (try solver.uplink(globalBatch: 900 + h).roundLength
        - solver.uplink(globalBatch: 900 - h).roundLength) / (2 * h)
    #expect(abs(quotient - slope) <= 1e-5 * slope)
    #expect(throws: InfeasibleRequest.self) { try solver.uplink(globalBatch: 11) }
    #expect(throws: InfeasibleRequest.self) { try solver.uplink(globalBatch: 12 * 128 + 1) }
  }

  // MARK: P3-DownlinkSubperiod.md

  @Test func p3DownlinkPhaseDoesNotDependOnTheGlobalBatch() throws {
    let solver = try FEELSolver(.paperDefault)
    let downlink = solver.downlink()
    let TD = downlink.certificate.roundLength  // T^D, seconds
    let small = try solver.solve(globalBatch: 100)
    let large = try solver.solve(globalBatch: 1500)
    #expect(abs(small.downlinkSeconds - TD) <= 1e-14 * TD)
    #expect(abs(large.downlinkSeconds - TD) <= 1e-14 * TD)
  }

  // MARK: P4-UplinkAtFixedBatch.md

  @Test func p4EveryDeviceFinishesTogetherAndInteriorDevicesShareOneLevel() throws {
    let solver = try FEELSolver(.paperDefault)
    let phase = try solver.uplink(globalBatch: 900)
    let T = phase.roundLength
    let data = solver.data
    let finish = data.uplinkWork.indices.map { k in
      data.trueLatency(of: k, batch: phase.batches[k]) + data.uplinkWork[k] / phase.fractions[k]
    }
    let gap = phase.certificate.dualityGap  // ≥ 0, at rounding level
    for k in finish.indices { #expect(abs(finish[k] - T) <= 1e-12 * T, "device \(k)") }
    #expect(abs(phase.fractions.reduce(0, +) - 1) <= 1e-12)
    #expect(gap >= -1e-12 * T && gap <= 1e-12 * T)
    #expect(abs(phase.batches.reduce(0, +) - 900) <= 1e-9)
    let levels = data.uplinkWork.indices.filter {
      phase.batches[$0] > data.lower[$0] + 1e-9 && phase.batches[$0] < data.upper[$0] - 1e-9
    }.map { k in
      let room = T - data.trueLatency(of: k, batch: phase.batches[k])
      return data.uplinkWork[k] * data.beta[k] / (room * room)
    }
    #expect(levels.count >= 2)
    for level in levels { #expect(abs(level - levels[0]) <= 1e-9 * levels[0]) }
  }

  // MARK: P5-DownlinkAtFixedBatch.md

  @Test func p5EveryDeviceFinishesItsUpdateTogether() throws {
    let solver = try FEELSolver(.paperDefault)
    let downlink = solver.downlink()
    let (fractions, certificate) = (downlink.fractions, downlink.certificate)
    let data = solver.data
    let finish = fractions.indices.map { k in
      data.updateSeconds[k] + data.downlinkWork[k] / fractions[k]
    }
    let T = certificate.roundLength
    for k in finish.indices { #expect(abs(finish[k] - T) <= 1e-12 * T, "device \(k)") }
    #expect(abs(fractions.reduce(0, +) - 1) <= 1e-12)
    #expect(abs(certificate.dualBound - T) <= 1e-12 * T)
    #expect(certificate.dualBound <= T * (1 + 1e-15))
  }

  // MARK: P6-GPUScenario.md

  @Test func p6UplinkIsFlatBelowTheThresholdsAndTheOptimumIsComputeBound() throws {
    let gpu = GPUProfile(
      baseSeconds: 0.03, secondsPerSample: 0.002, thresholdBatch: 16, flops: 1e13)
    let fleet = try Scenario(
      gradientBits: 4e6,
      maxBatch: 256,
      updateFlops: 2e9,
      devices: [
        Device(compute: .gpu(gpu), link: .rates(uplinkBps: 5e7, downlinkBps: 2e8)),
        Device(compute: .gpu(gpu), link: .rates(uplinkBps: 2e7, downlinkBps: 1e8)),
      ]
    )
    let solver = try FEELSolver(fleet)
    let small = try solver.solve(globalBatch: 10)  // below Σ B_k^th = 32
    let threshold = try solver.solve(globalBatch: 32)
    let best = solver.optimize()
    #expect(solver.data.affineMinimumBatch == 32)
    #expect(abs(small.uplinkSeconds - threshold.uplinkSeconds) <= 1e-12 * small.uplinkSeconds)
    let ratio = threshold.learningEfficiency / small.learningEfficiency
    #expect(abs(ratio - (32.0 / 10).squareRoot()) <= 1e-12 * ratio)
    #expect(best.batches.allSatisfy { $0 >= 16 })
    #expect(Verifier.verify(small, data: solver.data).passed)
    #expect(Verifier.verify(best, data: solver.data).passed)
    #expect(gpu.latency(batch: 8) == 0.03)
    #expect(abs(gpu.latency(batch: 26) - (0.03 + 0.002 * 10)) <= 1e-15)
  }

  // MARK: P7-GPUComputeBound.md

  @Test func p7MixedFleetIsSolvedAndCertified() throws {
    let fleet = try Scenario(
      gradientBits: 32 * 3_538_984,  // MobileNetV2
      cyclesPerSample: 1e8,
      updateCycles: 1e7,
      updateFlops: 1e9,
      devices: [
        Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: 5e7, downlinkBps: 1e8)),
        Device(compute: .cpu(hz: 2.1e9), link: .rates(uplinkBps: 2e7, downlinkBps: 8e7)),
        Device(
          compute: .gpu(
            GPUProfile(baseSeconds: 0.05, secondsPerSample: 0.002, thresholdBatch: 16, flops: 1e13)),
          link: .distance(meters: 80)
        ),
      ]
    )
    let solver = try FEELSolver(fleet)
    let mixed = solver.optimize()
    let report = Verifier.verify(mixed, data: solver.data)
    #expect(mixed.batches[2] >= 16)
    #expect(report.passed, "\(report)")
    // The affine model of the table.
    let data = solver.data
    #expect(data.alpha[0] == 0 && data.beta[0] == 1e8 / 1.4e9 && data.lower[0] == 1)
    #expect(abs(data.alpha[2] - (0.05 - 0.002 * 16)) <= 1e-15 && data.beta[2] == 0.002)
    #expect(data.lower[2] == 16 && data.upper[2] == 128)
  }

  // MARK: ComparingWithTheBaselines.md

  @Test func baselinesNeverBeatTheOptimalPolicy() throws {
    let solver = try FEELSolver(.paperDefault)
    let comparison = try PolicyComparison(solver: solver)
    for row in comparison.rows {
      print(row.policy.name, row.policy.slots, row.policy.learningEfficiency, row.gain)
    }
    let online = try Baseline.onlineLearning.evaluate(solver, slots: .optimal)
    #expect(comparison.rows.count == 10)
    for row in comparison.rows {
      #expect(row.gain >= 1 - 1e-12, "\(row.policy.name) \(row.policy.slots)")
    }
    #expect(online.batches.allSatisfy { $0 == 1 })
    let gains = Dictionary(
      comparison.rows.map { ("\($0.policy.name)/\($0.policy.slots)", $0.gain) },
      uniquingKeysWith: { a, _ in a })
    #expect(abs((gains["online-learning/optimal"] ?? 0) - 7.0) < 0.1)
    #expect(abs((gains["full-batch/optimal"] ?? 0) - 1.14) < 0.01)
    #expect(abs((gains["equal-batches/equal"] ?? 0) - 1.5) < 0.05)
    #expect(
      abs(
        online.learningEfficiency * (gains["online-learning/optimal"] ?? 0)
          - comparison.optimal.learningEfficiency) <= 1e-12 * comparison.optimal.learningEfficiency)

    let run = try SubgradientBaseline.run(
      solver, globalBatch: comparison.optimal.globalBatch,
      options: SubgradientBaseline.Options(maxIterations: 2000))
    let gap = run.relativeGap  // (best uplink round − certified bound)/bound
    #expect(gap >= 0)
    #expect(gap > 0.05 && gap < 0.2)
  }

  // MARK: Algorithm1AndTheCorollaries.md

  @Test func corollary2PrintedLowerBoundFailsOnTwins() throws {
    let twins = try Scenario(
      gradientBits: 1e6,
      maxBatch: 1000,
      cyclesPerSample: 1e7,
      devices: [
        Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e6, downlinkBps: 1e7)),
        Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e6, downlinkBps: 1e7)),
      ]
    )
    let data = try SystemData(twins)
    let phase = try FEELSolver(twins).uplink(globalBatch: 100)
    let E = phase.roundLength / 100.0.squareRoot()  // E^U* = T^U*/ΔL, with ξ = 1
    let printed = Corollaries.multiplierBounds(data: data, globalBatch: 100, uplinkReciprocal: E)
    let corrected = Corollaries.correctedMultiplierBounds(
      data: data, globalBatch: 100, uplinkReciprocal: E)
    let mu = Corollaries.paperMultiplier(
      data: data, globalBatch: 100, batches: phase.batches, fractions: phase.fractions,
      roundLength: phase.roundLength
    ).value
    #expect(abs(phase.roundLength - 2.5) <= 1e-12)
    let paperMu = try #require(mu)
    #expect(abs(paperMu - 20) <= 1e-9)
    #expect(abs(printed.lower - 281.25) <= 1e-9)
    #expect(abs(printed.upper - 31.0005) <= 1e-9)
    #expect(printed.lower > printed.upper)
    #expect(corrected.lower == 0 && abs(corrected.upper - 31.0005) <= 1e-9)
    #expect(corrected.lower <= paperMu && paperMu <= corrected.upper)
    // Corollary 1 holds on the same instance.
    let bounds = Corollaries.roundLengthBounds(data: data, globalBatch: 100)
    #expect(bounds.lower <= phase.roundLength * (1 + 1e-12))
    #expect(phase.roundLength <= bounds.upper * (1 + 1e-12))
  }

  @Test func algorithm1IntendedReadingAgreesAndPrintedBracketMisses() throws {
    let fleet = try Scenario(
      gradientBits: 1e6,
      maxBatch: 1000,
      cyclesPerSample: 1e7,
      devices: [
        Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e6, downlinkBps: 1e7)),
        Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 2e6, downlinkBps: 1e7)),
      ]
    )
    let system = try SystemData(fleet)
    let exact = try FEELSolver(fleet).uplink(globalBatch: 100)
    let intended = try Algorithm1(data: system).solve(globalBatch: 100)
    let printedBracket = try Algorithm1(
      data: system,
      reading: Algorithm1.Reading(printedMultiplierBracket: true, printedPositivePart: false)
    ).solve(globalBatch: 100)
    #expect(abs(intended.roundLength - exact.roundLength) <= 1e-8 * exact.roundLength)
    #expect(abs(printedBracket.batchResidual) > 50)
  }

  /// LossDecayModels.md
  @Test func lossDecayModelsArticleSolvesUnderAFittedModel() throws {
    let fitted = LossDecay.saturating(maxDecrease: 0.8, noiseBatch: 300)
    let scenario = try Scenario.paperDefault.with { $0.lossDecay = fitted }
    let solution = try FEELSolver(scenario).optimize()
    // solution.lossDecrease is ΔL(B*), solution.learningEfficiency = ΔL(B*)/T.
    let report = Verifier.verify(solution, data: try SystemData(scenario))
    #expect(report.passed)
    #expect(solution.lossDecay == fitted)
    #expect(
      abs(solution.lossDecrease / solution.roundSeconds - solution.learningEfficiency)
        <= 1e-12 * solution.learningEfficiency)
  }

  // MARK: SupportedRanges.md

  @Test func supportedRangesStatusExample() throws {
    let scenario = try gettingStartedScenario()
    var printed: [String] = []
    func print(_ x: Any) { printed.append("\(x)") }
    let solver = try FEELSolver(scenario)
    let best = solver.optimize()
    if best.status.isCertified {
      // optimal to the tolerance of FEELSolver.Settings.default.certificateTolerance
    } else {
      print(best.status)  // what failed, e.g. "not certified: relative gap ..."
    }
    #expect(best.status == .certified)
    #expect(printed.isEmpty)
    #expect(FEELSolver.Settings.default.certificateTolerance == 1e-9)
    #expect(SupportedRange.seconds == 1e-250...1e250 && SupportedRange.spread == 1e150)
  }
}
