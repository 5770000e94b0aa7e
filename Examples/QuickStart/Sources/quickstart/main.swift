import ConvexCore
import FEEL

// Describe a fleet: two CPU devices and one GPU device with given average rates.
let scenario = try Scenario(
  gradientBits: 32 * 3_538_984,  // MobileNetV2, b = 32 bits per parameter
  maxBatch: 128,
  cyclesPerSample: 1e8,
  updateCycles: 1e7,
  updateFlops: 1e9,
  devices: [
    Device(compute: .cpu(hz: 1.4e9), link: .rates(uplinkBps: 5e7, downlinkBps: 1e8)),
    Device(compute: .cpu(hz: 2.1e9), link: .rates(uplinkBps: 2e7, downlinkBps: 8e7)),
    Device(
      compute: .gpu(
        GPUProfile(baseSeconds: 0.05, secondsPerSample: 0.002, thresholdBatch: 16, flops: 1e13)),
      link: .distance(meters: 80)),
  ])

// Solve P1 (optimal global batch, per-device batches and both slot allocations).
let solver = try FEELSolver(scenario)
let solution = solver.optimize()
print("global batch B* = \(solution.globalBatch), efficiency E* = \(solution.learningEfficiency)")
for k in solution.batches.indices {
  print(
    "device \(k): B_k = \(solution.batches[k]), τ_k^U = \(solution.uplinkSlotSeconds[k] * 1e3) ms")
}

// Check the certificate without trusting the solver.
let report = Verifier.verify(solution, data: solver.data)
print(report)
guard report.passed else { fatalError("certificate did not verify") }

// ConvexCore is usable on its own: the root of x^3 = 2 by safeguarded Newton.
let root = SafeguardedNewton.solve(in: 0...2) { x in (x * x * x - 2, 3 * x * x) }
print("cube root of 2 = \(root.root) (\(root.status))")
