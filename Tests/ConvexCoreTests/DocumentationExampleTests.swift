import ConvexCore
import Testing

// The Swift code of the ConvexCore DocC articles (DocC/ConvexCore.docc), compiled and
// run, with what the articles claim about it checked. `DocumentationCodeBlockTests` (in
// FEELTests) fails when an article's block is missing here, so keep each block verbatim
// (whitespace aside) and put the checks after it.

@Suite struct DocumentationExampleTests {
}
