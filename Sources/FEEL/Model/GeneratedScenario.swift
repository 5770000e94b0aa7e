import ConvexCore

extension Scenario {
  /// A Table I scenario with `devices` CPU devices for benchmarks and scale tests:
  /// DenseNet121 as in ``paperDefault``, CPU frequencies cycling through 0.7, 1.4 and
  /// 2.1 GHz, positions uniform in the 200 m cell (at least 10 m from the base station)
  /// drawn by `SplitMix64` with `seed`.
  ///
  /// - Throws: ``ScenarioError`` (field `devices`) when `devices` < 1.
  public static func generated(devices: Int, seed: UInt64 = 1) throws -> Scenario {
    guard devices >= 1 else {
      throw ScenarioError(field: "devices", reason: "must be at least 1 (got \(devices))")
    }
    var rng = SplitMix64(seed: seed)
    let frequencies: [Double] = [0.7e9, 1.4e9, 2.1e9]
    var list: [Device] = []
    list.reserveCapacity(devices)
    for k in 0..<devices {
      var d = 0.0
      repeat { d = 200 * rng.uniform(0...1).squareRoot() } while d < 10
      list.append(Device(compute: .cpu(hz: frequencies[k % 3]), link: .distance(meters: d)))
    }
    let base = paperDefault
    return try Scenario(
      name: "generated Table I scenario, K = \(devices), seed \(seed)",
      gradientBits: base.gradientBits,
      lossDecayCoefficient: 1, maxBatch: base.maxBatch, uplinkFrameSeconds: 0.01,
      downlinkFrameSeconds: 0.01, cyclesPerSample: base.cyclesPerSample,
      updateCycles: base.updateCycles,
      updateFlops: 0, channel: base.channel, devices: list)
  }
}
