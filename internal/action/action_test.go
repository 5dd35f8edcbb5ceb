// Package action tests the repository's GitHub Action (action.yml at the
// root): it runs the action's steps as the runner would, with bash and a
// fake GITHUB_* environment, and checks the job summary, the annotations,
// the SARIF file and the exit code.
package action

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	_ "github.com/agentready/agentready/internal/golden" // defines -update
)

type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
}

var root = filepath.Join("..", "..")

func loadAction(t *testing.T) *actionFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

// TestActionShape: a composite action whose scripts read inputs only
// from env, so that no input value becomes shell.
func TestActionShape(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", a.Runs.Using)
	}
	for _, in := range []string{"command", "target", "min-score", "fail-on", "base", "sarif", "args"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("no input %q", in)
		}
	}
	for _, s := range a.Runs.Steps {
		if s.Run == "" {
			continue
		}
		if s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q: an expression in run: (pass it through env)", s.Name)
		}
	}
}

var expr = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// result is what a run of the action left.
type result struct {
	code    int // the exit code of the first step that failed, else 0
	stdout  string
	summary string
	outputs map[string]string // the action's outputs
}

// runAction runs the action's run: steps in order, as the runner does:
// bash --noprofile --norc -eo pipefail, expressions substituted, each
// step's GITHUB_OUTPUT read into steps.ID.outputs, GITHUB_PATH prepended
// to PATH. uses: steps are skipped (Go is on this machine already). It
// stops at the first step that fails.
func runAction(t *testing.T, workspace string, inputs, env map[string]string) result {
	t.Helper()
	a := loadAction(t)
	tmp := t.TempDir()
	actionPath, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(tmp, "summary.md")
	pathFile := filepath.Join(tmp, "path")
	for _, f := range []string{summary, pathFile} {
		os.WriteFile(f, nil, 0o644)
	}
	runnerArch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	steps := map[string]map[string]string{}
	resolve := func(s string) string {
		return expr.ReplaceAllStringFunc(s, func(m string) string {
			e := expr.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(e, "inputs."):
				name := strings.TrimPrefix(e, "inputs.")
				if v, ok := inputs[name]; ok {
					return v
				}
				in, ok := a.Inputs[name]
				if !ok {
					t.Fatalf("action.yml uses undeclared input %q", name)
				}
				return in.Default
			case e == "github.action_path":
				return actionPath
			case e == "github.action_repository":
				return ""
			case strings.HasPrefix(e, "steps."):
				parts := strings.Split(e, ".") // steps.ID.outputs.NAME
				if len(parts) != 4 || parts[2] != "outputs" {
					t.Fatalf("expression %q", e)
				}
				return steps[parts[1]][parts[3]]
			}
			t.Fatalf("the test does not know the expression %q", e)
			return ""
		})
	}
	var stdout bytes.Buffer
	res := result{outputs: map[string]string{}}
	for i, s := range a.Runs.Steps {
		if s.Uses != "" {
			continue
		}
		script := filepath.Join(tmp, fmt.Sprintf("step%d.sh", i))
		os.WriteFile(script, []byte(s.Run), 0o644)
		output := filepath.Join(tmp, fmt.Sprintf("output%d", i))
		os.WriteFile(output, nil, 0o644)
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = workspace
		path := os.Getenv("PATH")
		if b, _ := os.ReadFile(pathFile); len(b) > 0 {
			path = strings.Join(strings.Fields(string(b)), ":") + ":" + path
		}
		cmd.Env = append(os.Environ(), "PATH="+path, "CI=true", "GITHUB_ACTIONS=true",
			"GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output, "GITHUB_PATH="+pathFile,
			"GITHUB_WORKSPACE="+workspace, "RUNNER_TEMP="+tmp, "RUNNER_OS=Linux", "RUNNER_ARCH="+runnerArch)
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+resolve(v))
		}
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		outs := map[string]string{}
		if b, _ := os.ReadFile(output); len(b) > 0 {
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				k, v, _ := strings.Cut(line, "=")
				outs[k] = v
			}
		}
		steps[s.ID] = outs
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatal(err)
			}
			res.code = ee.ExitCode()
			t.Logf("step %q exited %d:\n%s", s.Name, res.code, stderr.String())
			break
		}
	}
	for name, o := range a.Outputs {
		res.outputs[name] = resolve(o.Value)
	}
	res.stdout = stdout.String()
	b, _ := os.ReadFile(summary)
	res.summary = string(b)
	return res
}

// builtSite is a workspace holding a static-site build in public/.
func builtSite(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	if err := os.CopyFS(filepath.Join(ws, "public"), os.DirFS(filepath.Join(root, "examples", "site"))); err != nil {
		t.Fatal(err)
	}
	return ws
}

func sarifResults(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no SARIF: %v", err)
	}
	var doc struct {
		Version string
		Runs    []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	if doc.Version != "2.1.0" || len(doc.Runs) != 1 {
		t.Fatalf("SARIF version %q, %d runs", doc.Version, len(doc.Runs))
	}
	var out []string
	for _, r := range doc.Runs[0].Results {
		uri := ""
		if len(r.Locations) > 0 {
			uri = r.Locations[0].PhysicalLocation.ArtifactLocation.URI
		}
		out = append(out, r.RuleID+" "+uri)
	}
	return out
}

// TestActionAuditsABuiltFolder: audit-before-deploy. The summary has the
// Markdown report, stdout the annotations at the build's files, the SARIF
// file the same findings with paths relative to the workspace; a score
// under min-score fails the step with exit 1 and still writes them.
func TestActionAuditsABuiltFolder(t *testing.T) {
	ws := builtSite(t)
	res := runAction(t, ws, map[string]string{"target": "public", "fail-on": "none"}, nil)
	if res.code != 0 {
		t.Fatalf("exit %d\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.summary, "## agentready audit") || !strings.Contains(res.summary, "public/") {
		t.Errorf("summary:\n%s", res.summary)
	}
	if !regexp.MustCompile(`(?m)^::(warning|notice|error) file=public/[^,]+`).MatchString(res.stdout) {
		t.Errorf("no annotation at a file of the build:\n%s", res.stdout)
	}
	results := sarifResults(t, filepath.Join(ws, "agentready.sarif"))
	if len(results) == 0 || !strings.Contains(strings.Join(results, "\n"), " public/") {
		t.Errorf("SARIF results: %q", results)
	}
	if res.outputs["exit-code"] != "0" || res.outputs["sarif"] != "agentready.sarif" {
		t.Errorf("outputs %v", res.outputs)
	}

	res = runAction(t, ws, map[string]string{"target": "public", "min-score": "100", "sarif": "out/audit.sarif"}, nil)
	if res.code != 1 || res.outputs["exit-code"] != "1" {
		t.Errorf("min-score 100: exit %d, outputs %v", res.code, res.outputs)
	}
	if !strings.Contains(res.summary, "## agentready audit") {
		t.Errorf("a failing run has no summary:\n%s", res.summary)
	}
	sarifResults(t, filepath.Join(ws, "out", "audit.sarif"))
}

// TestActionLintsWithBase: lint on a pull request, against the base
// branch's spec: the breaking change fails the step, the summary carries
// the changelog.
func TestActionLintsWithBase(t *testing.T) {
	ws := t.TempDir()
	spec, err := os.ReadFile(filepath.Join(root, "testdata", "specs", "petstore.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(ws, "base.yaml"), spec, 0o644)
	// The head removes the findByStatus operation.
	head := regexp.MustCompile(`(?s)\n  /pet/findByStatus:.*?\n  /`).ReplaceAll(spec, []byte("\n  /"))
	if bytes.Equal(head, spec) {
		t.Fatal("the fixture has no /pet/findByStatus to remove")
	}
	os.WriteFile(filepath.Join(ws, "openapi.yaml"), head, 0o644)
	res := runAction(t, ws, map[string]string{"command": "lint", "target": "openapi.yaml", "base": "base.yaml"}, nil)
	if res.code != 1 {
		t.Fatalf("exit %d, want 1 (a breaking change)\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.summary, "## agentready lint") || !strings.Contains(strings.ToLower(res.summary), "breaking") {
		t.Errorf("summary:\n%s", res.summary)
	}
	if !strings.Contains(res.stdout, "::error file=") {
		t.Errorf("no error annotation:\n%s", res.stdout)
	}
	if got := strings.Join(sarifResults(t, filepath.Join(ws, "agentready.sarif")), "\n"); !strings.Contains(got, "removed-without-deprecation base.yaml") || !strings.Contains(got, "version-bump-required openapi.yaml") {
		t.Errorf("SARIF lacks the removal and the version bump:\n%s", got)
	}
}

func TestActionRefusesBadInputs(t *testing.T) {
	ws := t.TempDir()
	for _, in := range []map[string]string{
		{"command": "generate"},
		{"command": "audit", "target": "public", "base": "x.yaml"},
	} {
		res := runAction(t, ws, in, nil)
		if res.code != 2 || !strings.Contains(res.stdout, "::error title=agentready::") {
			t.Errorf("%v: exit %d\n%s", in, res.code, res.stdout)
		}
	}
}

// TestActionDownloadsARelease: with version, the action downloads the
// release archive for the runner from the release server, checks it
// against checksums.txt and refuses one that does not match.
func TestActionDownloadsARelease(t *testing.T) {
	mustLook(t, "curl")
	bin := filepath.Join(t.TempDir(), "agentready")
	build := exec.Command("go", "build", "-o", bin, "./cmd/agentready")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var archive bytes.Buffer
	gz := gzip.NewWriter(&archive)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "agentready", Mode: 0o755, Size: int64(len(exe))})
	tw.Write(exe)
	tw.WriteHeader(&tar.Header{Name: "README.md", Mode: 0o644, Size: 2})
	tw.Write([]byte("hi"))
	tw.Close()
	gz.Close()
	name := fmt.Sprintf("agentready_9.9.9_linux_%s.tar.gz", runtime.GOARCH)
	sum := sha256.Sum256(archive.Bytes())
	checksums := hex.EncodeToString(sum[:]) + "  " + name + "\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/agentready/agentready/releases/download/v9.9.9/" + name:
			w.Write(archive.Bytes())
		case "/agentready/agentready/releases/download/v9.9.9/checksums.txt":
			fmt.Fprint(w, checksums)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	ws := builtSite(t)
	env := map[string]string{"GITHUB_SERVER_URL": srv.URL, "PATH": filepath.Dir(mustLook(t, "bash")) + ":/usr/bin:/bin"}
	res := runAction(t, ws, map[string]string{"version": "v9.9.9", "target": "public", "fail-on": "none"}, env)
	if res.code != 0 || !strings.Contains(res.summary, "## agentready audit") {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.summary)
	}

	checksums = strings.Repeat("0", 64) + "  " + name + "\n"
	res = runAction(t, ws, map[string]string{"version": "9.9.9", "target": "public"}, env)
	if res.code != 2 || !strings.Contains(res.stdout, "::error title=agentready::checksum of "+name) {
		t.Errorf("a bad checksum: exit %d\n%s", res.code, res.stdout)
	}
}

func mustLook(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("no %s", name)
	}
	return p
}
