/// A setting of ``FEELSolver/Settings`` that cannot be used, with its name.
public struct SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The name of the setting (`certificateTolerance`, `newtonMaxIterations`, …).
  public let setting: String
  /// What is wrong, with the value found.
  public let reason: String

  /// Creates an error for `setting`.
  public init(setting: String, reason: String) {
    self.setting = setting
    self.reason = reason
  }

  /// One line: `setting: reason`.
  public var description: String { "\(setting): \(reason)" }
}

extension FEELSolver {
  /// Every tolerance and iteration cap of a solve, with documented defaults (in the style
  /// of Clarabel's `DefaultSettings`).
  ///
  /// The defaults are what the solver has always used; ``default`` reproduces its answers
  /// bit for bit. A settings value is checked when it is built: every tolerance must be a
  /// finite number > 0 (and < 1 where it is relative), every cap an integer ≥ 1, else
  /// ``SettingsError`` names the setting.
  ///
  ///     let strict = try FEELSolver(scenario, settings: .init(certificateTolerance: 1e-12))
  public struct Settings: Sendable, Equatable {
    /// Relative duality gap and relative feasibility violation a certificate may show and
    /// still verify (``Verifier``, ``IntegerBatches/certify(_:data:tolerance:)``, and the
    /// gap below which an integer answer is ``SolutionStatus/certified``). Default 1e-9.
    /// The stopping tests below are far tighter, so typical gaps are about 1e-16.
    public let certificateTolerance: Double
    /// Relative agreement with the GLPK and LAPACK reference solvers that `feel verify`
    /// requires. Default 1e-7.
    public let crossCheckTolerance: Double
    /// Relative bracket width at which the roots of the uplink at a fixed B (B(T) = B) and
    /// of the harmonic equations of the slots (`HarmonicRoot`) stop. Default 1e-16.
    public let rootTolerance: Double
    /// Relative bracket width at which the Newton searches for the optimal round length
    /// (the first-order condition of P1/P7 and the parametric problems of
    /// ``FEELSolver/optimizeByDinkelbach()``) stop. Default 4e-16.
    public let optimumTolerance: Double
    /// Evaluations allowed to each of those Newton searches. Default 200.
    public let newtonMaxIterations: Int
    /// Evaluations allowed to each harmonic root (`HarmonicRoot`). Default 100.
    public let harmonicRootMaxIterations: Int
    /// Tolerance of the Dinkelbach iteration of ``FEELSolver/optimizeByDinkelbach()``.
    /// Default 1e-15.
    public let dinkelbachTolerance: Double
    /// Dinkelbach steps allowed. Default 100.
    public let dinkelbachMaxIterations: Int
    /// Relative miss |B(T) − B|/B of the fixed-B root above which the allocations at the
    /// two ends of the final bracket are combined instead. Default 1e-12.
    public let batchMatchTolerance: Double
    /// Relative slack (times K·B^max) by which a requested global batch may leave
    /// K ... K·B^max and still be accepted (it is then clamped). Default 1e-12.
    public let globalBatchSlack: Double
    /// Relative slack (times max(1, B)) of the batch sums in the certificate's batch-price
    /// interval, and (times |g|) of the test that a tangent batch price keeps the dual
    /// bound g. Default 1e-12.
    public let certifierSlack: Double
    /// Active-set Newton passes of the uplink slot water-filling before the sorted
    /// breakpoint algorithm takes over. Default 40.
    public let levelPasses: Int
    /// Relative width at which the fallback golden-section search over B stops.
    /// Default 1e-13.
    public let batchSearchTolerance: Double
    /// Golden-section steps allowed to that search. Default 200.
    public let batchSearchMaxIterations: Int
    /// Single-sample exchanges allowed to the integer allocation at one round length:
    /// exchangeRoundsPerDevice·K + exchangeRoundsBase. Defaults 100 and 1000.
    public let exchangeRoundsPerDevice: Int
    /// See ``exchangeRoundsPerDevice``. Default 1000.
    public let exchangeRoundsBase: Int
    /// Relative improvement an exchange must bring to be made (so rounding never cycles).
    /// Default 1e-15.
    public let exchangeImprovement: Double
    /// Refinements of the integer round length (exchange, then re-solve the slots).
    /// Default 100.
    public let integerRefinements: Int
    /// Relative duality gap above which a certificate also tries the alternative dual
    /// weights (compute-bound and interior-corrected, valid at every spread of device
    /// times) and the fixed-B solve also builds the compute-only allocation. A tenth of
    /// the default ``certificateTolerance``. Default 1e-10.
    public let alternativeWeightsGap: Double
    /// Bisection steps allowed to the compute-only allocation (on the round length T of
    /// Σ_k B_k(T) = B; it stops earlier once the bracket is two adjacent doubles).
    /// Default 200.
    public let computeBoundBisections: Int

    /// The solver's defaults.
    public static let `default` = Settings(defaults: ())

    private init(defaults: Void) {
      certificateTolerance = 1e-9
      crossCheckTolerance = 1e-7
      rootTolerance = 1e-16
      optimumTolerance = 4e-16
      newtonMaxIterations = 200
      harmonicRootMaxIterations = 100
      dinkelbachTolerance = 1e-15
      dinkelbachMaxIterations = 100
      batchMatchTolerance = 1e-12
      globalBatchSlack = 1e-12
      certifierSlack = 1e-12
      levelPasses = 40
      batchSearchTolerance = 1e-13
      batchSearchMaxIterations = 200
      exchangeRoundsPerDevice = 100
      exchangeRoundsBase = 1000
      exchangeImprovement = 1e-15
      integerRefinements = 100
      alternativeWeightsGap = 1e-10
      computeBoundBisections = 200
    }

    /// Settings with the given values; every one left out keeps its default.
    ///
    /// - Throws: ``SettingsError`` naming the first setting that is not a finite number
    ///   in (0, 1) (tolerances) or an integer ≥ 1 (caps; ≥ 0 for `exchangeRoundsBase`).
    public init(
      certificateTolerance: Double = Settings.default.certificateTolerance,
      crossCheckTolerance: Double = Settings.default.crossCheckTolerance,
      rootTolerance: Double = Settings.default.rootTolerance,
      optimumTolerance: Double = Settings.default.optimumTolerance,
      newtonMaxIterations: Int = Settings.default.newtonMaxIterations,
      harmonicRootMaxIterations: Int = Settings.default.harmonicRootMaxIterations,
      dinkelbachTolerance: Double = Settings.default.dinkelbachTolerance,
      dinkelbachMaxIterations: Int = Settings.default.dinkelbachMaxIterations,
      batchMatchTolerance: Double = Settings.default.batchMatchTolerance,
      globalBatchSlack: Double = Settings.default.globalBatchSlack,
      certifierSlack: Double = Settings.default.certifierSlack,
      levelPasses: Int = Settings.default.levelPasses,
      batchSearchTolerance: Double = Settings.default.batchSearchTolerance,
      batchSearchMaxIterations: Int = Settings.default.batchSearchMaxIterations,
      exchangeRoundsPerDevice: Int = Settings.default.exchangeRoundsPerDevice,
      exchangeRoundsBase: Int = Settings.default.exchangeRoundsBase,
      exchangeImprovement: Double = Settings.default.exchangeImprovement,
      integerRefinements: Int = Settings.default.integerRefinements,
      alternativeWeightsGap: Double = Settings.default.alternativeWeightsGap,
      computeBoundBisections: Int = Settings.default.computeBoundBisections
    ) throws {
      func tolerance(_ x: Double, _ name: String) throws -> Double {
        guard x.isFinite, x > 0, x < 1 else {
          throw SettingsError(
            setting: name, reason: "must be a finite number in (0, 1) (got \(Check.format(x)))")
        }
        return x
      }
      func cap(_ n: Int, _ name: String, atLeast low: Int = 1) throws -> Int {
        guard n >= low else {
          throw SettingsError(setting: name, reason: "must be an integer >= \(low) (got \(n))")
        }
        return n
      }
      self.certificateTolerance = try tolerance(certificateTolerance, "certificateTolerance")
      self.crossCheckTolerance = try tolerance(crossCheckTolerance, "crossCheckTolerance")
      self.rootTolerance = try tolerance(rootTolerance, "rootTolerance")
      self.optimumTolerance = try tolerance(optimumTolerance, "optimumTolerance")
      self.newtonMaxIterations = try cap(newtonMaxIterations, "newtonMaxIterations")
      self.harmonicRootMaxIterations = try cap(
        harmonicRootMaxIterations, "harmonicRootMaxIterations")
      self.dinkelbachTolerance = try tolerance(dinkelbachTolerance, "dinkelbachTolerance")
      self.dinkelbachMaxIterations = try cap(dinkelbachMaxIterations, "dinkelbachMaxIterations")
      self.batchMatchTolerance = try tolerance(batchMatchTolerance, "batchMatchTolerance")
      self.globalBatchSlack = try tolerance(globalBatchSlack, "globalBatchSlack")
      self.certifierSlack = try tolerance(certifierSlack, "certifierSlack")
      self.levelPasses = try cap(levelPasses, "levelPasses")
      self.batchSearchTolerance = try tolerance(batchSearchTolerance, "batchSearchTolerance")
      self.batchSearchMaxIterations = try cap(batchSearchMaxIterations, "batchSearchMaxIterations")
      self.exchangeRoundsPerDevice = try cap(exchangeRoundsPerDevice, "exchangeRoundsPerDevice")
      self.exchangeRoundsBase = try cap(exchangeRoundsBase, "exchangeRoundsBase", atLeast: 0)
      self.exchangeImprovement = try tolerance(exchangeImprovement, "exchangeImprovement")
      self.integerRefinements = try cap(integerRefinements, "integerRefinements")
      self.alternativeWeightsGap = try tolerance(alternativeWeightsGap, "alternativeWeightsGap")
      self.computeBoundBisections = try cap(computeBoundBisections, "computeBoundBisections")
    }
  }
}
