package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentready/agentready/report"
	"github.com/spf13/cobra"
)

// testFindings is what the test-only "findings" command reports: one
// finding of each severity, in files a.yaml and b.yaml.
var testFindings = []report.Finding{
	{RuleID: "rule-error", Severity: report.Error, Message: "an error", Location: report.Location{File: "b.yaml", Line: 3, Column: 1}},
	{RuleID: "rule-warning", Severity: report.Warning, Message: "a warning", Location: report.Location{File: "a.yaml", Line: 7, Column: 5}},
	{RuleID: "rule-info", Severity: report.Info, Message: "some info", Location: report.Location{File: "a.yaml", Line: 2, Column: 1}},
	{RuleID: "rule-hint", Severity: report.Hint, Message: "a hint", Location: report.Location{File: "a.yaml", Line: 9, Column: 1}},
}

var testRules = []report.Rule{
	{ID: "rule-error", Title: "errors", Severity: report.Error, Category: "cat-a"},
	{ID: "rule-warning", Title: "warnings", Severity: report.Warning, Category: "cat-a"},
	{ID: "rule-info", Title: "infos", Severity: report.Info, Category: "cat-b"},
	{ID: "rule-hint", Title: "hints", Severity: report.Hint, Category: "cat-b"},
}

// newFindingsCmd is a test-only command that does what lint and audit do:
// load its config section and emit a report. "--only SEV" keeps the
// findings of one severity; "--none" reports nothing.
func newFindingsCmd(g *globalOpts) *cobra.Command {
	var only string
	var none bool
	cmd := &cobra.Command{
		Use:  "findings",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.config()
			if err != nil {
				return err
			}
			var fs []report.Finding
			for _, f := range testFindings {
				if !none && (only == "" || f.Severity.String() == only) {
					fs = append(fs, f)
				}
			}
			rep := &report.Report{Command: "findings", Targets: []string{"a.yaml", "b.yaml"},
				Rules: append([]report.Rule(nil), testRules...), Findings: fs}
			if err := report.Process(rep, cfg.Lint.Policy); err != nil {
				return err
			}
			return g.emit(rep)
		},
	}
	cmd.Flags().StringVar(&only, "only", "", "keep findings of one severity")
	cmd.Flags().BoolVar(&none, "none", false, "report nothing")
	g.printsReports(cmd, report.Standard())
	return cmd
}

// newBlockCmd is a test-only command that works until it is interrupted,
// then emits what it found so far, as audit does on Ctrl-C.
func newBlockCmd(g *globalOpts) *cobra.Command {
	cmd := &cobra.Command{
		Use: "block",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			close(blockReady)
			<-ctx.Done()
			rep := &report.Report{Command: "block", Rules: testRules[:1], Findings: testFindings[:1]}
			return errors.Join(g.emit(rep), ctx.Err())
		},
	}
	g.printsReports(cmd, report.Standard())
	return cmd
}

var blockReady chan struct{}

// newStdLogCmd writes to the standard logger, as net/http does about a
// misbehaving server, and as a library does about itself.
func newStdLogCmd(*globalOpts) *cobra.Command {
	return &cobra.Command{Use: "stdlog", RunE: func(_ *cobra.Command, args []string) error {
		log.Printf("Unsolicited response received on idle HTTP channel starting with %q; err=<nil>", "HTTP")
		if len(args) > 0 {
			log.Print(args[0])
		}
		return nil
	}}
}

// TestStdLogger: net/http's line about a misbehaving server is dropped, or
// shown with -v, as agentready's own log; anything else a library logs is
// always shown that way (a log.Fatal must not exit 1 silently).
func TestStdLogger(t *testing.T) {
	const noise = "agentready: Unsolicited response received on idle HTTP channel starting with \"HTTP\"; err=<nil>\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stdlog"}, ""},
		{[]string{"-v", "stdlog"}, noise},
		{[]string{"stdlog", "checker: unknown id"}, "agentready: checker: unknown id\n"},
	} {
		var out, errOut bytes.Buffer
		if code := execute(tc.args, strings.NewReader(""), &out, &errOut, newStdLogCmd); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut.String())
		}
		if errOut.String() != tc.want {
			t.Errorf("%v: stderr = %q, want %q", tc.args, errOut.String(), tc.want)
		}
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func runTest(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := execute(args, strings.NewReader(""), &out, &errOut, newFindingsCmd, newBlockCmd)
	return result{code, out.String(), errOut.String()}
}

// expect checks a run's exit code and that stdout and stderr contain the
// given substrings ("" matches anything).
func (r result) expect(t *testing.T, code int, stdoutHas, stderrHas string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, stderrHas) {
		t.Errorf("stderr does not contain %q:\n%s", stderrHas, r.stderr)
	}
	if !strings.Contains(r.stdout, stdoutHas) {
		t.Errorf("stdout does not contain %q:\n%s", stdoutHas, r.stdout)
	}
}

// isolate runs the test in an empty repository with no config around it
// and no colour variables from the environment.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	t.Setenv("AGENTREADY_CONFIG", "")
	t.Setenv("NO_COLOR", "")
	t.Setenv("CLICOLOR_FORCE", "")
	return dir
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunIgnoresProcessArgs: run parses only the args it is given, none
// of the process's. Cobra parses os.Args[1:] when it is handed nil args,
// so `go test ./... -update` failed TestExitCodes' no-argument case with
// "unknown shorthand flag: 'u' in -update".
func TestRunIgnoresProcessArgs(t *testing.T) {
	isolate(t)
	saved := os.Args
	os.Args = []string{saved[0], "--no-such-flag"}
	defer func() { os.Args = saved }()
	runTest(t).expect(t, 0, "Usage:", "")
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		config     string // written to .agentready.yaml when not empty
		args       []string
		code       int
		stderrHas  string
		stdoutHas  string
		stdoutNone bool
	}{
		{name: "no args prints help", args: nil, code: 0, stdoutHas: "Usage:"},
		{name: "help", args: []string{"--help"}, code: 0, stdoutHas: "Available Commands:"},
		{name: "version", args: []string{"version"}, code: 0, stdoutHas: "agentready "},
		{name: "version flag", args: []string{"--version"}, code: 0, stdoutHas: "agentready "},
		{name: "version json", args: []string{"version", "--format", "json"}, code: 0, stdoutHas: `"goVersion"`},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderrHas: `unknown command "frobnicate"`},
		{name: "unknown flag", args: []string{"version", "--frobnicate"}, code: 2, stderrHas: "unknown flag: --frobnicate"},
		{name: "extra argument", args: []string{"version", "extra"}, code: 2, stderrHas: "Run 'agentready version --help' for usage."},
		{name: "unknown format", args: []string{"findings", "-f", "yaml"}, code: 2, stderrHas: `unknown format "yaml"`, stdoutNone: true},
		{name: "version rejects sarif", args: []string{"version", "-f", "sarif"}, code: 2, stderrHas: `unknown format "sarif"`},
		{name: "empty format name", args: []string{"findings", "-f", "=out.json"}, code: 2, stderrHas: "missing format name"},
		{name: "empty format path", args: []string{"findings", "-f", "json="}, code: 2, stderrHas: "empty path"},
		{name: "two formats to stdout", args: []string{"findings", "-f", "text", "-f", "json"}, code: 2, stderrHas: "both write to stdout"},
		{name: "dash is stdout", args: []string{"findings", "-f", "text", "-f", "json=-"}, code: 2, stderrHas: "both write to stdout"},
		{name: "json to stdout with dash", args: []string{"findings", "-f", "json=-"}, code: 1, stdoutHas: `"ruleId": "rule-error"`},
		{name: "format to a directory", args: []string{"findings", "-f", "json=."}, code: 2, stderrHas: "writing json report: . is a directory"},
		{name: "two formats to one file", args: []string{"findings", "-f", "json=r.out", "-f", "text=./r.out"}, code: 2, stderrHas: "both write to ./r.out"},
		{name: "bad fail-on", args: []string{"findings", "--fail-on", "fatal"}, code: 2, stderrHas: `--fail-on: unknown severity "fatal"`, stdoutNone: true},
		{name: "quiet and verbose", args: []string{"findings", "-q", "-v"}, code: 2, stderrHas: "[quiet verbose]"},
		{name: "config and no-config", args: []string{"findings", "--config", "x.yaml", "--no-config"}, code: 2, stderrHas: "[config no-config]"},
		{name: "missing config file", args: []string{"findings", "--config", "nope.yaml"}, code: 2, stderrHas: "config file nope.yaml does not exist"},
		{name: "bad completion shell", args: []string{"completion", "tcsh"}, code: 2, stderrHas: `invalid argument "tcsh"`},
		{name: "completion bash", args: []string{"completion", "bash"}, code: 0, stdoutHas: "bash completion V2 for agentready"},
		{name: "help topic", args: []string{"help", "environment"}, code: 0, stdoutHas: "CLICOLOR_FORCE"},

		{name: "error finding fails by default", args: []string{"findings"}, code: 1, stderrHas: "agentready: 1 finding at or above --fail-on error"},
		{name: "warning below default threshold", args: []string{"findings", "--only", "warning"}, code: 0},
		{name: "warning reaches fail-on warning", args: []string{"findings", "--only", "warning", "--fail-on", "warning"}, code: 1, stderrHas: "1 finding at or above --fail-on warning"},
		{name: "info below fail-on warning", args: []string{"findings", "--only", "info", "--fail-on", "warning"}, code: 0},
		{name: "fail-on is case-insensitive", args: []string{"findings", "--only", "info", "--fail-on", "INFO"}, code: 1},
		{name: "hint reaches fail-on hint", args: []string{"findings", "--only", "hint", "--fail-on", "hint"}, code: 1},
		{name: "fail-on none", args: []string{"findings", "--fail-on", "none"}, code: 0},
		{name: "no findings", args: []string{"findings", "--none", "--fail-on", "hint"}, code: 0},
		{name: "quiet keeps the code and drops the message", args: []string{"findings", "-q"}, code: 1},
		{name: "format does not change the code", args: []string{"findings", "-f", "json"}, code: 1, stdoutHas: `"ruleId": "rule-error"`},

		{name: "config turns the error off", config: "lint:\n  severity:\n    rule-error: off\n", args: []string{"findings"}, code: 0},
		{name: "config raises a category", config: "lint:\n  severity:\n    cat-b: error\n", args: []string{"findings", "--only", "info"}, code: 1},
		{name: "config ignores a path", config: "lint:\n  ignore:\n    - path: b.yaml\n", args: []string{"findings"}, code: 0},
		{name: "no-config skips the file", config: "lint:\n  severity:\n    rule-error: off\n", args: []string{"findings", "--no-config"}, code: 1},
		{name: "bad config key", config: "lint:\n  severity:\n    rule-error: off\n  severty:\n    x: error\n", args: []string{"findings"}, code: 2, stderrHas: `.agentready.yaml:4: unknown key "severty" in lint`, stdoutNone: true},
		{name: "bad config type", config: "lint:\n  ignore: rule-error\n", args: []string{"findings"}, code: 2, stderrHas: `.agentready.yaml:2: lint.ignore: want a list, got "rule-error"`},
		{name: "bad config severity", config: "audit:\n  severity:\n    x: fatal\n", args: []string{"findings"}, code: 2, stderrHas: `.agentready.yaml:3: audit.severity.x: unknown severity "fatal"`},
		{name: "bad config syntax", config: "lint:\n  severity: [\n", args: []string{"findings"}, code: 2, stderrHas: ".agentready.yaml:2: did not find expected node content"},
		{name: "bad config does not stop version", config: "nope: 1\n", args: []string{"version"}, code: 0},
		{name: "config command reports a bad config", config: "nope: 1\n", args: []string{"config"}, code: 2, stderrHas: `.agentready.yaml:1: unknown key "nope" (want one of audit, generate, lint)`},
		{name: "config command prints a good config", config: "lint:\n  severity:\n    path-params: warning\n", args: []string{"config"}, code: 0, stdoutHas: "path-params: warning"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolate(t)
			if tt.config != "" {
				writeFile(t, filepath.Join(dir, ".agentready.yaml"), tt.config)
			}
			r := runTest(t, tt.args...)
			r.expect(t, tt.code, tt.stdoutHas, tt.stderrHas)
			if tt.stdoutNone && r.stdout != "" {
				t.Errorf("stdout should be empty on a usage error:\n%s", r.stdout)
			}
			if tt.code == 0 && r.stderr != "" && !strings.HasPrefix(tt.args[0], "config") {
				t.Errorf("stderr should be empty on success:\n%s", r.stderr)
			}
		})
	}
}

func TestQuietDropsTheThresholdMessage(t *testing.T) {
	isolate(t)
	r := runTest(t, "findings", "-q")
	if r.code != 1 || strings.Contains(r.stderr, "at or above") {
		t.Errorf("code %d, stderr %q: want 1 and no threshold message", r.code, r.stderr)
	}
}

// TestQuietKeepsScoreGates: -q drops the --fail-on line, which the printed
// findings explain, but not a score gate's, which nothing else explains.
func TestQuietKeepsScoreGates(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&thresholdError{msg: "2 findings at or above --fail-on error", failOn: true}, ""},
		{newThresholdError("audit score 40.0 is below --min-score 80"), "agentready: audit score 40.0 is below --min-score 80\n"},
		{errors.Join(&thresholdError{msg: "1 finding at or above --fail-on error", failOn: true}, newThresholdError("audit score dropped from 90.0 to 80.0 (baseline a.json)")),
			"agentready: 1 finding at or above --fail-on error\naudit score dropped from 90.0 to 80.0 (baseline a.json)\n"},
	} {
		var errOut bytes.Buffer
		if code := exitCode(tc.err, false, true, &errOut); code != exitFindings || errOut.String() != tc.want {
			t.Errorf("exitCode(%v, quiet) = %d, stderr %q; want %d, %q", tc.err, code, errOut.String(), exitFindings, tc.want)
		}
	}
}

func TestConfigDiscovery(t *testing.T) {
	dir := isolate(t)
	off := "lint:\n  severity:\n    rule-error: off\n"
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}

	// Found from a subdirectory, up to the repository root.
	writeFile(t, filepath.Join(dir, ".agentready.yaml"), off)
	t.Chdir(sub)
	if r := runTest(t, "findings", "--only", "error"); r.code != 0 {
		t.Errorf("config at the repository root not found from a/b: code %d, stderr %s", r.code, r.stderr)
	}

	// The nearest file wins; .yml is accepted.
	writeFile(t, filepath.Join(dir, "a", ".agentready.yml"), "lint: {}\n")
	if r := runTest(t, "findings", "--only", "error"); r.code != 1 {
		t.Errorf("nearer a/.agentready.yml not used: code %d", r.code)
	}

	// A file above the repository root is not read.
	outer := t.TempDir()
	writeFile(t, filepath.Join(outer, ".agentready.yaml"), off)
	repo := filepath.Join(outer, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	if r := runTest(t, "findings", "--only", "error"); r.code != 1 {
		t.Errorf("config above the repository root was read: code %d", r.code)
	}

	// AGENTREADY_CONFIG names it; --config wins over it; --no-config ignores both.
	env := filepath.Join(outer, "env.yaml")
	writeFile(t, env, off)
	t.Setenv("AGENTREADY_CONFIG", env)
	if r := runTest(t, "findings", "--only", "error"); r.code != 0 {
		t.Errorf("AGENTREADY_CONFIG not used: code %d, stderr %s", r.code, r.stderr)
	}
	flag := filepath.Join(outer, "flag.yaml")
	writeFile(t, flag, "lint: {}\n")
	if r := runTest(t, "findings", "--only", "error", "--config", flag); r.code != 1 {
		t.Errorf("--config did not win over AGENTREADY_CONFIG: code %d", r.code)
	}
	if r := runTest(t, "findings", "--only", "error", "--no-config"); r.code != 1 {
		t.Errorf("--no-config read AGENTREADY_CONFIG: code %d", r.code)
	}
	t.Setenv("AGENTREADY_CONFIG", filepath.Join(outer, "missing.yaml"))
	if r := runTest(t, "findings"); r.code != 2 || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("missing AGENTREADY_CONFIG file: code %d, stderr %s", r.code, r.stderr)
	}
}

func TestFormatsToFiles(t *testing.T) {
	dir := isolate(t)
	r := runTest(t, "findings", "-f", "text", "-f", "json=out/report.json", "--no-color")
	if r.code != 1 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "an error") {
		t.Errorf("text on stdout lacks the finding:\n%s", r.stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tool     struct{ Name string }
		Findings []struct {
			RuleID string `json:"ruleId"`
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("report.json: %v\n%s", err, b)
	}
	if doc.Tool.Name != "agentready" || len(doc.Findings) != 4 {
		t.Errorf("report.json: tool %q, %d findings; want agentready, 4", doc.Tool.Name, len(doc.Findings))
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(filepath.Join(dir, "out"))
	if len(entries) != 1 {
		t.Errorf("out/ holds %d entries, want only report.json", len(entries))
	}
}

func TestFailedOutputDoesNotStopTheOthers(t *testing.T) {
	dir := isolate(t)
	// A directory where the file should go makes the rename fail.
	if err := os.MkdirAll(filepath.Join(dir, "taken.json", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runTest(t, "findings", "-f", "json=taken.json", "-f", "text=report.txt")
	if r.code != 2 {
		t.Errorf("code %d, want 2 (a lost output beats findings)\nstderr: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "writing json report") {
		t.Errorf("stderr does not name the failed output: %s", r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "report.txt")); err != nil || !strings.Contains(string(b), "an error") {
		t.Errorf("report.txt not written after json failed: %v %q", err, b)
	}
}

// TestFormatToDevice: a path that is not a regular file (here a named
// pipe read by the test) is written in place, not renamed over.
func TestFormatToDevice(t *testing.T) {
	dir := isolate(t)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes:", err)
	}
	got := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	r := runTest(t, "findings", "-f", "json="+fifo, "--fail-on", "none")
	if r.code != 0 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	if b := <-got; !bytes.Contains(b, []byte(`"ruleId": "rule-error"`)) {
		t.Errorf("pipe got %q", b)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", fi.Mode(), err)
	}
}

func TestColor(t *testing.T) {
	g := &globalOpts{getenv: func(string) string { return "" }}
	var buf bytes.Buffer
	if c, _ := g.colorFor(&buf); c {
		t.Error("colour on a buffer")
	}
	env := map[string]string{"CLICOLOR_FORCE": "1"}
	g.getenv = func(k string) string { return env[k] }
	if c, _ := g.colorFor(&buf); !c {
		t.Error("CLICOLOR_FORCE=1 did not force colour")
	}
	env["CLICOLOR_FORCE"] = "0"
	if c, _ := g.colorFor(&buf); c {
		t.Error("CLICOLOR_FORCE=0 forced colour")
	}
	env["CLICOLOR_FORCE"] = "1"
	env["NO_COLOR"] = "1"
	if c, _ := g.colorFor(&buf); c {
		t.Error("NO_COLOR lost to CLICOLOR_FORCE")
	}
	delete(env, "NO_COLOR")
	g.noColor = true
	if c, _ := g.colorFor(&buf); c {
		t.Error("--no-color lost to CLICOLOR_FORCE")
	}
}

func TestForcedColorReachesThePrinter(t *testing.T) {
	isolate(t)
	t.Setenv("CLICOLOR_FORCE", "1")
	r := runTest(t, "findings")
	if !strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("CLICOLOR_FORCE=1: no escape codes in text output:\n%q", r.stdout)
	}
	t.Setenv("NO_COLOR", "1")
	r = runTest(t, "findings")
	if strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("NO_COLOR=1: escape codes in text output:\n%q", r.stdout)
	}
}

func TestVersionJSON(t *testing.T) {
	isolate(t)
	r := runTest(t, "version", "--format", "json")
	var v map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	for _, k := range []string{"version", "commit", "date", "goVersion"} {
		if v[k] == "" {
			t.Errorf("version json lacks %q: %s", k, r.stdout)
		}
	}
	if len(v) != 4 {
		t.Errorf("version json has %d keys, want 4: %s", len(v), r.stdout)
	}
}

func TestVersionLdflags(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "1.2.3", "abc1234", "2026-01-02T15:04:05Z"
	v := buildInfo()
	if v.Version != "1.2.3" || v.Commit != "abc1234" || v.Date != "2026-01-02T15:04:05Z" {
		t.Errorf("buildInfo() = %+v, want the ldflags values", v)
	}
}

// TestInterrupt sends SIGINT (Ctrl-C) and SIGTERM (a cancelled CI job) to
// the test process while a command works: run must exit 130 and still
// print the partial report.
func TestInterrupt(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			isolate(t)
			ready := make(chan struct{})
			blockReady = ready
			go func() {
				select {
				case <-ready:
					syscall.Kill(os.Getpid(), sig)
				case <-time.After(time.Minute):
				}
			}()
			r := runTest(t, "block")
			if r.code != 130 {
				t.Errorf("code %d, want 130\nstderr: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "an error") {
				t.Errorf("partial report lost on interrupt:\n%s", r.stdout)
			}
			if !strings.Contains(r.stderr, "interrupted") {
				t.Errorf("stderr does not say interrupted: %s", r.stderr)
			}
		})
	}
}

func TestExitCodeMapping(t *testing.T) {
	th := newThresholdError("3 findings")
	tests := []struct {
		err         error
		interrupted bool
		want        int
	}{
		{nil, false, 0},
		{th, false, 1},
		{errors.Join(th, th), false, 1},
		{errors.Join(th, errors.New("disk full")), false, 2},
		{errors.New("boom"), false, 2},
		{usageErrorf("agentready", "bad"), false, 2},
		{context.Canceled, false, 130},
		{errors.Join(th, context.Canceled), false, 130},
		{nil, true, 130},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err, tt.interrupted, false, new(bytes.Buffer)); got != tt.want {
			t.Errorf("exitCode(%v, %v) = %d, want %d", tt.err, tt.interrupted, got, tt.want)
		}
	}
}
