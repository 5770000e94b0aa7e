import FEEL
import FEELTestSupport
import Foundation
import Testing

/// The loss-decay models (Proofs/LossDecay.md): power(α = 1/2) is the sqrt model bit for
/// bit, the derivatives and closed-form peaks are right, the JSON form round-trips, and
/// every bad parameter is rejected naming its field.
@Suite struct LossDecayTests {
  static let fleet =
    #""gradientBits": 1e6, "cyclesPerSample": 1e7, "devices": [{"cpuHz": 1e9, "uplinkBps": 1e7, "downlinkBps": 2e7}]"#

  static func scenario(_ lossDecay: String) -> String { "{\(fleet), \(lossDecay)}" }

  /// (the `lossDecay`-related text, the field the error must name)
  static let badCases: [(String, String)] = [
    (#""lossDecay": {"model": "power", "coefficient": 1, "exponent": 1.5}"#, "lossDecay.exponent"),
    (#""lossDecay": {"model": "power", "coefficient": 1, "exponent": 0}"#, "lossDecay.exponent"),
    (#""lossDecay": {"model": "power", "coefficient": 1, "exponent": -0.5}"#, "lossDecay.exponent"),
    (
      #""lossDecay": {"model": "power", "coefficient": 0, "exponent": 0.5}"#,
      "lossDecay.coefficient"
    ),
    (#""lossDecay": {"model": "power", "coefficient": 1}"#, "lossDecay.exponent"),
    (#""lossDecay": {"model": "power", "exponent": 0.5}"#, "lossDecay.coefficient"),
    (
      #""lossDecay": {"model": "power", "coefficient": 1, "exponent": "0.5"}"#, "lossDecay.exponent"
    ),
    (#""lossDecay": {"model": "sqrt", "coefficient": -2}"#, "lossDecay.coefficient"),
    (#""lossDecay": {"model": "sqrt", "exponent": 0.5}"#, "lossDecay.exponent"),
    (
      #""lossDecay": {"model": "saturating", "maxDecrease": 0, "noiseBatch": 1}"#,
      "lossDecay.maxDecrease"
    ),
    (
      #""lossDecay": {"model": "saturating", "maxDecrease": -1, "noiseBatch": 1}"#,
      "lossDecay.maxDecrease"
    ),
    (
      #""lossDecay": {"model": "saturating", "maxDecrease": 1, "noiseBatch": -1}"#,
      "lossDecay.noiseBatch"
    ),
    (#""lossDecay": {"model": "saturating", "maxDecrease": 1}"#, "lossDecay.noiseBatch"),
    (#""lossDecay": {"model": "saturating", "noiseBatch": 1}"#, "lossDecay.maxDecrease"),
    (
      #""lossDecay": {"model": "saturating", "maxDecrease": 1, "noiseBatch": 1, "coefficient": 1}"#,
      "lossDecay.coefficient"
    ),
    (#""lossDecay": {"model": "linear"}"#, "lossDecay.model"),
    (#""lossDecay": {"coefficient": 1}"#, "lossDecay.model"),
    (#""lossDecay": {"model": 3}"#, "lossDecay.model"),
    (#""lossDecay": [1]"#, "lossDecay"),
    (#""lossDecayCoefficient": 1, "lossDecay": {"model": "sqrt"}"#, "lossDecay"),
  ]

  @Test(arguments: 0..<badCases.count)
  func badLossDecayNamesItsField(index: Int) {
    let (text, field) = Self.badCases[index]
    do {
      _ = try Scenario(json: Data(Self.scenario(text).utf8))
      Issue.record("accepted \(text)")
    } catch let error as ScenarioError {
      #expect(error.field == field, "\(text): \(error)")
    } catch {
      Issue.record("\(text): untyped error \(error)")
    }
  }

  @Test func nonFiniteParametersAreRejectedInCode() {
    let bad: [(LossDecay, String)] = [
      (.power(coefficient: 1, exponent: .nan), "lossDecay.exponent"),
      (.power(coefficient: .infinity, exponent: 0.5), "lossDecay.coefficient"),
      (.sqrt(coefficient: .nan), "lossDecay.coefficient"),
      (.saturating(maxDecrease: .infinity, noiseBatch: 1), "lossDecay.maxDecrease"),
      (.saturating(maxDecrease: 1, noiseBatch: .nan), "lossDecay.noiseBatch"),
      (.saturating(maxDecrease: 1, noiseBatch: .infinity), "lossDecay.noiseBatch"),
    ]
    for (model, field) in bad {
      #expect(throws: ScenarioError.self) { try model.validate() }
      do {
        _ = try Scenario(
          gradientBits: 1e6, lossDecay: model, cyclesPerSample: 1e7,
          devices: [Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e7, downlinkBps: 2e7))])
        Issue.record("accepted \(model)")
      } catch let error as ScenarioError {
        #expect(error.field == field, "\(model): \(error)")
      } catch {
        Issue.record("\(model): untyped error \(error)")
      }
    }
    // Both the model and a coefficient other than the default, in code.
    #expect(throws: ScenarioError.self) {
      _ = try Scenario(
        gradientBits: 1e6, lossDecayCoefficient: 2, lossDecay: .sqrt(coefficient: 2),
        cyclesPerSample: 1e7,
        devices: [Device(compute: .cpu(hz: 1e9), link: .rates(uplinkBps: 1e7, downlinkBps: 2e7))])
    }
  }

  @Test func boundaryParametersAreAccepted() throws {
    for text in [
      #""lossDecay": {"model": "power", "coefficient": 1, "exponent": 1}"#,
      #""lossDecay": {"model": "saturating", "maxDecrease": 1, "noiseBatch": 0}"#,
      #""lossDecay": {"model": "sqrt"}"#,
    ] {
      let s = try Scenario(json: Data(Self.scenario(text).utf8))
      let solution = try FEELSolver(s).optimize()
      #expect(solution.learningEfficiency.isFinite && solution.learningEfficiency > 0, "\(text)")
    }
    let sqrt = try Scenario(json: Data(Self.scenario(#""lossDecay": {"model": "sqrt"}"#).utf8))
    #expect(sqrt.lossDecay == .sqrt(coefficient: 1))
  }

  @Test func jsonIsTheScenarioValueAndRoundTrips() throws {
    let models: [LossDecay] = [
      .sqrt(coefficient: 2.5), .power(coefficient: 0.9, exponent: 0.62),
      .saturating(maxDecrease: 0.8, noiseBatch: 300),
    ]
    for model in models {
      let text = model.jsonValue.serialized()
      let back = try LossDecay(jsonValue: try JSONValue.parse(Data(text.utf8)))
      #expect(back == model, "\(text)")
      // In a scenario file, read back to the same model, and the scenario round-trips.
      let s = try Scenario(json: Data(Self.scenario(#""lossDecay": "# + text).utf8))
      #expect(s.lossDecay == model)
      let again = try Scenario(json: Data(s.jsonValue.serialized().utf8))
      #expect(again == s)
    }
    #expect(
      LossDecay.power(coefficient: 1, exponent: 0.7).jsonValue.serialized().contains("\"exponent\"")
    )
  }

  /// power(α = 1/2) and sqrt give identical bits in every solver path.
  @Test(arguments: RandomScenarioKind.allCases)
  func powerOneHalfIsTheSqrtModelBitForBit(kind: RandomScenarioKind) throws {
    forEachInstance(seed: 7_100, count: 60) { index, g in
      let base = randomScenario(&g, kind: kind, devices: 1...8)
      let power = try base.with {
        $0.lossDecay = .power(coefficient: base.lossDecayCoefficient, exponent: 0.5)
      }
      let a = try FEELSolver(base)
      let b = try FEELSolver(power)
      let sa = a.optimize()
      let sb = b.optimize()
      #expect(sa.learningEfficiency == sb.learningEfficiency, "seed \(7_100 + index)")
      #expect(sa.globalBatch == sb.globalBatch)
      #expect(sa.batches == sb.batches)
      #expect(sa.uplinkSlotSeconds == sb.uplinkSlotSeconds)
      #expect(sa.lossDecrease == sb.lossDecrease)
      #expect(
        sa.globalCertificate?.efficiencyUpperBound == sb.globalCertificate?.efficiencyUpperBound)
      let da = a.optimizeByDinkelbach().solution
      let db = b.optimizeByDinkelbach().solution
      #expect(da.learningEfficiency == db.learningEfficiency)
      let B = g.uniform(a.globalBatchRange)
      #expect(
        try a.solve(globalBatch: B).learningEfficiency
          == b.solve(globalBatch: B).learningEfficiency)
      #expect(sb.lossDecay == power.lossDecay)
    }
  }

  @Test func derivativesMatchCentralDifferences() {
    let functions: [any LossDecayFunction] = [
      SqrtLossDecay(coefficient: 1.7), PowerLossDecay(coefficient: 0.3, exponent: 0.8),
      PowerLossDecay(coefficient: 2, exponent: 1), PowerLossDecay(coefficient: 2, exponent: 0.05),
      SaturatingLossDecay(maxDecrease: 0.8, noiseBatch: 300),
      SaturatingLossDecay(maxDecrease: 3, noiseBatch: 0),
    ]
    for f in functions {
      for B in [1.0, 7.5, 128, 4096, 1e5] {
        let h = 1e-4 * B
        let d1 = (f.value(B + h) - f.value(B - h)) / (2 * h)
        let d2 = (f.derivative(B + h) - f.derivative(B - h)) / (2 * h)
        #expect(
          abs(f.derivative(B) - d1) <= 1e-6 * abs(d1) + 1e-10 * f.value(B) / B, "\(f) at \(B)")
        #expect(
          abs(f.secondDerivative(B) - d2) <= 1e-5 * abs(d2) + 1e-8 * f.value(B) / (B * B),
          "\(f) at \(B)")
        #expect(f.value(B) > 0 && f.derivative(B) >= 0 && f.secondDerivative(B) <= 0)
        #expect(abs(f.elasticity(B) - B * f.derivative(B) / f.value(B)) <= 1e-12)
        // The composed derivatives of N(T) = g(B(T)) with B(T) = B + s·t + c·t²/2.
        let s = 3.0
        let c = -0.7
        let n = f.composedDerivatives(batch: B, slope: s, curvature: c)
        #expect(abs(n.first - f.derivative(B) * s) <= 1e-12 * abs(n.first) + 1e-300)
        let second = f.secondDerivative(B) * s * s + f.derivative(B) * c
        #expect(abs(n.second - second) <= 1e-12 * abs(second) + 1e-15, "\(f) at \(B)")
      }
    }
  }

  /// A model without a closed-form peak: the protocol's default (Newton on φ).
  struct GenericPower: LossDecayFunction {
    var exponent: Double
    func value(_ B: Double) -> Double { pow(B, exponent) }
    func derivative(_ B: Double) -> Double { exponent * pow(B, exponent - 1) }
    func secondDerivative(_ B: Double) -> Double {
      exponent * (exponent - 1) * pow(B, exponent - 2)
    }
  }

  @Test func closedFormPeaksMatchTheDefaultNewtonPeak() {
    forEachInstance(seed: 4_242, count: 300) { _, g in
      let alpha = g.uniform(0.05...0.95)
      let c = g.logUniform(1e-3...1e3)
      let gamma = g.logUniform(1e-6...1)
      let lo = g.logUniform(1...100)
      let range = lo...(lo * g.logUniform(1...1e4))
      let closed = PowerLossDecay(coefficient: 1, exponent: alpha).ratioPeak(
        intercept: c, slope: gamma, in: range)
      let newton = GenericPower(exponent: alpha).ratioPeak(intercept: c, slope: gamma, in: range)
      #expect(abs(closed - newton) <= 1e-9 * closed, "α \(alpha) c \(c) γ \(gamma) \(range)")
      // The peak maximizes g/(c + γB): no sampled point beats it.
      let f = PowerLossDecay(coefficient: 1, exponent: alpha)
      let best = f.value(closed) / (c + gamma * closed)
      for t in stride(from: 0.0, through: 1.0, by: 0.125) {
        let B = range.lowerBound + t * (range.upperBound - range.lowerBound)
        #expect(f.value(B) / (c + gamma * B) <= best * (1 + 1e-12))
      }
      let n = g.logUniform(1e-1...1e5)
      let sat = SaturatingLossDecay(maxDecrease: 1, noiseBatch: n)
      let p = sat.ratioPeak(intercept: c, slope: gamma, in: range)
      let top = sat.value(p) / (c + gamma * p)
      for t in stride(from: 0.0, through: 1.0, by: 0.125) {
        let B = range.lowerBound + t * (range.upperBound - range.lowerBound)
        #expect(sat.value(B) / (c + gamma * B) <= top * (1 + 1e-12), "B_n \(n)")
      }
    }
  }
}
