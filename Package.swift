// swift-tools-version:6.0
//
// FEEL: exact, certified and fast solvers for the training-acceleration problems of
// Ren, Yu, Ding, "Accelerating DNN Training in Wireless Federated Edge Learning Systems".
//
// Layers (see README and DocC); each target depends only on those above it:
//   ConvexCore           general fractional / min-max convex solvers and the seeded
//                        generator (no FEEL knowledge)
//   FEEL                 system model, problems P1–P7, baselines, certificates
//   FEELStudies          parameter sweeps, round-by-round fading, the GPU latency fit
//   FEELFigures          SVG charts of sweeps and studies
//   FEELTraining         real training (Section VI), loss-decay fits
//   FEELCommandLine      what `feel` and `feel-verify` share: argument types, exit codes
//   feel                 command-line tool
//   FEELReference        GLPK- and LAPACK-based reference solvers on raw arrays (no FEEL)
//   FEELReferenceBridge  Scenario → reference instances, from the scenario's own fields
//   feel-verify          cross-checks the fast solver against the references
//   PropertyTesting      seeded generator, forEachInstance, relative difference (tests only)
//   FEELTestSupport      random scenarios and paper instances for the test suites
//
// ConvexCore, FEEL and `feel` need nothing but the Swift toolchain and the packages below;
// only FEELReference (and so the tests and `feel-verify`) need the Debian packages
// libglpk-dev, liblapack-dev and liblapacke-dev. FEELTraining (real training, used by `feel
// fit-loss`) links the system zlib (zlib1g-dev, on the base system) and reads Debian's
// dataset-fashion-mnist; it uses OpenBLAS when installed (loaded at run time, optional).
import PackageDescription

let package = Package(
  name: "FEEL",
  products: [
    .library(name: "ConvexCore", targets: ["ConvexCore"]),
    .library(name: "FEEL", targets: ["FEEL"]),
    .library(name: "FEELStudies", targets: ["FEELStudies"]),
    .library(name: "FEELTraining", targets: ["FEELTraining"]),
    .executable(name: "feel", targets: ["feel"]),
    .executable(name: "feel-verify", targets: ["feel-verify"]),
  ],
  dependencies: [
    // Command-line parsing for `feel` (subcommands, typed options, help).
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // Property-based testing with shrinking, for exploratory runs of the property suites.
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
  ],
  targets: [
    .target(name: "ConvexCore"),
    .target(name: "FEEL", dependencies: ["ConvexCore"]),
    // Studies built on the solver: sweeps of one parameter, fading rounds, the GPU fit.
    .target(name: "FEELStudies", dependencies: ["FEEL", "ConvexCore"]),
    // SVG charts of sweeps and training studies (no solver knowledge but the sweep types).
    .target(name: "FEELFigures", dependencies: ["FEEL", "FEELStudies"]),
    .executableTarget(
      name: "feel",
      dependencies: [
        "FEEL", "FEELCommandLine", "FEELFigures", "FEELStudies", "FEELTraining",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // What both executables share: argument types, the scenario argument, exit statuses
    // and the one-line error.
    .target(
      name: "FEELCommandLine",
      dependencies: ["FEEL", .product(name: "ArgumentParser", package: "swift-argument-parser")]
    ),
    // zlib from the base system (Debian's zlib1g-dev): gzip'd IDX files of the data sets.
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    // Real training (Section VI): IDX data sets, the MLP with hand-written gradients.
    .target(
      name: "FEELTraining",
      dependencies: ["FEEL", "FEELStudies", "FEELFigures", "ConvexCore", "CZlib"]),
    .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
    .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
    // The references work on raw arrays only: no FEEL, no ConvexCore.
    .target(name: "FEELReference", dependencies: ["CGLPK", "CLAPACK"]),
    // Scenario → reference instances, computed from the scenario's fields (not SystemData).
    .target(name: "FEELReferenceBridge", dependencies: ["FEEL", "FEELReference"]),
    .executableTarget(
      name: "feel-verify",
      dependencies: [
        "FEEL", "FEELCommandLine", "FEELReference", "FEELReferenceBridge",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // The property-test harness: the seeded generator, forEachInstance (honouring
    // FEEL_PROPERTY_COUNT) and one relative difference; nothing above ConvexCore.
    .target(name: "PropertyTesting", dependencies: ["ConvexCore"]),
    .target(name: "FEELTestSupport", dependencies: ["FEEL", "ConvexCore", "PropertyTesting"]),
    // ConvexCore's tests need nothing above it.
    .testTarget(name: "ConvexCoreTests", dependencies: ["ConvexCore", "PropertyTesting"]),
    .testTarget(
      name: "FEELTests",
      dependencies: [
        "FEEL", "ConvexCore", "FEELTestSupport",
      ]
    ),
    .testTarget(
      name: "FEELStudiesTests",
      dependencies: ["FEELStudies", "FEEL", "FEELFigures", "FEELTestSupport"]
    ),
    .testTarget(
      name: "FEELReferenceTests",
      dependencies: [
        "FEELReference", "FEELReferenceBridge", "FEEL", "FEELStudies", "FEELTestSupport", "CGLPK",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "FEELTrainingTests", dependencies: ["FEELTraining", "FEEL", "ConvexCore", "CZlib"]),
    // Runs the real `feel` binary (found next to the test bundle; see FeelBinary.swift).
    .testTarget(name: "FeelCLITests", dependencies: ["FEEL", "FEELTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
