package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestIncompleteReadsIncomplete: a run that did not finish says so in every
// format, and SARIF's invocation is not successful, so that uploading it
// does not close the alerts the run never got to.
func TestIncompleteReadsIncomplete(t *testing.T) {
	for _, format := range Standard().Names() {
		t.Run(format, func(t *testing.T) {
			out := string(printFixture(t, incompleteFixture, format, PrintOptions{BaseDir: "/repo"}))
			if !strings.Contains(strings.ToLower(out), "incomplete") {
				t.Errorf("%s does not say the run is incomplete:\n%s", format, out)
			}
			complete := string(printFixture(t, func() *Report { r := incompleteFixture(); r.Incomplete = ""; return r }, format, PrintOptions{BaseDir: "/repo"}))
			if strings.Contains(strings.ToLower(complete), "incomplete") {
				t.Errorf("%s says a complete run is incomplete:\n%s", format, complete)
			}
		})
	}
	var log struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool `json:"executionSuccessful"`
				ToolExecutionNotifications []struct {
					Level   string                `json:"level"`
					Message struct{ Text string } `json:"message"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(printFixture(t, incompleteFixture, "sarif", PrintOptions{}), &log); err != nil {
		t.Fatal(err)
	}
	inv := log.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 || !strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "interrupted") {
		t.Errorf("sarif invocation of an interrupted run = %+v, want executionSuccessful false and a notification naming why", inv)
	}
}
