package mlx

import (
	"errors"
	"testing"
	"time"
)

func TestMedianSeconds(t *testing.T) {
	calls := 0
	sec, err := MedianSeconds(func() error {
		calls++
		if calls == 1 {
			time.Sleep(50 * time.Millisecond) // the warm-up: not timed
		}
		return nil
	}, 3)
	if err != nil || calls != 4 || sec > 0.02 {
		t.Errorf("%d calls, median %gs, error %v; want 4 calls and a short median", calls, sec, err)
	}
	if _, err := MedianSeconds(func() error { return errors.New("boom") }, 2); err == nil {
		t.Error("a failing run gave no error")
	}
	if _, err := MedianSeconds(func() error { return nil }, 0); err == nil {
		t.Error("0 runs accepted")
	}
}
