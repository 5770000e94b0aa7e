import CGLPK
import FEELReference
import Foundation
import Testing

/// Counts the characters GLPK sends to the terminal on the calling thread.
private final class TerminalCounter {
  var characters = 0
}

/// Runs `body` with a GLPK terminal hook installed on this thread and returns how many
/// characters GLPK tried to print meanwhile (the hook swallows them).
private func glpkOutput(during body: () throws -> Void) rethrows -> Int {
  let counter = TerminalCounter()
  let info = Unmanaged.passRetained(counter).toOpaque()
  glp_term_hook(
    { info, text in
      let counter = Unmanaged<TerminalCounter>.fromOpaque(info!).takeUnretainedValue()
      counter.characters += text.map { strlen($0) } ?? 0
      return 1
    }, info)
  defer {
    glp_term_hook(nil, nil)
    Unmanaged<TerminalCounter>.fromOpaque(info).release()
  }
  try body()
  return counter.characters
}

@Suite struct SmokeTests {
  /// maximize x + y  s.t.  x + 2y ≤ 4,  3x + y ≤ 6,  x, y ≥ 0:  optimum (8/5, 6/5), value 14/5.
  @Test func glpkSolvesATwoVariableLPSilently() throws {
    var value = 0.0
    var x = 0.0
    var y = 0.0
    let printed = glpkOutput {
      let lp = glp_create_prob()!
      defer { glp_delete_prob(lp) }
      glp_set_obj_dir(lp, GLP_MAX)
      glp_add_cols(lp, 2)
      for j: Int32 in 1...2 {
        glp_set_col_bnds(lp, j, GLP_LO, 0, 0)
        glp_set_obj_coef(lp, j, 1)
      }
      glp_add_rows(lp, 2)
      glp_set_row_bnds(lp, 1, GLP_UP, 0, 4)
      glp_set_row_bnds(lp, 2, GLP_UP, 0, 6)
      let ia: [Int32] = [0, 1, 1, 2, 2]
      let ja: [Int32] = [0, 1, 2, 1, 2]
      let ar: [Double] = [0, 1, 2, 3, 1]
      glp_load_matrix(lp, 4, ia, ja, ar)
      var parm = glp_smcp()
      glp_init_smcp(&parm)
      parm.msg_lev = GLP_MSG_OFF
      #expect(glp_simplex(lp, &parm) == 0)
      #expect(glp_get_status(lp) == GLP_OPT)
      value = glp_get_obj_val(lp)
      x = glp_get_col_prim(lp, 1)
      y = glp_get_col_prim(lp, 2)
    }
    #expect(abs(value - 2.8) < 1e-12)
    #expect(abs(x - 1.6) < 1e-12 && abs(y - 1.2) < 1e-12)
    #expect(printed == 0, "GLPK printed \(printed) characters")
  }

  /// The hook does see GLPK output (control for the silence checks).
  @Test func terminalHookCatchesChatter() {
    let printed = glpkOutput {
      let lp = glp_create_prob()!
      defer { glp_delete_prob(lp) }
      glp_add_cols(lp, 1)
      glp_set_col_bnds(lp, 1, GLP_LO, 0, 0)
      var parm = glp_smcp()
      glp_init_smcp(&parm)  // default message level: prints progress
      _ = glp_simplex(lp, &parm)
    }
    #expect(printed > 0)
  }

  @Test func referenceSolversPrintNothing() throws {
    let uplink = try UplinkInstance(
      a: [0.3, 0.1, 2], alpha: [0, 0.1, 0], beta: [0.01, 0.002, 0.05], lower: [1, 1, 1],
      upper: [50, 50, 50], total: 60)
    let downlink = try DownlinkInstance(d: [0.2, 0.5], m: [0.1, 0])
    let printed = try glpkOutput {
      _ = try GLPKReference.uplink(uplink)
      _ = try GLPKReference.downlink(downlink)
      _ = try GLPKReference.integerUplink(uplink)
    }
    #expect(printed == 0, "GLPK printed \(printed) characters")
  }

  /// [[2, 1, 1], [1, 3, 2], [1, 0, 0]] · (1, 2, 3) = (7, 13, 1), column-major.
  @Test func lapackSolvesAThreeByThreeSystem() throws {
    let matrix: [Double] = [2, 1, 1, 1, 3, 0, 1, 2, 0]
    let x = try LAPACKReference.solve(matrix: matrix, rhs: [7, 13, 1])
    #expect(x.count == 3)
    for (value, expected) in zip(x, [1.0, 2, 3]) { #expect(abs(value - expected) < 1e-12) }
    #expect(throws: ReferenceError.self) {
      try LAPACKReference.solve(matrix: [1, 2, 2, 4], rhs: [1, 1])
    }
  }
}
