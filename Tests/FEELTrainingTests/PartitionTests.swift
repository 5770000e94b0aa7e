import FEEL
import Testing

@testable import FEELTraining

/// The IID and non-IID partitions of Section VI-A.
@Suite struct PartitionTests {
  /// `perLabel` samples of each of `labels` labels, in an interleaved order.
  static func balancedLabels(_ labels: Int, perLabel: Int) -> [UInt8] {
    (0..<(labels * perLabel)).map { UInt8($0 % labels) }
  }

  @Test(arguments: [PartitionKind.iid, .noniid], [1, 3, 5, 12])
  func everySampleIsOnExactlyOneDevice(kind: PartitionKind, devices: Int) throws {
    let labels = Self.balancedLabels(10, perLabel: 61)
    let p = try DataPartition(kind, labels: labels, deviceCount: devices, seed: 7)
    #expect(p.deviceCount == devices)
    let all = p.devices.flatMap { $0 }.sorted()
    #expect(all == Array(0..<labels.count))
    let sizes = p.sizes
    #expect(sizes.max()! - sizes.min()! <= (kind == .iid ? 1 : 2))
  }

  @Test(arguments: [(10, 5), (6, 3), (20, 10), (4, 2), (5, 5), (2, 1)])
  func nonIIDGivesEveryDeviceExactlyTwoLabelsWhenShardsAlign(labelCount: Int, devices: Int) throws {
    // Every label fills 2K/labelCount whole shards of 7 samples, so no shard straddles labels.
    let perLabel = 7 * (2 * devices / labelCount)
    let labels = Self.balancedLabels(labelCount, perLabel: perLabel)
    #expect(labels.count == 7 * 2 * devices)
    for seed: UInt64 in [1, 2, 3] {
      let p = try DataPartition(.noniid, labels: labels, deviceCount: devices, seed: seed)
      for (k, set) in p.labelSets(labels).enumerated() {
        #expect(set.count == 2, "device \(k) holds labels \(set) (seed \(seed))")
      }
      #expect(p.devices.flatMap { $0 }.sorted() == Array(0..<labels.count))
    }
  }

  @Test func fashionMNISTShapeWithTwelveDevicesGivesEightTwoLabelDevices() throws {
    // 10 labels × 6,000, K = 12: 24 shards of 2,500; shards 2, 4, 7, 9, 14, 16, 19 and 21
    // straddle a label boundary and pair up on four devices.
    let labels = (0..<60_000).map { UInt8($0 / 6_000) }
    let p = try DataPartition(.noniid, labels: labels, deviceCount: 12, seed: 1)
    let counts = p.labelSets(labels).map(\.count).sorted()
    #expect(counts == [2, 2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4])
    #expect(p.sizes.allSatisfy { $0 == 5_000 })
  }

  @Test func iidSpreadsLabelsAndDependsOnTheSeed() throws {
    let labels = Self.balancedLabels(10, perLabel: 100)
    let a = try DataPartition(.iid, labels: labels, deviceCount: 4, seed: 1)
    let b = try DataPartition(.iid, labels: labels, deviceCount: 4, seed: 1)
    let c = try DataPartition(.iid, labels: labels, deviceCount: 4, seed: 2)
    #expect(a == b)
    #expect(a != c)
    for set in a.labelSets(labels) { #expect(set.count == 10) }
  }

  @Test func tooFewSamplesAreRejected() {
    #expect(throws: InfeasibleRequest.self) {
      _ = try DataPartition(.noniid, labels: [0, 1, 2], deviceCount: 2, seed: 1)
    }
    #expect(throws: InfeasibleRequest.self) {
      _ = try DataPartition(.iid, labels: [0, 1], deviceCount: 0, seed: 1)
    }
  }

  @Test func localSamplerUsesEverySampleOncePerEpoch() {
    let indices = Array(100..<137)
    var s = LocalSampler(indices: indices, seed: 3)
    // Batches of 5: the first 35 draws lie in epoch one, no repeats.
    var firstEpoch: [Int] = []
    for _ in 0..<7 { firstEpoch += s.next(5) }
    #expect(Set(firstEpoch).count == 35)
    let straddling = s.next(5)  // 2 from epoch one, 3 from epoch two
    #expect(Set(firstEpoch + straddling.prefix(2)).sorted() == indices)
    #expect(s.epochs == 1)
    var t = LocalSampler(indices: indices, seed: 3)
    let batches = t.epoch(batch: 8)
    #expect(batches.map(\.count) == [8, 8, 8, 8, 5])
    #expect(batches.flatMap { $0 }.sorted() == indices)
  }
}
