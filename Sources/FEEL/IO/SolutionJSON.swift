extension Solution {
  /// The solution in the `feel solve --json` format: the allocation with its rates and
  /// per-device latencies, the loss-decay model (`lossDecay`, the scenario's object) and
  /// ΔL(B) (`lossDecrease`), plus the certificates and their verification, and the
  /// ``status`` (keys `status`, `certified`, `statusDetail`). Everything comes from the
  /// solution itself.
  package func jsonValue(verification: VerificationReport? = nil) -> JSONValue {
    var devices: [JSONValue] = []
    let batches = allocation.batches
    let uplinkSlots = allocation.uplinkSlotSeconds
    let downlinkSlots = allocation.downlinkSlotSeconds
    devices.reserveCapacity(batches.count)
    for k in 0..<batches.count {
      devices.append(
        .object([
          ("batch", .number(batches[k])),
          ("uplinkSlotSeconds", .number(uplinkSlots[k])),
          ("downlinkSlotSeconds", .number(downlinkSlots[k])),
          ("uplinkBps", .number(uplinkRates[k])),
          ("downlinkBps", .number(downlinkRates[k])),
          ("computeSeconds", .number(latency.compute[k])),
          ("uploadSeconds", .number(latency.upload[k])),
          ("downloadSeconds", .number(latency.download[k])),
          ("updateSeconds", .number(latency.update[k])),
        ]))
    }
    var pairs: [(String, JSONValue)] = [
      ("learningEfficiency", .number(learningEfficiency)),
      ("lossDecrease", .number(lossDecrease)),
      ("lossDecay", lossDecay.jsonValue),
      ("globalBatch", .number(globalBatch)),
      ("roundSeconds", .number(roundSeconds)),
      ("uplinkSeconds", .number(uplinkSeconds)),
      ("downlinkSeconds", .number(downlinkSeconds)),
      ("devices", .array(devices)),
    ]
    var cert: [(String, JSONValue)] = [
      ("uplinkDualBound", .number(uplinkCertificate.dualBound)),
      ("uplinkDualityGap", .number(uplinkCertificate.dualityGap)),
      ("batchPrice", .number(uplinkCertificate.batchPrice)),
      ("uplinkSlotPrice", .number(uplinkCertificate.slotPrice)),
      ("downlinkDualBound", .number(downlinkCertificate.dualBound)),
      ("downlinkDualityGap", .number(downlinkCertificate.dualityGap)),
    ]
    if let g = globalCertificate {
      cert.append(("efficiencyUpperBound", .number(g.efficiencyUpperBound)))
      cert.append(("efficiencyRelativeGap", .number(g.relativeGap)))
      cert.append(("uplinkFloor", .number(g.uplinkFloor)))
    }
    if let v = verification {
      cert.append(("verified", .bool(v.passed)))
      cert.append(("verifiedRelativeGap", .number(v.relativeGap)))
      cert.append(("feasibilityViolation", .number(v.feasibilityViolation)))
      cert.append(("tolerance", .number(v.tolerance)))
    }
    pairs.append(("certificate", .object(cert)))
    pairs.append(("globalBatchOptimized", .bool(globalCertificate != nil)))
    pairs.append(("evaluations", .number(Double(evaluations))))
    pairs += status.jsonFields
    return .object(pairs)
  }
}
