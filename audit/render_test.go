package audit

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/agentready/agentready/internal/options"
)

// TestRenderNoBrowser: --render with no browser in PATH is a usage error
// that names the flags (exit 2), before anything is fetched.
func TestRenderNoBrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	cfg := DefaultConfig()
	cfg.Render = true
	_, err := Run(context.Background(), []string{t.TempDir()}, cfg)
	var inv *options.Invalid
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "--render") || !strings.Contains(err.Error(), "--chrome PATH") {
		t.Fatalf("Run = %v, want an *options.Invalid naming --render and --chrome", err)
	}
	cfg.RenderConcurrency = 0
	if _, err := Run(context.Background(), []string{t.TempDir()}, cfg); !errors.As(err, &inv) || !strings.Contains(err.Error(), "--render-concurrency") {
		t.Fatalf("Run = %v, want an *options.Invalid naming --render-concurrency", err)
	}
}
