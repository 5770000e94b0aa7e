import FEEL
import FEELCommandLine
import FEELReference
import Foundation

extension CrossCheckReport {
  /// The report as one JSON object (`feel verify --json`).
  var jsonValue: JSONValue {
    let global = solution.globalCertificate
    let certificate: JSONValue = .object([
      ("uplinkRelativeGap", .number(uplink[0].fastGap)),
      ("downlinkRelativeGap", .number(downlink.fastGap)),
      ("efficiency", .number(solution.learningEfficiency)),
      ("efficiencyUpperBound", global.map { .number($0.efficiencyUpperBound) } ?? .null),
      ("efficiencyRelativeGap", global.map { .number($0.relativeGap) } ?? .null),
    ])
    return .object(
      [
        ("scenario", name.map { .string($0) } ?? .null),
        ("devices", .number(Double(devices))),
        ("mode", .string(optimized ? "optimize" : "fixed")),
        ("globalBatch", .number(solution.globalBatch)),
        (
          "tolerance",
          .object([
            ("agreement", .number(Tolerance.agreement)),
            ("certificateGap", .number(Tolerance.certificateGap)),
          ])
        ),
        ("certificate", certificate),
        ("uplink", .array(uplink.map(\.jsonValue))),
        ("downlink", downlink.jsonValue),
        (
          "efficiency",
          .object([
            ("fast", .number(solution.learningEfficiency)),
            ("glpk", .number(referenceEfficiency.glpk)),
            ("lapack", .number(referenceEfficiency.lapack)),
            ("relativeDifference", .number(efficiencyDifference)),
          ])
        ),
        ("lossDecay", solution.lossDecay.jsonValue),
        (
          "referenceOptimum",
          referenceOptimum.map { o in
            .object([
              ("globalBatch", .number(o.globalBatch)), ("efficiency", .number(o.efficiency)),
              ("relativeDifference", .number(optimumDifference)),
              ("evaluations", .number(Double(o.evaluations))),
            ])
          } ?? .null
        ),
        (
          "agreement",
          .object([
            ("maxRelativeDifference", .number(maxDifference)),
            ("maxCertificateGap", .number(maxFastGap)),
            ("maxReferenceGap", .number(maxReferenceGap)),
            ("passed", .bool(passed)),
          ])
        ),
      ] + solution.status.jsonFields)
  }

  /// The report as a human-readable table.
  var table: String {
    var lines: [String] = []
    let title = name.map { "Scenario: \($0)" } ?? "Scenario"
    lines.append("\(title) (K = \(devices))")
    lines.append(
      (optimized ? "Optimized global batch B* = " : "Fixed global batch B = ")
        + TextFormat.significant(solution.globalBatch))
    lines.append("")
    lines.append("Fast solver certificate")
    lines.append("  uplink duality gap / T^U    \(TextFormat.sci(uplink[0].fastGap))")
    lines.append("  downlink duality gap / T^D  \(TextFormat.sci(downlink.fastGap))")
    lines.append(
      "  efficiency                  \(TextFormat.significant(solution.learningEfficiency))")
    if let global = solution.globalCertificate {
      lines.append(
        "  efficiency upper bound      \(TextFormat.significant(global.efficiencyUpperBound))")
      lines.append("  efficiency relative gap     \(TextFormat.sci(global.relativeGap))")
    }
    lines.append("")
    lines.append("Cross-check with the references (relative differences to the fast solver)")
    let header = [
      TextFormat.pad("problem", 10), TextFormat.pad("B", 12), TextFormat.pad("T fast (s)", 20),
      TextFormat.pad("cert gap", 10),
      TextFormat.pad("GLPK diff", 10), TextFormat.pad("GLPK gap", 10),
      TextFormat.pad("LAPACK diff", 11), TextFormat.pad("LAPACK gap", 10),
    ]
    lines.append(header.joined(separator: " "))
    for check in uplink + [downlink] {
      let row = [
        TextFormat.pad(check.label, 10),
        TextFormat.pad(check.globalBatch.map(TextFormat.significant) ?? "-", 12),
        TextFormat.pad(TextFormat.significant(check.fast), 20),
        TextFormat.pad(TextFormat.sci(check.fastGap), 10),
        TextFormat.pad(TextFormat.sci(check.glpkDifference), 10),
        TextFormat.pad(TextFormat.sci(check.glpk.relativeGap), 10),
        TextFormat.pad(TextFormat.sci(check.lapackDifference), 11),
        TextFormat.pad(TextFormat.sci(check.lapack.relativeGap), 10),
      ]
      lines.append(row.joined(separator: " "))
    }
    lines.append(
      "efficiency at B*: GLPK diff \(TextFormat.sci(relativeDifference(referenceEfficiency.glpk, solution.learningEfficiency))), "
        + "LAPACK diff \(TextFormat.sci(relativeDifference(referenceEfficiency.lapack, solution.learningEfficiency)))"
    )
    if let o = referenceOptimum {
      lines.append(
        "optimum over B by the references (golden section, GLPK): B \(TextFormat.significant(o.globalBatch)), "
          + "E \(TextFormat.significant(o.efficiency)), diff \(TextFormat.sci(optimumDifference))")
    }
    lines.append("Loss decay: \(solution.lossDecay)")
    lines.append("")
    lines.append(
      "max relative difference \(TextFormat.sci(maxDifference)) (tolerance \(TextFormat.sci(Tolerance.agreement))), "
        + "max certificate gap \(TextFormat.sci(maxFastGap)) (tolerance \(TextFormat.sci(Tolerance.certificateGap))), "
        + "max reference gap \(TextFormat.sci(maxReferenceGap))")
    lines.append("Status: \(solution.status)")
    lines.append(passed ? "PASSED" : "FAILED")
    return lines.joined(separator: "\n")
  }
}

extension Agreement {
  /// One check as a JSON object.
  var jsonValue: JSONValue {
    func reference(_ s: ReferenceSolution, _ difference: Double) -> JSONValue {
      .object([
        ("roundLength", .number(s.roundLength)),
        ("lowerBound", .number(s.lowerBound)),
        ("relativeGap", .number(s.relativeGap)),
        ("relativeDifference", .number(difference)),
        ("iterations", .number(Double(s.iterations))),
      ])
    }
    var pairs: [(String, JSONValue)] = [("label", .string(label))]
    if let B = globalBatch { pairs.append(("globalBatch", .number(B))) }
    pairs.append(
      (
        "fast",
        .object([("roundLength", .number(fast)), ("certificateRelativeGap", .number(fastGap))])
      )
    )
    pairs.append(("glpk", reference(glpk, glpkDifference)))
    pairs.append(("lapack", reference(lapack, lapackDifference)))
    return .object(pairs)
  }
}
