package mlx

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadOrTrain trains and saves once, then loads; a failed training
// saves nothing.
func TestLoadOrTrain(t *testing.T) {
	t.Setenv("BAEUM_CHECKPOINTS", t.TempDir())
	trained := 0
	load := func(dir string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, "m.txt"))
		return string(b), err
	}
	train := func() (string, error) { trained++; return "weights", nil }
	save := func(m, dir string) error {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "m.txt"), []byte(m), 0o644)
	}
	for range 2 {
		m, err := LoadOrTrain("toy", "m.txt", "a toy model", load, train, save)
		if err != nil || m != "weights" {
			t.Fatalf("got %q, %v", m, err)
		}
	}
	if trained != 1 {
		t.Errorf("trained %d times, want once", trained)
	}
	fail := func() (string, error) { return "", os.ErrInvalid }
	if _, err := LoadOrTrain("other", "m.txt", "another", load, fail, save); err == nil {
		t.Error("a failed training returned no error")
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("BAEUM_CHECKPOINTS"), "other")); err == nil {
		t.Error("a failed training left a folder")
	}
}
