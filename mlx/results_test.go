package mlx

import (
	"strings"
	"testing"
)

func TestRecordResultStart(t *testing.T) {
	t.Setenv("BAEUM_RESULTS", t.TempDir())
	if err := Record("99-test", "acc", 0.5); err != nil {
		t.Fatal(err)
	}
	if err := Record("99-test", "loss", 1.25); err != nil {
		t.Fatal(err)
	}
	if got := Result("99-test", "acc"); got != 0.5 {
		t.Errorf("acc = %v", got)
	}
	Start("99-test") // forgets earlier runs
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), `no recorded "loss"`) {
			t.Errorf("after Start: %v", r)
		}
	}()
	Result("99-test", "loss")
}

func TestCheck(t *testing.T) {
	Check("passes", true, "x=%d", 1)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "check failed: fails (x=2)") {
			t.Errorf("recovered %v", r)
		}
	}()
	Check("fails", false, "x=%d", 2)
}
