import FEEL
import Foundation

@testable import FEELTraining

/// Small deterministic inputs for the federated-training tests: a few hundred synthetic
/// images (a class prototype plus noise) and a three-device CPU fleet given by rates.
enum FederatedFixtures {
  /// `count` images of 4 × 4 pixels in `classes` classes: pixel j of class c is
  /// 0.5 + 0.4·sin(c + j) plus uniform noise of width 0.2, clipped to [0, 1].
  static func images(count: Int, classes: Int = 3, seed: UInt64) -> LabeledImages {
    var random = TrainingRandom(seed: seed)
    var pixels: [Float] = []
    var labels: [UInt8] = []
    for _ in 0..<count {
      let c = random.below(classes)
      labels.append(UInt8(c))
      for j in 0..<16 {
        let v = 0.5 + 0.4 * Foundation.sin(Double(c + j)) + 0.2 * (random.unit() - 0.5)
        pixels.append(Float(Swift.min(Swift.max(v, 0), 1)))
      }
    }
    return try! LabeledImages(
      rows: 4, columns: 4, classCount: classes, pixels: pixels, labels: labels)
  }

  /// Three CPU devices (0.7, 1.4, 2.1 GHz) with given rates, s = 1e6 bits, C = 1e7,
  /// M^C = 1e6, B^max = 16.
  static func scenario(devices K: Int = 3) -> Scenario {
    let hz = [0.7e9, 1.4e9, 2.1e9, 1.0e9, 1.8e9]
    let rates = [2e7, 5e7, 3e7, 4e7, 6e7]
    let devices = (0..<K).map { k in
      "{\"cpuHz\": \(hz[k % 5]), \"uplinkBps\": \(rates[k % 5]), \"downlinkBps\": \(rates[(k + 1) % 5])}"
    }
    let json = """
      {"gradientBits": 1e6, "maxBatch": 16, "cyclesPerSample": 1e7, "updateCycles": 1e6,
       "devices": [\(devices.joined(separator: ", "))]}
      """
    return try! Scenario(json: Data(json.utf8))
  }

  /// Options for quick runs: H = 8, 4 rounds, a record every round, the whole training set
  /// for the loss.
  static func options(rounds: Int = 4) -> TrainingOptions {
    var o = TrainingOptions()
    o.hidden = 8
    o.fixedBatch = 8
    o.stop = .rounds(rounds)
    o.evaluateEvery = 1
    o.lossSamples = 0
    return o
  }

  static func trainer(
    rounds: Int = 4, train: Int = 240, options: TrainingOptions? = nil, devices: Int = 3
  ) throws -> FederatedTrainer {
    try FederatedTrainer(
      train: images(count: train, seed: 11), test: images(count: 90, seed: 12),
      scenario: scenario(devices: devices), options: options ?? self.options(rounds: rounds))
  }
}
