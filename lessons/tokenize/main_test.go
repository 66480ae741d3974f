package tokenize

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain makes the tests read the course corpora from the shared data
// folder beside the repository when BAEUM_DATA is not set, and never
// download anything (BAEUM_OFFLINE).
func TestMain(m *testing.M) {
	if os.Getenv("BAEUM_DATA") == "" {
		if shared, err := filepath.Abs("../../../shared/data"); err == nil {
			if _, err := os.Stat(shared); err == nil {
				os.Setenv("BAEUM_DATA", shared)
			}
		}
	}
	os.Setenv("BAEUM_OFFLINE", "1")
	os.Exit(m.Run())
}
