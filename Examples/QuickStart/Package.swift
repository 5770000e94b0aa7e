// swift-tools-version:6.0
// An example package that depends on FEEL by path: proves that "add it as a dependency"
// works. CI builds and runs it (scripts/test.sh).
import Foundation
import PackageDescription

// A path dependency's identity is the name of its folder (the clone's name), so read it.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
  .deletingLastPathComponent().standardized
let feel = root.lastPathComponent

let package = Package(
  name: "QuickStart",
  dependencies: [.package(path: "../..")],
  targets: [
    .executableTarget(
      name: "quickstart",
      dependencies: [
        .product(name: "FEEL", package: feel),
        .product(name: "ConvexCore", package: feel),
      ])
  ],
  swiftLanguageModes: [.v6]
)
