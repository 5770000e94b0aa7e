// The suites that import FEELTestSupport use the property harness (seeded generator,
// forEachInstance, relativeDifference) without importing it again.
@_exported import PropertyTesting
