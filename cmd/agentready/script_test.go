package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/agentready/agentready/audit/crawl"
	"github.com/agentready/agentready/audit/render"
	"github.com/agentready/agentready/internal/golden"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"agentready": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the end-to-end scripts in testdata/script/*.txtar (at the
// repository root) against the real binary's run function. Each command's
// engineer adds scripts there, named with the command as prefix
// (lint_*.txtar, audit_*.txtar, generate_*.txtar; cli_*.txtar are these).
//
// Scripts see:
//
//	serve DIR  a command that serves DIR on a loopback port and sets $URL
//
//	$REPO    the repository root, to reach fixtures under testdata/
//	$SHARED  ../shared (or $AGENTREADY_SHARED) when it exists; guard its use
//	         with the [shared] condition, which is false on a user's clone
//
// $WORK holds a .git directory, so config discovery stops there and no
// .agentready.yaml from outside the test is ever read. Colour variables
// are unset. `go test ./cmd/agentready -run TestScript/NAME` runs one
// script; -update rewrites its cmp sections.
func TestScript(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	shared := sharedDir(repo)
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join(repo, "testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *golden.Update,
		Setup: func(e *testscript.Env) error {
			e.Setenv("REPO", repo)
			e.Setenv("SHARED", shared)
			e.Setenv("NO_COLOR", "")
			e.Setenv("CLICOLOR_FORCE", "")
			e.Setenv("AGENTREADY_CONFIG", "")
			return os.Mkdir(filepath.Join(e.WorkDir, ".git"), 0o755)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// serve DIR serves DIR over HTTP on a loopback port, the way
			// agentready serves a folder, for the rest of the script, and
			// sets $URL to its root: a site audited as a URL, not as a
			// folder (which leaves out what only a host answers).
			"serve": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: serve DIR")
				}
				srv := httptest.NewServer(crawl.FolderHandler(os.DirFS(ts.MkAbs(args[0]))))
				ts.Defer(srv.Close)
				ts.Setenv("URL", srv.URL+"/")
			},
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "shared":
				return shared != "", nil
			case "chromium": // audit --render's browser
				_, err := render.FindChrome("")
				return err == nil, nil
			}
			return false, nil
		},
	})
}

// sharedDir locates ../shared (public test data and corpora) as CI sets
// it: $AGENTREADY_SHARED, else <repo>/../shared. It is "" when absent.
func sharedDir(repo string) string {
	dir := os.Getenv("AGENTREADY_SHARED")
	if dir == "" {
		dir = filepath.Join(repo, "..", "shared")
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	return abs
}
