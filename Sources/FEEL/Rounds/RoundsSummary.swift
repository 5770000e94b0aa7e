import Foundation

/// How much the optimum moves across fading rounds: statistics of the efficiency, the
/// global batch, the round length and, per device, of B_k, τ_k^U and R_k^U.
public struct RoundsSummary: Sendable, Equatable {
  /// The statistics of one device across rounds.
  public struct DeviceSummary: Sendable, Equatable {
    /// B_k.
    public var batch: SampleStatistics
    /// τ_k^U, seconds.
    public var uplinkSlotSeconds: SampleStatistics
    /// R_k^U, bit/s.
    public var uplinkBps: SampleStatistics
  }

  /// E per round.
  public var learningEfficiency: SampleStatistics
  /// B per round.
  public var globalBatch: SampleStatistics
  /// T per round.
  public var roundSeconds: SampleStatistics
  /// One entry per device, in scenario order.
  public var devices: [DeviceSummary]

  /// The summary of `rounds` (all with the same K).
  /// - Complexity: O(rounds · K).
  public init(_ rounds: [FadingRounds.Round]) {
    learningEfficiency = SampleStatistics(rounds.map(\.solution.learningEfficiency))
    globalBatch = SampleStatistics(rounds.map(\.solution.globalBatch))
    roundSeconds = SampleStatistics(rounds.map(\.solution.roundSeconds))
    let K = rounds.first?.solution.batches.count ?? 0
    devices = (0..<K).map { k in
      DeviceSummary(
        batch: SampleStatistics(rounds.map { $0.solution.batches[k] }),
        uplinkSlotSeconds: SampleStatistics(rounds.map { $0.solution.uplinkSlotSeconds[k] }),
        uplinkBps: SampleStatistics(rounds.map { $0.uplinkRates[k] }))
    }
  }

  /// The summary as JSON.
  public var jsonValue: JSONValue {
    .object([
      ("learningEfficiency", learningEfficiency.jsonValue),
      ("globalBatch", globalBatch.jsonValue), ("roundSeconds", roundSeconds.jsonValue),
      (
        "devices",
        .array(
          devices.map {
            .object([
              ("batch", $0.batch.jsonValue), ("uplinkSlotSeconds", $0.uplinkSlotSeconds.jsonValue),
              ("uplinkBps", $0.uplinkBps.jsonValue),
            ])
          })
      ),
    ])
  }
}
