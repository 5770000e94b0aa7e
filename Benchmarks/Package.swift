// swift-tools-version:6.1
//
// Benchmarks for FEEL, a separate package so that users of the library never pull the
// benchmark dependency. Run from the repository root:
//
//   swift package --package-path Benchmarks benchmark
//
// See Benchmarks/README.md for the suites and the threshold policy.
import Foundation
import PackageDescription

// A path dependency's identity is the name of its folder (the clone's name), so read it.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().standardized
let rootName = root.lastPathComponent

let benchmark = Target.Dependency.product(name: "Benchmark", package: "benchmark")
let convexCore = Target.Dependency.product(name: "ConvexCore", package: rootName)

let package = Package(
  name: "FEELBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "ConvexCoreBenchmarks",
      // ConvexCore alone: the solver layer is measured without FEEL.
      dependencies: [benchmark, convexCore],
      path: "ConvexCoreBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "FEELBenchmarks",
      dependencies: [benchmark, convexCore, .product(name: "FEEL", package: rootName)],
      path: "FEELBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    // Not a package-benchmark suite: a plain release executable that training-throughput.sh
    // runs beside the same training step in numpy. It lives in Tools/ because the benchmark
    // plugin runs every executable target whose folder sits directly in Benchmarks/.
    .executableTarget(
      name: "TrainingThroughput",
      dependencies: [.product(name: "FEELTraining", package: rootName)],
      path: "Tools/TrainingThroughput"
    ),
  ],
  swiftLanguageModes: [.v6]
)
