import FEEL
import Foundation

/// The public vectors (from an independent solver), copied to Tests/Fixtures (scenarios with
/// reference answers from an independent solver).
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  static let names = [
    "cpu-3-devices", "gpu-4-devices", "mixed-6-devices", "cpu-3-power-loss-decay",
    "mixed-6-saturating-loss-decay",
  ]

  static func scenario(_ name: String) throws -> Scenario {
    try Scenario(contentsOf: directory.appendingPathComponent("\(name).json"))
  }

  struct Expected {
    var learningEfficiency: Double
    var globalBatch: Double
    var downlinkSeconds: Double
    var uplinkSecondsAtGlobalBatch: [(Double, Double)]
  }

  static func expected(_ name: String) throws -> Expected {
    let data = try Data(contentsOf: directory.appendingPathComponent("\(name).expected.json"))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    let table = object["uplinkSecondsAtGlobalBatch"] as? [String: Any] ?? [:]
    let pairs = table.compactMap { key, value -> (Double, Double)? in
      guard let B = Double(key), let T = (value as? NSNumber)?.doubleValue else { return nil }
      return (B, T)
    }.sorted { $0.0 < $1.0 }
    return Expected(
      learningEfficiency: (object["learningEfficiency"] as? NSNumber)?.doubleValue ?? .nan,
      globalBatch: (object["globalBatch"] as? NSNumber)?.doubleValue ?? .nan,
      downlinkSeconds: (object["downlinkSeconds"] as? NSNumber)?.doubleValue ?? .nan,
      uplinkSecondsAtGlobalBatch: pairs)
  }
}
