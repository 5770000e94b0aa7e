// libFuzzer harness: arbitrary bytes to the scenario reader and, for inputs that
// validate, to the solver and the verifier (built by scripts/fuzz.sh, not by SwiftPM).
//
// Checks: nothing traps or hangs (libFuzzer's -timeout), every answer whose status is
// certified passes the independent check of its certificate (Verifier, or the integer
// certificate), and a solution's status never claims more than its verification.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  let data = Data(bytes: bytes, count: count)
  guard let scenario = try? Scenario(json: data) else { return 0 }
  // Big fleets are valid but slow; the solver's cost is O(K log K) and is not what is
  // fuzzed here.
  guard scenario.deviceCount <= 64, let solver = try? FEELSolver(scenario) else { return 0 }
  let best = solver.optimize()
  check(best, solver, "optimize")
  // A fixed global batch derived from the input bytes, inside the admissible range.
  let lo = solver.data.minimumGlobalBatch
  let hi = solver.data.maximumGlobalBatch
  let t = Double(count % 97) / 96
  let B = (lo + t * (hi - lo)).rounded()
  if let fixed = try? solver.solve(globalBatch: B) { check(fixed, solver, "B = \(B)") }
  if scenario.maxBatch <= 512, let integer = try? IntegerBatches.solve(solver, globalBatch: nil) {
    if integer.solution.status.isCertified {
      let c = IntegerBatches.certify(integer.solution, data: solver.data)
      precondition(c.passed, "integer answer certified but its certificate fails: \(c)")
    }
  }
  return 0
}

/// A certified status must come with a certificate that verifies.
func check(_ s: Solution, _ solver: FEELSolver, _ what: String) {
  let report = solver.verify(s)
  precondition(
    s.status.isCertified == report.passed,
    "\(what): status \(s.status) but verification \(report)")
  if s.status.isCertified {
    precondition(s.learningEfficiency.isFinite && s.learningEfficiency > 0, "\(what): E")
    precondition(s.batches.allSatisfy { $0.isFinite }, "\(what): batches")
  }
}
