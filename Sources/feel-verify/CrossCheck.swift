import FEEL
import FEELReference
import FEELReferenceBridge

/// The agreement tolerances of `feel verify`.
enum Tolerance {
  /// Largest relative difference allowed between the fast solver and a reference.
  static let agreement = FEELSolver.Settings.default.crossCheckTolerance
  /// Largest relative duality gap allowed in the fast solver's certificates.
  static let certificateGap = FEELSolver.Settings.default.certificateTolerance
}

/// The fast solver's round length at one problem and the two references' answers to it.
struct Agreement {
  /// A short name for the point checked ("B*", "min", "max", ...).
  var label: String
  /// The global batch (nil for the downlink).
  var globalBatch: Double?
  /// The fast solver's round length, seconds.
  var fast: Double
  /// Its certificate's duality gap relative to the round length.
  var fastGap: Double
  /// GLPK's cutting-plane answer.
  var glpk: ReferenceSolution
  /// LAPACK's barrier answer.
  var lapack: ReferenceSolution

  /// |T_glpk − T_fast| / T_fast.
  var glpkDifference: Double { relativeDifference(glpk.roundLength, fast) }
  /// |T_lapack − T_fast| / T_fast.
  var lapackDifference: Double { relativeDifference(lapack.roundLength, fast) }
  /// The larger of the two differences.
  var maxDifference: Double { worst(glpkDifference, lapackDifference) }
  /// The larger of the two references' own gaps.
  var maxReferenceGap: Double { worst(glpk.relativeGap, lapack.relativeGap) }
}

/// Everything `feel verify` found for one scenario.
struct CrossCheckReport {
  /// The scenario's name, if any.
  var name: String?
  /// K.
  var devices: Int
  /// `true` when B* was optimized, `false` at a fixed `--global-batch`.
  var optimized: Bool
  /// The fast solver's solution at B*.
  var solution: Solution
  /// The uplink checks: B* first, then the other global batches in increasing order.
  var uplink: [Agreement]
  /// The downlink check.
  var downlink: Agreement
  /// The efficiency ΔL(B*)/(T^U + T^D) with GLPK's and with LAPACK's round lengths (ΔL
  /// from the model's formula in `GlobalBatchReference`).
  var referenceEfficiency: (glpk: Double, lapack: Double)
  /// The references' own optimum over B (golden-section search with GLPK's T^U), when B
  /// was optimized and K ≤ ``referenceSearchDevices``; nil otherwise.
  var referenceOptimum: GlobalBatchReference.Optimum?

  /// |E_ref* − E_fast*| / E_fast*: the reference search's optimum against the fast one
  /// (0 when there is no search).
  var optimumDifference: Double {
    referenceOptimum.map { relativeDifference($0.efficiency, solution.learningEfficiency) } ?? 0
  }

  /// |E_ref − E_fast| / E_fast, the larger over both references.
  var efficiencyDifference: Double {
    worst(
      relativeDifference(referenceEfficiency.glpk, solution.learningEfficiency),
      relativeDifference(referenceEfficiency.lapack, solution.learningEfficiency))
  }
  /// The largest relative difference over every check (round lengths and efficiency).
  var maxDifference: Double {
    (uplink + [downlink]).map(\.maxDifference).reduce(
      worst(efficiencyDifference, optimumDifference), worst)
  }
  /// The largest relative certificate gap of the fast solver over every check.
  var maxFastGap: Double { (uplink + [downlink]).map(\.fastGap).reduce(0, worst) }
  /// The largest reference gap over every check.
  var maxReferenceGap: Double { (uplink + [downlink]).map(\.maxReferenceGap).reduce(0, worst) }
  /// Whether the fast solver agrees with both references and its certificates are tight.
  var passed: Bool {
    maxDifference <= Tolerance.agreement && maxFastGap <= Tolerance.certificateGap
  }
}

/// The largest K for which `feel verify` also searches the optimal B with the references
/// (about 64 GLPK solves).
let referenceSearchDevices = 64

/// |x − reference| / |reference| (NaN stays NaN).
func relativeDifference(_ x: Double, _ reference: Double) -> Double {
  abs(x - reference) / abs(reference)
}

/// The larger of two numbers, NaN if either is NaN (so that a NaN is never hidden).
func worst(_ x: Double, _ y: Double) -> Double {
  if x.isNaN || y.isNaN { return .nan }
  return Swift.max(x, y)
}

/// A reference solver's failure as a one-line request error.
func referenceFailure(_ what: String, _ error: ReferenceError) -> InfeasibleRequest {
  InfeasibleRequest(field: "verify", reason: "\(what) failed: \(error)")
}

/// Runs the fast solver and both references on `scenario`.
///
/// The uplink is checked at B* and at the ends K and K·B^max, at Σ ℓ_k (the smallest
/// batch of the affine model, when inside), and halfway between B* and each end.
///
/// - Throws: ``InfeasibleRequest`` for a bad `globalBatch` or a reference failure, and
///   ``ScenarioError`` for data the solver refuses.
func crossCheck(_ scenario: Scenario, globalBatch: Double?) throws -> CrossCheckReport {
  let solver = try FEELSolver(scenario)
  let data = solver.data
  let solution = try globalBatch.map { try solver.solve(globalBatch: $0) } ?? solver.optimize()
  let star = solution.globalBatch

  func references(_ B: Double) throws -> (ReferenceSolution, ReferenceSolution) {
    let instance: UplinkInstance
    do { instance = try UplinkInstance(scenario, globalBatch: B) } catch {
      throw referenceFailure("the reference instance at B = \(B)", error)
    }
    let glpk: ReferenceSolution
    do { glpk = try GLPKReference.uplink(instance) } catch {
      throw referenceFailure("GLPK uplink at B = \(B)", error)
    }
    let lapack: ReferenceSolution
    do { lapack = try LAPACKReference.uplink(instance) } catch {
      throw referenceFailure("LAPACK uplink at B = \(B)", error)
    }
    return (glpk, lapack)
  }

  let (glpkStar, lapackStar) = try references(star)
  let cert = solution.uplinkCertificate
  var checks = [
    Agreement(
      label: "B*", globalBatch: star, fast: solution.uplinkSeconds,
      fastGap: cert.dualityGap / cert.roundLength, glpk: glpkStar, lapack: lapackStar)
  ]
  let low = data.minimumGlobalBatch
  let high = data.maximumGlobalBatch
  var others: [(String, Double)] = [("min", low), ("max", high)]
  if data.affineMinimumBatch > low, data.affineMinimumBatch < high {
    others.append(("Σℓ", data.affineMinimumBatch))
  }
  others.append(("mid-low", (low + star) / 2))
  others.append(("mid-high", (star + high) / 2))
  var seen: [Double] = [star]
  for (label, B) in others.sorted(by: { $0.1 < $1.1 }) where !seen.contains(B) {
    seen.append(B)
    let up = try solver.uplink(globalBatch: B)
    let (glpk, lapack) = try references(B)
    checks.append(
      Agreement(
        label: label, globalBatch: B, fast: up.roundLength,
        fastGap: up.certificate.dualityGap / up.roundLength, glpk: glpk, lapack: lapack))
  }

  let downInstance: DownlinkInstance
  do { downInstance = try DownlinkInstance(scenario) } catch {
    throw referenceFailure("the reference downlink instance", error)
  }
  let glpkDown: ReferenceSolution
  let lapackDown: ReferenceSolution
  do { glpkDown = try GLPKReference.downlink(downInstance) } catch {
    throw referenceFailure("GLPK downlink", error)
  }
  do { lapackDown = try LAPACKReference.downlink(downInstance) } catch {
    throw referenceFailure("LAPACK downlink", error)
  }
  let downCert = solution.downlinkCertificate
  let down = Agreement(
    label: "downlink", globalBatch: nil, fast: solution.downlinkSeconds,
    fastGap: downCert.dualityGap / downCert.roundLength, glpk: glpkDown, lapack: lapackDown)

  let decrease = GlobalBatchReference.lossDecrease(scenario.lossDecay, globalBatch: star)
  let efficiency = (
    glpk: decrease / (glpkStar.roundLength + glpkDown.roundLength),
    lapack: decrease / (lapackStar.roundLength + lapackDown.roundLength)
  )
  var optimum: GlobalBatchReference.Optimum?
  if globalBatch == nil, data.count <= referenceSearchDevices {
    do { optimum = try GlobalBatchReference.optimize(scenario) } catch {
      throw referenceFailure("the reference search over B", error)
    }
  }
  return CrossCheckReport(
    name: scenario.name, devices: data.count, optimized: globalBatch == nil,
    solution: solution, uplink: checks, downlink: down, referenceEfficiency: efficiency,
    referenceOptimum: optimum)
}
