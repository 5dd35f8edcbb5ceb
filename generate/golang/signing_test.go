package golang_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agentready/agentready/generate/golang"
)

// TestAgentSigner runs testdata/generate/petstore_e2e/signing_test.go
// against the client generated from petstore.yaml: WithAgentSigner's
// signatures reproduce RFC 9421's B.2.6 example and Cloudflare's web-bot-auth
// Ed25519 vectors, and a loopback server verifies the signature of a GET, a
// POST with a body, a retry and a redirect.
func TestAgentSigner(t *testing.T) {
	files := generate(t, fixture("petstore.yaml"), "petstore")
	for _, name := range []string{"client_test.go", "signing_test.go"} {
		test, err := os.ReadFile(fixture(filepath.Join("petstore_e2e", name)))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, golang.File{Name: name, Content: test})
	}
	dir := writeModule(t, files)
	out := goCmd(t, dir, "test", "-count=1", "-v", "-run", "Agent|RFC9421|WebBotAuth|NoSignature", "./...")
	for _, name := range []string{"TestAgentKeyIDIsTheJWKThumbprint", "TestRFC9421B26", "TestWebBotAuthVectors",
		"TestAgentSignerSignsGetAndPost", "TestAgentSignerResignsRetries", "TestAgentSignerSignsRedirects",
		"TestAgentSignerRefusesBadOptions", "TestNoSignatureWithoutSigner"} {
		if !strings.Contains(out, "--- PASS: "+name) {
			t.Errorf("%s did not pass:\n%s", name, out)
		}
	}
}
