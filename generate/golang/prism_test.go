package golang_test

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/agentready/agentready/generate/golang"
)

// TestPrismEndToEnd generates the Petstore client, starts Prism
// ($AGENTREADY_PRISM, installed by .ci/run) on 127.0.0.1 to mock
// petstore.yaml, and makes typed calls through the generated client: a typed
// 200 result and a 4xx mapped to *APIError. Prism is stopped by its PID.
func TestPrismEndToEnd(t *testing.T) {
	prism := os.Getenv("AGENTREADY_PRISM")
	if prism == "" {
		t.Skip("AGENTREADY_PRISM not set")
	}
	goTool(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(prism, "mock", "-h", "127.0.0.1", "-p", strconv.Itoa(port), fixture("petstore.yaml"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logf, err := os.Create(t.TempDir() + "/prism.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		// Prism runs under node; stop its whole process group by its PID.
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("Prism did not listen on %s within 60 s:\n%s", addr, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
	files := generate(t, fixture("petstore.yaml"), "petstore")
	test, err := os.ReadFile(fixture("petstore_e2e/prism_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeModule(t, append(files, golang.File{Name: "prism_test.go", Content: test}))
	t.Setenv("PRISM_URL", "http://"+addr)
	out := goCmd(t, dir, "test", "-count=1", "-v", "-run", "TestAgainstPrism", "./...")
	if !strings.Contains(out, "--- PASS: TestAgainstPrism") {
		t.Fatalf("the Prism test did not run:\n%s", out)
	}
}
