import FEEL

extension Scenario {
  /// FLOP retired per CPU cycle assumed when C is derived from a model (the same 9 FLOP
  /// per cycle that the embedded default scenario assumes for DenseNet121).
  public static let flopsPerCycle = 9.0

  /// This scenario with s and C taken from the trained model instead of DenseNet121
  /// (`feel train --latency-from-model`): s = 32·p bits (p parameters, b = 32),
  /// C = (FLOPs of forward + backward per sample)/``flopsPerCycle`` cycles, M^C = 2·p
  /// cycles and M^G = 2·p FLOP (one multiply-add per parameter per update). Devices, links,
  /// frames, B^max and GPU profiles are unchanged.
  ///
  /// - Throws: ``ScenarioError`` if the result is not a valid scenario.
  public func withLatency(ofModel model: MLP) throws -> Scenario {
    let p = Double(model.parameterCount)
    let s = try with { s in
      s.gradientBits = 32 * p
      s.cyclesPerSample = model.flopsPerSample / Self.flopsPerCycle
      s.updateCycles = 2 * p
      s.updateFlops = 2 * p
      s.name =
        (name ?? "scenario") + ", s and C of the \(model.inputs)-\(model.hidden)-"
        + "\(model.classes) MLP"
    }
    _ = try FEELSolver(s)
    return s
  }
}
