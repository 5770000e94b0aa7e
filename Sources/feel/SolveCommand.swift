import ArgumentParser
import FEEL
import FEELCommandLine
import Foundation

/// `feel solve [SCENARIO] [--json] [--global-batch B] [--integer]`.
struct SolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Solve P1/P7 (or P2+P3 at a fixed global batch) and print the certified allocation.")

  @OptionGroup var input: ScenarioArgument

  @Flag(help: "Print one JSON object instead of the table.")
  var json = false

  @Option(
    name: .customLong("global-batch"),
    help: "Solve at this fixed global batch B instead of optimizing it.")
  var globalBatch: FiniteNumber?

  @Flag(help: "Integer batch sizes (B_k integer, Σ B_k = B).")
  var integer = false

  func run() throws {
    let scenario = try input.load()
    let solver = try FEELSolver(scenario)
    let fixed = globalBatch?.value
    if integer {
      let result = try IntegerBatches.solve(solver, globalBatch: fixed)
      let certificate =
        result.solution.integerCertificate
        ?? IntegerBatches.certify(result.solution, data: solver.data)
      // The continuous bound is a bound, not the integer answer's certificate: its gap is
      // reported as `continuousRelativeGap`, and `verified` is the integer certificate.
      let bound = Verifier.verify(result.solution, data: solver.data)
      if json {
        var value = result.solution.jsonValue(verification: nil)
        if case .object(var pairs) = value,
          let c = pairs.firstIndex(where: { $0.0 == "certificate" }),
          case .object(var cert) = pairs[c].1
        {
          cert.append(("verified", .bool(certificate.passed)))
          cert.append(("verifiedRelativeGap", .number(result.relativeGap)))
          cert.append(("continuousRelativeGap", .number(bound.relativeGap)))
          cert.append(("feasibilityViolation", .number(certificate.feasibilityViolation)))
          cert.append(("tolerance", .number(certificate.tolerance)))
          pairs[c].1 = .object(cert)
          pairs.append(
            (
              "integer",
              .object([
                ("continuousEfficiency", .number(result.continuousEfficiency)),
                ("relativeGapToContinuous", .number(result.relativeGap)),
                ("globalBatchesExamined", .number(Double(result.batchesExamined))),
                ("exchangeGain", .number(certificate.exchangeGain)),
                ("finishSpread", .number(certificate.finishSpread)),
                ("certified", .bool(certificate.passed)),
              ])
            ))
          value = .object(pairs)
        }
        print(value.serialized())
      } else {
        print(
          Report.table(
            scenario: scenario, data: solver.data, solution: result.solution, verification: nil,
            globalBatchOptimized: fixed == nil))
        print("Integer batches: \(certificate)")
        print(
          "Continuous optimum \(result.continuousEfficiency): the integer answer is within "
            + "\(result.relativeGap) (relative) of it; \(result.batchesExamined) global batch(es) examined"
            + (fixed == nil ? ", the others bounded by the continuous efficiency" : ""))
        print("Status: \(result.solution.status)")
      }
      try UncertifiedAnswer.check(result.solution.status)
      return
    }
    let solution: Solution
    if let B = fixed {
      solution = try solver.solve(globalBatch: B)
    } else {
      solution = solver.optimize()
    }
    let report = solver.verify(solution)
    if json {
      print(solution.jsonValue(verification: report).serialized())
    } else {
      print(
        Report.table(
          scenario: scenario, data: solver.data, solution: solution, verification: report))
      print("Status: \(solution.status)")
    }
    try UncertifiedAnswer.check(solution.status)
  }
}
