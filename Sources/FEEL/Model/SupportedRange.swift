import Foundation

/// The magnitudes the solvers handle with a certificate, checked when a ``Scenario`` is
/// built.
///
/// Every input is a finite double (> 0, or ≥ 0 where zero means "none"), in any unit
/// scale: the solver works in units of 2^e seconds chosen so that round lengths are of
/// order one (an exact change of units), so only the times the scenario implies and
/// their ratios matter. Those times are, per device k: the upload and download times of
/// one gradient with a whole frame, a_k = s/R_k^U and d_k = s/R_k^D; the time per sample,
/// C/f_k^C (CPU) or c_k (GPU); and, when not zero, the update time M^C/f_k^C or
/// M^G/f_k^G and the GPU's t_k^ℓ. The scenario is supported when
///
/// - every such time lies in ``seconds`` (1e-250 … 1e250 s), so that the round length
///   and the efficiency ξ√B/T are normal doubles; and
/// - the largest and the smallest of them differ by at most the factor ``spread``
///   (1e150), so that the products of times in the certificate stay representable.
///
/// Beyond either limit the scenario is rejected with a ``ScenarioError`` naming the field
/// and the range. (Mapped by the property suite `DynamicRangeTests`: every input drawn
/// log-uniformly across 1e-300 … 1e300; within these limits every instance is certified.)
public enum SupportedRange {
  /// The supported per-device times, seconds.
  public static let seconds: ClosedRange<Double> = 1e-250...1e250
  /// The largest supported ratio between two per-device times.
  public static let spread = 1e150

  /// Checks the derived times of `data` (compiled from `scenario`).
  /// - Throws: ``ScenarioError`` naming the field whose time is out of range (or, for the
  ///   spread, the field of the largest time, with the smallest one in the reason).
  static func check(_ data: SystemData, scenario: Scenario) throws {
    var largest = (value: 0.0, field: "", what: "")
    var smallest = (value: Double.infinity, field: "", what: "")
    func note(
      _ t: Double, _ field: @autoclosure () -> String, _ what: @autoclosure () -> String
    )
      throws
    {
      guard t != 0 else { return }
      guard seconds.contains(t) else {
        throw ScenarioError(
          field: field(),
          reason: "gives \(what()) = \(t) s, outside the supported range "
            + "\(seconds.lowerBound)...\(seconds.upperBound) s")
      }
      if t > largest.value { largest = (t, field(), what()) }
      if t < smallest.value { smallest = (t, field(), what()) }
    }
    for k in 0..<data.count {
      let path = "devices[\(k)]"
      let distance: Bool
      if case .distance = scenario.devices[k].link { distance = true } else { distance = false }
      try note(
        data.uplinkWork[k], distance ? "\(path).distanceMeters" : "\(path).uplinkBps",
        "gradientBits/uplinkBps")
      try note(
        data.downlinkWork[k], distance ? "\(path).distanceMeters" : "\(path).downlinkBps",
        "gradientBits/downlinkBps")
      if data.isGPU[k] {
        try note(data.beta[k], "\(path).gpu.secondsPerSample", "secondsPerSample")
        try note(
          data.alpha[k] + data.beta[k] * data.lower[k], "\(path).gpu.baseSeconds", "baseSeconds")
        try note(data.updateSeconds[k], "\(path).gpu.flops", "updateFlops/gpu.flops")
      } else {
        try note(data.beta[k], "\(path).cpuHz", "cyclesPerSample/cpuHz")
        try note(data.updateSeconds[k], "\(path).cpuHz", "updateCycles/cpuHz")
      }
    }
    guard largest.value <= spread * smallest.value else {
      throw ScenarioError(
        field: largest.field,
        reason: "gives \(largest.what) = \(largest.value) s, more than \(spread) times "
          + "\(smallest.what) = \(smallest.value) s of \(smallest.field): the supported range "
          + "is a ratio of at most \(spread) between the per-device times")
    }
  }
}
