import FEEL
import Foundation

/// How much the optimum moves across fading rounds: statistics of the efficiency, the
/// global batch, the round length and, per device, of B_k, τ_k^U and R_k^U.
package struct RoundsSummary: Sendable, Equatable {
  /// The statistics of one device across rounds.
  package struct DeviceSummary: Sendable, Equatable {
    /// B_k.
    package var batch: SampleStatistics
    /// τ_k^U, seconds.
    package var uplinkSlotSeconds: SampleStatistics
    /// R_k^U, bit/s.
    package var uplinkBps: SampleStatistics
  }

  /// E per round.
  package var learningEfficiency: SampleStatistics
  /// B per round.
  package var globalBatch: SampleStatistics
  /// T per round.
  package var roundSeconds: SampleStatistics
  /// One entry per device, in scenario order.
  package var devices: [DeviceSummary]

  /// The summary of `rounds` (all with the same K).
  /// - Complexity: O(rounds · K).
  package init(_ rounds: [FadingRounds.Round]) {
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
  package var jsonValue: JSONValue {
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
